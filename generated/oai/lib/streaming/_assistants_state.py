"""Assistants run stream events in, snapshots and handler calls out (sans I/O).

The Assistants API streams a run as ``{event, data}`` events (``thread.run.*``,
``thread.run.step.*``, ``thread.message.*``). :class:`AssistantStreamState`
keeps the run, its steps and its messages up to date, merging deltas into
snapshots, and says which callbacks of an ``AssistantEventHandler`` an event
triggers, in order (``("on_text_delta", (delta, snapshot))``). The sync and
async handlers only make those calls, so both behave the same. The callbacks
and their order are the official SDK's.
"""

from __future__ import annotations

import typing
from typing import Any, cast

from ..._core._models import construct_lenient, parse_model
from .._fields import get
from ._deltas import accumulate_delta

__all__ = ["AssistantStreamState", "Call"]

Call = tuple[str, tuple[Any, ...]]
"""A handler method's name and its arguments."""

_RUN_FINISHED = frozenset(
    {
        "thread.run.completed",
        "thread.run.cancelled",
        "thread.run.expired",
        "thread.run.failed",
        "thread.run.requires_action",
        "thread.run.incomplete",
    }
)
_RUN_UPDATED = frozenset({"thread.run.created", "thread.run.in_progress", "thread.run.cancelling", "thread.run.queued"})
_STEP_FINISHED = frozenset(
    {"thread.run.step.completed", "thread.run.step.cancelled", "thread.run.step.expired", "thread.run.step.failed"}
)


def _dump(model: Any) -> dict[str, Any]:
    if hasattr(model, "model_dump"):
        return model.model_dump(exclude_unset=True, warnings=False)
    return dict(cast("dict[str, Any]", model)) if isinstance(model, dict) else {}


def _models() -> tuple[Any, Any, Any]:
    from ...types import MessageObject, RunStepObject

    content = typing.get_args(MessageObject.model_fields["content"].annotation)[0]
    return MessageObject, RunStepObject, content


class AssistantStreamState:
    """The run, steps and messages of an Assistants stream so far, and the callbacks each event calls."""

    def __init__(self) -> None:
        self.current_event: Any = None
        self.current_run: Any = None
        self.current_message_snapshot: Any = None
        self.run_steps: dict[str, Any] = {}
        self.messages: dict[str, Any] = {}
        self._current_step_id: str | None = None
        self._content_index: int | None = None
        self._content: Any = None
        self._tool_index: int | None = None
        self._tool_call: Any = None

    @property
    def current_run_step_snapshot(self) -> Any:
        return self.run_steps.get(self._current_step_id) if self._current_step_id else None

    def handle(self, event: Any) -> list[Call]:
        """Update the snapshots with ``event``; the handler calls it triggers, in order."""
        self.current_event = event
        kind = get(event, "event")
        data: Any = get(event, "data")
        calls: list[Call] = [("on_event", (event,))]
        if kind == "thread.message.created":
            self._message_created(data, calls)
        elif kind == "thread.message.delta":
            self._message_delta(data, calls)
        elif kind in ("thread.message.completed", "thread.message.incomplete"):
            self._message_done(data, calls)
        elif kind in _RUN_UPDATED:
            self.current_run = data
        elif kind in _RUN_FINISHED:
            self.current_run = data
            self._tool_done(calls)
        elif kind == "thread.run.step.created":
            self.run_steps[data.id] = data
            self._current_step_id = data.id
            calls.append(("on_run_step_created", (data,)))
        elif kind == "thread.run.step.in_progress":
            self._current_step_id = get(data, "id")
        elif kind == "thread.run.step.delta":
            self._step_delta(data, calls)
        elif kind in _STEP_FINISHED:
            if get(data, "id") is not None:
                self.run_steps[data.id] = data
            self._tool_done(calls)
            calls.append(("on_run_step_done", (data,)))
            self._current_step_id = None
        return calls

    # -- messages ---------------------------------------------------------------------------------------------

    def _message_created(self, data: Any, calls: list[Call]) -> None:
        self.current_message_snapshot = data
        if get(data, "id") is not None:
            self.messages[data.id] = data
        calls.append(("on_message_created", (data,)))

    def _message_delta(self, data: Any, calls: list[Call]) -> None:
        message_model, _, content_model = _models()
        snapshot = self.messages.get(get(data, "id") or "") or self.current_message_snapshot
        if snapshot is None:  # a delta before its message: start from the delta's id
            snapshot = construct_lenient(message_model, {"id": getattr(data, "id", ""), "content": []})
        delta = get(data, "delta")
        content = list(get(snapshot, "content") or ())
        created: list[int] = []
        for block_delta in get(delta, "content") or ():
            index = get(block_delta, "index")
            index = index if isinstance(index, int) else len(content)
            values = _dump(block_delta)
            values.pop("index", None)
            if index >= len(content):
                content.append(construct_lenient(content_model, values))
                created.append(len(content) - 1)
            else:
                content[index] = construct_lenient(content_model, accumulate_delta(_dump(content[index]), values))
        snapshot.content = content
        self.current_message_snapshot = snapshot
        self.messages[getattr(snapshot, "id", "")] = snapshot

        for index in created:
            if get(content[index], "type") == "text":
                calls.append(("on_text_created", (content[index].text,)))
        for block_delta in get(delta, "content") or ():
            index = get(block_delta, "index")
            index = index if isinstance(index, int) and index < len(content) else len(content) - 1
            if get(block_delta, "type") == "text" and get(block_delta, "text") is not None:
                calls.append(("on_text_delta", (block_delta.text, content[index].text)))
            if index != self._content_index:
                self._content_done(calls)
                self._content_index = index
            self._content = content[index]
        calls.append(("on_message_delta", (delta, snapshot)))

    def _content_done(self, calls: list[Call]) -> None:
        content = self._content
        if content is None:
            return
        if get(content, "type") == "text":
            calls.append(("on_text_done", (content.text,)))
        elif get(content, "type") == "image_file":
            calls.append(("on_image_file_done", (content.image_file,)))

    def _message_done(self, data: Any, calls: list[Call]) -> None:
        self.current_message_snapshot = data
        if get(data, "id") is not None:
            self.messages[data.id] = data
        content = list(get(data, "content") or ())
        if self._content_index is not None and self._content_index < len(content):
            self._content = content[self._content_index]
            self._content_done(calls)
        self._content_index = None
        self._content = None
        calls.append(("on_message_done", (data,)))

    # -- run steps --------------------------------------------------------------------------------------------

    def _step_delta(self, data: Any, calls: list[Call]) -> None:
        _, step_model, _ = _models()
        step_id = get(data, "id") or self._current_step_id or ""
        snapshot = self.run_steps.get(step_id)
        delta = get(data, "delta")
        merged = accumulate_delta(_dump(snapshot) if snapshot is not None else {"id": step_id}, _dump(delta))
        snapshot = parse_model(step_model, merged)
        self.run_steps[step_id] = snapshot
        self._current_step_id = step_id

        details = get(delta, "step_details")
        snapshot_calls = list(get(getattr(snapshot, "step_details", None), "tool_calls") or ())
        if get(details, "type") == "tool_calls":
            for call_delta in get(details, "tool_calls") or ():
                index = get(call_delta, "index")
                index = index if isinstance(index, int) and index < len(snapshot_calls) else len(snapshot_calls) - 1
                if index < 0:
                    continue
                if index == self._tool_index:
                    calls.append(("on_tool_call_delta", (call_delta, snapshot_calls[index])))
                else:
                    self._tool_done(calls)
                    self._tool_index = index
                    calls.append(("on_tool_call_created", (snapshot_calls[index],)))
                self._tool_call = snapshot_calls[index]
        calls.append(("on_run_step_delta", (delta, snapshot)))

    def _tool_done(self, calls: list[Call]) -> None:
        """The tool call being streamed is over (another one started, or its step or run ended)."""
        if self._tool_call is not None:
            calls.append(("on_tool_call_done", (self._tool_call,)))
        self._tool_call = None
        self._tool_index = None
