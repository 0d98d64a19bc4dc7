"""What truly differs between the sync and the async core: the sync twin of ``_async/_backend.py``.

Written by hand (``scripts/unasync.py`` leaves it alone); it offers the same
names as the async module with the behaviour a blocking caller needs.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Literal, TypeVar

import httpx

from .._streaming import StreamState, StreamTimeout
from .._watchdog import Watch

__all__ = [
    "close_when_collected",
    "event",
    "open_file",
    "paginate",
    "semaphore",
    "sleep",
    "timed_reads",
    "trace_hook",
    "wait_event",
]

_T = TypeVar("_T")


def sleep(seconds: float) -> None:
    """Block the calling thread."""
    time.sleep(seconds)


def semaphore(slots: int) -> threading.BoundedSemaphore:
    """A counter of ``slots`` places, shared by threads: ``acquire()``, ``release()``."""
    return threading.BoundedSemaphore(slots)


def event() -> threading.Event:
    """A flag one thread sets and another waits for."""
    return threading.Event()


def wait_event(flag: threading.Event, timeout: float | None) -> bool:
    """Wait until ``flag`` is set, at most ``timeout`` seconds; whether it was set."""
    return flag.wait(None if timeout is None else max(0.0, timeout))


def open_file(path: str | Any, mode: Literal["wb"]) -> BinaryIO:
    """A file opened for writing (``with open_file(...)``)."""
    return open(path, mode)  # noqa: SIM115 - the caller's ``with`` closes it


def paginate(fetch: Callable[[], _T]) -> _T:
    """What a sync list call returns: the first page itself (it iterates across the following ones)."""
    return fetch()


def trace_hook(callback: Callable[[str, Any], None]) -> Callable[[str, Any], None]:
    """``callback`` as httpcore's ``trace`` extension wants it under a sync client: itself."""
    return callback


def timed_reads(reads: Iterator[bytes], state: StreamState, watch: Watch) -> Iterator[bytes]:
    """``reads``, bounded by the stream's idle timeout and deadlines (``state.due()``).

    A blocking read cannot be interrupted from its own thread. With the
    connection's socket at hand, the watchdog's thread shuts the socket down
    when ``state.due()`` passes, which ends a read already waiting exactly as
    a cancel scope ends an async one; ``reads`` is returned as is (no cost per
    read). Without one (an HTTP/2 connection, a transport of its own), each
    read is checked when it returns if the caller set a stream bound, and the
    httpx read timeout the client derived from the same bounds
    (``_timeouts.bounded_timeout``) ends a silent one.
    """
    if watch.socket is not None:
        watch.schedule()
        return reads
    if not state.explicit:  # only the read timeout: the transport applies it to each of its reads
        return reads
    return _checked_reads(reads, state)


def _checked_reads(reads: Iterator[bytes], state: StreamState) -> Iterator[bytes]:
    monotonic = time.monotonic
    for chunk in reads:
        due = state.due()
        if due is not None and monotonic() >= due:
            raise StreamTimeout(state.expired_reason())
        yield chunk


def close_when_collected(owner: object, response: httpx.Response) -> weakref.finalize[Any, Any]:
    """Close ``response`` when ``owner`` is garbage-collected (a generator that never started has no
    ``finally`` to run); ``detach()`` the returned finalizer when someone else takes the response over."""
    return weakref.finalize(owner, response.close)
