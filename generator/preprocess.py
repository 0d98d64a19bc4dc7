"""Stage 2: repair the spec dict before datamodel-codegen and the parser see it.

Each fix answers a measured problem (shared notes, generator-facts.md §3):

* ``$recursiveRef: "#"`` -> ``$ref`` to the enclosing component (P2);
* ``allOf: [{$ref: X}, {nullable: true}]`` -> ``anyOf: [{$ref: X}, {type: null}]`` (P4);
* explicit discriminator ``mapping`` built from each variant's enum/const tag values,
  so multi-valued tags are not replaced by the schema name (P1);
* ``additionalProperties: false`` removed: responses must accept new fields (P8);
* ``default: null`` dropped where the schema is not nullable (a ``None`` default of a non-optional type, P11);
* ``allOf`` of a base and a part that re-declares the base's fields (``id`` made required, say) merged
  into one object: a subclass re-declaring a field is an incompatible override for type checkers (P11);
* public model names from sdk.yaml (``model_renames``) applied to components and references;
* inline JSON / event-stream response schemas (objects, unions) moved into components named
  ``<OperationId>Response`` / ``<OperationId>StreamEvent``, so every response type has a stable
  public name of ours rather than one synthesized by datamodel-codegen;
* descriptions wrapped to lines that fit the generated docstrings.

The input dict is never modified; a transformed deep copy is returned.
"""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

import copy
import textwrap
from typing import Any

from .specutil import SCHEMA_REF_PREFIX, escape_ref_name, resolve_ref, schema_name


def preprocess(spec: dict[str, Any], renames: dict[str, str], *, infer: bool = False) -> dict[str, Any]:
    """``infer`` (config-less): also strip vendor extensions, give every component a safe class name,
    and name every inline response schema (arrays and scalars too), so nothing is looked up by a raw name."""
    doc = copy.deepcopy(spec)
    if infer:
        _declare_fern_streams(doc)
        _strip_extensions(doc, None)
        if not isinstance(doc.get("components"), dict):
            doc["components"] = {}
        if not isinstance(doc["components"].get("schemas"), dict):
            doc["components"]["schemas"] = {}
        renames = {**safe_schema_names(doc["components"]["schemas"]), **renames}
    schemas: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in schemas.items():
        _fix_recursive_refs(schema, SCHEMA_REF_PREFIX + escape_ref_name(name))
    _walk(doc, _fix_nullable_allof)
    _walk(doc, _strip_closed_objects)
    _walk(doc, _drop_null_default)
    for name in sorted(schemas):
        _flatten_conflicting_allof(doc, schemas[name])
    _walk(doc, lambda node: _add_discriminator_mapping(doc, node))
    _walk(doc, _wrap_description)
    if renames:
        _rename_schemas(doc, renames)
    _hoist_inline_responses(doc, every=infer)
    return doc


# Keys whose values map names (of properties, schemas, media types...) to objects: an ``x-`` key in
# one of them is a name, not a vendor extension.
_NAME_MAPS = {
    "properties",
    "patternProperties",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "examples",
    "links",
    "callbacks",
    "paths",
    "webhooks",
    "pathItems",
    "definitions",
    "$defs",
    "mapping",
    "variables",
    "encoding",
    "content",
    "dependentSchemas",
}


TERMINATOR_KEY = "oai:terminator"
"""Set on an event-stream media object where the spec names the data that ends the stream."""


def _declare_fern_streams(doc: dict[str, Any]) -> None:
    """Streams described by Fern's ``x-fern-streaming`` extension (Cohere's spec, among others) as the
    event-stream response they are: ``response-stream`` is each event's data, ``response`` the JSON
    reply, ``terminator`` the data that ends the stream, ``stream-condition: $request.stream`` the
    boolean body field that switches it on. Only ``format: sse`` (Fern's ``json`` is newline-delimited
    JSON, not server-sent events)."""
    from .specutil import iter_operations

    for _, _, op in iter_operations(doc):
        ext = op.get("x-fern-streaming")
        if not isinstance(ext, dict) or ext.get("format") != "sse" or not isinstance(ext.get("response-stream"), dict):
            continue
        if ext.get("stream-condition") not in (None, "$request.stream"):
            continue
        responses = op.get("responses")
        if not isinstance(responses, dict):
            continue
        code = next((c for c in sorted(responses, key=str) if str(c).startswith("2")), "200")
        response = responses.setdefault(code, {"description": "OK"})
        if not isinstance(response, dict) or "$ref" in response:
            continue
        content = response.setdefault("content", {})
        if not isinstance(content, dict):
            continue
        if isinstance(ext.get("response"), dict) and not any("json" in str(t) for t in content):
            content["application/json"] = {"schema": ext["response"]}
        media: dict[str, Any] = {"schema": ext["response-stream"]}
        if isinstance(ext.get("terminator"), str):
            media[TERMINATOR_KEY] = ext["terminator"]
        content["text/event-stream"] = media


def _strip_extensions(node: Any, parent_key: str | None) -> None:
    """Remove vendor extensions (``x-...``): free-form data, which may hold ``$ref``s to nowhere."""
    if isinstance(node, dict):
        if parent_key not in _NAME_MAPS:
            for key in [k for k in node if isinstance(k, str) and k.startswith("x-")]:
                del node[key]
        for key, value in node.items():
            _strip_extensions(value, key if parent_key not in _NAME_MAPS else None)
    elif isinstance(node, list):
        for value in node:
            _strip_extensions(value, None)


def safe_schema_names(schemas: dict[str, Any]) -> dict[str, str]:
    """Component name -> a class name that is valid, shadows nothing, and is unique (``pet-status`` ->
    ``PetStatus``, ``List`` -> ``ListModel``); names already fine are left out."""
    from .core_api import CoreNames
    from .naming import RESERVED_CLASS_NAMES, class_name

    reserved = set(RESERVED_CLASS_NAMES) | set(CoreNames.load().names)
    taken = {n for n in schemas if class_name(n, reserved) == n}
    renames: dict[str, str] = {}
    for name in sorted(schemas):
        if name in taken:
            continue
        base = class_name(name, reserved)
        candidate, number = base, 2
        while candidate in taken or candidate in schemas:
            candidate, number = f"{base}{number}", number + 1
        taken.add(candidate)
        renames[name] = candidate
    return renames


def prepare_spec(spec: dict[str, Any], config: Any) -> dict[str, Any]:
    """What ``generate`` parses: the spec plus sdk.yaml's stream unions and named inline schemas,
    preprocessed. Use this (not ``preprocess`` alone) to see the operations as the SDK has them."""
    from .config import stream_unions

    unions = stream_unions(config)
    if unions:  # stream chunk unions sdk.yaml defines (the spec's own stream events model the SSE envelope)
        components = spec.get("components") or {}
        spec = {**spec, "components": {**components, "schemas": {**(components.get("schemas") or {}), **unions}}}
    spec = add_properties(spec, config.added_properties, config.source)
    spec = name_inline_schemas(spec, config.inline_models, config.source)
    return preprocess(spec, config.model_renames, infer=config.infer)


def add_properties(
    spec: dict[str, Any], added: dict[str, dict[str, dict[str, Any]]], source: str = "spec/sdk.yaml"
) -> dict[str, Any]:
    """sdk.yaml's ``added_properties`` joined to their component schemas (optional properties).

    These are fields the official SDK sends that the upstream spec does not declare; they join the
    spec here, at generate time, so that ``spec/openapi.yaml`` keeps upstream's facts alone. A property
    upstream now declares (or a schema it no longer has) is an error: the entry has done its work.
    """
    from .errors import SpecError, SpecErrors, pointer

    if not added:
        return spec
    doc = copy.deepcopy(spec)
    schemas: dict[str, Any] = doc.get("components", {}).get("schemas", {})
    errors: list[SpecError] = []
    for schema_name_, properties in sorted(added.items()):
        schema = schemas.get(schema_name_)
        if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
            problem = f"no component schema {schema_name_!r} with properties in the spec"
            errors.append(SpecError(source, pointer("added_properties", schema_name_), problem))
            continue
        for name, prop in sorted(properties.items()):
            if name in schema["properties"]:
                problem = f"{schema_name_} declares {name!r} itself now: remove this entry"
                errors.append(SpecError(source, pointer("added_properties", schema_name_, name), problem))
                continue
            schema["properties"][name] = copy.deepcopy(prop)
    if errors:
        raise errors[0] if len(errors) == 1 else SpecErrors(errors)
    return doc


def name_inline_schemas(
    spec: dict[str, Any], names: dict[str, str], source: str = "spec/sdk.yaml", *, missing_ok: bool = False
) -> dict[str, Any]:
    """Move inline schemas into components under the names sdk.yaml gives them (``inline_models``).

    Keys are paths below ``components/schemas`` (``ChatCompletionMessageList/properties/data/items``);
    an item schema with a name becomes a page item, and its model a public type. ``missing_ok``: skip
    a path the spec does not have (an older spec compared by ``diff``) instead of failing.
    """
    from .errors import SpecError, pointer

    if not names:
        return spec
    doc = copy.deepcopy(spec)
    schemas: dict[str, Any] = doc["components"]["schemas"]
    for where, name in sorted(names.items()):
        parts = where.split("/")
        parent: Any = schemas
        for part in parts[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None
        node = parent.get(parts[-1]) if isinstance(parent, dict) else None
        if not isinstance(node, dict) or "$ref" in node:
            if missing_ok:
                continue
            raise SpecError(
                source, pointer("inline_models", where), "no inline schema at this path of components/schemas"
            )
        if name in schemas:
            if missing_ok:
                continue
            raise SpecError(source, pointer("inline_models", where), f"{name!r} is already a component schema name")
        schemas[name] = node
        parent[parts[-1]] = {"$ref": SCHEMA_REF_PREFIX + escape_ref_name(name)}
    return doc


def _needs_name(schema: Any) -> bool:
    """Inline response schemas that become models: objects and unions (not plain strings or binaries)."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    return (
        bool(schema.get("properties") or schema.get("oneOf") or schema.get("anyOf") or schema.get("allOf"))
        or schema.get("type") == "object"
    )


def _hoist_inline_responses(doc: dict[str, Any], *, every: bool = False) -> None:
    """``every``: also arrays, maps and scalars of JSON and event-stream responses (not binaries)."""
    from .naming import RESERVED_CLASS_NAMES, class_name, pascal
    from .specutil import is_json_type, iter_operations

    schemas: dict[str, Any] = doc["components"]["schemas"]
    for _, _, op in iter_operations(doc):
        responses = op.get("responses")
        for code, response in sorted((responses if isinstance(responses, dict) else {}).items(), key=str):
            if not str(code).startswith("2") or not isinstance(response, dict):
                continue
            content = response.get("content")
            for media_type, media in sorted((content if isinstance(content, dict) else {}).items(), key=str):
                schema = media.get("schema") if isinstance(media, dict) else None
                sse = str(media_type).split(";")[0].strip() == "text/event-stream"
                if not _needs_name(schema) and not (
                    every and (is_json_type(media_type) or sse) and _worth_a_name(schema)
                ):
                    continue
                suffix = "StreamEvent" if sse else "Response"
                name = pascal(str(op.get("operationId", ""))) + suffix
                if every:
                    name = class_name(name, RESERVED_CLASS_NAMES)
                if name in schemas:
                    if schemas[name] == schema:
                        media["schema"] = {"$ref": SCHEMA_REF_PREFIX + escape_ref_name(name)}
                        continue
                    name += "Body"
                    if name in schemas:
                        continue  # left inline; the parser reports it with its pointer
                schemas[name] = schema
                media["schema"] = {"$ref": SCHEMA_REF_PREFIX + escape_ref_name(name)}


def _worth_a_name(schema: Any) -> bool:
    """An inline schema other than ``{}`` and a binary string: it gets a model (or type alias)."""
    if not isinstance(schema, dict) or "$ref" in schema or not schema:
        return False
    return not (schema.get("type") == "string" and schema.get("format") == "binary")


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


def _drop_null_default(node: dict[str, Any]) -> None:
    if "default" in node and node["default"] is None and not node.get("nullable"):
        variants = node.get("anyOf") or node.get("oneOf") or []
        if not any(isinstance(v, dict) and v.get("type") == "null" for v in variants) and node.get("type") != "null":
            del node["default"]


def _flatten_conflicting_allof(doc: dict[str, Any], schema: Any) -> None:
    from .specutil import flatten_object

    parts = schema.get("allOf") if isinstance(schema, dict) else None
    if not isinstance(parts, list) or len(parts) < 2:
        return
    bases = [p for p in parts if isinstance(p, dict) and "$ref" in p]
    own = [p for p in parts if isinstance(p, dict) and "$ref" not in p]
    if not bases or not own:
        return
    inherited = flatten_object(doc, {"allOf": bases})
    redeclared = set()
    for part in own:
        redeclared |= set(part.get("properties") or {}) & set(inherited.properties)
        redeclared |= set(part.get("required") or []) - set(inherited.required)
    if not redeclared:
        return
    flat = flatten_object(doc, schema)
    merged: dict[str, Any] = {"type": "object", "properties": {n: p.schema for n, p in flat.properties.items()}}
    if flat.required:
        merged["required"] = list(flat.required)
    if flat.additional is not None:
        merged["additionalProperties"] = flat.additional
    keep = {
        k: v for k, v in schema.items() if k not in ("allOf", "properties", "required", "type", "additionalProperties")
    }
    schema.clear()
    schema.update(keep)
    schema.update(merged)
