"""The events a chat completion stream helper yields (``client.chat.completions.stream``).

Besides each raw ``chunk`` (with the completion accumulated so far), the
stream yields what a caller usually wants to react to: text and refusal
deltas with their snapshots, the whole content once it is done (parsed into
the requested type), tool-call argument deltas and completed calls (parsed
when the tool came from a pydantic model) and logprobs. The official SDK's
event types and names (``event.type``).
"""

from __future__ import annotations

from typing import Generic, Literal, TypeAlias

from ...._core._models import BaseModel
from ....types import ChatCompletionChunk, ChatCompletionTokenLogprob
from ..._parsing import ResponseFormatT
from ._types import ParsedChatCompletionSnapshot

__all__ = [
    "ChatCompletionStreamEvent",
    "ChunkEvent",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "FunctionToolCallArgumentsDeltaEvent",
    "FunctionToolCallArgumentsDoneEvent",
    "LogprobsContentDeltaEvent",
    "LogprobsContentDoneEvent",
    "LogprobsRefusalDeltaEvent",
    "LogprobsRefusalDoneEvent",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
]


class ChunkEvent(BaseModel):
    """Every chunk as it came, with the completion accumulated up to and including it."""

    type: Literal["chunk"]
    chunk: ChatCompletionChunk
    snapshot: ParsedChatCompletionSnapshot


class ContentDeltaEvent(BaseModel, Generic[ResponseFormatT]):
    """New content text. ``parsed`` is the requested type with the fields seen so far (partial JSON)."""

    type: Literal["content.delta"]
    delta: str
    snapshot: str
    parsed: ResponseFormatT | None = None

    @property
    def content(self) -> str:
        """The same as ``delta`` (the official SDK's helpers guide prints ``event.content`` for this event)."""
        return self.delta


class ContentDoneEvent(BaseModel, Generic[ResponseFormatT]):
    """The whole content, and its value parsed into the requested type."""

    type: Literal["content.done"]
    content: str
    parsed: ResponseFormatT | None = None


class RefusalDeltaEvent(BaseModel):
    type: Literal["refusal.delta"]
    delta: str
    snapshot: str


class RefusalDoneEvent(BaseModel):
    type: Literal["refusal.done"]
    refusal: str


class FunctionToolCallArgumentsDeltaEvent(BaseModel):
    """New argument text of a function tool call; ``parsed_arguments`` is the value so far (the tool's model
    with the fields seen, for a tool from ``pydantic_function_tool``; ``None`` for a tool that is not strict)."""

    type: Literal["tool_calls.function.arguments.delta"]
    name: str
    index: int
    arguments: str
    parsed_arguments: object = None
    arguments_delta: str


class FunctionToolCallArgumentsDoneEvent(BaseModel):
    type: Literal["tool_calls.function.arguments.done"]
    name: str
    index: int
    arguments: str
    parsed_arguments: object = None


class LogprobsContentDeltaEvent(BaseModel):
    type: Literal["logprobs.content.delta"]
    content: list[ChatCompletionTokenLogprob]
    snapshot: list[ChatCompletionTokenLogprob]


class LogprobsContentDoneEvent(BaseModel):
    type: Literal["logprobs.content.done"]
    content: list[ChatCompletionTokenLogprob]


class LogprobsRefusalDeltaEvent(BaseModel):
    type: Literal["logprobs.refusal.delta"]
    refusal: list[ChatCompletionTokenLogprob]
    snapshot: list[ChatCompletionTokenLogprob]


class LogprobsRefusalDoneEvent(BaseModel):
    type: Literal["logprobs.refusal.done"]
    refusal: list[ChatCompletionTokenLogprob]


ChatCompletionStreamEvent: TypeAlias = (
    ChunkEvent
    | ContentDeltaEvent[ResponseFormatT]
    | ContentDoneEvent[ResponseFormatT]
    | RefusalDeltaEvent
    | RefusalDoneEvent
    | FunctionToolCallArgumentsDeltaEvent
    | FunctionToolCallArgumentsDoneEvent
    | LogprobsContentDeltaEvent
    | LogprobsContentDoneEvent
    | LogprobsRefusalDeltaEvent
    | LogprobsRefusalDoneEvent
)
