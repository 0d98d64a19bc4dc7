# Written by scripts/unasync.py from generated/oai/_core/_async/_throttle.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""The throttle of a client (see ``oai._core._throttle``), and releasing its slot when a stream closes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import httpx

from .._throttle import Window, check_limits
from ._backend import semaphore, sleep

__all__ = ["SyncThrottle", "release_on_close"]


class SyncThrottle:
    """Concurrency slots and a per-minute window, shared by a client and its ``with_options()`` copies."""

    def __init__(self, max_concurrent: int | None, max_per_minute: int | None) -> None:
        check_limits(max_concurrent, max_per_minute)
        self.max_concurrent = max_concurrent
        self.max_per_minute = max_per_minute
        self._slots = semaphore(max_concurrent) if max_concurrent else None
        self._window = Window(max_per_minute) if max_per_minute else None
        self._lock = threading.Lock()  # nothing waits while holding it: cheap for the loop, safe for threads

    def acquire(self) -> None:
        """Wait for a slot, then for a place in the window."""
        if self._slots is not None:
            self._slots.acquire()
        window = self._window
        if window is None:
            return
        try:
            while True:
                with self._lock:
                    wait = window.reserve(time.monotonic())
                if wait <= 0:
                    return
                sleep(wait)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        if self._slots is not None:
            self._slots.release()


class _ReleasingSyncStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, release: Callable[[], None]) -> None:
        self._inner = inner
        self._release: Callable[[], None] | None = release

    def __iter__(self) -> Iterator[bytes]:
        yield from self._inner

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            release, self._release = self._release, None
            if release is not None:
                release()


def release_on_close(response: httpx.Response, release: Callable[[], None]) -> None:
    """Call ``release`` once, when ``response`` (still unread) is closed."""
    stream = response.stream
    if isinstance(stream, httpx.SyncByteStream):
        response.stream = _ReleasingSyncStream(stream, release)
    else:  # pragma: no cover - httpx always gives the matching kind
        release()
