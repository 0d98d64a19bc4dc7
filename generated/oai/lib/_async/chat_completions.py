"""``client.chat.completions.stream(...)``: the context manager and the stream it gives (async source).

``async with client.chat.completions.stream(model=..., messages=..., response_format=MathResponse) as stream:``
iterates the helper events (``content.delta`` with the partial ``MathResponse``,
``content.done``, tool-call argument deltas, refusals, logprobs, every
``chunk``), and ``await stream.get_final_completion()`` returns the
:class:`~oai.types.ParsedChatCompletion`. The accumulation is
:class:`~oai.lib.streaming.chat.ChatCompletionStreamState`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic

from ..._core._types import NOT_GIVEN, NotGiven
from .._parsing._completions import ResponseFormatT
from ..streaming.chat._state import ChatCompletionStreamState
from ._helper_stream import AsyncEventHandler, AsyncHelperStream

if TYPE_CHECKING:
    from ..._core import AsyncStream
    from .._parsed_chat import ParsedChatCompletion
    from ..streaming.chat._events import ChatCompletionStreamEvent
    from ..streaming.chat._types import ParsedChatCompletionSnapshot

__all__ = ["AsyncChatCompletionStream", "AsyncChatCompletionStreamManager"]


class AsyncChatCompletionStream(
    AsyncHelperStream["ChatCompletionStreamEvent[ResponseFormatT]"], Generic[ResponseFormatT]
):
    """The helper events of a streamed chat completion, and the completion accumulated from its chunks."""

    def __init__(
        self,
        *,
        raw_stream: AsyncStream[Any],
        response_format: type[ResponseFormatT] | Mapping[str, Any] | NotGiven = NOT_GIVEN,
        input_tools: Iterable[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        event_handler: AsyncEventHandler | None = None,
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
    def text_stream(self) -> AsyncIterator[str]:
        """Only the content text, delta by delta (reads the same stream as iterating the events)."""
        return self._text_deltas()

    async def _text_deltas(self) -> AsyncIterator[str]:
        async for event in self:
            if event.type == "content.delta":
                yield event.delta

    async def get_final_completion(self) -> ParsedChatCompletion[ResponseFormatT]:
        """Read the stream to its end; the completion with content and tool arguments parsed.

        Raises :class:`~oai.LengthFinishReasonError` /
        :class:`~oai.ContentFilterFinishReasonError` (with the partial value,
        the text and the usage) when structured output was cut short.
        """
        await self.until_done()
        return self._state.get_final_completion()


class AsyncChatCompletionStreamManager(Generic[ResponseFormatT]):
    """What ``chat.completions.stream(...)`` returns: ``async with`` it to send the request and get the stream.

    The request is sent on entering; leaving closes the stream (also when the
    block raises or stops reading early).
    """

    def __init__(
        self,
        api_request: Callable[[], Awaitable[AsyncStream[Any]]],
        *,
        response_format: type[ResponseFormatT] | Mapping[str, Any] | NotGiven = NOT_GIVEN,
        input_tools: Iterable[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        event_handler: AsyncEventHandler | None = None,
    ) -> None:
        self._api_request = api_request
        self._response_format = response_format
        self._input_tools = input_tools
        self._event_handler = event_handler
        self._stream: AsyncChatCompletionStream[ResponseFormatT] | None = None

    async def __aenter__(self) -> AsyncChatCompletionStream[ResponseFormatT]:
        raw_stream = await self._api_request()
        self._stream = AsyncChatCompletionStream(
            raw_stream=raw_stream,
            response_format=self._response_format,
            input_tools=self._input_tools,
            event_handler=self._event_handler,
        )
        return self._stream

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
