"""The passthrough itself, as a plain ASGI application: one upstream stream out to one browser.

Three tasks share one response: the pump reads the upstream stream and sends
its frames; a watcher reads the ASGI ``receive`` channel, where the server
reports ``http.disconnect`` when the browser goes away; a keeper sends a
comment when nothing was sent for ``keepalive`` seconds (so proxies and
browsers do not give up on a model that thinks for a long time). Whichever
ends first ends the others. The upstream stream is then closed, shielded from
cancellation: an unfinished HTTP response is closed with its connection, so
the upstream server sees the request cancelled and stops generating.

Nothing here blocks the event loop: the upstream is read with ``await``
(which is why a sync stream is refused), so one process serves other
requests while any number of streams pass through.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .._core import OpenAIError
from ._frames import END_ID, KEEPALIVE, EventSelection, done_frame, error_frame, frame_for

__all__ = ["EVENT_STREAM_HEADERS", "EventStreamApp"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

EVENT_STREAM_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),  # nginx and others buffer a proxied response unless told not to
]

logger = logging.getLogger("oai")


class _Upstream:
    """The stream being passed through, in any of the forms accepted; opened once and closed once."""

    def __init__(self, stream: object) -> None:
        if hasattr(stream, "__aiter__"):
            self.kind = "iterable"
        elif hasattr(stream, "__aenter__"):
            self.kind = "manager"
        elif inspect.isawaitable(stream):
            self.kind = "awaitable"
        elif hasattr(stream, "__iter__") or hasattr(stream, "__enter__"):
            raise TypeError(
                f"oai.web needs an async stream, got {type(stream).__name__}: reading a sync stream in an async "
                "web app blocks every other request while it waits. Make the stream with AsyncOpenAI."
            )
        else:
            raise TypeError(
                "oai.web passes through an AsyncStream, a stream manager (responses.stream(...), chat.completions"
                f".stream(...)), an awaitable of one, or any async iterable; got {type(stream).__name__}"
            )
        self._given: Any = stream
        self._opened: Any = stream if self.kind == "iterable" else None
        self._closed = False

    async def open(self) -> Any:
        """The async iterable of events (sends the request of a manager or an awaitable)."""
        if self._opened is None:
            given = self._given
            if self.kind == "manager":
                opened: Any = await given.__aenter__()
                self.kind = "entered"
            else:
                opened = await given
                if not hasattr(opened, "__aiter__"):
                    raise TypeError(f"the awaitable gave {type(opened).__name__}, not an async stream")
            self._opened = opened
        return self._opened

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.kind == "entered":
            await self._given.__aexit__(None, None, None)
            return
        if self._opened is None:
            if inspect.iscoroutine(self._given):
                self._given.close()  # never awaited: no request was sent
            return
        closer = getattr(self._opened, "aclose", None) or getattr(self._opened, "close", None)
        if closer is not None:
            result = closer()
            if inspect.isawaitable(result):
                await result


class _Channel:
    """``send`` for the pump and the keeper: one message at a time, the time of the last, and whether the
    browser is gone (the ASGI server raises ``OSError`` from ``send`` then, since ASGI 2.4)."""

    def __init__(self, send: Send, cancel: Callable[[], None]) -> None:
        import anyio

        self._send = send
        self._cancel = cancel
        self._lock = anyio.Lock()
        self.last = time.monotonic()
        self.gone = False

    async def body(self, data: bytes) -> None:
        await self.message({"type": "http.response.body", "body": data, "more_body": True})

    async def message(self, message: Message) -> None:
        if self.gone:
            return
        async with self._lock:
            try:
                await self._send(message)
            except OSError:
                self.gone = True
                self._cancel()
                return
            self.last = time.monotonic()


class EventStreamApp:
    """An ASGI application that sends ``stream`` as ``text/event-stream`` (see :func:`oai.web.sse_app`)."""

    def __init__(self, stream: object, *, events: EventSelection = None, keepalive: float | None = 15.0) -> None:
        if keepalive is not None and not keepalive > 0:
            raise ValueError(f"keepalive must be a number of seconds above 0, or None; got {keepalive!r}")
        if isinstance(events, str):
            events = (events,)
        self.upstream = _Upstream(stream)
        self.events = events
        self.keepalive = keepalive

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.run(scope, receive, send, status=200, headers=EVENT_STREAM_HEADERS)

    async def run(
        self, scope: Scope, receive: Receive, send: Send, *, status: int, headers: list[tuple[bytes, bytes]]
    ) -> None:
        """Serve one request: ``status`` and ``headers`` open the response (the Starlette form passes its own)."""
        import anyio

        if scope.get("type") != "http":
            raise TypeError(f"oai.web serves HTTP requests, not {scope.get('type')!r}")
        try:
            if _last_event_id(scope) == END_ID:  # a browser reconnecting after the end: tell it to stop
                await send({"type": "http.response.start", "status": 204, "headers": []})
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            async with anyio.create_task_group() as tasks:
                channel = _Channel(send, tasks.cancel_scope.cancel)
                await channel.message({"type": "http.response.start", "status": status, "headers": headers})
                tasks.start_soon(_watch_disconnect, receive, channel, tasks.cancel_scope.cancel)
                if self.keepalive is not None:
                    tasks.start_soon(_keep_alive, channel, self.keepalive)
                await self._pump(channel)
                await channel.message({"type": "http.response.body", "body": b"", "more_body": False})
                tasks.cancel_scope.cancel()
        finally:
            with anyio.CancelScope(shield=True):
                await self.upstream.close()

    async def _pump(self, channel: _Channel) -> None:
        try:
            stream = await self.upstream.open()
            async for event in stream:
                frame = frame_for(event, self.events)
                if frame is not None:
                    await channel.body(frame)
                    if channel.gone:
                        return
        except Exception as error:  # the upstream failed (or the projection): the browser is told, not left hanging
            if not isinstance(error, OpenAIError):
                logger.error("oai.web: the stream failed while passing through", exc_info=error)
            await channel.body(error_frame(error))
            return
        await channel.body(done_frame())


async def _watch_disconnect(receive: Receive, channel: _Channel, cancel: Callable[[], None]) -> None:
    while True:
        message = await receive()
        if message.get("type") == "http.disconnect":
            channel.gone = True
            cancel()
            return


async def _keep_alive(channel: _Channel, every: float) -> None:
    import anyio

    while not channel.gone:
        idle = time.monotonic() - channel.last
        if idle >= every:
            await channel.body(KEEPALIVE)
            continue
        await anyio.sleep(every - idle)


def _last_event_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers") or ():
        if name.lower() == b"last-event-id":
            return bytes(value).decode("utf-8", "replace")
    return None
