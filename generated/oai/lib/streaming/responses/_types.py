"""The response accumulated while it streams."""

from __future__ import annotations

from typing import TypeAlias

from ..._parsed_responses import ParsedResponse

__all__ = ["ParsedResponseSnapshot"]

ParsedResponseSnapshot: TypeAlias = ParsedResponse[object]
"""The response so far. An ``output_text`` part's ``parsed`` is the partial value while the text streams,
and the value parsed into ``text_format`` once the text is done."""
