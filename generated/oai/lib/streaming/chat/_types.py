"""The accumulated completion while it streams: the final types, with any parsed value so far."""

from __future__ import annotations

from typing import TypeAlias

from ..._parsed_chat import ParsedChatCompletion, ParsedChatCompletionMessage, ParsedChoice

__all__ = ["ParsedChatCompletionMessageSnapshot", "ParsedChatCompletionSnapshot", "ParsedChoiceSnapshot"]

ParsedChatCompletionSnapshot: TypeAlias = ParsedChatCompletion[object]
"""The completion accumulated so far. A message's ``parsed`` is the partial value while its content
streams, and the value parsed into the requested type once the content is done."""

ParsedChatCompletionMessageSnapshot: TypeAlias = ParsedChatCompletionMessage[object]

ParsedChoiceSnapshot: TypeAlias = ParsedChoice[object]
