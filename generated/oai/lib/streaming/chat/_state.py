"""Chat completion chunks in, a completion and helper events out: the stream helper's state machine (sans I/O).

:class:`ChatCompletionStreamState` is what ``chat.completions.stream`` runs
each chunk through, and can be used on its own over any source of chunks::

    state = ChatCompletionStreamState(response_format=MathResponse)
    for chunk in client.chat.completions.create(..., stream=True):
        for event in state.handle_chunk(chunk):
            ...
    completion = state.get_final_completion()   # ParsedChatCompletion[MathResponse]

Servers differ in what they send; the state takes what comes: a chunk or
choice without an ``index`` counts as choice 0, a tool-call delta without an
``index`` continues the call it names by ``id`` (or the last one), a server
that repeats a tool's whole name in every delta does not get it doubled, a
chunk that is not a completion chunk (Azure's content-filter notices) is
skipped.

When the request asked for structured output (a type as ``response_format``,
or strict tools), a choice that stops for ``length`` or ``content_filter``
makes :meth:`finish` (and :meth:`get_final_completion`) raise
:class:`~oai.LengthFinishReasonError` / :class:`~oai.ContentFilterFinishReasonError`
with the partial value, the text and the usage. The error waits for the end of
the stream because the usage chunk comes after the finishing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic

from ...._core._types import NOT_GIVEN, NotGiven
from ....types._models.chat_completion import ChatCompletionChoiceLogprobs
from ..._fields import get
from ..._parsed_chat import ParsedChatCompletion, ParsedChatCompletionMessage, ParsedChoice, ParsedFunction
from ..._parsed_chat import ParsedFunctionToolCall as _ToolCall
from ..._parsing._completions import (
    ResponseFormatT,
    build,
    has_parseable_input,
    has_rich_response_format,
    maybe_parse_content,
    parse_chat_completion,
    parse_function_tool_arguments,
    partial_tool_arguments,
    partial_value,
    raise_for_finish_reason,
    rebuild,
    set_added,
)
from ..._partial_json import PartialJSON
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
from ._types import ParsedChatCompletionSnapshot, ParsedChoiceSnapshot

if TYPE_CHECKING:
    from ....types import ChatCompletionChunk, ChatCompletionTokenLogprob

__all__ = ["ChatCompletionStreamState"]

_ERROR_FINISH = ("length", "content_filter")


class _Tool:
    """One tool call of a choice while it streams."""

    __slots__ = ("arguments", "call", "wire_index")

    def __init__(self, call: _ToolCall, wire_index: int | None) -> None:
        self.call = call
        self.wire_index = wire_index
        self.arguments = PartialJSON()


class _Choice:
    """One choice while it streams: its snapshot and which done events it has sent."""

    def __init__(self, snapshot: ParsedChoiceSnapshot) -> None:
        self.snapshot = snapshot
        self.content = PartialJSON()
        self.tools: list[_Tool] = []
        self.current_tool: int | None = None
        self.done_tools: set[int] = set()
        self.content_done = False
        self.refusal_done = False
        self.logprobs_content_done = False
        self.logprobs_refusal_done = False
        # What the chunk being handled added (read by the event builder).
        self.new_content: str | None = None
        self.new_refusal: str | None = None
        self.new_tools: list[tuple[int, str]] = []  # (position, arguments delta)
        self.new_logprobs_content: list[ChatCompletionTokenLogprob] = []
        self.new_logprobs_refusal: list[ChatCompletionTokenLogprob] = []


class ChatCompletionStreamState(Generic[ResponseFormatT]):
    """Accumulates chat completion chunks into a :class:`~oai.types.ParsedChatCompletion` and the helper events."""

    def __init__(
        self,
        *,
        input_tools: Iterable[Mapping[str, Any]] | NotGiven | None = NOT_GIVEN,
        response_format: type[ResponseFormatT] | Mapping[str, Any] | NotGiven | None = NOT_GIVEN,
    ) -> None:
        self._input_tools: list[Mapping[str, Any]] = (
            [] if isinstance(input_tools, NotGiven) or input_tools is None else list(input_tools)
        )
        self._response_format: Any = response_format
        self._rich_format: Any = response_format if has_rich_response_format(response_format) else NOT_GIVEN
        self._structured = has_parseable_input(response_format=response_format, input_tools=self._input_tools)
        self._snapshot: ParsedChatCompletionSnapshot | None = None
        self._choices: dict[int, _Choice] = {}

    # -- public -----------------------------------------------------------------------------------------------

    @property
    def current_completion_snapshot(self) -> ParsedChatCompletionSnapshot:
        """The completion accumulated so far (an empty one before the first chunk)."""
        if self._snapshot is not None:
            return self._snapshot
        snapshot: ParsedChatCompletionSnapshot = build(ParsedChatCompletion, object="chat.completion", choices=[])
        self._snapshot = snapshot
        return snapshot

    def handle_chunk(self, chunk: ChatCompletionChunk) -> list[ChatCompletionStreamEvent[ResponseFormatT]]:
        """Add ``chunk`` to the snapshot; the events it gives, in order (first its :class:`ChunkEvent`)."""
        kind = get(chunk, "object")
        if isinstance(kind, str) and kind != "chat.completion.chunk":
            return []  # not a completion chunk (Azure's asynchronous content filter sends such events)
        snapshot = self._accumulate(chunk)
        events: list[ChatCompletionStreamEvent[ResponseFormatT]] = [
            build(ChunkEvent, type="chunk", chunk=chunk, snapshot=snapshot)
        ]
        for choice in get(chunk, "choices") or ():
            state = self._choices[_index(choice)]
            events.extend(self._choice_events(state))
        return events

    def finish(self) -> None:
        """Call when the stream has ended: raises the typed error for structured output that was cut short."""
        if not self._structured or self._snapshot is None:
            return
        for state in self._choices.values():
            message = state.snapshot.message
            if state.snapshot.finish_reason in _ERROR_FINISH:
                raise_for_finish_reason(
                    state.snapshot.finish_reason,
                    completion=self._snapshot,
                    response_format=self._rich_format,
                    content=message.content,
                )

    def get_final_completion(self) -> ParsedChatCompletion[ResponseFormatT]:
        """The completion with its content and tool arguments parsed (call once the stream has ended)."""
        self.finish()
        return parse_chat_completion(
            response_format=self._rich_format,
            input_tools=self._input_tools,
            chat_completion=self.current_completion_snapshot,
            structured=self._structured,
        )

    # -- accumulation -----------------------------------------------------------------------------------------

    def _accumulate(self, chunk: ChatCompletionChunk) -> ParsedChatCompletionSnapshot:
        snapshot = self._snapshot
        if snapshot is None:
            snapshot = rebuild(ParsedChatCompletion, chunk, object="chat.completion", choices=[])
            if snapshot.__pydantic_extra__:  # per-chunk padding, not part of the completion
                snapshot.__pydantic_extra__.pop("obfuscation", None)
            snapshot.model_fields_set.discard("obfuscation")
            self._snapshot = snapshot
        else:
            for name in ("id", "model", "created", "system_fingerprint", "service_tier"):
                value = get(chunk, name)
                if value is not None and get(snapshot, name) is None:
                    setattr(snapshot, name, value)
        usage = get(chunk, "usage")
        if usage is not None:
            snapshot.usage = usage
        for choice in get(chunk, "choices") or ():
            self._accumulate_choice(snapshot, choice)
        return snapshot

    def _choice(self, snapshot: ParsedChatCompletionSnapshot, index: int) -> _Choice:
        state = self._choices.get(index)
        if state is None:
            message: ParsedChatCompletionMessage[object] = rebuild(
                ParsedChatCompletionMessage, {"role": "assistant", "content": None, "refusal": None}
            )
            choice: ParsedChoiceSnapshot = rebuild(
                ParsedChoice, {"index": index, "finish_reason": None, "logprobs": None, "message": message}
            )
            snapshot.choices.append(choice)
            state = self._choices[index] = _Choice(choice)
        return state

    def _accumulate_choice(self, snapshot: ParsedChatCompletionSnapshot, choice: Any) -> None:
        state = self._choice(snapshot, _index(choice))
        message = state.snapshot.message
        state.new_content = state.new_refusal = None
        state.new_tools = []
        state.new_logprobs_content = []
        state.new_logprobs_refusal = []
        delta = get(choice, "delta")

        content = get(delta, "content")
        if isinstance(content, str):
            message.content = (message.content or "") + content
            state.new_content = content
            if self._rich_format is not NOT_GIVEN and not message.refusal:
                state.content.feed(content)
                set_added(message, "parsed", partial_value(self._rich_format, state.content.value()))

        refusal = get(delta, "refusal")
        if isinstance(refusal, str):
            message.refusal = (message.refusal or "") + refusal
            state.new_refusal = refusal
            set_added(message, "parsed", None)

        for tool_delta in get(delta, "tool_calls") or ():
            self._accumulate_tool(state, tool_delta)

        logprobs = get(choice, "logprobs")
        if logprobs is not None:
            self._accumulate_logprobs(state, logprobs)

        finish_reason = get(choice, "finish_reason")
        if finish_reason is not None:
            state.snapshot.finish_reason = finish_reason

    def _accumulate_tool(self, state: _Choice, tool_delta: Any) -> None:
        position = _tool_position(state, get(tool_delta, "index"), get(tool_delta, "id"))
        if position is None:
            function = rebuild(ParsedFunction, {"name": "", "arguments": ""})
            call = rebuild(_ToolCall, {"id": get(tool_delta, "id") or "", "type": "function", "function": function})
            message = state.snapshot.message
            message.tool_calls = [*(message.tool_calls or ()), call]
            state.tools.append(_Tool(call, get(tool_delta, "index")))
            position = len(state.tools) - 1
        tool = state.tools[position]
        if get(tool_delta, "id") and not tool.call.id:
            tool.call.id = tool_delta.id
        function_delta = get(tool_delta, "function")
        name = get(function_delta, "name")
        if isinstance(name, str) and name:
            current = tool.call.function.name
            # Most servers send the name once; some repeat it whole in every delta.
            tool.call.function.name = name if not current or name.startswith(current) else current + name
        arguments = get(function_delta, "arguments")
        arguments = arguments if isinstance(arguments, str) else ""
        if arguments:
            tool.call.function.arguments += arguments
            tool.arguments.feed(arguments)
            partial = partial_tool_arguments(
                input_tools=self._input_tools, name=tool.call.function.name, arguments=tool.arguments.text
            )
            set_added(tool.call.function, "parsed_arguments", partial)
        state.new_tools.append((position, arguments))

    def _accumulate_logprobs(self, state: _Choice, logprobs: Any) -> None:
        choice = state.snapshot
        if choice.logprobs is None:
            choice.logprobs = build(ChatCompletionChoiceLogprobs, content=None, refusal=None)
        target: Any = choice.logprobs
        for name, new in (("content", state.new_logprobs_content), ("refusal", state.new_logprobs_refusal)):
            tokens = get(logprobs, name)
            if tokens:
                if getattr(target, name, None) is None:
                    setattr(target, name, [])
                getattr(target, name).extend(tokens)
                new.extend(tokens)

    # -- events -----------------------------------------------------------------------------------------------

    def _choice_events(self, state: _Choice) -> list[ChatCompletionStreamEvent[ResponseFormatT]]:
        events: list[ChatCompletionStreamEvent[ResponseFormatT]] = []
        message = state.snapshot.message
        if state.new_content is not None and message.content is not None:
            events.append(
                build(
                    ContentDeltaEvent,
                    type="content.delta",
                    delta=state.new_content,
                    snapshot=message.content,
                    parsed=message.parsed,
                )
            )
        if state.new_refusal is not None and message.refusal is not None:
            events.append(
                build(RefusalDeltaEvent, type="refusal.delta", delta=state.new_refusal, snapshot=message.refusal)
            )
        for position, arguments_delta in state.new_tools:
            if state.current_tool is not None and state.current_tool != position:
                events.extend(self._content_done(state))
                events.extend(self._tool_done(state, state.current_tool))
            elif state.current_tool is None:
                events.extend(self._content_done(state))  # tool calls come after the content
            state.current_tool = position
            call = state.tools[position].call
            events.append(
                build(
                    FunctionToolCallArgumentsDeltaEvent,
                    type="tool_calls.function.arguments.delta",
                    name=call.function.name,
                    index=position,
                    arguments=call.function.arguments,
                    parsed_arguments=call.function.parsed_arguments,
                    arguments_delta=arguments_delta,
                )
            )
        logprobs: Any = state.snapshot.logprobs
        if state.new_logprobs_content:
            events.append(
                build(
                    LogprobsContentDeltaEvent,
                    type="logprobs.content.delta",
                    content=state.new_logprobs_content,
                    snapshot=list(logprobs.content),  # as it is now: the snapshot's list keeps growing
                )
            )
        if state.new_logprobs_refusal:
            events.append(
                build(
                    LogprobsRefusalDeltaEvent,
                    type="logprobs.refusal.delta",
                    refusal=state.new_logprobs_refusal,
                    snapshot=list(logprobs.refusal),
                )
            )
        finish_reason = get(state.snapshot, "finish_reason")
        if finish_reason is not None and not (self._structured and finish_reason in _ERROR_FINISH):
            events.extend(self._content_done(state))
            if state.current_tool is not None:
                events.extend(self._tool_done(state, state.current_tool))
        return events

    def _content_done(self, state: _Choice) -> list[ChatCompletionStreamEvent[ResponseFormatT]]:
        events: list[ChatCompletionStreamEvent[ResponseFormatT]] = []
        message = state.snapshot.message
        if message.content and not state.content_done:
            state.content_done = True
            parsed = maybe_parse_content(response_format=self._rich_format, message=message)
            set_added(message, "parsed", parsed)  # the validated value replaces the partial one
            events.append(build(ContentDoneEvent, type="content.done", content=message.content, parsed=parsed))
        if message.refusal is not None and not state.refusal_done:
            state.refusal_done = True
            events.append(build(RefusalDoneEvent, type="refusal.done", refusal=message.refusal))
        logprobs: Any = state.snapshot.logprobs
        if logprobs is not None and logprobs.content is not None and not state.logprobs_content_done:
            state.logprobs_content_done = True
            events.append(build(LogprobsContentDoneEvent, type="logprobs.content.done", content=logprobs.content))
        if logprobs is not None and logprobs.refusal is not None and not state.logprobs_refusal_done:
            state.logprobs_refusal_done = True
            events.append(build(LogprobsRefusalDoneEvent, type="logprobs.refusal.done", refusal=logprobs.refusal))
        return events

    def _tool_done(self, state: _Choice, position: int) -> list[ChatCompletionStreamEvent[ResponseFormatT]]:
        if position in state.done_tools:
            return []
        state.done_tools.add(position)
        function = state.tools[position].call.function
        parsed = parse_function_tool_arguments(input_tools=self._input_tools, function=function)
        set_added(function, "parsed_arguments", parsed)
        return [
            build(
                FunctionToolCallArgumentsDoneEvent,
                type="tool_calls.function.arguments.done",
                name=function.name,
                index=position,
                arguments=function.arguments,
                parsed_arguments=parsed,
            )
        ]


def _index(choice: Any) -> int:
    index = get(choice, "index")
    return index if isinstance(index, int) else 0


def _tool_position(state: _Choice, wire_index: int | None, call_id: str | None) -> int | None:
    """Which of the choice's tool calls a delta continues; ``None`` for a new one."""
    if isinstance(wire_index, int):
        for position, tool in enumerate(state.tools):
            if tool.wire_index == wire_index:
                return position
        return None
    if call_id:  # no index: the call is named by its id, or it is new
        for position, tool in enumerate(state.tools):
            if tool.call.id == call_id:
                return position
        return None
    return len(state.tools) - 1 if state.tools else None
