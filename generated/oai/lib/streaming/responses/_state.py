"""Responses stream events in, a parsed response and richer events out: the stream helper's state machine (sans I/O).

:class:`ResponseStreamState` is what ``responses.stream`` runs each event
through, and can be used on its own over any source of events::

    state = ResponseStreamState(text_format=MathResponse)
    for event in client.responses.create(..., stream=True):
        for derived in state.handle_event(event):
            ...
    response = state.get_final_response()   # ParsedResponse[MathResponse]

Real servers leave things out, so nothing here relies on them: an event
without ``output_index`` finds its item by ``item_id`` (or takes the last item
of its kind, or starts one); an event without ``content_index`` takes the last
part of its kind (or starts one); ``sequence_number`` is only used to skip
replayed events when ``starting_after`` is given; an event before
``response.created`` starts an empty snapshot; events the SDK does not know
pass through unchanged; a final response without ``output`` gets the items
accumulated from the stream (llama.cpp's ``response.created`` has no
``output`` at all, and its events have no indices).

When structured output was asked for (``text_format``, or a tool from a
pydantic model), a response that does not end ``completed`` (including one
sent as ``response.completed`` with another status, as aimock does) makes
:meth:`finish` raise the typed error with the partial value, the text and the
usage; so does a stream that ends with no final event at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, cast

import pydantic

from ...._core._models import parse_model
from ...._core._types import NOT_GIVEN, NotGiven
from ..._errors import ResponseIncompleteError
from ..._fields import get
from ..._parsed_responses import (
    ParsedResponse,
    ParsedResponseFunctionToolCall,
    ParsedResponseOutputMessage,
    ParsedResponseOutputText,
)
from ..._parsing._completions import (
    build,
    has_rich_response_format,
    partial_from_text,
    partial_value,
    rebuild,
    set_added,
)
from ..._parsing._responses import (
    TextFormatT,
    output_text,
    parse_function_tool_arguments,
    parse_response,
    parse_text,
    raise_for_status,
)
from ..._partial_json import PartialJSON
from ..._tools import ResponsesPydanticFunctionTool
from ._events import (
    ResponseCompletedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
)
from ._types import ParsedResponseSnapshot

if TYPE_CHECKING:
    from ....types import ResponseStreamEvent as RawResponseStreamEvent

__all__ = ["ResponseStreamState"]

_STARTED = ("response.created", "response.in_progress", "response.queued")
_FINAL = ("response.completed", "response.incomplete", "response.failed", "response.cancelled")


class _Part:
    """One content part of a message while it streams (its model, and its text as partial JSON)."""

    __slots__ = ("json", "model")

    def __init__(self, model: Any) -> None:
        self.model = model
        self.json = PartialJSON()


class _Item:
    """One output item while it streams."""

    __slots__ = ("arguments", "model", "order", "parts")

    def __init__(self, model: Any, order: float) -> None:
        self.model = model
        self.order = order
        self.parts: list[_Part] = []
        self.arguments = PartialJSON()


class ResponseStreamState(Generic[TextFormatT]):
    """Accumulates Responses stream events into a :class:`~oai.types.ParsedResponse` and the helper events."""

    def __init__(
        self,
        *,
        input_tools: Iterable[Mapping[str, Any]] | NotGiven | None = NOT_GIVEN,
        text_format: type[TextFormatT] | NotGiven | None = NOT_GIVEN,
        starting_after: int | None = None,
    ) -> None:
        self._tools: list[Mapping[str, Any]] = (
            [] if isinstance(input_tools, NotGiven) or input_tools is None else list(input_tools)
        )
        self._format: Any = text_format if has_rich_response_format(text_format) else NOT_GIVEN
        self._structured = self._format is not NOT_GIVEN or any(
            isinstance(tool, ResponsesPydanticFunctionTool) for tool in self._tools
        )
        self._starting_after = starting_after
        self._snapshot: ParsedResponseSnapshot | None = None
        self._items: list[_Item] = []
        self._by_output_index: dict[int, _Item] = {}
        self._final: ParsedResponse[TextFormatT] | None = None
        self._terminal: ParsedResponse[TextFormatT] | None = None  # a final response that did not complete

    # -- public -----------------------------------------------------------------------------------------------

    def current_snapshot(self) -> ParsedResponseSnapshot:
        """The response accumulated so far."""
        if self._snapshot is not None:
            return self._snapshot
        snapshot: ParsedResponseSnapshot = build(ParsedResponse, object="response", status="in_progress", output=[])
        self._snapshot = snapshot
        return snapshot

    @property
    def completed_response(self) -> ParsedResponse[TextFormatT] | None:
        """The parsed final response once a ``completed`` one arrived."""
        return self._final

    def handle_event(self, event: RawResponseStreamEvent | Any) -> list[ResponseStreamEvent[TextFormatT]]:
        """Add ``event`` to the snapshot; the events to yield for it (none for a replayed one)."""
        derived = self._accumulate(event)
        sequence = get(event, "sequence_number")
        if self._starting_after is not None and isinstance(sequence, int) and sequence <= self._starting_after:
            return []
        return [derived]

    def finish(self) -> None:
        """Call when the stream has ended: raises the typed error when structured output did not complete."""
        if self._final is not None or not self._structured:
            return
        if self._terminal is not None:
            raise_for_status(self._terminal, text_format=self._format)
        snapshot = self.current_snapshot()
        text = output_text(snapshot)
        raise ResponseIncompleteError(
            status=None,
            response=snapshot,
            partial=partial_from_text(self._format, text),
            text=text,
            usage=get(snapshot, "usage"),
        )

    def get_final_response(self) -> ParsedResponse[TextFormatT]:
        """The final response, parsed (call once the stream has ended).

        Without structured output, a response that ended ``incomplete`` or
        ``failed`` is returned as it is (its ``status`` says so); a stream with
        no final event raises :class:`~oai.lib.ResponseIncompleteError`.
        """
        self.finish()
        if self._final is not None:
            return self._final
        if self._terminal is not None:
            return self._terminal
        snapshot = self.current_snapshot()
        text = output_text(snapshot)
        raise ResponseIncompleteError(
            status=None, response=snapshot, partial=text or None, text=text, usage=get(snapshot, "usage")
        )

    # -- accumulation -----------------------------------------------------------------------------------------

    def _accumulate(self, event: Any) -> Any:
        kind = get(event, "type")
        if kind in _STARTED:
            self._start(get(event, "response"))
            return event
        if self._snapshot is None:
            self.current_snapshot()  # events before response.created: start from an empty response
        if kind == "response.output_item.added":
            self._item_added(event)
        elif kind == "response.content_part.added":
            self._part_added(event)
        elif kind == "response.output_text.delta":
            return self._text_delta(event)
        elif kind == "response.output_text.done":
            return self._text_done(event)
        elif kind == "response.refusal.delta":
            part = self._part(self._message_for(event), event, "refusal")
            part.model.refusal = (get(part.model, "refusal") or "") + (getattr(event, "delta", "") or "")
        elif kind == "response.refusal.done":
            refusal = get(event, "refusal")
            if isinstance(refusal, str):
                self._part(self._message_for(event), event, "refusal").model.refusal = refusal
        elif kind == "response.function_call_arguments.delta":
            return self._arguments_delta(event)
        elif kind == "response.function_call_arguments.done":
            self._arguments_done(event)
        elif kind == "response.output_item.done":
            self._item_done(event)
        elif kind in _FINAL:
            return self._finished(event)
        return event

    def _start(self, response: Any) -> None:
        response = _as_response(response)
        if response is None:
            self.current_snapshot()
            return
        output = [item.model for item in self._ordered()]
        if not output:
            output = [self._new_item(item, None).model for item in get(response, "output") or ()]
        self._snapshot = rebuild(ParsedResponse, response, output=output)

    def _ordered(self) -> list[_Item]:
        return sorted(self._items, key=lambda item: item.order)

    def _sync_output(self) -> None:
        self.current_snapshot().output = [item.model for item in self._ordered()]

    def _new_item(self, raw: Any, output_index: int | None) -> _Item:
        order = float(output_index) if output_index is not None else len(self._items) + 0.5
        item = _Item(_parsed_item(raw), order)
        if _kind(item.model) == "message":
            item.parts = [_Part(part) for part in get(item.model, "content") or ()]
        self._items.append(item)
        if output_index is not None:
            self._by_output_index[output_index] = item
        return item

    def _find(self, event: Any) -> _Item | None:
        item_id = get(event, "item_id")
        if isinstance(item_id, str):
            for item in self._items:
                if get(item.model, "id") == item_id:
                    return item
        index = get(event, "output_index")
        if isinstance(index, int):
            return self._by_output_index.get(index)
        return None

    def _item_added(self, event: Any) -> None:
        raw = get(event, "item")
        if raw is None:
            return
        index = get(event, "output_index")
        index = index if isinstance(index, int) else None
        known = _find_by_id(self._items, get(raw, "id"))
        if known is None:
            self._new_item(raw, index)
        elif index is not None:  # seen before (its deltas came first): now it has its place
            known.order = float(index)
            self._by_output_index[index] = known
        self._sync_output()

    def _message_for(self, event: Any) -> _Item:
        """The message item an event is about (found by id or index, else the last message, else a new one)."""
        item = self._find(event)
        if item is None or _kind(item.model) != "message":
            messages = [i for i in self._items if _kind(i.model) == "message"]
            if item is None and messages and get(event, "item_id") is None:
                return messages[-1]
            raw: dict[str, Any] = {
                "id": get(event, "item_id") or "",
                "type": "message",
                "role": "assistant",
                "status": "in_progress",
                "content": [],
            }
            index = get(event, "output_index")
            item = self._new_item(raw, index if isinstance(index, int) else None)
            self._sync_output()
        return item

    def _part(self, item: _Item, event: Any, kind: str) -> _Part:
        """The content part of ``item`` an event is about (by ``content_index``, else the last of its kind)."""
        index = get(event, "content_index")
        if isinstance(index, int) and 0 <= index < len(item.parts) and _kind(item.parts[index].model) == kind:
            return item.parts[index]
        for part in reversed(item.parts):
            if _kind(part.model) == kind:
                return part
        if kind == "refusal":
            raw: dict[str, Any] = {"type": "refusal", "refusal": ""}
        else:
            raw = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
        return self._add_part(item, raw, index if isinstance(index, int) else None)

    def _add_part(self, item: _Item, raw: Any, index: int | None) -> _Part:
        part = _Part(_parsed_part(raw))
        if index is not None and index <= len(item.parts):
            item.parts.insert(index, part)
        else:
            item.parts.append(part)
        item.model.content = [p.model for p in item.parts]
        return part

    def _part_added(self, event: Any) -> None:
        raw = get(event, "part")
        if raw is None:
            return
        item = self._message_for(event)
        index = get(event, "content_index")
        if isinstance(index, int) and index < len(item.parts) and _kind(item.parts[index].model) == _kind(raw):
            return  # already started by its deltas
        self._add_part(item, raw, index if isinstance(index, int) else None)

    def _text_delta(self, event: Any) -> Any:
        item = self._message_for(event)
        part = self._part(item, event, "output_text")
        delta = get(event, "delta") or ""
        part.model.text = (get(part.model, "text") or "") + delta
        parsed = None
        if self._format is not NOT_GIVEN:
            part.json.feed(delta)
            parsed = partial_value(self._format, part.json.value())
            set_added(part.model, "parsed", parsed)
        return _derived(ResponseTextDeltaEvent, event, snapshot=part.model.text, parsed=parsed)

    def _text_done(self, event: Any) -> Any:
        item = self._message_for(event)
        part = self._part(item, event, "output_text")
        text = get(event, "text")
        if isinstance(text, str):
            part.model.text = text
        else:
            text = get(part.model, "text") or ""
        try:
            parsed = parse_text(text, self._format, phase=get(item.model, "phase"))
        except pydantic.ValidationError:
            # Cut-short output also ends its text; whether that is an error is known at the response's end
            # (a typed error when it did not complete; the validation error when it did).
            parsed = None
        if self._format is not NOT_GIVEN:
            set_added(part.model, "parsed", parsed)
        return _derived(ResponseTextDoneEvent, event, text=text, parsed=parsed)

    def _call_for(self, event: Any) -> _Item:
        item = self._find(event)
        if item is None or _kind(item.model) != "function_call":
            calls = [i for i in self._items if _kind(i.model) == "function_call"]
            if item is None and calls and get(event, "item_id") is None:
                return calls[-1]
            raw: dict[str, Any] = {
                "id": get(event, "item_id"),
                "type": "function_call",
                "call_id": "",
                "name": get(event, "name") or "",
                "arguments": "",
                "status": "in_progress",
            }
            index = get(event, "output_index")
            item = self._new_item(raw, index if isinstance(index, int) else None)
            self._sync_output()
        return item

    def _arguments_delta(self, event: Any) -> Any:
        item = self._call_for(event)
        delta = get(event, "delta") or ""
        item.model.arguments = (get(item.model, "arguments") or "") + delta
        item.arguments.feed(delta)
        return _derived(ResponseFunctionCallArgumentsDeltaEvent, event, snapshot=item.model.arguments)

    def _arguments_done(self, event: Any) -> None:
        item = self._call_for(event)
        arguments = get(event, "arguments")
        if isinstance(arguments, str):
            item.model.arguments = arguments
        try:
            parsed = parse_function_tool_arguments(input_tools=self._tools, call=item.model)
        except ValueError:  # arguments cut short (pydantic's ValidationError is a ValueError): known at the end
            parsed = None
        set_added(item.model, "parsed_arguments", parsed)

    def function_call(self, event: Any) -> Any:
        """The function call item (name, arguments so far) a ``function_call_arguments`` event is about."""
        return self._call_for(event).model

    def _item_done(self, event: Any) -> None:
        raw = get(event, "item")
        if raw is None:
            return
        item = _find_by_id(self._items, get(raw, "id")) or self._find(event)
        if item is None:
            index = get(event, "output_index")
            self._new_item(raw, index if isinstance(index, int) else None)
        else:
            # The done item is what the server settled on (status, annotations): keep it, with the parsed
            # values already worked out for its text parts.
            done = _parsed_item(raw)
            if _kind(done) == "message":
                parts = list(get(done, "content") or ())
                for position, part in enumerate(parts):
                    if position < len(item.parts) and "parsed" in item.parts[position].model.__dict__:
                        set_added(part, "parsed", item.parts[position].model.__dict__["parsed"])
                item.parts = [_Part(part) for part in parts]
            item.model = done
        self._sync_output()

    def _finished(self, event: Any) -> Any:
        response = _as_response(get(event, "response"))
        if response is None:
            response = self.current_snapshot()
        output = get(response, "output")
        if not output:
            # Servers that leave the final output out (or send an empty one) still streamed it.
            response = rebuild(ParsedResponse, response, output=[item.model for item in self._ordered()])
        status = get(response, "status")
        kind = get(event, "type")
        if status == "completed" or (status is None and kind == "response.completed"):
            final = parse_response(text_format=self._format, input_tools=self._tools, response=response)
            self._final = final
        else:
            final = rebuild(ParsedResponse, response)
            self._terminal = final
        self._snapshot = final
        if kind == "response.completed":
            return _derived(ResponseCompletedEvent, event, response=final)
        return event


def _kind(model: object) -> str | None:
    if isinstance(model, Mapping):
        return cast("Mapping[str, Any]", model).get("type")
    return get(model, "type")


def _find_by_id(items: list[_Item], item_id: object) -> _Item | None:
    if not isinstance(item_id, str) or not item_id:
        return None
    for item in items:
        if get(item.model, "id") == item_id:
            return item
    return None


def _as_response(value: object) -> Any:
    """A final or starting response as a model (leniently built events may carry a plain dict)."""
    if value is None or isinstance(value, pydantic.BaseModel):
        return value
    if isinstance(value, Mapping):
        from ....types import Response

        return parse_model(Response, cast("Mapping[str, Any]", value))
    return None


def _parsed_part(raw: Any) -> Any:
    """A content part in the form the snapshot keeps: text as :class:`ParsedResponseOutputText`."""
    if _kind(raw) == "output_text":
        part = rebuild(ParsedResponseOutputText, raw)
        if get(part, "text") is None:
            part.text = ""
        return part
    if _kind(raw) == "refusal" and isinstance(raw, Mapping):
        from ....types import RefusalContent

        return parse_model(RefusalContent, cast("Mapping[str, Any]", raw))
    return raw


def _parsed_item(raw: Any) -> Any:
    """An output item in the form the snapshot keeps: messages and function calls as their parsed types."""
    kind = _kind(raw)
    if kind == "message":
        content = [_parsed_part(part) for part in get(raw, "content") or ()]
        return rebuild(ParsedResponseOutputMessage, raw, content=content)
    if kind == "function_call":
        call = rebuild(ParsedResponseFunctionToolCall, raw)
        if get(call, "arguments") is None:
            call.arguments = ""
        return call
    return raw


def _derived(cls: type[Any], event: Any, **added: Any) -> Any:
    """A helper event built from a raw one: every field the server sent, plus ``added`` (not validated)."""
    return rebuild(cls, event, **added)
