"""The WebSocket under a sync Realtime connection: ``websockets``' sync client, with the connection's bounds.

The sync twin of ``_async/_websocket.py`` (written by hand; ``scripts/unasync.py``
leaves it alone). Receiving takes a timeout natively. A blocking send cannot be
interrupted from outside, so a send with a timeout is watched by one thread per
connection (:class:`_SendWatchdog`): when the send has not finished in time, the
watchdog shuts the socket down, which ends the blocked write at once.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Generator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from .._realtime import ConnectTarget, closed_from, connect_error, require_websockets

if TYPE_CHECKING:
    from websockets.sync.client import ClientConnection

__all__ = ["WebSocketChannel", "open_websocket"]


def open_websocket(target: ConnectTarget) -> WebSocketChannel:
    """The opening handshake (bounded by ``target.open_timeout``); oai errors for a refusal, a timeout, a failure."""
    require_websockets()
    from websockets.sync.client import connect

    try:
        websocket = cast("ClientConnection", connect(target.url, **target.connect_kwargs()))
    except Exception as exc:
        raise connect_error(exc, target) from exc
    # websockets 17.1 warns when a connection is used without ``with``; entering does nothing else, and the
    # channel closes it.
    websocket.__enter__()
    return WebSocketChannel(websocket)


class _SendWatchdog:
    """Calls ``abort`` when a guarded block outlives its timeout; one daemon thread, started on first use.

    Sends are serialized by the caller, so one deadline at a time is enough. Between sends the
    thread sleeps on a condition; it costs nothing while nothing is sent.
    """

    def __init__(self, abort: Callable[[], None]) -> None:
        self._abort = abort
        self._cond = threading.Condition()
        self._deadline: float | None = None
        self._stopped = False
        self._thread: threading.Thread | None = None
        self.fired = False

    def _run(self) -> None:
        with self._cond:
            while not self._stopped:
                if self._deadline is None:
                    self._cond.wait()
                    continue
                left = self._deadline - time.monotonic()
                if left > 0:
                    self._cond.wait(left)
                    continue
                self.fired = True
                break
        if self.fired:
            self._abort()

    @contextmanager
    def guard(self, timeout: float) -> Generator[None, None, None]:
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="oai-realtime-send-watchdog", daemon=True)
                self._thread.start()
            self._deadline = time.monotonic() + timeout
            self._cond.notify()
        try:
            yield
        finally:
            with self._cond:
                self._deadline = None

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()


class WebSocketChannel:
    """One open WebSocket: receive and send whole frames within a timeout, close."""

    def __init__(self, websocket: ClientConnection) -> None:
        self._websocket = websocket
        self._send_lock = threading.Lock()
        self._watchdog = _SendWatchdog(self._abort)

    @property
    def websocket(self) -> Any:
        """The ``websockets`` connection underneath."""
        return self._websocket

    def _abort(self) -> None:
        try:
            self._websocket.socket.shutdown(socket.SHUT_RDWR)
        except OSError:  # already closed
            pass

    def recv(self, timeout: float | None) -> bytes:
        """The next message as bytes; ``TimeoutError`` after ``timeout`` seconds (nothing is lost: receiving again
        gets it), ``WebSocketClosed`` once closed."""
        from websockets.exceptions import ConnectionClosed

        try:
            return self._websocket.recv(timeout, decode=False)
        except ConnectionClosed as exc:
            raise closed_from(exc) from None

    def send(self, text: str, timeout: float | None) -> None:
        """Send one text frame; ``TimeoutError`` when it is not written within ``timeout`` seconds, after which the
        connection is aborted (part of the frame may be on the wire)."""
        from websockets.exceptions import ConnectionClosed

        with self._send_lock:
            try:
                if timeout is None:
                    self._websocket.send(text)
                else:
                    with self._watchdog.guard(timeout):
                        self._websocket.send(text)
            except (ConnectionClosed, OSError) as exc:
                if self._watchdog.fired:
                    raise TimeoutError from None
                if isinstance(exc, ConnectionClosed):
                    raise closed_from(exc) from None
                raise
            if self._watchdog.fired:  # the watchdog fired as the send finished: the connection is gone anyway
                raise TimeoutError

    def close(self, code: int, reason: str) -> None:
        """Send a close frame and wait for the server's (bounded by ``websockets``' ``close_timeout``)."""
        self._watchdog.stop()
        self._websocket.close(code, reason)

    def discard(self) -> None:
        """Drop a connection that is already broken, without a closing handshake."""
        self._watchdog.stop()
        self._abort()
