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

__all__ = ["close_when_collected", "open_file", "paginate", "semaphore", "sleep", "timed_reads"]

_T = TypeVar("_T")


def sleep(seconds: float) -> None:
    """Block the calling thread."""
    time.sleep(seconds)


def semaphore(slots: int) -> threading.BoundedSemaphore:
    """A counter of ``slots`` places, shared by threads: ``acquire()``, ``release()``."""
    return threading.BoundedSemaphore(slots)


def open_file(path: str | Any, mode: Literal["wb"]) -> BinaryIO:
    """A file opened for writing (``with open_file(...)``)."""
    return open(path, mode)  # noqa: SIM115 - the caller's ``with`` closes it


def paginate(fetch: Callable[[], _T]) -> _T:
    """What a sync list call returns: the first page itself (it iterates across the following ones)."""
    return fetch()


def timed_reads(
    reads: Iterator[bytes], state: StreamState, idle: float | None, deadline: float | None
) -> Iterator[bytes]:
    """``reads``, checked against the stream's idle timeout and deadline after each one.

    A sync read cannot be interrupted from outside, so the read itself is bounded
    by the httpx read timeout, which the client derives from the same bounds
    (``_timeouts.bounded_timeout``); this check catches the gaps that reads of
    keep-alive comments hide.
    """
    monotonic = time.monotonic
    for chunk in reads:
        now = monotonic()
        if deadline is not None and now >= deadline:
            raise StreamTimeout("The stream passed its deadline (stream_deadline).")
        if idle is not None and now - state.last_event > idle:
            raise StreamTimeout(f"No stream event for more than {idle} s (stream_idle_timeout).")
        yield chunk


def close_when_collected(owner: object, response: httpx.Response) -> None:
    """Close ``response`` when ``owner`` is garbage-collected (a generator that never started has no
    ``finally`` to run)."""
    weakref.finalize(owner, response.close)
