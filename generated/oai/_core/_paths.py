"""Formatting values into URL paths."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["path_param"]

# RFC 3986 "pchar" minus "%": what may stand unescaped inside one path segment.
_SAFE = "-._~!$&'()*+,;=:@"


def path_param(value: object) -> str:
    """One path segment from ``value``: URL-quoted, never empty.

    An empty id would silently turn ``/files/{id}`` into ``/files/`` and hit a
    different endpoint, so it is refused.
    """
    text = value if isinstance(value, str) else str(value)
    if not text:
        raise ValueError(f"Expected a non-empty value for a path parameter but received {value!r}")
    return quote(text, safe=_SAFE)
