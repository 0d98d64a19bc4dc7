# Written by scripts/unasync.py from generated/oai/_core/_async/_realtime.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""``client.realtime.connect()``: one Realtime session over a WebSocket (the source of ``_sync/_realtime.py``).

The generated code subclasses these classes and adds what the spec says: the
server-event union the connection parses into, and one send helper per client
event (``connection.session.update(...)``); nothing here imports generated code.

What a connection guarantees (tests in ``tests/realtime/``, sync and async):

* **Typed events, never a crash on a new one.** ``recv()`` and iteration parse
  each frame into the server-event union; a type this SDK does not know yet is
  an ``UnknownRealtimeEvent``; a frame that is not a JSON object raises
  ``RealtimeProtocolError`` (with the data) and the session goes on.
* **Errors are typed.** A server ``error`` event raises ``RealtimeAPIError``
  from ``recv()`` / iteration, unless a handler is registered for ``"error"``
  (then the handler gets it, and it is returned like any event). A close or a
  dropped connection raises ``RealtimeConnectionClosedError``; iteration ends
  quietly only after a normal close with no response in progress.
* **Bounded waits.** The handshake, each receive and each send are bounded by
  the connection's timeouts (``APITimeoutError``); a send that times out closes
  the connection, since a frame may be half written.
* **Handlers.** ``on(type, fn)`` / ``once`` / ``off``: handlers run in the
  receiving task when an event of that type arrives; an exception in a handler
  propagates out of ``recv()``.
* **Opt-in reconnect** (``reconnect=True`` or a ``RealtimeReconnect``): when the
  connection drops, the receiving side opens a new one with backoff, sends the
  session settings again (every ``session.update`` sent so far, merged) and the
  events sent meanwhile (a bounded queue), and reports the conversation items
  that the new session does not have (``RealtimeReconnected``).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from typing_extensions import Self

from .._errors import APIConnectionError, APIStatusError, APITimeoutError
from .._logging import logger
from .._realtime import (
    ERROR_EVENT,
    RECONNECTED_EVENT,
    ConnectTarget,
    EventHandlers,
    RealtimeAPIError,
    RealtimeConnectionClosedError,
    RealtimeReconnect,
    RealtimeReconnected,
    RealtimeSendQueueFullError,
    SessionMemory,
    SyncWebSocketConnectionOptions,
    WebSocketClosed,
    closed_error,
    connect_target,
    encode_event,
    error_body,
    event_type_of,
    is_reconnectable,
    parse_event,
    reconnect_policy,
)
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from ._backend import sleep
from ._websocket import WebSocketChannel, open_websocket

if TYPE_CHECKING:
    from ._client import SyncAPIClient

__all__ = ["RealtimeConnectionBase", "RealtimeConnectionManagerBase", "RealtimeConnectionResource"]

_ServerEventT = TypeVar("_ServerEventT")
_ClientEventT = TypeVar("_ClientEventT")
_ConnectionT = TypeVar("_ConnectionT", bound="RealtimeConnectionBase[Any, Any]")

_CLEAN_CLOSE_CODES = (1000, 1001)
"""Normal closure and going away: with no response in progress, iteration ends quietly on these."""


class RealtimeConnectionBase(Generic[_ServerEventT, _ClientEventT]):
    """A live Realtime session: receive typed server events, send client events (the guarantees are in the module
    docstring). Made by ``client.realtime.connect(...)``; closed by leaving its ``with`` or by ``close()``."""

    reconnects: list[RealtimeReconnected]
    """Every reconnect so far, with what it restored and what was lost."""

    def __init__(
        self, channel: WebSocketChannel, *, target: ConnectTarget, reconnect: RealtimeReconnect | None = None
    ) -> None:
        self._channel = channel
        self._target = target
        self._reconnect = reconnect
        self._event_type = self._server_event_type()
        self._handlers = EventHandlers()
        self._memory = SessionMemory()
        # Guards _state and _queue between senders and the receiver (threads, in the sync form); never held
        # across I/O.
        self._lock = threading.Lock()
        self._state: Literal["open", "reconnecting", "closed"] = "open"
        self._queue: deque[str] = deque()
        self._closed_by_caller = False
        self.reconnects = []

    @classmethod
    def _server_event_type(cls) -> Any:
        """The union every server event is parsed into; the generated subclass names it."""
        raise NotImplementedError(f"{cls.__name__} does not say which type its server events have")

    # -- receiving ---------------------------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[_ServerEventT]:
        """Every server event until the session ends; a normal close with nothing in progress ends the loop."""
        while True:
            try:
                event = self.recv()
            except RealtimeConnectionClosedError as exc:
                if exc.close_code in _CLEAN_CLOSE_CODES and not exc.interrupted_response_ids:
                    return
                raise
            yield event

    def recv(self, *, timeout: float | None | NotGiven = NOT_GIVEN) -> _ServerEventT:
        """The next server event, typed; handlers registered for its type run first.

        Raises ``RealtimeAPIError`` for an ``error`` event nobody handles, ``RealtimeProtocolError``
        for a frame that is not a JSON object, ``APITimeoutError`` when nothing arrives within
        ``timeout`` (default: the connection's receive timeout) and
        ``RealtimeConnectionClosedError`` once the session has ended. Cancelling it loses nothing.
        """
        event = self.parse_event(self._recv_frame(timeout))
        self._memory.received(event)
        kind = event_type_of(event)
        handled = self._dispatch(kind, event) if kind is not None else False
        if kind == ERROR_EVENT and not handled:
            raise RealtimeAPIError(event, error_body(event))
        return event

    def recv_bytes(self, *, timeout: float | None | NotGiven = NOT_GIVEN) -> bytes:
        """The next frame as it arrived (``parse_event`` makes it an event); no handler runs."""
        return self._recv_frame(timeout)

    def parse_event(self, data: str | bytes) -> _ServerEventT:
        """One frame as a typed server event (see ``recv``)."""
        return parse_event(self._event_type, data)

    def _recv_frame(self, timeout: float | None | NotGiven) -> bytes:
        wait = self._target.recv_timeout if isinstance(timeout, NotGiven) else timeout
        while True:
            try:
                return self._channel.recv(wait)
            except TimeoutError:
                raise APITimeoutError(message=f"No Realtime event arrived within {wait} s (receive timeout).") from None
            except WebSocketClosed as closed:
                if self._closed_by_caller or self._reconnect is None or not is_reconnectable(closed.code):
                    raise self._closed_error(closed) from None
                self._reconnect_after(closed, self._reconnect)

    def _dispatch(self, kind: str, event: object) -> bool:
        """Run the handlers of ``kind``; whether there were any."""
        handlers = self._handlers.take(kind)
        for handler in handlers:
            handler(event)
        return bool(handlers)

    # -- handlers ----------------------------------------------------------------------------------------------------

    def on(self, event_type: str, handler: Callable[[Any], object]) -> Self:
        """Call ``handler(event)`` for every event of ``event_type`` received from now on (in the receiving task,
        before ``recv()`` returns it). ``"error"`` handlers take server errors instead of ``recv()`` raising them;
        ``"connection.reconnected"`` handlers get a ``RealtimeReconnected``."""
        self._handlers.add(event_type, handler)
        return self

    def once(self, event_type: str, handler: Callable[[Any], object]) -> Self:
        """Like ``on``, for the next event of ``event_type`` only."""
        self._handlers.add(event_type, handler, once=True)
        return self

    def off(self, event_type: str, handler: Callable[[Any], object] | None = None) -> Self:
        """Remove ``handler`` from ``event_type``, or every handler of ``event_type``."""
        self._handlers.remove(event_type, handler)
        return self

    # -- sending -----------------------------------------------------------------------------------------------------

    def send(self, event: _ClientEventT | Mapping[str, object]) -> None:
        """Send one client event: a model, or a dict with its ``type`` (``NOT_GIVEN`` values are left out).

        While a reconnect is under way the event waits in the queue and goes out after it.
        """
        text = encode_event(event)
        self._memory.sent(event, text)
        if self._queued(text):
            return
        try:
            self._channel.send(text, self._target.send_timeout)
        except TimeoutError:
            with self._lock:
                self._state = "closed"
            raise APITimeoutError(
                message=f"A Realtime send did not finish within {self._target.send_timeout} s (send timeout); "
                "the connection was closed."
            ) from None
        except WebSocketClosed as closed:
            if self._closed_by_caller or self._reconnect is None or not is_reconnectable(closed.code):
                raise self._closed_error(closed) from None
            with self._lock:  # the receiving side reconnects; this event goes out after it
                if self._state == "open":
                    self._state = "reconnecting"
            if not self._queued(text):  # the receiver reconnected meanwhile
                self._channel.send(text, self._target.send_timeout)

    def _queued(self, text: str) -> bool:
        """Queue ``text`` if a reconnect is under way (whether it was queued)."""
        with self._lock:
            if self._state == "open":
                return False
            if self._state == "closed":
                raise closed_error(None, message="The Realtime connection is closed.")
            assert self._reconnect is not None
            if len(self._queue) >= self._reconnect.max_queued_sends:
                raise RealtimeSendQueueFullError(
                    f"{len(self._queue)} events already wait for the Realtime connection to reconnect "
                    f"(max_queued_sends={self._reconnect.max_queued_sends}); this one was not sent."
                )
            self._queue.append(text)
            return True

    # -- closing and reconnecting ------------------------------------------------------------------------------------

    def close(self, *, code: int = 1000, reason: str = "") -> None:
        """Close the session (a close frame with ``code`` and ``reason``); events still queued are dropped."""
        self._closed_by_caller = True
        with self._lock:
            self._state = "closed"
            self._queue.clear()
        self._channel.close(code, reason)

    def _closed_error(
        self, closed: WebSocketClosed, interrupted: list[str] | None = None
    ) -> RealtimeConnectionClosedError:
        with self._lock:
            self._state = "closed"
            unsent = list(self._queue)
            self._queue.clear()
        if interrupted is None:
            interrupted = self._memory.responses_in_progress
        return closed_error(closed, interrupted_response_ids=interrupted, unsent=unsent)

    def _reconnect_after(self, closed: WebSocketClosed, policy: RealtimeReconnect) -> None:
        """Open a new WebSocket, restore the session settings and flush the queue; raise when every attempt fails."""
        with self._lock:
            self._state = "reconnecting"
        lost_items, interrupted = self._memory.forget_conversation()
        self._channel.discard()
        logger.warning("Realtime connection closed (code %s); reconnecting", closed.code)
        last_error: Exception | None = None
        for attempt in range(1, policy.max_attempts + 1):
            sleep(policy.delay(attempt))
            if self._closed_by_caller:
                break
            try:
                channel = open_websocket(self._target)
            except APIStatusError as exc:
                last_error = exc
                if exc.status_code < 500 and exc.status_code not in (408, 429):
                    break  # refused for good (a wrong key, a model that does not exist)
                continue
            except APIConnectionError as exc:
                last_error = exc
                continue
            try:
                resent = self._restore(channel)
            except (WebSocketClosed, TimeoutError) as exc:
                last_error = exc
                channel.close(1011, "restoring the session failed")
                continue
            record = RealtimeReconnected(
                attempts=attempt,
                close_code=closed.code,
                close_reason=closed.reason,
                session=self._memory.session,
                lost_items=lost_items,
                interrupted_response_ids=interrupted,
                resent=resent,
            )
            self.reconnects.append(record)
            logger.info("Realtime connection restored after %d attempt(s); %d item(s) lost", attempt, len(lost_items))
            self._dispatch(RECONNECTED_EVENT, record)
            return
        error = self._closed_error(closed, interrupted)
        raise error from last_error

    def _restore(self, channel: WebSocketChannel) -> int:
        """Send the merged session settings, then the queue in order, on ``channel``; returns how many queued events
        went out. Each queued event leaves the queue only once sent, so a failure here loses none."""
        timeout = self._target.send_timeout
        update = self._memory.session_update()
        if update is not None:
            channel.send(update, timeout)
        self._channel = channel
        sent = 0
        while True:
            with self._lock:
                if not self._queue:
                    self._state = "open"
                    return sent
                text = self._queue[0]
            channel.send(text, timeout)
            with self._lock:
                self._queue.popleft()
            sent += 1


class RealtimeConnectionResource:
    """A group of send helpers on a connection (``connection.conversation.item``); each sends one client event."""

    def __init__(self, connection: RealtimeConnectionBase[Any, Any]) -> None:
        self._connection = connection


class RealtimeConnectionManagerBase(Generic[_ConnectionT]):
    """What ``client.realtime.connect(...)`` returns: ``with`` opens the connection and closes it at the end.

    ``manager.enter()`` opens it without a ``with`` block (then ``connection.close()``).
    """

    _connection_class: type[_ConnectionT]
    """The generated connection class (set by the generated subclass)."""

    def __init__(
        self,
        *,
        client: SyncAPIClient,
        model: str | NotGiven = NOT_GIVEN,
        call_id: str | NotGiven = NOT_GIVEN,
        extra_query: Query | None = None,
        extra_headers: Headers | None = None,
        websocket_connection_options: SyncWebSocketConnectionOptions | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        reconnect: bool | RealtimeReconnect = False,
    ) -> None:
        self._client = client
        self._query: dict[str, object] = {}
        if not isinstance(model, NotGiven):
            self._query["model"] = model
        if not isinstance(call_id, NotGiven):
            self._query["call_id"] = call_id
        self._query.update(extra_query or {})
        self._extra_headers = extra_headers
        self._options = websocket_connection_options
        self._timeout = timeout
        self._reconnect = reconnect_policy(reconnect)
        self._connection: _ConnectionT | None = None

    def enter(self) -> _ConnectionT:
        """Open the connection (the handshake is bounded by the connect timeout)."""
        target = connect_target(
            self._client,
            query=self._query,
            extra_headers=self._extra_headers,
            timeout=self._timeout,
            options=dict(self._options) if self._options else None,
        )
        logger.debug("Opening a Realtime connection to %s", target.url)
        channel = open_websocket(target)
        self._connection = self._connection_class(channel, target=target, reconnect=self._reconnect)
        return self._connection

    def __enter__(self) -> _ConnectionT:
        return self.enter()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._connection is not None:
            self._connection.close()
