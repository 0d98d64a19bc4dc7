"""Small helpers over an OpenAPI document held as plain dicts."""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .config import HTTP_METHODS, OperationConfig

SCHEMA_REF_PREFIX = "#/components/schemas/"

CONSTRAINT_KEYWORDS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
)
"""JSON Schema's validation keywords for numbers, strings, arrays and objects (facts the spec sync keeps
and the diff compares)."""


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def resolve_ref(doc: dict[str, Any], ref: str) -> Any:
    """Follow a local ``#/...`` reference. Raises ``KeyError`` naming the missing part."""
    if not ref.startswith("#"):
        raise KeyError(f"only local references are supported, got {ref!r}")
    node: Any = doc
    for token in ref[1:].split("/")[1:]:
        key = unescape_token(token)
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            raise KeyError(ref)
    return node


def schema_name(ref: str) -> str | None:
    """``#/components/schemas/Foo`` -> ``Foo``; other references -> None."""
    if ref.startswith(SCHEMA_REF_PREFIX):
        return unescape_token(ref[len(SCHEMA_REF_PREFIX) :])
    return None


def iter_operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (path, method, operation) in document order."""
    paths = doc.get("paths")
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield path, method, op


def find_operation(doc: dict[str, Any], selection: OperationConfig) -> tuple[str, str, dict[str, Any]] | None:
    for path, method, op in iter_operations(doc):
        if selection.operation_id is not None:
            if op.get("operationId") == selection.operation_id and (selection.path is None or selection.path == path):
                return path, method, op
        elif selection.path == path and selection.method == method:
            return path, method, op
    return None


def is_json_type(media_type: object) -> bool:
    """``application/json``, ``application/problem+json``, ``application/json; charset=utf-8``..."""
    if not isinstance(media_type, str):
        return False
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def json_media(content: dict[str, Any] | None) -> dict[str, Any] | None:
    """The ``application/json`` (or ``+json``) media type object of a content map; failing that, a
    wildcard (``*/*``, ``application/*``), which generated specs use for JSON."""
    if not content:
        return None
    for media_type, media in content.items():
        if is_json_type(media_type):
            return media if isinstance(media, dict) else {}
    for wildcard in ("*/*", "application/*"):
        if isinstance(content.get(wildcard), dict):
            return content[wildcard]
    return None


def body_media(content: dict[str, Any] | None) -> tuple[str, dict[str, Any]] | None:
    """The request body media type whose fields become method parameters, and its media object.

    ``multipart/form-data`` wins where an operation also takes JSON: files can only be uploaded
    that way, and it is the form the official SDK exposes (``images.edit(image=open(...))``).
    Then JSON, then whatever comes first.
    """
    if not content:
        return None
    media = content.get("multipart/form-data")
    if isinstance(media, dict):
        return "multipart/form-data", media
    for media_type, media in content.items():
        if is_json_type(media_type):
            return (media_type, media) if isinstance(media, dict) else None
    media_type, media = next(iter(content.items()))
    return (media_type, media) if isinstance(media, dict) else None


@dataclass
class FlatProperty:
    name: str
    schema: dict[str, Any]
    declared_in: str | None  # component name of the declaring schema (None: inline)
    description: str | None


@dataclass
class FlatObject:
    """An object schema with its ``allOf`` parts merged: the properties a payload may carry."""

    properties: dict[str, FlatProperty] = field(default_factory=lambda: {})
    required: list[str] = field(default_factory=lambda: [])
    additional: Any = None


def flatten_object(doc: dict[str, Any], schema: dict[str, Any], owner: str | None = None) -> FlatObject:
    """Merge ``allOf`` parts and followed ``$ref``s into one property list.

    Later parts win over earlier ones (the most derived declaration is the one
    that is meant), but a description is kept from an earlier part when the
    later declaration has none.
    """
    flat = FlatObject()
    _flatten_into(doc, schema, owner, flat, set())
    return flat


def _flatten_into(doc: dict[str, Any], schema: Any, owner: str | None, flat: FlatObject, seen: set[str]) -> None:
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if ref in seen:
            return
        target = resolve_ref(doc, ref)
        _flatten_into(doc, target, schema_name(ref), flat, seen | {ref})
    for part in schema.get("allOf") or []:
        _flatten_into(doc, part, owner, flat, seen)
    for name, prop in (schema.get("properties") or {}).items():
        previous = flat.properties.get(name)
        description = prop.get("description") if isinstance(prop, dict) else None
        if not isinstance(description, str):
            description = None
        if description is None and previous is not None:
            description = previous.description
        flat.properties[name] = FlatProperty(name, prop, owner, description)
    for name in schema.get("required") or []:
        if name not in flat.required:
            flat.required.append(name)
    if "additionalProperties" in schema:
        flat.additional = schema["additionalProperties"]


def escape_ref_name(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")
