"""Multipart uploads: file values into httpx parts, nested form fields into bracket keys.

A file value may be ``bytes``, a path (``os.PathLike``), an open binary file
object, or a tuple ``(filename, content[, content_type[, headers]])`` whose
content is any of the former. A path is read and sent under its own file name.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TypeAlias, cast

from ._types import NotGiven, Omit

__all__ = [
    "HttpxFiles",
    "async_to_httpx_files",
    "file_from_path",
    "fieldless_parts",
    "flatten_fields",
    "flatten_form",
    "has_parts",
    "to_httpx_files",
]

_Content: TypeAlias = IO[bytes] | bytes
HttpxFiles: TypeAlias = list[tuple[str, Any]]


def file_from_path(path: str | os.PathLike[str]) -> tuple[str, bytes]:
    """A file to upload, read now from ``path``: ``(its base name, its bytes)`` (the official SDK's helper)."""
    return (os.path.basename(os.fspath(path)), Path(path).read_bytes())


def _iter_parts(files: Mapping[str, object]) -> list[tuple[str, object]]:
    parts: list[tuple[str, object]] = []
    for key, value in files.items():
        if value is None or isinstance(value, (NotGiven, Omit)):
            continue
        if isinstance(value, list):
            parts.extend((key, item) for item in cast("list[object]", value))
        else:
            parts.append((key, value))
    return parts


def has_parts(files: Mapping[str, object]) -> bool:
    """Whether ``files`` holds a value to send (``None`` and ``NOT_GIVEN`` values are no part)."""
    return bool(_iter_parts(files))


def _read(content: object) -> bytes | None:
    """The bytes of an in-memory or file-object content (read now, so a retry resends them)."""
    if isinstance(content, (bytes, bytearray, memoryview)):
        return bytes(cast("bytes", content))
    read = getattr(content, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, str):
            raise TypeError(f"Expected a file opened in binary mode ('rb'), got {content!r}")
        return cast(bytes, data)
    return None


def _file_name(content: object) -> str:
    name = getattr(content, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name else "upload"


def _bad(value: Any) -> TypeError:
    return TypeError(
        f"Expected a file as bytes, a path, a binary file object or a (filename, content[, type]) tuple, got {value!r}"
    )


def _to_part(value: object) -> object:
    if isinstance(value, os.PathLike):
        path = Path(cast("os.PathLike[str]", value))
        return (path.name, path.read_bytes())
    if isinstance(value, tuple):
        items = cast("tuple[Any, ...]", value)
        if len(items) < 2:
            raise _bad(value)
        content = items[1]
        if isinstance(content, os.PathLike):
            data: bytes | None = Path(cast("os.PathLike[str]", content)).read_bytes()
        else:
            data = _read(content)
        if data is None:
            raise _bad(value)
        return (items[0], data, *items[2:])
    data = _read(value)
    if data is None:
        raise _bad(value)
    return (_file_name(value), data)


async def _async_to_part(value: object) -> object:
    import anyio  # async-only; kept out of `import oai`

    if isinstance(value, os.PathLike):
        path = anyio.Path(cast("os.PathLike[str]", value))
        return (path.name, await path.read_bytes())
    if isinstance(value, tuple):
        items = cast("tuple[Any, ...]", value)
        if len(items) >= 2 and isinstance(items[1], os.PathLike):
            data = await anyio.Path(cast("os.PathLike[str]", items[1])).read_bytes()
            return (items[0], data, *items[2:])
    return _to_part(cast(object, value))


def to_httpx_files(files: Mapping[str, object]) -> HttpxFiles:
    """The ``files=`` argument for httpx; ``None`` / ``NOT_GIVEN`` values are left out."""
    return [(key, _to_part(value)) for key, value in _iter_parts(files)]


async def async_to_httpx_files(files: Mapping[str, object]) -> HttpxFiles:
    """Like :func:`to_httpx_files`, reading paths without blocking the event loop."""
    return [(key, await _async_to_part(value)) for key, value in _iter_parts(files)]


def _scalar(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value if isinstance(value, str) else str(value)


def flatten_fields(values: Mapping[str, object], prefix: str | None = None) -> list[tuple[str, str]]:
    """Nested values as ``(name, text)`` pairs in the bracket convention of OpenAI's query strings and
    form fields: ``{"a": {"b": 1}}`` → ``a[b]=1``, lists as repeated ``key[]``, booleans ``true``/``false``;
    ``None`` and ``NOT_GIVEN`` are left out. A name that already ends in ``[]`` (some spec names do,
    ``include[]``) gets no second pair."""
    out: list[tuple[str, str]] = []
    for key, value in values.items():
        _flatten(key if prefix is None else f"{prefix}[{key}]", value, out, spec_name=prefix is None)
    return out


def _flatten(name: str, value: object, out: list[tuple[str, str]], spec_name: bool = True) -> None:
    if value is None or isinstance(value, (NotGiven, Omit)):
        return
    if isinstance(value, Mapping):
        out.extend(flatten_fields(cast("Mapping[str, object]", value), name))
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray)):
        item_name = name if spec_name and name.endswith("[]") else f"{name}[]"
        for item in cast("Sequence[object]", value):
            _flatten(item_name, item, out, spec_name=False)
    else:
        out.append((name, _scalar(value)))


def fieldless_parts(fields: Mapping[str, object]) -> HttpxFiles:
    """``flatten_form`` fields as multipart parts without a filename.

    httpx sends fields alone as urlencoded; an operation whose body is
    multipart/form-data gets them as parts instead, which forces that encoding.
    """
    return [(key, (None, cast("str", value))) for key, value in _iter_parts(fields)]


def flatten_form(body: Mapping[str, object]) -> dict[str, Any]:
    """Form fields for a multipart body (see ``flatten_fields``); a repeated name holds a list."""
    out: dict[str, Any] = {}
    for key, text in flatten_fields(body):
        existing = out.get(key)
        if existing is None:
            out[key] = text
        elif isinstance(existing, list):
            existing.append(text)  # pyright: ignore[reportUnknownMemberType]
        else:
            out[key] = [existing, text]
    return out
