"""``responses.stream``: its events, the state machine that makes them, the stream and its manager."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._events import (
    ResponseCompletedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
)
from ._state import ResponseStreamState
from ._types import ParsedResponseSnapshot

if TYPE_CHECKING:
    from ..._async.responses import AsyncResponseStream, AsyncResponseStreamManager
    from ..._sync.responses import ResponseStream, ResponseStreamManager

_LAZY = {
    "ResponseStream": "..._sync.responses",
    "ResponseStreamManager": "..._sync.responses",
    "AsyncResponseStream": "..._async.responses",
    "AsyncResponseStreamManager": "..._async.responses",
}

__all__ = [
    "ParsedResponseSnapshot",
    "ResponseCompletedEvent",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseStreamEvent",
    "ResponseStreamState",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
    "ResponseStream",
    "ResponseStreamManager",
    "AsyncResponseStream",
    "AsyncResponseStreamManager",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
