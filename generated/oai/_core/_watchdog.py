"""Wall-clock bounds on reads that are already waiting: one timer thread that shuts a connection down.

httpx's timeouts bound each *wait* on a socket (one ``recv``), and httpcore
fixes that wait when a phase starts (the response head, the body). Neither
bounds how long a phase takes: a server that sends one byte a second never
trips a five-second read timeout, and neither a blocking read nor one on an
event loop looks at the clock between its ``recv`` calls. The one way to end a
read that is already waiting -- in a blocked thread or on an event loop alike,
under asyncio and trio -- is to shut the connection's socket down:
``shutdown(2)`` wakes a pending ``recv`` with end-of-file (``close(2)`` would
not, and could hand the descriptor to another socket meanwhile). The read
then fails with a transport error, which whoever armed the :class:`Watch`
turns into the timeout it stands for.

* :class:`Watch` is one bound: a ``due()`` function giving its current
  deadline (a ``time.monotonic()`` value; it may move, as a stream's idle
  deadline does with every event, at no cost to the reader), and the socket
  to shut down when it passes.
* One daemon thread (``oai-watchdog``) serves every watch of the process,
  sync and async clients alike: a heap of wake-up times. It starts on the
  first watch and ends after a while without any; a forked child starts
  afresh. The reader's own code pays a heap push to arm a watch and one
  attribute write to disarm it.
* A connection is only shut down while it still belongs to the reader: a
  watch is disarmed (under its lock) before the response is closed and the
  connection goes back to the pool, which httpcore reports through the
  request's ``trace`` extension (``response_closed``) before it does so.
* HTTP/1.1 only: an HTTP/2 connection carries other requests, so for it
  :func:`connection_socket` finds nothing and the bound falls back to the
  per-read timeouts and checks between reads.

The socket of a response is public (``network_stream``); the socket of a
request still waiting for its response head is not, so :func:`connection_socket`
looks for httpcore's HTTP/1.1 connection object in the calling frames of the
``trace`` callback. If a future httpcore changes that, it finds nothing and
the bound degrades to the per-read timeouts; it never fails a request.
"""

from __future__ import annotations

import heapq
import itertools
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, cast

import httpx

__all__ = ["AttemptGuard", "Watch", "connection_socket", "response_socket"]

_LINGER = 10.0
"""Seconds the thread waits without any watch before it ends (a new watch starts it again)."""

_FRAMES = 8
"""How many calling frames of a ``trace`` callback are searched for httpcore's connection."""


class Watch:
    """A wall-clock bound on a connection: shuts its socket down once ``due()`` has passed.

    ``due()`` returns the deadline now in force (``None``: no bound for now);
    it is called again when the scheduled time comes, so a deadline that moved
    later costs nothing until then. :meth:`schedule` is needed only to move a
    deadline *earlier*; so ``due()`` must not answer a far-off time (``inf``)
    that later turns earlier on its own, with no :meth:`schedule` to follow: a
    deadline unknown for now is a time to look again (a stream's, while its
    caller holds a chunk). ``expired`` tells afterwards whether the watch fired.
    """

    __slots__ = ("_generation", "_lock", "armed", "due", "expired", "socket")

    def __init__(self, due: Callable[[], float | None], sock: Any = None) -> None:
        self.due = due
        self.socket = sock
        self.armed = False
        self.expired = False
        self._lock = threading.Lock()
        self._generation = 0

    def schedule(self) -> None:
        """Arm the watch at ``due()`` (again, if that moved earlier)."""
        when = self.due()
        if when is None:
            return
        with self._lock:
            if self.expired:
                return
            self.armed = True
            self._generation += 1
            generation = self._generation
        _watchdog.push(when, generation, self)

    def disarm(self) -> None:
        """Never fire from now on; waits for a firing in progress to finish.

        The heap keeps its entry until its time (or a compaction); the watch lets
        go of its socket. It can be armed again (a redirect is a new exchange).
        """
        if not self.armed:  # a firing clears ``armed`` only once its shutdown is done
            self.socket = None
            return
        with self._lock:  # waits for a firing in progress
            was_armed = self.armed
            self.armed = False
            self.socket = None
        if was_armed:
            _watchdog.stale += 1

    def _wake(self, generation: int) -> float | None:
        """Called by the thread at a scheduled time: fire, or the later time to wake again."""
        with self._lock:
            if not self.armed or generation != self._generation:
                return None
            when = self.due()
            if when is None:
                self.armed = False
                return None
            if when > time.monotonic():
                return when
            self.expired = True
            if self.socket is not None:
                _shutdown(self.socket)
            self.armed = False  # after the shutdown: disarm() relies on it
        return None


def _shutdown(sock: Any) -> None:
    try:
        if isinstance(sock, socket.socket):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # not SSLSocket's override, which drops its TLS state
        else:
            sock.shutdown(socket.SHUT_RDWR)  # asyncio's TransportSocket
    except (OSError, AttributeError):  # already closed, or not a socket after all
        pass


class _Watchdog:
    """The thread and its heap of ``(time, sequence, generation, watch)``."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, int, Watch]] = []
        self._cond = threading.Condition(threading.Lock())
        self._sequence = itertools.count()
        self._thread: threading.Thread | None = None
        self.stale = 0
        """Entries of disarmed or rescheduled watches still in the heap (approximate; compacted when large)."""

    def push(self, when: float, generation: int, watch: Watch) -> None:
        with self._cond:
            heap = self._heap
            if self.stale > 64 and self.stale * 2 > len(heap):
                self._compact()
                heap = self._heap  # a new list: an entry pushed onto the old one would be lost, its watch never fire
            wake = not heap or when < heap[0][0]
            heapq.heappush(heap, (when, next(self._sequence), generation, watch))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="oai-watchdog", daemon=True)
                self._thread.start()
            elif wake:
                self._cond.notify()

    def _compact(self) -> None:
        """Drop the entries of disarmed or rescheduled watches."""
        self._heap = [entry for entry in self._heap if entry[3].armed and entry[2] == entry[3]._generation]  # pyright: ignore[reportPrivateUsage]
        heapq.heapify(self._heap)
        self.stale = 0

    def _run(self) -> None:
        cond = self._cond
        while True:
            with cond:
                while True:
                    if not self._heap:
                        cond.wait(_LINGER)
                        if not self._heap:
                            self._thread = None
                            return
                        continue
                    delay = self._heap[0][0] - time.monotonic()
                    if delay <= 0:
                        _, _, generation, watch = heapq.heappop(self._heap)
                        break
                    if delay > _LINGER:
                        # Far-off entries are mostly of watches disarmed since: drop them, so that the
                        # thread can end once nothing is being watched.
                        cond.wait(_LINGER)
                        self._compact()
                    else:
                        cond.wait(delay)
            later = watch._wake(generation)  # pyright: ignore[reportPrivateUsage]
            if later is not None:
                self.push(later, generation, watch)

    def reset_after_fork(self) -> None:
        self.__init__()


_watchdog = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_watchdog.reset_after_fork)


def response_socket(response: httpx.Response) -> Any:
    """The socket an HTTP/1.1 response is read from, or ``None`` (HTTP/2, or not a socket transport)."""
    if response.http_version != "HTTP/1.1":
        return None
    stream = response.extensions.get("network_stream")
    get_extra_info = getattr(stream, "get_extra_info", None)
    if get_extra_info is None:
        return None
    try:
        return get_extra_info("socket")
    except Exception:  # noqa: BLE001 - a transport of its own: no socket to offer
        return None


def connection_socket(request_extensions: dict[str, Any], info: object = None) -> Any:
    """From inside httpcore's ``trace`` callback: the socket of the HTTP/1.1 connection sending the request.

    A transport other than httpcore that sends the same events names its
    connection in the event's ``info`` as ``network_stream`` (as
    ``oai._core._aiohttp`` does). Otherwise the connection is the ``self`` of
    the calling frame that handles the request whose extensions are
    ``request_extensions`` (checked, so that nothing else is ever taken for
    it). ``None`` when not found.
    """
    named: Any = cast("dict[str, Any]", info).get("network_stream") if isinstance(info, dict) else None
    if named is not None:
        return named.get_extra_info("socket")
    frame = sys._getframe(1)  # pyright: ignore[reportPrivateUsage]
    for _ in range(_FRAMES):
        frame = frame.f_back
        if frame is None:
            return None
        local = frame.f_locals
        connection = local.get("self")
        request = local.get("request")
        if (
            request is not None
            and getattr(request, "extensions", None) is request_extensions
            and hasattr(connection, "_h11_state")
        ):
            stream = getattr(connection, "_network_stream", None)
            try:
                return stream.get_extra_info("socket") if stream is not None else None
            except Exception:  # noqa: BLE001
                return None
    return None


_SENDING = frozenset({"http11.send_request_headers.started", "http2.send_request_headers.started"})
_WAITING_FOR_HEAD = frozenset({"http11.receive_response_headers.started", "http2.receive_response_headers.started"})
_HEAD_RECEIVED = frozenset({"http11.receive_response_headers.complete", "http2.receive_response_headers.complete"})
_CLOSING = frozenset({"http11.response_closed.started", "http2.response_closed.started"})


class AttemptGuard:
    """The wall-clock bounds of one attempt, fed by httpcore's ``trace`` events.

    * ``head_timeout``: the response head must arrive within this many seconds
      of the request having been sent (the ``timeout``'s read part: a head
      trickled in a byte at a time is cut as surely as a silent server);
    * ``until``: everything -- sending, the head, and a body read by the
      client -- ends by this ``time.monotonic()`` value (the call's
      ``total_timeout``, and for a stream its ``stream_deadline``).

    Used as ``with guard:`` around ``http.send(...)``, with :meth:`on_trace`
    as the request's ``trace`` extension (``_backend.trace_hook`` adapts it to
    the async interface). When the guard fires it shuts the connection down;
    the transport error that follows is swallowed on exit, and ``expired``
    tells the caller to raise the timeout instead.
    """

    __slots__ = ("deadline", "extensions", "head_timeout", "until", "watch")

    def __init__(self, extensions: dict[str, Any], *, head_timeout: float | None, until: float | None) -> None:
        self.extensions = extensions
        self.head_timeout = head_timeout
        self.until = until
        self.deadline = until
        self.watch = Watch(self._due)  # scheduled only when a bound applies

    def _due(self) -> float | None:
        return self.deadline

    def on_trace(self, name: str, info: object) -> None:
        """httpcore's ``trace`` callback (sync form)."""
        if name in _SENDING:
            if self.watch.socket is None:
                self.watch.socket = connection_socket(self.extensions, info)
        elif name in _WAITING_FOR_HEAD:
            if self.head_timeout is not None:
                head_by = time.monotonic() + self.head_timeout
                self.deadline = head_by if self.until is None or head_by < self.until else self.until
                self.watch.schedule()
        elif name in _HEAD_RECEIVED:
            self.deadline = self.until  # never earlier than the head's bound: the watch reads it when it wakes
        elif name in _CLOSING:
            self.watch.disarm()  # before the connection goes back to the pool

    def __enter__(self) -> AttemptGuard:
        if self.until is not None:
            self.watch.schedule()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> bool:
        self.watch.disarm()
        # The read our shutdown broke off fails with a transport error: the caller raises the timeout instead.
        return self.watch.expired and isinstance(exc, httpx.TransportError)

    @property
    def expired(self) -> bool:
        return self.watch.expired

    def timeout(self, request: httpx.Request) -> httpx.TimeoutException:
        """The error to raise when the guard fired (then treated like any read timeout)."""
        if self.until is not None and time.monotonic() >= self.until:
            message = "The call's deadline passed before the response was complete."
        else:
            message = f"No complete response head within {self.head_timeout} s of sending the request."
        return httpx.ReadTimeout(message, request=request)
