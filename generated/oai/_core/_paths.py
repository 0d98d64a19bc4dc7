"""Formatting values into URL paths."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["path_param"]

# RFC 3986 "pchar" minus "%": what may stand unescaped inside one path segment.
_SAFE = "-._~!$&'()*+,;=:@"

_DOT_SEGMENTS = frozenset({".", ".."})


def path_param(value: object, name: str | None = None) -> str:
    """One path segment from ``value``: URL-quoted, never empty, never a dot-segment.

    ``name`` is the method parameter the value came from; the errors name it.

    An empty id would silently turn ``/files/{id}`` into ``/files/`` and hit a
    different endpoint, so it is refused. So are ``.`` and ``..``: RFC 3986
    section 5.2.4 ("Remove Dot Segments") makes every URL layer drop them, so
    ``/vector_stores/vs_1/files/..`` would reach ``/vector_stores/vs_1`` -- the
    parent object, under the caller's method (a DELETE would delete it). Any
    other id stays inside its segment: ``/`` and ``%`` are escaped, so an id
    can never climb out of it.
    """
    text = value if isinstance(value, str) else str(value)
    if not text:
        what = f"`{name}`" if name else "a path parameter"
        raise ValueError(f"Expected a non-empty value for {what} but received {value!r}")
    if text in _DOT_SEGMENTS:
        what = f"`{name}`" if name else "A path parameter"
        raise ValueError(
            f"{what} cannot be {text!r}: as a URL path segment it means the current or parent "
            "path, so the request would reach a different object. Pass the object's id."
        )
    return quote(text, safe=_SAFE)
