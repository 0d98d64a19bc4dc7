"""The type variables of the helpers (a module of its own: the resource mixins import it when the resources load)."""

from __future__ import annotations

from typing_extensions import TypeVar

__all__ = ["ResponseFormatT", "TextFormatT"]

ResponseFormatT = TypeVar("ResponseFormatT", default=None)
"""The type a chat answer is parsed into (``response_format``; ``None`` when no type was given)."""

TextFormatT = TypeVar("TextFormatT", default=None)
"""The type a Responses output text is parsed into (``text_format``; ``None`` when no type was given)."""
