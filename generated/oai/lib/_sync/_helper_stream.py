# Written by scripts/unasync.py from generated/oai/lib/_async/_helper_stream.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
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

from collections.abc import Callable, Generator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from typing_extensions import Self

from ..streaming._handler_calls import handler_calls

if TYPE_CHECKING:
    import httpx

    from ..._core import Stream, StreamPartial, StreamStats
    from ..streaming._assistants_state import Call

__all__ = ["EventHandler"]

_EventT = TypeVar("_EventT")


class EventHandler:
    """Callbacks for the events of ``chat.completions.stream(...)`` and ``responses.stream(...)``.

    Subclass it, override what you need and pass an instance as
    ``event_handler=``; the callbacks run as the stream is iterated (or
    consumed by ``until_done()`` / ``get_final_*()``). The same callbacks
    serve both APIs: ``on_text_delta`` fires for a chat ``content.delta`` and
    for a Responses ``response.output_text.delta``.
    """

    def on_event(self, event: Any) -> None:
        """Every event, before the callback for its type."""

    def on_text_delta(self, delta: str, snapshot: str) -> None:
        """New output text, and the text so far."""

    def on_text_done(self, text: str) -> None:
        """The whole output text of a message."""

    def on_tool_call_delta(self, name: str | None, delta: str, snapshot: str) -> None:
        """New argument text of a function call, and its arguments so far."""

    def on_tool_call_done(self, name: str | None, arguments: str, parsed_arguments: object) -> None:
        """A function call's whole arguments (``parsed_arguments``: the tool's model, for a pydantic tool)."""

    def on_refusal(self, refusal: str) -> None:
        """The model refused; the whole refusal text."""

    def on_error(self, error: Exception) -> None:
        """The stream failed (``error`` is raised to the caller right after)."""

    def on_end(self) -> None:
        """The stream stopped: read to the end, failed, or closed early."""


class HelperStream(Generic[_EventT]):
    """Iteration, handler and callback dispatch, and closing, over one raw stream."""

    def __init__(self, raw_stream: Stream[Any], event_handler: EventHandler | None) -> None:
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

    def __iter__(self) -> Iterator[_EventT]:
        return self._iterator

    def __next__(self) -> _EventT:
        return self._iterator.__next__()

    def until_done(self) -> Self:
        """Read the stream to its end (running the handlers and callbacks)."""
        for _ in self._iterator:
            pass
        return self

    def close(self) -> None:
        """Stop reading and release the connection; safe to call more than once."""
        self._iterator.close()
        self._raw_stream.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- machinery --------------------------------------------------------------------------------------------

    def _derived(self) -> Generator[_EventT, None]:
        for raw in self._raw_stream:
            yield from self._handle(raw)
        self._finish()

    def _events(self) -> Generator[_EventT, None]:
        derived = self._derived()
        try:
            while True:
                try:
                    event = derived.__next__()
                except StopIteration:
                    return
                except Exception as exc:
                    self._call("on_error", (exc,))
                    raise
                for name, args in self._calls(event):
                    self._call(name, args)
                for callback in self._callbacks.get(str(getattr(event, "type", "")), ()):
                    _maybe_await(callback(event))
                yield event
        finally:
            derived.close()
            self._call("on_end", ())

    def _call(self, name: str, args: tuple[Any, ...]) -> None:
        if self._handler is not None:
            _maybe_await(getattr(self._handler, name)(*args))


def _maybe_await(result: object) -> None:
    """Wait for what a callback returned when it is awaitable (a coroutine function as an async stream's callback)."""
