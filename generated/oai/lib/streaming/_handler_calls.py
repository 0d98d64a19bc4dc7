"""Which ``EventHandler`` callbacks a helper stream event triggers (sans I/O).

One handler class serves both stream helpers: ``on_text_delta`` fires for a
chat ``content.delta`` and for a Responses ``response.output_text.delta``, and
so on. :func:`handler_calls` maps an event to the calls, in order; the sync
and async streams only make them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._fields import get
from ._assistants_state import Call

__all__ = ["handler_calls"]


def handler_calls(event: Any, function_call: Callable[[Any], Any] | None = None) -> list[Call]:
    """The handler calls for ``event``: ``on_event`` first, then the callback its type names.

    ``function_call`` finds the function call item a Responses argument event
    is about (those events carry no function name).
    """
    calls: list[Call] = [("on_event", (event,))]
    kind = get(event, "type")
    if kind in ("content.delta", "response.output_text.delta"):
        calls.append(("on_text_delta", (event.delta, event.snapshot)))
    elif kind == "content.done":
        calls.append(("on_text_done", (event.content,)))
    elif kind == "response.output_text.done":
        calls.append(("on_text_done", (event.text,)))
    elif kind in ("refusal.done", "response.refusal.done"):
        calls.append(("on_refusal", (event.refusal,)))
    elif kind == "tool_calls.function.arguments.delta":
        calls.append(("on_tool_call_delta", (event.name, event.arguments_delta, event.arguments)))
    elif kind == "tool_calls.function.arguments.done":
        calls.append(("on_tool_call_done", (event.name, event.arguments, event.parsed_arguments)))
    elif kind == "response.function_call_arguments.delta":
        call = function_call(event) if function_call is not None else None
        calls.append(("on_tool_call_delta", (get(call, "name"), event.delta, event.snapshot)))
    elif kind == "response.function_call_arguments.done":
        call = function_call(event) if function_call is not None else None
        name = get(event, "name") or get(call, "name")
        arguments = get(event, "arguments") or getattr(call, "arguments", "")
        calls.append(("on_tool_call_done", (name, arguments, get(call, "parsed_arguments"))))
    return calls
