"""Stream helpers: the Assistants event handlers, the chat and Responses stream helpers, their events.

The official SDK's module layout: ``oai.lib.streaming`` (Assistants handlers,
and the ``EventHandler`` the chat and Responses helpers accept),
``oai.lib.streaming.chat``, ``oai.lib.streaming.responses``. The state
machines here do no I/O; the streams that drive them are written once in
``oai/lib/_async`` (the sync forms in ``oai/lib/_sync``) and load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._assistants_state import AssistantStreamState
from ._deltas import accumulate_delta

if TYPE_CHECKING:
    from .._async._helper_stream import AsyncEventHandler
    from .._async.assistants import (
        AsyncAssistantEventHandler,
        AsyncAssistantEventHandlerT,
        AsyncAssistantStreamManager,
    )
    from .._sync._helper_stream import EventHandler
    from .._sync.assistants import AssistantEventHandler, AssistantEventHandlerT, AssistantStreamManager

_LAZY = {
    "AssistantEventHandler": ".._sync.assistants",
    "AssistantEventHandlerT": ".._sync.assistants",
    "AssistantStreamManager": ".._sync.assistants",
    "AsyncAssistantEventHandler": ".._async.assistants",
    "AsyncAssistantEventHandlerT": ".._async.assistants",
    "AsyncAssistantStreamManager": ".._async.assistants",
    "EventHandler": ".._sync._helper_stream",
    "AsyncEventHandler": ".._async._helper_stream",
}

__all__ = [
    "AssistantEventHandler",
    "AssistantEventHandlerT",
    "AssistantStreamManager",
    "AssistantStreamState",
    "AsyncAssistantEventHandler",
    "AsyncAssistantEventHandlerT",
    "AsyncAssistantStreamManager",
    "AsyncEventHandler",
    "EventHandler",
    "accumulate_delta",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
