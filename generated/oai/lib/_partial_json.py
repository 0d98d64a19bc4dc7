"""The value of a JSON document that has only partly arrived.

Structured output streams as text: ``{"steps": [{"explanation": "Subtract 31``
is what a model has written so far of one object. :class:`PartialJSON`
accumulates that text and gives the value of what is complete so far,
through pydantic-core's JSON parser in its partial mode (``from_json(...,
allow_partial="trailing-strings")``: unclosed arrays and objects are closed,
a key without a value is left out, a string still being written is kept as
far as it goes).

One thing the parser cannot know is whether a number at the very end is
whole: ``{"count": 12`` may become ``123``. The accumulator tracks, as text
arrives, whether the end of the text is inside a string, and leaves out a
number that the text ends in, so a partial value never shows a number that is
not the one the model wrote. Tracking is incremental (each character is looked
at once), so the cost per delta is one parse of the text so far.
"""

from __future__ import annotations

from pydantic_core import from_json

__all__ = ["PartialJSON", "parse_partial_json"]

_NUMBER_CHARS = frozenset("0123456789+-.eE")
_BEFORE_VALUE = frozenset(":,[ \t\r\n")


class PartialJSON:
    """Text of one JSON document, fed as it arrives; :meth:`value` parses what has arrived."""

    __slots__ = ("_escaped", "_in_string", "_parts", "_text")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._text = ""
        self._in_string = False
        self._escaped = False

    def feed(self, delta: str) -> None:
        in_string, escaped = self._in_string, self._escaped
        for char in delta:
            if escaped:
                escaped = False
            elif in_string:
                if char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
        self._in_string, self._escaped = in_string, escaped
        self._parts.append(delta)

    @property
    def text(self) -> str:
        if self._parts:
            self._text += "".join(self._parts)
            self._parts.clear()
        return self._text

    def value(self) -> object | None:
        """The value of the complete part of the text, or ``None`` while nothing is complete yet."""
        text = self.text
        if not self._in_string:
            text = _without_trailing_number(text)
        if not text.strip():
            return None
        try:
            return from_json(text, allow_partial="trailing-strings")
        except ValueError:  # a bare literal still being written ("tru"), or text that is not JSON
            return None


def _without_trailing_number(text: str) -> str:
    """``text`` without a number it ends in (that number may still be growing)."""
    end = len(text)
    start = end
    while start > 0 and text[start - 1] in _NUMBER_CHARS:
        start -= 1
    if start == end or (start > 0 and text[start - 1] not in _BEFORE_VALUE):
        return text  # no trailing run, or one that ends a literal ("true")
    return text[:start]


def parse_partial_json(text: str) -> object | None:
    """The value of the complete part of ``text`` (see :class:`PartialJSON`)."""
    partial = PartialJSON()
    partial.feed(text)
    return partial.value()
