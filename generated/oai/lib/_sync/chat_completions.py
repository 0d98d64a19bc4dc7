# Written by scripts/unasync.py from generated/oai/lib/_async/chat_completions.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""``client.chat.completions.stream(...)``: the context manager and the stream it gives (async source).

``with client.chat.completions.stream(model=..., messages=..., response_format=MathResponse) as stream:``
iterates the helper events (``content.delta`` with the partial ``MathResponse``,
``content.done``, tool-call argument deltas, refusals, logprobs, every
``chunk``), and ``stream.get_final_completion()`` returns the
:class:`~oai.types.ParsedChatCompletion`. The accumulation is
:class:`~oai.lib.streaming.chat.ChatCompletionStreamState`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic

from ..._core._types import NOT_GIVEN, NotGiven
from .._parsing._completions import ResponseFormatT
from ..streaming.chat._state import ChatCompletionStreamState
from ._helper_stream import EventHandler, HelperStream

if TYPE_CHECKING:
    from ..._core import Stream
    from .._parsed_chat import ParsedChatCompletion
    from ..streaming.chat._events import ChatCompletionStreamEvent
    from ..streaming.chat._types import ParsedChatCompletionSnapshot

__all__ = ["ChatCompletionStream", "ChatCompletionStreamManager"]


class ChatCompletionStream(HelperStream["ChatCompletionStreamEvent[ResponseFormatT]"], Generic[ResponseFormatT]):
    """The helper events of a streamed chat completion, and the completion accumulated from its chunks."""

    def __init__(
        self,
        *,
        raw_stream: Stream[Any],
        response_format: type[ResponseFormatT] | Mapping[str, Any] | NotGiven = NOT_GIVEN,
        input_tools: Iterable[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        event_handler: EventHandler | None = None,
    ) -> None:
        super().__init__(raw_stream, event_handler)
        self._state: ChatCompletionStreamState[ResponseFormatT] = ChatCompletionStreamState(
            input_tools=input_tools, response_format=response_format
        )

    def _handle(self, raw: Any) -> list[ChatCompletionStreamEvent[ResponseFormatT]]:
        return self._state.handle_chunk(raw)

    def _finish(self) -> None:
        self._state.finish()

    @property
    def current_completion_snapshot(self) -> ParsedChatCompletionSnapshot:
        """The completion accumulated so far."""
        return self._state.current_completion_snapshot

    @property
    def text_stream(self) -> Iterator[str]:
        """Only the content text, delta by delta (reads the same stream as iterating the events)."""
        return self._text_deltas()

    def _text_deltas(self) -> Iterator[str]:
        for event in self:
            if event.type == "content.delta":
                yield event.delta

    def get_final_completion(self) -> ParsedChatCompletion[ResponseFormatT]:
        """Read the stream to its end; the completion with content and tool arguments parsed.

        Raises :class:`~oai.LengthFinishReasonError` /
        :class:`~oai.ContentFilterFinishReasonError` (with the partial value,
        the text and the usage) when structured output was cut short.
        """
        self.until_done()
        return self._state.get_final_completion()


class ChatCompletionStreamManager(Generic[ResponseFormatT]):
    """What ``chat.completions.stream(...)`` returns: ``with`` it to send the request and get the stream.

    The request is sent on entering; leaving closes the stream (also when the
    block raises or stops reading early).
    """

    def __init__(
        self,
        api_request: Callable[[], Stream[Any]],
        *,
        response_format: type[ResponseFormatT] | Mapping[str, Any] | NotGiven = NOT_GIVEN,
        input_tools: Iterable[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        event_handler: EventHandler | None = None,
    ) -> None:
        self._api_request = api_request
        self._response_format = response_format
        self._input_tools = input_tools
        self._event_handler = event_handler
        self._stream: ChatCompletionStream[ResponseFormatT] | None = None

    def __enter__(self) -> ChatCompletionStream[ResponseFormatT]:
        raw_stream = self._api_request()
        self._stream = ChatCompletionStream(
            raw_stream=raw_stream,
            response_format=self._response_format,
            input_tools=self._input_tools,
            event_handler=self._event_handler,
        )
        return self._stream

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            self._stream.close()
