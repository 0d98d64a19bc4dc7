"""What the chat and Responses stream helpers share: iteration, handlers, ``.on()`` callbacks, closing.

A helper stream wraps the raw stream of a request: each raw event goes
through the stream's state machine (``lib/streaming/*/_state.py``, no I/O),
and each event that comes out is first passed to the event handler and to the
callbacks registered with :meth:`on`, then yielded. When the raw stream ends,
the state machine's ``finish`` raises the typed error for structured output
that was cut short.

Handlers and callbacks run in the caller's iteration (also inside
``until_done()`` / ``get_final_*()``). An exception they raise is the
caller's: it propagates, and the stream is closed. An error of the stream
itself (the connection, the server, a cut-short structured answer) is passed
to ``on_error`` and then raised; ``on_end`` runs once when the stream stops,
however it stops.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from typing_extensions import Self

from ..streaming._handler_calls import handler_calls

if TYPE_CHECKING:
    import httpx

    from ..._core import AsyncStream, StreamPartial, StreamStats
    from ..streaming._assistants_state import Call

__all__ = ["AsyncEventHandler"]

_EventT = TypeVar("_EventT")


class AsyncEventHandler:
    """Callbacks for the events of ``chat.completions.stream(...)`` and ``responses.stream(...)``.

    Subclass it, override what you need and pass an instance as
    ``event_handler=``; the callbacks run as the stream is iterated (or
    consumed by ``until_done()`` / ``get_final_*()``). The same callbacks
    serve both APIs: ``on_text_delta`` fires for a chat ``content.delta`` and
    for a Responses ``response.output_text.delta``.
    """

    async def on_event(self, event: Any) -> None:
        """Every event, before the callback for its type."""

    async def on_text_delta(self, delta: str, snapshot: str) -> None:
        """New output text, and the text so far."""

    async def on_text_done(self, text: str) -> None:
        """The whole output text of a message."""

    async def on_tool_call_delta(self, name: str | None, delta: str, snapshot: str) -> None:
        """New argument text of a function call, and its arguments so far."""

    async def on_tool_call_done(self, name: str | None, arguments: str, parsed_arguments: object) -> None:
        """A function call's whole arguments (``parsed_arguments``: the tool's model, for a pydantic tool)."""

    async def on_refusal(self, refusal: str) -> None:
        """The model refused; the whole refusal text."""

    async def on_error(self, error: Exception) -> None:
        """The stream failed (``error`` is raised to the caller right after)."""

    async def on_end(self) -> None:
        """The stream stopped: read to the end, failed, or closed early."""


class AsyncHelperStream(Generic[_EventT]):
    """Iteration, handler and callback dispatch, and closing, over one raw stream."""

    def __init__(self, raw_stream: AsyncStream[Any], event_handler: AsyncEventHandler | None) -> None:
        self._raw_stream = raw_stream
        self._handler = event_handler
        self._callbacks: dict[str, list[Callable[[Any], Any]]] = {}
        self._iterator = self._events()

    # -- state machine hooks (no I/O) -------------------------------------------------------------------------

    def _handle(self, raw: Any) -> list[_EventT]:
        raise NotImplementedError

    def _finish(self) -> None:
        raise NotImplementedError

    def _calls(self, event: _EventT) -> list[Call]:
        return handler_calls(event)

    # -- public -----------------------------------------------------------------------------------------------

    @property
    def response(self) -> httpx.Response:
        """The HTTP response being read."""
        return self._raw_stream.response

    @property
    def stats(self) -> StreamStats:
        """Timings and counts of the underlying stream, live (docs/streams.md)."""
        return self._raw_stream.stats

    @property
    def partial(self) -> StreamPartial:
        """What the underlying stream delivered so far: text, reasoning, tool calls, usage."""
        return self._raw_stream.partial

    def on(self, event_type: str, callback: Callable[[Any], Any]) -> Self:
        """Call ``callback(event)`` for every event whose ``type`` is ``event_type``
        (``stream.on("response.output_text.delta", show)``); returns the stream, so calls chain."""
        self._callbacks.setdefault(event_type, []).append(callback)
        return self

    def __aiter__(self) -> AsyncIterator[_EventT]:
        return self._iterator

    async def __anext__(self) -> _EventT:
        return await self._iterator.__anext__()

    async def until_done(self) -> Self:
        """Read the stream to its end (running the handlers and callbacks)."""
        async for _ in self._iterator:
            pass
        return self

    async def close(self) -> None:
        """Stop reading and release the connection; safe to call more than once."""
        await self._iterator.aclose()
        await self._raw_stream.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # -- machinery --------------------------------------------------------------------------------------------

    async def _derived(self) -> AsyncGenerator[_EventT, None]:
        async for raw in self._raw_stream:
            for event in self._handle(raw):
                yield event
        self._finish()

    async def _events(self) -> AsyncGenerator[_EventT, None]:
        derived = self._derived()
        try:
            while True:
                try:
                    event = await derived.__anext__()
                except StopAsyncIteration:
                    return
                except Exception as exc:
                    await self._call("on_error", (exc,))
                    raise
                for name, args in self._calls(event):
                    await self._call(name, args)
                for callback in self._callbacks.get(str(getattr(event, "type", "")), ()):
                    await _maybe_await(callback(event))
                yield event
        finally:
            await derived.aclose()
            await self._call("on_end", ())

    async def _call(self, name: str, args: tuple[Any, ...]) -> None:
        if self._handler is not None:
            await _maybe_await(getattr(self._handler, name)(*args))


async def _maybe_await(result: object) -> None:
    """Wait for what a callback returned when it is awaitable (a coroutine function as an async stream's callback)."""
    # unasync: async-only
    if inspect.isawaitable(result):
        await result
    # unasync: end
