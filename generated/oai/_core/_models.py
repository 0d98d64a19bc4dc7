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
import sys
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeGuard, TypeVar, cast

import pydantic
from pydantic import ConfigDict, TypeAdapter, ValidationError

__all__ = [
    "BaseModel",
    "UnknownVariant",
    "construct_lenient",
    "parse_model",
    "parse_model_json",
    "tagged_union",
    "with_output_text",
    "with_reasoning",
]

_T = TypeVar("_T")

_PRIVATE_SLOT: Any = pydantic.BaseModel.__dict__["__pydantic_private__"]
"""pydantic's own slot for an instance's private values (a member descriptor)."""


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

    # ``_request_id`` is not a pydantic ``PrivateAttr``: declaring one makes pydantic run a
    # Python ``model_post_init`` for every instance, nested ones included, which more than
    # doubled the cost of validating a stream chunk (3 models: 6.5 µs instead of 2.8 µs).
    # Instead the private dict is created on first access, and ``_request_id`` reads it.

    def _private_dict(self) -> dict[str, Any]:
        private = _PRIVATE_SLOT.__get__(self, type(self))
        if private is None:
            private = {}
            _PRIVATE_SLOT.__set__(self, private)
        return cast("dict[str, Any]", private)

    # The setter is the slot's own (C) ``__set__``: pydantic-core sets ``__pydantic_private__`` on every
    # model it builds (about three per stream chunk), and a Python setter cost ~1,000 instructions each.
    __pydantic_private__ = property(_private_dict, _PRIVATE_SLOT.__set__)  # pyright: ignore[reportIncompatibleVariableOverride, reportAssignmentType]

    @property
    def _request_id(self) -> str | None:
        """The ``x-request-id`` of the response this model came from (set on top-level results)."""
        return self._private_dict().get("_request_id")

    @_request_id.setter
    def _request_id(self, value: str | None) -> None:
        self._private_dict()["_request_id"] = value

    def to_dict(self, *, exclude_unset: bool = True, by_alias: bool = True) -> dict[str, Any]:
        """The model as plain JSON-compatible Python data (wire names by default)."""
        return self.model_dump(mode="json", exclude_unset=exclude_unset, by_alias=by_alias)

    def to_json(self, *, indent: int | None = 2, exclude_unset: bool = True) -> str:
        """The model as a JSON string, with the field names used on the wire."""
        return self.model_dump_json(indent=indent, exclude_unset=exclude_unset, by_alias=True)


class UnknownVariant(BaseModel):
    """A member of a tagged union whose tag this SDK does not know yet.

    Servers add new event and item types before the spec lists them; such a
    value is kept as this model (every field as sent, ``type`` when it is a
    string) instead of failing or being forced into a wrong member.
    """

    type: str | None = None


_M = TypeVar("_M", bound=pydantic.BaseModel)


def _field(obj: object, name: str) -> Any:
    """A field of a model, or a key of a dict (what lenient parsing keeps when nothing fits)."""
    if isinstance(obj, Mapping):
        return cast("Mapping[str, Any]", obj).get(name)
    return getattr(obj, name, None)


def _output_text(self: pydantic.BaseModel) -> str:
    extra = self.__pydantic_extra__
    sent = extra.get("output_text") if extra else None
    if isinstance(sent, str):
        return sent
    output = self.__dict__.get("output")
    if not isinstance(output, list):
        return ""
    texts: list[str] = []
    for item in cast("list[Any]", output):
        if _field(item, "type") != "message":
            continue
        for part in _field(item, "content") or ():
            text = _field(part, "text")
            if _field(part, "type") == "output_text" and isinstance(text, str):
                texts.append(text)
    return "".join(texts)


def _set_output_text(self: pydantic.BaseModel, value: str) -> None:
    extra = self.__pydantic_extra__
    if extra is None:
        extra = self.__pydantic_extra__ = {}
    extra["output_text"] = value


def with_output_text(cls: type[_M]) -> type[_M]:
    """Class decorator for the Responses API's response models: ``output_text`` reads as the text of
    every ``output_text`` part of the ``message`` items in ``output``, joined (``""`` when there is none),
    as the official SDK's does.

    The spec lists ``output_text`` as a field, but servers do not send it: the
    official SDK computes it, and code such as ``print(response.output_text)``
    relies on that. The generator declares it ``str`` for type checkers and no pydantic
    field: a string the server does send is kept as an extra and returned as is; dumps and
    JSON keep exactly what was sent.
    """
    type.__setattr__(cls, "output_text", property(_output_text, _set_output_text))
    return cls


def _reasoning_property(name: str) -> property:
    def read(self: pydantic.BaseModel) -> str | None:
        extra = self.__pydantic_extra__
        if not extra:
            return None
        value = extra.get("reasoning_content")
        if value is None:
            value = extra.get("reasoning")
        return value if isinstance(value, str) else None

    def write(self: pydantic.BaseModel, value: str | None) -> None:
        extra = self.__pydantic_extra__
        if extra is None:
            extra = self.__pydantic_extra__ = {}
        extra[name] = value

    return property(read, write, doc="The reasoning text, whichever of reasoning_content / reasoning was sent.")


def with_reasoning(cls: type[_M]) -> type[_M]:
    """Class decorator for chat messages and deltas: ``reasoning_content`` and ``reasoning`` read as one field.

    OpenAI-compatible servers send a model's reasoning under one of two names
    that the spec does not list: ``reasoning_content`` (DeepSeek, vLLM,
    llama.cpp) or ``reasoning`` (OpenRouter, Ollama). Either attribute returns
    whichever was sent (a string, else ``None``), so code reads the same
    against every server; dumps and JSON keep exactly what was sent.
    """
    type.__setattr__(cls, "reasoning_content", _reasoning_property("reasoning_content"))
    type.__setattr__(cls, "reasoning", _reasoning_property("reasoning"))
    return cls


@cache
def _adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def _is_model_class(tp: object) -> TypeGuard[type[pydantic.BaseModel]]:
    return isinstance(tp, type) and issubclass(tp, pydantic.BaseModel)


def parse_model_json(
    tp: type[_T] | Any, raw: bytes | str, *, unknown: type[BaseModel] | None = None, strict: bool = False
) -> _T:
    """Parse a JSON document into ``tp``: fast validation, lenient fallback.

    Raises ``json.JSONDecodeError`` (a ``ValueError``) when ``raw`` is not
    JSON at all; never raises because the JSON does not fit the schema,
    unless ``strict`` (then pydantic's ``ValidationError``).
    When ``tp`` is a tagged union and the document's tag is one no member
    has, the result is ``unknown`` (default :class:`UnknownVariant`).
    """
    try:
        if _is_model_class(tp):
            return cast("_T", tp.model_validate_json(raw))
        return cast("_T", _adapter(tp).validate_json(raw))
    except ValidationError as exc:
        if strict and not _is_json_error(exc):
            raise
        data = json.loads(raw)
    return cast("_T", construct_lenient(tp, data, unknown=unknown))


def _is_json_error(exc: ValidationError) -> bool:
    """Whether pydantic failed on the JSON itself (not on its fit to the type)."""
    return any(error.get("type") == "json_invalid" for error in exc.errors())


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
        if _is_type_alias(tp):
            tp = _alias_value(tp)
            continue
        if _is_model_class(tp) and issubclass(tp, pydantic.RootModel):
            tp = tp.model_fields["root"].annotation
            continue
        return tp


def _is_type_alias(tp: object) -> bool:
    # A PEP 695 / typing_extensions TypeAliasType.
    return type(tp).__name__ == "TypeAliasType" and getattr(tp, "__value__", None) is not None


@cache
def _alias_value(alias: Any) -> Any:
    """What a type alias stands for, with its quoted forward references resolved.

    Generated unions name members defined later (``"ToolSearchOutput"``);
    pydantic resolves those when it builds a validator, but the lenient path
    walks the types itself, so it resolves them the same way: by name, in the
    module that defines the alias.
    """
    module = sys.modules.get(getattr(alias, "__module__", ""), None)
    return _resolve_refs(alias.__value__, vars(module) if module is not None else {})


def _resolve_refs(tp: Any, namespace: dict[str, Any]) -> Any:
    if isinstance(tp, str):
        tp = typing.ForwardRef(tp)
    if isinstance(tp, typing.ForwardRef):
        try:
            return eval(tp.__forward_arg__, namespace)  # noqa: S307 - names from our own generated modules
        except Exception:  # an unresolvable name: treat the value as untyped rather than fail
            return Any
    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if not args or origin is typing.Literal:
        return tp
    if origin is typing.Annotated:
        return typing.Annotated[(_resolve_refs(args[0], namespace), *tp.__metadata__)]
    resolved = tuple(_resolve_refs(arg, namespace) for arg in args)
    if resolved == args:
        return tp
    if origin in (typing.Union, types.UnionType):
        return typing.Union[resolved]  # noqa: UP007 - built from a tuple at run time
    if isinstance(tp, types.GenericAlias):
        return types.GenericAlias(origin, resolved)
    copy_with = getattr(tp, "copy_with", None)
    return copy_with(resolved) if copy_with is not None else tp


def _fits(tp: Any, value: object) -> bool:
    try:
        _adapter(tp).validate_python(value)
    except (ValidationError, TypeError, pydantic.PydanticSchemaGenerationError, pydantic.PydanticUserError):
        return False
    return True


def construct_lenient(tp: Any, value: object, *, unknown: type[BaseModel] | None = None) -> Any:
    """Build ``value`` into ``tp`` without rejecting anything.

    Models are built field by field. A tagged union (see
    :func:`tagged_union`) takes the member its tag names, or ``unknown``
    (default :class:`UnknownVariant`) for a tag no member has; another
    union takes the first member the value validates against, else the
    first model member when the value is an object; anything that does not
    fit is kept as it came.
    """
    tagged = tagged_union(tp)
    if tagged is not None and isinstance(value, Mapping):
        key, members_by_tag = tagged
        data = cast("Mapping[str, Any]", value)
        tag = data.get(key)
        member = members_by_tag.get(tag) if isinstance(tag, (str, int, bool)) else None
        if member is not None:
            return construct_lenient(member, data)
        return _unknown_variant(unknown or UnknownVariant, data)
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
            data = cast("Mapping[str, Any]", value)
            for member in members:
                if _is_model_class(_strip(member)):
                    return construct_lenient(member, data)
            return data
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
    fields_set = set(values) - {
        n for n, f in model.model_fields.items() if f.is_required() and n not in used and (f.alias or n) not in used
    }
    extra = {k: v for k, v in data.items() if k not in used}
    return model.model_construct(_fields_set=fields_set, **values, **extra)


def _unknown_variant(model: type[BaseModel], data: Mapping[str, Any]) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError:  # e.g. a "type" that is not a string: keep everything as sent
        return model.model_construct(**{str(k): v for k, v in data.items()})


def _literal_values(tp: Any) -> tuple[object, ...] | None:
    tp = _strip(tp)
    if typing.get_origin(tp) is typing.Literal:
        return typing.get_args(tp)
    return None


def _union_parts(tp: Any) -> tuple[tuple[Any, ...], str | None] | None:
    """A union's members and its declared discriminator field (if any), looking through wrappers."""
    discriminator: str | None = None
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            args = typing.get_args(tp)
            for meta in args[1:]:
                found = getattr(meta, "discriminator", None)
                if isinstance(found, str):
                    discriminator = found
            tp = args[0]
            continue
        if _is_type_alias(tp):
            tp = _alias_value(tp)
            continue
        if _is_model_class(tp) and issubclass(tp, pydantic.RootModel):
            field = tp.model_fields["root"]
            if isinstance(field.discriminator, str):
                discriminator = field.discriminator
            tp = field.annotation
            continue
        break
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return None
    return tuple(m for m in typing.get_args(tp) if m is not type(None)), discriminator


def _flat_members(members: tuple[Any, ...], depth: int = 0) -> list[Any]:
    """Union members with nested unions expanded (``A | (B | C)``: the Assistants events nest so)."""
    flat: list[Any] = []
    for member in members:
        inner = _union_parts(member) if depth < 8 else None
        if inner is not None and not _is_model_class(_strip(member)):
            flat.extend(_flat_members(inner[0], depth + 1))
        else:
            flat.append(member)
    return flat


def _members_by_tag(members: list[Any], field_name: str) -> tuple[str, dict[object, Any]] | None:
    key: str | None = None
    by_tag: dict[object, Any] = {}
    for member in members:
        model = _strip(member)
        if not _is_model_class(model):
            return None
        field = model.model_fields.get(field_name)
        if field is None:
            return None
        wire = field.alias or field_name
        if key is None:
            key = wire
        elif key != wire:
            return None
        tags = _literal_values(field.annotation)
        if not tags:
            return None
        for tag in tags:
            by_tag.setdefault(tag, member)
    if key is None:
        return None
    return key, by_tag


_TAG_FIELDS = ("type", "event")
"""Fields tried, in order, as the tag of a union that declares no discriminator."""


@cache
def _tagged_union_cached(tp: Any) -> tuple[str, dict[object, Any]] | None:
    parts = _union_parts(tp)
    if parts is None:
        return None
    members, discriminator = parts
    flat = _flat_members(members)
    for field_name in (discriminator,) if discriminator else _TAG_FIELDS:
        found = _members_by_tag(flat, field_name)
        if found is not None:
            return found
    return None


def tagged_union(tp: Any) -> tuple[str, dict[object, Any]] | None:
    """``(tag key on the wire, {tag value: member})`` when ``tp`` is a union of models told apart by a tag.

    The tag is the union's declared discriminator, or else a ``type`` (then an
    ``event``) field that every member declares as a ``Literal``, which is how
    the OpenAI spec shapes its event and item unions; members that are unions
    themselves count by their own members. ``None`` for anything else.
    """
    try:
        return _tagged_union_cached(tp)
    except TypeError:  # an unhashable annotation
        return None
