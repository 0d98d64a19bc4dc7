"""Opt-in client-side throttling: a cap on requests in flight and on requests per minute.

``OpenAI(max_concurrent_requests=5, max_requests_per_minute=600)`` creates one
throttle that the client and all its ``with_options()`` copies share. Every
attempt (retries included) takes a slot before it is sent:

* a concurrency slot, held until the response is finished with (read, or for
  a stream, closed);
* then a place in a sliding 60-second window, so no 60 seconds ever see more
  than ``max_requests_per_minute`` requests leave this client.

The async throttle only awaits (anyio primitives), it never blocks the loop.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator

import httpx

__all__ = ["AsyncThrottle", "SyncThrottle", "release_on_close"]

_WINDOW = 60.0


class _Window:
    """Send times of the last minute; :meth:`reserve` says how long to wait for a place."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._times: deque[float] = deque()

    def reserve(self, now: float) -> float:
        times = self._times
        horizon = now - _WINDOW
        while times and times[0] <= horizon:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            return 0.0
        return times[0] - horizon


def _check(max_concurrent: int | None, max_per_minute: int | None) -> None:
    for name, value in (("max_concurrent_requests", max_concurrent), ("max_requests_per_minute", max_per_minute)):
        if value is not None and value < 1:
            raise ValueError(f"{name} must be at least 1 (or None for no limit), got {value}")


class SyncThrottle:
    """The throttle of a sync client (thread-safe)."""

    def __init__(self, max_concurrent: int | None, max_per_minute: int | None) -> None:
        _check(max_concurrent, max_per_minute)
        self.max_concurrent = max_concurrent
        self.max_per_minute = max_per_minute
        self._slots = threading.BoundedSemaphore(max_concurrent) if max_concurrent else None
        self._window = _Window(max_per_minute) if max_per_minute else None
        self._lock = threading.Lock()

    def acquire(self) -> None:
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
                time.sleep(wait)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        if self._slots is not None:
            self._slots.release()


class AsyncThrottle:
    """The throttle of an async client."""

    def __init__(self, max_concurrent: int | None, max_per_minute: int | None) -> None:
        _check(max_concurrent, max_per_minute)
        self.max_concurrent = max_concurrent
        self.max_per_minute = max_per_minute
        import anyio  # async-only; kept out of `import oai`

        self._slots = anyio.Semaphore(max_concurrent) if max_concurrent else None
        self._window = _Window(max_per_minute) if max_per_minute else None

    async def acquire(self) -> None:
        if self._slots is not None:
            await self._slots.acquire()
        window = self._window
        if window is None:
            return
        try:
            while True:
                # No lock needed: nothing awaits between reading and updating the window.
                wait = window.reserve(time.monotonic())
                if wait <= 0:
                    return
                import anyio

                await anyio.sleep(wait)
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


class _ReleasingAsyncStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._inner = inner
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            release, self._release = self._release, None
            if release is not None:
                release()


def release_on_close(response: httpx.Response, release: Callable[[], None], *, is_async: bool) -> None:
    """Call ``release`` once, when ``response`` (still unread) is closed."""
    stream = response.stream
    if is_async and isinstance(stream, httpx.AsyncByteStream):
        response.stream = _ReleasingAsyncStream(stream, release)
    elif not is_async and isinstance(stream, httpx.SyncByteStream):
        response.stream = _ReleasingSyncStream(stream, release)
    else:  # pragma: no cover - httpx always gives the matching kind
        release()
