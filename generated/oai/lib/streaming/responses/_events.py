"""The events a Responses stream helper yields (``client.responses.stream``).

Every event of the API comes through as its typed model; four are richer
than the raw ones: text deltas carry the text so far (``snapshot``) and, when
``text_format`` was given, ``parsed``, the requested type with the fields seen
so far; the text's ``done`` event carries the value parsed; function-call
argument deltas carry the arguments so far; and ``response.completed`` carries
the :class:`~oai.types.ParsedResponse`. The official SDK's names.
"""

from __future__ import annotations

from typing import Generic, TypeAlias

from ....types import (
    ResponseAudioDeltaEvent,
    ResponseAudioDoneEvent,
    ResponseAudioTranscriptDeltaEvent,
    ResponseAudioTranscriptDoneEvent,
    ResponseCodeInterpreterCallCodeDeltaEvent,
    ResponseCodeInterpreterCallCodeDoneEvent,
    ResponseCodeInterpreterCallCompletedEvent,
    ResponseCodeInterpreterCallInProgressEvent,
    ResponseCodeInterpreterCallInterpretingEvent,
    ResponseContentPartAddedEvent,
    ResponseContentPartDoneEvent,
    ResponseCreatedEvent,
    ResponseCustomToolCallInputDeltaEvent,
    ResponseCustomToolCallInputDoneEvent,
    ResponseErrorEvent,
    ResponseFailedEvent,
    ResponseFileSearchCallCompletedEvent,
    ResponseFileSearchCallInProgressEvent,
    ResponseFileSearchCallSearchingEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseImageGenCallCompletedEvent,
    ResponseImageGenCallGeneratingEvent,
    ResponseImageGenCallInProgressEvent,
    ResponseImageGenCallPartialImageEvent,
    ResponseIncompleteEvent,
    ResponseInProgressEvent,
    ResponseMCPCallArgumentsDeltaEvent,
    ResponseMCPCallArgumentsDoneEvent,
    ResponseMCPCallCompletedEvent,
    ResponseMCPCallFailedEvent,
    ResponseMCPCallInProgressEvent,
    ResponseMCPListToolsCompletedEvent,
    ResponseMCPListToolsFailedEvent,
    ResponseMCPListToolsInProgressEvent,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseOutputTextAnnotationAddedEvent,
    ResponseQueuedEvent,
    ResponseReasoningSummaryPartAddedEvent,
    ResponseReasoningSummaryPartDoneEvent,
    ResponseReasoningSummaryTextDeltaEvent,
    ResponseReasoningSummaryTextDoneEvent,
    ResponseReasoningTextDeltaEvent,
    ResponseReasoningTextDoneEvent,
    ResponseRefusalDeltaEvent,
    ResponseRefusalDoneEvent,
    ResponseShellCallCommandAddedStreamingEvent,
    ResponseShellCallCommandDeltaStreamingEvent,
    ResponseShellCallCommandDoneStreamingEvent,
    ResponseShellCallOutputContentDeltaStreamingEvent,
    ResponseShellCallOutputContentDoneStreamingEvent,
    ResponseWebSearchCallCompletedEvent,
    ResponseWebSearchCallInProgressEvent,
    ResponseWebSearchCallSearchingEvent,
)
from ....types import ResponseCompletedEvent as RawResponseCompletedEvent
from ....types import ResponseFunctionCallArgumentsDeltaEvent as RawResponseFunctionCallArgumentsDeltaEvent
from ....types import ResponseTextDeltaEvent as RawResponseTextDeltaEvent
from ....types import ResponseTextDoneEvent as RawResponseTextDoneEvent
from ..._models import inherit_namespaces
from ..._parsed_responses import ParsedResponse
from ..._parsing import TextFormatT

__all__ = [
    "ResponseCompletedEvent",
    "ResponseFunctionCallArgumentsDeltaEvent",
    "ResponseStreamEvent",
    "ResponseTextDeltaEvent",
    "ResponseTextDoneEvent",
]


class ResponseTextDeltaEvent(RawResponseTextDeltaEvent, Generic[TextFormatT]):
    snapshot: str
    """The text of this part so far."""
    parsed: TextFormatT | None = None
    """With ``text_format``: the requested type with the fields seen so far (partial JSON); else ``None``."""


class ResponseTextDoneEvent(RawResponseTextDoneEvent, Generic[TextFormatT]):
    parsed: TextFormatT | None = None
    """With ``text_format``: the whole text parsed into it."""


class ResponseFunctionCallArgumentsDeltaEvent(RawResponseFunctionCallArgumentsDeltaEvent):
    snapshot: str
    """The arguments so far."""


class ResponseCompletedEvent(RawResponseCompletedEvent, Generic[TextFormatT]):
    response: ParsedResponse[TextFormatT]  # pyright: ignore[reportIncompatibleVariableOverride]


ResponseStreamEvent: TypeAlias = (
    ResponseTextDeltaEvent[TextFormatT]
    | ResponseTextDoneEvent[TextFormatT]
    | ResponseFunctionCallArgumentsDeltaEvent
    | ResponseCompletedEvent[TextFormatT]
    | ResponseAudioDeltaEvent
    | ResponseAudioDoneEvent
    | ResponseAudioTranscriptDeltaEvent
    | ResponseAudioTranscriptDoneEvent
    | ResponseCodeInterpreterCallCodeDeltaEvent
    | ResponseCodeInterpreterCallCodeDoneEvent
    | ResponseCodeInterpreterCallCompletedEvent
    | ResponseCodeInterpreterCallInProgressEvent
    | ResponseCodeInterpreterCallInterpretingEvent
    | ResponseContentPartAddedEvent
    | ResponseContentPartDoneEvent
    | ResponseCreatedEvent
    | ResponseErrorEvent
    | ResponseFileSearchCallCompletedEvent
    | ResponseFileSearchCallInProgressEvent
    | ResponseFileSearchCallSearchingEvent
    | ResponseFunctionCallArgumentsDoneEvent
    | ResponseShellCallCommandAddedStreamingEvent
    | ResponseShellCallCommandDeltaStreamingEvent
    | ResponseShellCallCommandDoneStreamingEvent
    | ResponseShellCallOutputContentDeltaStreamingEvent
    | ResponseShellCallOutputContentDoneStreamingEvent
    | ResponseInProgressEvent
    | ResponseFailedEvent
    | ResponseIncompleteEvent
    | ResponseOutputItemAddedEvent
    | ResponseOutputItemDoneEvent
    | ResponseReasoningSummaryPartAddedEvent
    | ResponseReasoningSummaryPartDoneEvent
    | ResponseReasoningSummaryTextDeltaEvent
    | ResponseReasoningSummaryTextDoneEvent
    | ResponseReasoningTextDeltaEvent
    | ResponseReasoningTextDoneEvent
    | ResponseRefusalDeltaEvent
    | ResponseRefusalDoneEvent
    | ResponseWebSearchCallCompletedEvent
    | ResponseWebSearchCallInProgressEvent
    | ResponseWebSearchCallSearchingEvent
    | ResponseImageGenCallCompletedEvent
    | ResponseImageGenCallGeneratingEvent
    | ResponseImageGenCallInProgressEvent
    | ResponseImageGenCallPartialImageEvent
    | ResponseMCPCallArgumentsDeltaEvent
    | ResponseMCPCallArgumentsDoneEvent
    | ResponseMCPCallCompletedEvent
    | ResponseMCPCallFailedEvent
    | ResponseMCPCallInProgressEvent
    | ResponseMCPListToolsCompletedEvent
    | ResponseMCPListToolsFailedEvent
    | ResponseMCPListToolsInProgressEvent
    | ResponseOutputTextAnnotationAddedEvent
    | ResponseQueuedEvent
    | ResponseCustomToolCallInputDeltaEvent
    | ResponseCustomToolCallInputDoneEvent
)
"""One event of a Responses stream helper: the API's events, four of them with the additions above."""

inherit_namespaces(
    ResponseTextDeltaEvent, ResponseTextDoneEvent, ResponseFunctionCallArgumentsDeltaEvent, ResponseCompletedEvent
)
