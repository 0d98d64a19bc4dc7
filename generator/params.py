"""Request-side types: our own JSON Schema -> Python renderer for oai/types/_params.py.

Every component schema a request reaches becomes ``<Name>Param`` (a
``TypedDict`` for objects, a type alias otherwise); inline objects get a name
built from where they sit (``CreateChatCompletionRequestWebSearchOptionsParam``).
Arrays are ``Sequence[...]`` (covariant, so a list of a union member is
accepted), maps are ``dict[str, ...]``, enums are ``Literal[...]`` and
``format: binary`` is the core's ``FileTypes``.
"""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

import json
from typing import Any

from .ir import Name, ParamDef, PyType, TypedDictField
from .naming import pascal
from .specutil import flatten_object, resolve_ref, schema_name

OBJECT = PyType("object")
NONE = PyType("None")
_SCALARS = {
    "string": PyType("str"),
    "integer": PyType("int"),
    "number": PyType("float"),
    "boolean": PyType("bool"),
    "null": NONE,
}
FILE_TYPES = PyType("FileTypes", frozenset({Name("core", "FileTypes")}))


def py_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return "None"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def literal_type(values: list[Any]) -> PyType:
    unique: list[str] = []
    for value in values:
        text = py_literal(value)
        if text not in unique:
            unique.append(text)
    return PyType(f"Literal[{', '.join(unique)}]", frozenset({Name("typing", "Literal")}))


def union(parts: list[PyType]) -> PyType:
    """``A | B | None`` with duplicates removed and ``None`` last."""
    flat: list[str] = []
    names: set[Name] = set()
    for part in parts:
        names |= part.names
        for piece in _split_union(part.expr):
            if piece not in flat:
                flat.append(piece)
    if "None" in flat:
        flat = [p for p in flat if p != "None"] + ["None"]
    if "object" in flat:  # object absorbs every other member
        flat = ["object"] + (["None"] if "None" in flat else [])
    return PyType(" | ".join(flat), frozenset(names))


def _split_union(expr: str) -> list[str]:
    """Split a type expression on top-level ``|``."""
    parts: list[str] = []
    depth = 0
    current = ""
    in_string = False
    for char in expr:
        if char == '"':
            in_string = not in_string
        elif not in_string:
            if char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
            elif char == "|" and depth == 0:
                parts.append(current.strip())
                current = ""
                continue
        current += char
    parts.append(current.strip())
    return parts


def _prune(names: frozenset[Name], expr: str) -> frozenset[Name]:
    """Keep only the names still present in ``expr`` (after unions absorbed some)."""
    return frozenset(
        n
        for n in names
        if n.name in expr.replace("[", " ").replace("]", " ").replace(",", " ").replace("|", " ").split()
    )


class ParamTypes:
    """Builds the ``_params.py`` definitions on demand, in dependency order."""

    def __init__(self, doc: dict[str, Any], model_names: set[str]) -> None:
        self.doc = doc
        self.schemas: dict[str, Any] = doc.get("components", {}).get("schemas", {})
        self._model_names = model_names
        self._defs: dict[str, ParamDef] = {}
        self._order: list[str] = []
        self._in_progress: set[str] = set()
        self._component_names = self._assign_component_names()
        self._reserved = set(self._component_names.values()) | model_names

    # -- public ---------------------------------------------------------------------------

    @property
    def definitions(self) -> list[ParamDef]:
        return [self._defs[name] for name in self._order]

    def component_names(self) -> list[str]:
        """The ``...Param`` name of every component (whether or not a request uses it)."""
        return list(self._component_names.values())

    def definition(self, name: str) -> ParamDef | None:
        """The definition of a request type made so far (None for any other name)."""
        return self._defs.get(name)

    def add_definition(self, definition: ParamDef) -> None:
        """A request type made elsewhere (generator/official_types.py: an operation's arguments as one TypedDict)."""
        if definition.name in self._defs:
            raise ValueError(f"request type {definition.name!r} defined twice")
        self._defs[definition.name] = definition
        self._order.append(definition.name)

    def param_name(self, component: str) -> str:
        return self._component_names[component]

    def _assign_component_names(self) -> dict[str, str]:
        """``<Name>Param`` for every component, unique and never a model's name.

        A component already called ``...Param`` keeps its name unless a model has it;
        the others get ``Param`` appended, or ``InputParam`` when that is taken
        (``FunctionTool`` next to a ``FunctionToolParam`` component).
        """
        names: dict[str, str] = {}
        claimed = set(self._model_names)
        bases = {c: (c if c.isidentifier() else pascal(c)) for c in self.schemas}
        for component in sorted(self.schemas):
            base = bases[component]
            if base.endswith("Param") and base not in claimed:
                names[component] = base
                claimed.add(base)
        for component in sorted(self.schemas):
            if component in names:
                continue
            base = bases[component]
            candidates = [f"{base}Param", f"{base}InputParam"]
            candidates += [f"{base}Input{n}Param" for n in range(2, 100)]
            names[component] = next(c for c in candidates if c not in claimed)
            claimed.add(names[component])
        return names

    def type_of(self, schema: Any, hint: str) -> PyType:
        """The request-side type of ``schema``; ``hint`` names inline objects (without "Param")."""
        result = self._type_of(schema, hint)
        return PyType(result.expr, _prune(result.names, result.expr))

    def object_fields(
        self, schema: dict[str, Any], hint: str, owner: str | None = None
    ) -> tuple[list[TypedDictField], Any]:
        """Fields of an object schema (``allOf`` merged); used for TypedDicts and method parameters."""
        flat = flatten_object(self.doc, schema, owner)
        fields: list[TypedDictField] = []
        for name, prop in flat.properties.items():
            prop_schema = prop.schema if isinstance(prop.schema, dict) else {}
            if prop_schema.get("readOnly"):
                continue
            fields.append(
                TypedDictField(
                    name=name,
                    type=self.type_of(prop.schema, hint + pascal(name)),
                    required=name in flat.required,
                    description=prop.description,
                    deprecated=bool(prop_schema.get("deprecated")),
                )
            )
        return fields, flat

    # -- internals ------------------------------------------------------------------------

    def _type_of(self, schema: Any, hint: str) -> PyType:
        if schema is True or schema is None or schema == {}:
            return OBJECT
        if not isinstance(schema, dict):
            return OBJECT
        nullable = schema.get("nullable") is True
        result = self._base_type(schema, hint)
        if nullable:
            result = union([result, NONE])
        return result

    def _base_type(self, schema: dict[str, Any], hint: str) -> PyType:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = schema_name(ref)
            if name is None:
                return self._type_of(resolve_ref(self.doc, ref), hint)
            return self._component(name)
        if "const" in schema:
            return literal_type([schema["const"]])
        if isinstance(schema.get("enum"), list):
            values = [v for v in schema["enum"] if v is not None]
            result = literal_type(values) if values else NONE
            return union([result, NONE]) if None in schema["enum"] else result
        variants = schema.get("anyOf") or schema.get("oneOf")
        if isinstance(variants, list) and variants:
            # Inline members get their own names only when there are several of them.
            inline = [v for v in variants if isinstance(v, dict) and "$ref" not in v and v.get("type") != "null"]
            parts = [
                self._type_of(v, self._variant_hint(v, hint, i) if len(inline) > 1 else hint)
                for i, v in enumerate(variants)
            ]
            return union(parts)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and not schema.get("properties"):
            return self._type_of(all_of[0], hint)
        schema_type = schema.get("type")
        if isinstance(schema_type, list):
            return union([self._base_type({**schema, "type": t}, hint) for t in schema_type])
        if all_of or schema.get("properties") or schema_type == "object":
            if all_of or schema.get("properties"):
                return self._define_inline(hint, schema)
            extra = schema.get("additionalProperties", True)
            value = OBJECT if extra is True or extra is False else self._type_of(extra, hint + "Value")
            return PyType(f"dict[str, {value.expr}]", value.names)
        if schema_type == "array":
            item = self._type_of(schema.get("items", {}), hint + "Item")
            return PyType(f"Sequence[{item.expr}]", item.names | {Name("collections.abc", "Sequence")})
        if schema_type == "string" and schema.get("format") == "binary":
            return FILE_TYPES
        if isinstance(schema_type, str) and schema_type in _SCALARS:
            return _SCALARS[schema_type]
        return OBJECT

    def _variant_hint(self, variant: Any, hint: str, index: int) -> str:
        """Inline union members are named after their tag (``type: "text"`` -> ``...Text``) when they have one."""
        if isinstance(variant, dict):
            for key in ("type", "role", "object"):
                prop = (variant.get("properties") or {}).get(key)
                if isinstance(prop, dict):
                    values = prop.get("enum") or ([prop["const"]] if "const" in prop else [])
                    if len(values) == 1 and isinstance(values[0], str):
                        return hint + pascal(values[0])
        return f"{hint}Variant{index + 1}"

    def _component(self, component: str) -> PyType:
        name = self.param_name(component)
        ref = PyType(name, frozenset({Name("params", name)}))
        if name in self._defs or name in self._in_progress:
            return ref
        schema = self.schemas.get(component)
        if schema is None:
            raise KeyError(component)
        self._define(name, schema, component)
        return ref

    def _define_inline(self, hint: str, schema: dict[str, Any]) -> PyType:
        name = hint + "Param"
        if name in self._reserved or name in self._defs or name in self._in_progress:
            base, number = name, 2
            while name in self._reserved or name in self._defs or name in self._in_progress:
                name = f"{base[: -len('Param')]}{number}Param"
                number += 1
        self._define(name, schema, None)
        return PyType(name, frozenset({Name("params", name)}))

    def _define(self, name: str, schema: dict[str, Any], component: str | None) -> None:
        self._in_progress.add(name)
        description = schema.get("description") if isinstance(schema.get("description"), str) else None
        is_object = bool(schema.get("properties")) or (
            bool(schema.get("allOf")) and not schema.get("anyOf") and not schema.get("oneOf")
        )
        if is_object:
            fields, _ = self.object_fields(schema, name[: -len("Param")], component)
            definition = ParamDef(name=name, kind="typeddict", description=description, fields=tuple(fields))
        else:
            base = self._base_type(schema, name[: -len("Param")])
            alias = union([base, NONE]) if schema.get("nullable") is True else base
            alias = PyType(alias.expr, _prune(alias.names, alias.expr))
            pending = {n.name for n in alias.names if n.origin == "params"} - set(self._order)
            definition = ParamDef(
                name=name, kind="alias", description=description, alias=alias, quote_alias=bool(pending)
            )
        self._in_progress.discard(name)
        self._defs[name] = definition
        self._order.append(name)
