"""Stage 2: repair the spec dict before datamodel-codegen and the parser see it.

Each fix answers a measured problem (shared notes, generator-facts.md §3):

* ``$recursiveRef: "#"`` -> ``$ref`` to the enclosing component (P2);
* ``allOf: [{$ref: X}, {nullable: true}]`` -> ``anyOf: [{$ref: X}, {type: null}]`` (P4);
* explicit discriminator ``mapping`` built from each variant's enum/const tag values,
  so multi-valued tags are not replaced by the schema name (P1);
* ``additionalProperties: false`` removed: responses must accept new fields (P8);
* public model names from sdk.yaml (``model_renames``) applied to components and references;
* descriptions wrapped to lines that fit the generated docstrings.

The input dict is never modified; a transformed deep copy is returned.
"""

from __future__ import annotations

import copy
import textwrap
from typing import Any

from .specutil import SCHEMA_REF_PREFIX, escape_ref_name, resolve_ref, schema_name


def preprocess(spec: dict[str, Any], renames: dict[str, str]) -> dict[str, Any]:
    doc = copy.deepcopy(spec)
    schemas: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in schemas.items():
        _fix_recursive_refs(schema, SCHEMA_REF_PREFIX + escape_ref_name(name))
    _walk(doc, _fix_nullable_allof)
    _walk(doc, _strip_closed_objects)
    _walk(doc, lambda node: _add_discriminator_mapping(doc, node))
    _walk(doc, _wrap_description)
    if renames:
        _rename_schemas(doc, renames)
    return doc


def _walk(node: Any, fix: Any) -> None:
    if isinstance(node, dict):
        fix(node)
        for value in node.values():
            _walk(value, fix)
    elif isinstance(node, list):
        for value in node:
            _walk(value, fix)


def _fix_recursive_refs(node: Any, self_ref: str) -> None:
    if isinstance(node, dict):
        if node.get("$recursiveRef") == "#":
            del node["$recursiveRef"]
            node["$ref"] = self_ref
        node.pop("$recursiveAnchor", None)
        for value in node.values():
            _fix_recursive_refs(value, self_ref)
    elif isinstance(node, list):
        for value in node:
            _fix_recursive_refs(value, self_ref)


_ANNOTATION_ONLY = {"nullable", "description", "default", "deprecated"}


def _fix_nullable_allof(node: dict[str, Any]) -> None:
    parts = node.get("allOf")
    if not isinstance(parts, list) or len(parts) < 2:
        return
    refs = [p for p in parts if isinstance(p, dict) and "$ref" in p]
    rest = [p for p in parts if p not in refs]
    if len(refs) != 1 or not rest:
        return
    if not all(isinstance(p, dict) and set(p) <= _ANNOTATION_ONLY for p in rest):
        return
    if not any(p.get("nullable") for p in rest):
        return
    del node["allOf"]
    node["anyOf"] = [refs[0], {"type": "null"}]
    for part in rest:
        for key in ("description", "default", "deprecated"):
            if key in part and key not in node:
                node[key] = part[key]


def _strip_closed_objects(node: dict[str, Any]) -> None:
    if node.get("additionalProperties") is False:
        del node["additionalProperties"]


def _add_discriminator_mapping(doc: dict[str, Any], node: dict[str, Any]) -> None:
    disc = node.get("discriminator")
    if not isinstance(disc, dict) or disc.get("mapping"):
        return
    prop = disc.get("propertyName")
    variants = node.get("oneOf") or node.get("anyOf")
    if not isinstance(prop, str) or not isinstance(variants, list):
        return
    mapping: dict[str, str] = {}
    for variant in variants:
        ref = variant.get("$ref") if isinstance(variant, dict) else None
        if not isinstance(ref, str):
            return  # inline variants cannot be named in a mapping
        tags = _tag_values(doc, resolve_ref(doc, ref), prop)
        if not tags:
            return
        for tag in tags:
            if tag in mapping and mapping[tag] != ref:
                return  # ambiguous tag: leave the union alone
            mapping[tag] = ref
    disc["mapping"] = mapping


def _tag_values(doc: dict[str, Any], schema: Any, prop: str, depth: int = 0) -> list[str]:
    if not isinstance(schema, dict) or depth > 8:
        return []
    if "$ref" in schema:
        return _tag_values(doc, resolve_ref(doc, schema["$ref"]), prop, depth + 1)
    found: list[str] = []
    spec = (schema.get("properties") or {}).get(prop)
    if isinstance(spec, dict):
        if "$ref" in spec:
            spec = resolve_ref(doc, spec["$ref"])
        if isinstance(spec.get("const"), str):
            found = [spec["const"]]
        elif isinstance(spec.get("enum"), list):
            found = [v for v in spec["enum"] if isinstance(v, str)]
    for part in schema.get("allOf") or []:
        found = _tag_values(doc, part, prop, depth + 1) or found
    return found


def _rename_schemas(doc: dict[str, Any], renames: dict[str, str]) -> None:
    schemas: dict[str, Any] = doc["components"]["schemas"]
    doc["components"]["schemas"] = {renames.get(name, name): schema for name, schema in schemas.items()}
    ref_map = {
        SCHEMA_REF_PREFIX + escape_ref_name(old): SCHEMA_REF_PREFIX + escape_ref_name(new)
        for old, new in renames.items()
    }

    def fix(node: dict[str, Any]) -> None:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref in ref_map:
            node["$ref"] = ref_map[ref]
        disc = node.get("discriminator")
        if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
            disc["mapping"] = {k: ref_map.get(v, v) for k, v in disc["mapping"].items()}

    _walk(doc, fix)
    assert all(schema_name(r) is not None for r in ref_map.values())


DESCRIPTION_WIDTH = 100


def _wrap_description(node: dict[str, Any]) -> None:
    text = node.get("description")
    if isinstance(text, str) and any(len(line) > DESCRIPTION_WIDTH for line in text.splitlines()):
        paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
        node["description"] = "\n\n".join(
            "\n".join(textwrap.wrap(p, DESCRIPTION_WIDTH, break_on_hyphens=False)) for p in paragraphs
        )
