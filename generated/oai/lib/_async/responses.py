"""``client.responses.stream(...)``: the context manager and the stream it gives (async source).

``async with client.responses.stream(input=..., model=..., text_format=MathResponse) as stream:``
iterates the typed Responses events (text deltas with the text so far and the
partial ``MathResponse``), and ``await stream.get_final_response()`` returns the
:class:`~oai.types.ParsedResponse` whose ``output_parsed`` is the ``MathResponse``.
The accumulation is :class:`~oai.lib.streaming.responses.ResponseStreamState`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic

from ..._core._types import NOT_GIVEN, NotGiven
from .._parsing._responses import TextFormatT
from ..streaming._handler_calls import handler_calls
from ..streaming.responses._state import ResponseStreamState
from ._helper_stream import AsyncEventHandler, AsyncHelperStream

if TYPE_CHECKING:
    from ..._core import AsyncStream
    from .._parsed_responses import ParsedResponse
    from ..streaming._assistants_state import Call
    from ..streaming.responses._events import ResponseStreamEvent
    from ..streaming.responses._types import ParsedResponseSnapshot

__all__ = ["AsyncResponseStream", "AsyncResponseStreamManager"]


class AsyncResponseStream(AsyncHelperStream["ResponseStreamEvent[TextFormatT]"], Generic[TextFormatT]):
    """The events of a streamed response, with the text so far, partial parsed values and the final response."""

    def __init__(
        self,
        *,
        raw_stream: AsyncStream[Any],
        text_format: type[TextFormatT] | NotGiven = NOT_GIVEN,
        input_tools: Iterable[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        starting_after: int | None = None,
        event_handler: AsyncEventHandler | None = None,
    ) -> None:
        super().__init__(raw_stream, event_handler)
        self._state: ResponseStreamState[TextFormatT] = ResponseStreamState(
            input_tools=input_tools, text_format=text_format, starting_after=starting_after
        )

    def _handle(self, raw: Any) -> list[ResponseStreamEvent[TextFormatT]]:
        return self._state.handle_event(raw)

    def _finish(self) -> None:
        self._state.finish()

    def _calls(self, event: ResponseStreamEvent[TextFormatT]) -> list[Call]:
        return handler_calls(event, self._state.function_call)

    def current_snapshot(self) -> ParsedResponseSnapshot:
        """The response accumulated so far."""
        return self._state.current_snapshot()

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """Only the output text, delta by delta (reads the same stream as iterating the events)."""
        return self._text_deltas()

    async def _text_deltas(self) -> AsyncIterator[str]:
        async for event in self:
            if event.type == "response.output_text.delta":
                yield event.delta

    async def get_final_response(self) -> ParsedResponse[TextFormatT]:
        """Read the stream to its end; the final response with its text parsed into ``text_format``.

        Raises the typed error (:class:`~oai.LengthFinishReasonError`,
        :class:`~oai.ContentFilterFinishReasonError`,
        :class:`~oai.lib.ResponseIncompleteError`) when structured output did not
        complete, and :class:`~oai.lib.ResponseIncompleteError` when the stream
        ended without a final event.
        """
        await self.until_done()
        return self._state.get_final_response()


class AsyncResponseStreamManager(Generic[TextFormatT]):
    """What ``responses.stream(...)`` returns: ``async with`` it to send the request and get the stream.

    The request is sent on entering; leaving closes the stream (also when the
    block raises or stops reading early), so the connection is never leaked.
    """

    def __init__(
        self,
        api_request: Callable[[], Awaitable[AsyncStream[Any]]],
        *,
        text_format: type[TextFormatT] | NotGiven = NOT_GIVEN,
        input_tools: Iterable[Mapping[str, Any]] | NotGiven = NOT_GIVEN,
        starting_after: int | None = None,
        event_handler: AsyncEventHandler | None = None,
    ) -> None:
        self._api_request = api_request
        self._text_format = text_format
        self._input_tools = input_tools
        self._starting_after = starting_after
        self._event_handler = event_handler
        self._stream: AsyncResponseStream[TextFormatT] | None = None

    async def __aenter__(self) -> AsyncResponseStream[TextFormatT]:
        raw_stream = await self._api_request()
        self._stream = AsyncResponseStream(
            raw_stream=raw_stream,
            text_format=self._text_format,
            input_tools=self._input_tools,
            starting_after=self._starting_after,
            event_handler=self._event_handler,
        )
        return self._stream

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            await self._stream.close()
