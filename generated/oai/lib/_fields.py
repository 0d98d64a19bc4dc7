"""Reading a field of a value that may be a model, a plain dict, or missing (sans I/O).

Leniently parsed server data is not always models all the way down: when a
nested value does not fit its declared type (a tool-call delta without the
``index`` the spec requires), the core keeps it as the dict the server sent.
The state machines read every field through :func:`get`, which takes both and
never raises. It reads a model's own values directly, so a field the spec marks
deprecated (``system_fingerprint``) is read without a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

__all__ = ["get"]


def get(obj: object, name: str) -> Any:
    """``obj``'s field ``name``: a model attribute or a mapping key; ``None`` when absent."""
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return cast("Mapping[str, Any]", obj).get(name)
    values: dict[str, Any] | None = getattr(obj, "__dict__", None)
    if values is not None and name in values:
        return values[name]
    return getattr(obj, name, None)
