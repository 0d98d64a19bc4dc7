"""The base of every response model, and the lenient way responses are parsed.

Two facts shape this module (measured on the official spec, see
``docs/architecture.md``):

* validating JSON bytes with pydantic-core (``model_validate_json``) is the
  fastest way from a response body to a model, about 2 µs for a stream event;
* the spec's ``required`` flags and enums do not match what real servers
  send, so strict validation alone would reject real responses.

So :func:`parse_model_json` validates first and, only when that fails, builds
the model leniently from the decoded JSON: every value the server sent is
kept, fields the server left out read as ``None``, and nested models are
still real model instances wherever the data fits them.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, TypeVar, cast

import pydantic
from pydantic import ConfigDict, PrivateAttr, TypeAdapter, ValidationError

__all__ = ["BaseModel", "construct_lenient", "parse_model", "parse_model_json"]

_T = TypeVar("_T")


class BaseModel(pydantic.BaseModel):
    """Base of the generated response models.

    ``extra="allow"`` keeps fields that servers add before the spec does;
    ``populate_by_name`` lets aliased fields (``schema_``) be set by name;
    ``defer_build`` leaves building each validator to its first use, so that
    importing many models costs little.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        defer_build=True,
        protected_namespaces=(),
    )

    _request_id: str | None = PrivateAttr(default=None)

    def to_dict(self, *, exclude_unset: bool = True, by_alias: bool = True) -> dict[str, Any]:
        """The model as plain JSON-compatible Python data (wire names by default)."""
        return self.model_dump(mode="json", exclude_unset=exclude_unset, by_alias=by_alias)

    def to_json(self, *, indent: int | None = 2, exclude_unset: bool = True) -> str:
        """The model as a JSON string, with the field names used on the wire."""
        return self.model_dump_json(indent=indent, exclude_unset=exclude_unset, by_alias=True)


@lru_cache(maxsize=None)
def _adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def _is_model_class(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, pydantic.BaseModel)


def parse_model_json(tp: type[_T] | Any, raw: bytes | str) -> _T:
    """Parse a JSON document into ``tp``: fast validation, lenient fallback.

    Raises ``json.JSONDecodeError`` (a ``ValueError``) when ``raw`` is not
    JSON at all; never raises because the JSON does not fit the schema.
    """
    try:
        if _is_model_class(tp):
            return cast("_T", tp.model_validate_json(raw))
        return cast("_T", _adapter(tp).validate_json(raw))
    except ValidationError:
        data = json.loads(raw)
    return cast("_T", construct_lenient(tp, data))


def parse_model(tp: type[_T] | Any, data: object) -> _T:
    """Like :func:`parse_model_json` for data that is already decoded."""
    try:
        if _is_model_class(tp):
            return cast("_T", tp.model_validate(data))
        return cast("_T", _adapter(tp).validate_python(data))
    except ValidationError:
        return cast("_T", construct_lenient(tp, data))


def _strip(tp: Any) -> Any:
    """Remove the wrappers that do not change what a value is made of."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        value = getattr(tp, "__value__", None)  # a PEP 695 / typing_extensions TypeAliasType
        if value is not None and type(tp).__name__ == "TypeAliasType":
            tp = value
            continue
        if _is_model_class(tp) and issubclass(tp, pydantic.RootModel):
            tp = tp.model_fields["root"].annotation
            continue
        return tp


def _fits(tp: Any, value: object) -> bool:
    try:
        _adapter(tp).validate_python(value)
    except (ValidationError, TypeError, pydantic.PydanticSchemaGenerationError):
        return False
    return True


def construct_lenient(tp: Any, value: object) -> Any:
    """Build ``value`` into ``tp`` without rejecting anything.

    Models are built field by field; a union takes the first member the value
    validates against, else the first model member when the value is an
    object; anything that does not fit is kept as it came.
    """
    tp = _strip(tp)
    if _is_model_class(tp) and isinstance(value, Mapping):
        return _construct_model(tp, cast("Mapping[str, Any]", value))
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(tp) if m is not type(None)]
        if value is None:
            return None
        for member in members:
            if _fits(member, value):
                return parse_model(member, value)
        if isinstance(value, Mapping):
            for member in members:
                if _is_model_class(_strip(member)):
                    return construct_lenient(member, value)
        return value
    if origin in (list, typing.List, tuple, set, frozenset) and isinstance(value, list):  # noqa: UP006
        args = typing.get_args(tp)
        item_tp = args[0] if args else Any
        return [construct_lenient(item_tp, item) for item in cast("list[Any]", value)]
    if origin in (dict, typing.Dict) and isinstance(value, Mapping):  # noqa: UP006
        args = typing.get_args(tp)
        val_tp = args[1] if len(args) == 2 else Any
        return {k: construct_lenient(val_tp, v) for k, v in cast("Mapping[str, Any]", value).items()}
    return value


def _construct_model(model: type[pydantic.BaseModel], data: Mapping[str, Any]) -> pydantic.BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError:
        pass
    values: dict[str, Any] = {}
    used: set[str] = set()
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key in data:
            values[name] = construct_lenient(field.annotation, data[key])
            used.add(key)
        elif name in data:
            values[name] = construct_lenient(field.annotation, data[name])
            used.add(name)
        elif field.is_required():
            values[name] = None
    fields_set = set(values) - {n for n, f in model.model_fields.items() if f.is_required() and n not in used and (f.alias or n) not in used}
    extra = {k: v for k, v in data.items() if k not in used}
    return model.model_construct(_fields_set=fields_set, **values, **extra)
