"""``chat.completions.stream``: its events, the state machine that makes them, the stream and its manager."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._events import (
    ChatCompletionStreamEvent,
    ChunkEvent,
    ContentDeltaEvent,
    ContentDoneEvent,
    FunctionToolCallArgumentsDeltaEvent,
    FunctionToolCallArgumentsDoneEvent,
    LogprobsContentDeltaEvent,
    LogprobsContentDoneEvent,
    LogprobsRefusalDeltaEvent,
    LogprobsRefusalDoneEvent,
    RefusalDeltaEvent,
    RefusalDoneEvent,
)
from ._state import ChatCompletionStreamState
from ._types import ParsedChatCompletionMessageSnapshot, ParsedChatCompletionSnapshot, ParsedChoiceSnapshot

if TYPE_CHECKING:
    from ..._async.chat_completions import AsyncChatCompletionStream, AsyncChatCompletionStreamManager
    from ..._sync.chat_completions import ChatCompletionStream, ChatCompletionStreamManager

_LAZY = {
    "ChatCompletionStream": "..._sync.chat_completions",
    "ChatCompletionStreamManager": "..._sync.chat_completions",
    "AsyncChatCompletionStream": "..._async.chat_completions",
    "AsyncChatCompletionStreamManager": "..._async.chat_completions",
}

__all__ = [
    "ChatCompletionStreamEvent",
    "ChatCompletionStreamState",
    "ChunkEvent",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "FunctionToolCallArgumentsDeltaEvent",
    "FunctionToolCallArgumentsDoneEvent",
    "LogprobsContentDeltaEvent",
    "LogprobsContentDoneEvent",
    "LogprobsRefusalDeltaEvent",
    "LogprobsRefusalDoneEvent",
    "ParsedChatCompletionMessageSnapshot",
    "ParsedChatCompletionSnapshot",
    "ParsedChoiceSnapshot",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
    "ChatCompletionStream",
    "ChatCompletionStreamManager",
    "AsyncChatCompletionStream",
    "AsyncChatCompletionStreamManager",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
