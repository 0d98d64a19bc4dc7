"""Request bodies as JSON bytes, and the rare body that is not JSON (raw content, a urlencoded form).

The body a generated method hands to the client is a plain dict of the
caller's values: strings, numbers, TypedDicts, pydantic models the caller
built, dates, and ``NOT_GIVEN`` where an argument was left out. ``encode_json``
turns it into compact UTF-8 JSON (RFC 8259 section 8.1: JSON exchanged between
systems is UTF-8), leaving out every ``NOT_GIVEN``/``Omit`` value at any depth,
exactly as the top level leaves out arguments that were not given.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import pydantic

from ._types import NotGiven, Omit

__all__ = ["FORM_URLENCODED", "EncodedBody", "encode_body", "encode_json", "form_body", "raw_body"]


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


# -- bodies that are not JSON ------------------------------------------------------------------------------------------


class EncodedBody:
    """A request body the client sends as it is, with its own content type (see :func:`raw_body`, :func:`form_body`)."""

    __slots__ = ("content", "content_type", "fields")

    def __init__(
        self, content_type: str, *, content: object = None, fields: Mapping[str, object] | None = None
    ) -> None:
        self.content_type = content_type
        self.content = content
        self.fields = fields


def raw_body(content: object, content_type: str) -> EncodedBody:
    """``content`` (bytes, text, a binary file or a path) as the whole body, sent as ``content_type``.

    For operations whose body is not JSON or a form: a binary upload (``application/octet-stream``),
    plain text, a document in another format.
    """
    return EncodedBody(content_type, content=content)


def form_body(fields: Mapping[str, object]) -> EncodedBody:
    """``fields`` sent as ``application/x-www-form-urlencoded`` (``NOT_GIVEN`` and ``None`` left out, lists as
    ``key[]=a&key[]=b`` and objects as ``key[sub]=v``, as in query strings)."""
    return EncodedBody(FORM_URLENCODED, fields=fields)


FORM_URLENCODED = "application/x-www-form-urlencoded"


def encode_body(body: EncodedBody, extra_body: Mapping[str, object] | None) -> bytes:
    """The bytes of ``body``: a form's fields (with ``extra_body``) urlencoded, or the raw content."""
    if body.fields is not None:
        from urllib.parse import urlencode

        from ._files import flatten_fields

        merged = {**body.fields, **(extra_body or {})}
        return urlencode(flatten_fields(merged)).encode()
    if extra_body:
        raise TypeError(f"extra_body cannot be merged into a {body.content_type} body: it is sent as it is")
    content = body.content
    if isinstance(content, bytes):
        return content
    if isinstance(content, (bytearray, memoryview)):
        return bytes(cast("bytearray", content))  # a memoryview converts the same way
    if isinstance(content, str):
        return content.encode()
    if isinstance(content, os.PathLike):
        return Path(cast("os.PathLike[str]", content)).read_bytes()
    read = getattr(content, "read", None)
    if callable(read):
        data = read()
        return data.encode() if isinstance(data, str) else bytes(cast("bytes", data))
    raise TypeError(
        f"a {body.content_type} body must be bytes, str, a binary file or a path, got {type(content).__name__}"
    )
