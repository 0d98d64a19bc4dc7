"""Small types shared by the whole package.

``NotGiven`` is what lets a method tell "the caller left this out" (the field
is not sent at all) apart from ``None`` (the field is sent as JSON ``null``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO, Any, Literal, TypeAlias, TypeVar, Union

import httpx
from typing_extensions import override

__all__ = [
    "NOT_GIVEN",
    "Body",
    "FileContent",
    "FileTypes",
    "Headers",
    "NoneType",
    "NotGiven",
    "Omit",
    "ProxiesTypes",
    "Query",
    "Timeout",
    "TimeoutTypes",
    "Transport",
    "is_given",
    "not_given",
    "omit",
]

_T = TypeVar("_T")


class NotGiven:
    """The type of :data:`NOT_GIVEN`, the default of every optional parameter.

    It is falsy, so ``if param:`` reads naturally, and it is never sent: the
    core drops every ``NOT_GIVEN`` value from request bodies, queries and
    headers before the request is built.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # One instance, so identity checks (``is NOT_GIVEN``) always work.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
not_given = NOT_GIVEN
"""The official SDK's newer spelling of :data:`NOT_GIVEN` (the same object)."""


class Omit(NotGiven):
    """Leaves something out: a header the client would otherwise send, or a body or query value.

    ``client.with_options(default_headers={"OpenAI-Organization": omit})``
    stops the organization header from being sent at all; ``temperature=omit``
    sends no ``temperature``, as ``NOT_GIVEN`` does. It is a ``NotGiven``, so
    ``omit`` type-checks wherever a parameter defaults to ``NOT_GIVEN``.
    """

    def __new__(cls) -> Omit:
        return object.__new__(cls)

    @override
    def __repr__(self) -> str:
        return "Omit()"

    @override
    def __reduce__(self) -> str:
        return "omit"


omit = Omit()
"""An :class:`Omit` to pass where something must be left out (the official SDK's ``omit``)."""


def is_given(value: object) -> bool:
    """Whether ``value`` was passed by the caller (is not ``NOT_GIVEN``)."""
    return value is not NOT_GIVEN


NoneType = type(None)
Transport = httpx.BaseTransport
"""What ``httpx.Client(transport=...)`` takes (the official SDK's ``openai.Transport``)."""
ProxiesTypes: TypeAlias = str | httpx.Proxy | dict[str, str | httpx.Proxy | None]

Headers: TypeAlias = Mapping[str, str | Omit]
Query: TypeAlias = Mapping[str, object]
Body: TypeAlias = object
Timeout = httpx.Timeout
"""httpx's timeout class, as the official SDK's ``openai.Timeout``: ``Timeout(60.0, connect=5.0)``."""
TimeoutTypes: TypeAlias = float | httpx.Timeout | None
"""What a ``timeout=`` takes: seconds, a :class:`Timeout`, or ``None`` for no limit."""

FileContent: TypeAlias = Union[IO[bytes], bytes, "os.PathLike[str]"]
FileTypes: TypeAlias = (
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
"""A file to upload: bytes, a path, a binary file object, or ``(filename, content[, content_type[, headers]])``."""

JSONObject: TypeAlias = dict[str, Any]
