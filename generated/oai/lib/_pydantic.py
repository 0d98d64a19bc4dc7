"""A pydantic model as the strict JSON Schema that structured outputs ask for.

Structured outputs (``response_format`` / ``text.format`` with ``strict: true``,
and strict function tools) accept a subset of JSON Schema: every object lists
all of its properties as ``required`` and sets ``additionalProperties: false``,
and a few keywords are not allowed. :func:`to_strict_json_schema` turns the
schema pydantic writes for a model into that form:

* every object gets ``additionalProperties: false`` and all its properties
  ``required`` (an optional field stays nullable: ``anyOf [..., null]``);
* ``oneOf`` (what pydantic writes for a discriminated union) becomes
  ``anyOf``, and the ``discriminator`` annotation goes: the members are
  disjoint, so the meaning is the same in the subset strict mode accepts;
* ``default`` goes (every field is required, so a default never applies);
* a ``$ref`` with sibling keywords (a described nested model) is inlined;
  a single-member ``allOf`` is unwrapped.

What strict mode cannot say raises :class:`StrictSchemaError` naming the
field: a mapping with free-form keys (``dict[str, X]``), a model that allows
extra fields, a field without a type (``Any``).
"""

from __future__ import annotations

import inspect
from typing import Any, TypeGuard, cast

import pydantic

__all__ = ["StrictSchemaError", "is_basemodel_type", "is_dataclass_like_type", "to_strict_json_schema"]


class StrictSchemaError(TypeError):
    """A model that strict structured outputs cannot express; the message names the field and why."""

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(message)
        self.path = path


def is_basemodel_type(tp: object) -> TypeGuard[type[pydantic.BaseModel]]:
    return inspect.isclass(tp) and issubclass(tp, pydantic.BaseModel)


def is_dataclass_like_type(tp: object) -> bool:
    """A ``@pydantic.dataclasses.dataclass`` (or another class pydantic can build a schema for)."""
    return inspect.isclass(tp) and hasattr(tp, "__pydantic_config__")


def to_strict_json_schema(model: type[pydantic.BaseModel] | pydantic.TypeAdapter[Any]) -> dict[str, Any]:
    """The strict JSON Schema of ``model`` (a pydantic model class or a ``TypeAdapter``)."""
    if is_basemodel_type(model):
        schema = model.model_json_schema()
        name = model.__name__
    elif isinstance(model, pydantic.TypeAdapter):
        schema = model.json_schema()
        name = str(schema.get("title") or "the type")
    else:
        raise TypeError(f"Expected a pydantic model class or a TypeAdapter, got {model!r}")
    if schema.get("type") != "object":
        raise StrictSchemaError(
            f"{name}: a structured output must be a JSON object at the top level, not {schema.get('type') or schema}",
            path=name,
        )
    return _Strictifier(schema, name).visit(schema, name)


class _Strictifier:
    def __init__(self, root: dict[str, Any], name: str) -> None:
        self.root = root
        self.name = name
        self.done: set[str] = set()  # $defs already made strict

    def visit(self, schema: object, path: str) -> dict[str, Any]:
        if not isinstance(schema, dict):
            raise StrictSchemaError(f"{path}: expected a JSON Schema object, got {schema!r}", path=path)
        node = cast("dict[str, Any]", schema)

        defs = node.get("$defs")
        if isinstance(defs, dict):
            for def_name, definition in cast("dict[str, Any]", defs).items():
                if def_name not in self.done:
                    self.done.add(def_name)
                    self.visit(definition, def_name)

        ref = node.get("$ref")
        if isinstance(ref, str) and len(node) > 1:
            # A $ref may not have siblings (a description on a nested model): inline the target,
            # the siblings winning, then make the result strict like any other object.
            target = self._resolve(ref, path)
            merged = {**target, **node}
            del merged["$ref"]
            node.clear()
            node.update(merged)
            return self.visit(node, path)
        if isinstance(ref, str):
            return node

        if "oneOf" in node:
            node["anyOf"] = node.pop("oneOf")
            node.pop("discriminator", None)
        node.pop("default", None)

        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(cast("list[Any]", all_of)) == 1:
            (only,) = cast("list[Any]", node.pop("allOf"))
            node.update(self.visit(only, path))

        if node.get("type") == "object" or "properties" in node:
            self._object(node, path)
        elif _untyped(node):
            raise StrictSchemaError(
                f"{path}: the field has no type (Any or a bare object); strict structured outputs need every "
                "value's type to be declared",
                path=path,
            )

        items: object = node.get("items")
        if isinstance(items, dict):
            node["items"] = self.visit(cast("dict[str, Any]", items), f"{path}[]")
        for key in ("anyOf", "allOf", "prefixItems"):
            members = node.get(key)
            if isinstance(members, list):
                node[key] = [self.visit(m, path) for m in cast("list[Any]", members)]
        return node

    def _object(self, node: dict[str, Any], path: str) -> None:
        extra = node.get("additionalProperties", False)
        if extra is not False:
            if isinstance(extra, dict) or "properties" not in node:
                why = "a mapping with free-form keys (dict[str, ...])"
            else:
                why = "a model that allows extra fields (extra='allow')"
            raise StrictSchemaError(
                f"{path}: {why} cannot be expressed in strict structured outputs, which need every key "
                "declared; use a model with named fields instead",
                path=path,
            )
        node["additionalProperties"] = False
        properties = node.get("properties")
        if not isinstance(properties, dict):
            properties = {}
            node["properties"] = properties
        props = cast("dict[str, Any]", properties)
        node["required"] = list(props)
        for key, value in props.items():
            props[key] = self.visit(value, f"{path}.{key}")

    def _resolve(self, ref: str, path: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise StrictSchemaError(f"{path}: cannot follow $ref {ref!r} (only local references)", path=path)
        found: dict[str, Any] = self.root
        for part in ref[2:].split("/"):
            step: object = found.get(part)
            if not isinstance(step, dict):
                raise StrictSchemaError(f"{path}: $ref {ref!r} does not resolve to a schema", path=path)
            found = cast("dict[str, Any]", step)
        return dict(found)


_TYPE_KEYWORDS = ("type", "anyOf", "oneOf", "allOf", "$ref", "enum", "const", "properties", "items")


def _untyped(node: dict[str, Any]) -> bool:
    return not any(key in node for key in _TYPE_KEYWORDS)
