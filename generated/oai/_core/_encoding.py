"""Request bodies as JSON bytes.

The body a generated method hands to the client is a plain dict of the
caller's values: strings, numbers, TypedDicts, pydantic models the caller
built, dates, and ``NOT_GIVEN`` where an argument was left out. ``encode_json``
turns it into compact UTF-8 JSON (RFC 8259 section 8.1: JSON exchanged between
systems is UTF-8), leaving out every ``NOT_GIVEN``/``Omit`` value at any depth,
exactly as the top level leaves out arguments that were not given.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, cast

import pydantic

from ._types import NotGiven, Omit

__all__ = ["encode_json"]


class _NestedNotGiven(Exception):
    """A ``NOT_GIVEN`` (or ``Omit()``) inside a body value: the key that holds it must be left out."""


def _json_default(value: object) -> object:
    """What ``json.dumps`` cannot encode by itself: models (as sent by the caller), dates, ``NOT_GIVEN``."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", exclude_unset=True, by_alias=True)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (NotGiven, Omit)):
        raise _NestedNotGiven  # dropped by encode_json, which then encodes again without it
    if isinstance(value, (set, frozenset, tuple)):
        return list(cast("set[Any]", value))
    if isinstance(value, bytes):
        return value.decode()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _without_not_given(value: object) -> object:
    if isinstance(value, dict):
        return {
            k: _without_not_given(v)
            for k, v in cast("dict[Any, Any]", value).items()
            if not isinstance(v, (NotGiven, Omit))
        }
    if isinstance(value, (list, tuple)):
        return [_without_not_given(v) for v in cast("list[Any]", value) if not isinstance(v, (NotGiven, Omit))]
    return value


def encode_json(body: object) -> bytes:
    """The body as compact UTF-8 JSON. ``NOT_GIVEN`` values nested in it are left out, as at the top level:
    found while encoding (so a body without any costs nothing extra), then encoded again without them."""
    try:
        return json.dumps(body, default=_json_default, ensure_ascii=False, separators=(",", ":")).encode()
    except _NestedNotGiven:
        body = _without_not_given(body)
    return json.dumps(body, default=_json_default, ensure_ascii=False, separators=(",", ":")).encode()
