# unasync: twin
"""What truly differs between the async and the sync core, written by hand in both folders.

Everything else in ``_async/`` is turned into ``_sync/`` by ``scripts/unasync.py``;
this module and ``_sync/_backend.py`` offer the same names with the behaviour
each world needs. ``anyio`` is imported inside the functions, so that ``import
oai`` (which defines the async classes) does not pay for it.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import httpx

from .._streaming import StreamState, StreamTimeout
from .._watchdog import Watch

if TYPE_CHECKING:
    import asyncio

    import anyio
    from anyio import AsyncFile

    from ._pagination import AsyncPaginator

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


async def sleep(seconds: float) -> None:
    """Wait without blocking the event loop."""
    import anyio

    await anyio.sleep(seconds)


def semaphore(slots: int) -> anyio.Semaphore:
    """A counter of ``slots`` places: ``await acquire()``, ``release()``."""
    import anyio

    return anyio.Semaphore(slots)


def event() -> anyio.Event:
    """A flag one task sets and another waits for."""
    import anyio

    return anyio.Event()


async def wait_event(flag: anyio.Event, timeout: float | None) -> bool:
    """Wait until ``flag`` is set, at most ``timeout`` seconds; whether it was set."""
    import anyio

    if timeout is None:
        await flag.wait()
        return True
    with anyio.move_on_after(max(0.0, timeout)):
        await flag.wait()
    return flag.is_set()


async def open_file(path: str | Any, mode: Literal["wb"]) -> AsyncFile[bytes]:
    """A file opened for writing without blocking the loop (``async with await open_file(...)``)."""
    import anyio

    return await anyio.open_file(path, mode)


def paginate(fetch: Callable[[], Awaitable[_T]]) -> AsyncPaginator[Any, _T]:
    """What an async list call returns: an object to ``await`` (first page) or ``async for`` (every item)."""
    from ._pagination import AsyncPaginator

    return AsyncPaginator(fetch)


def trace_hook(callback: Callable[[str, Any], None]) -> Callable[[str, Any], Awaitable[None]]:
    """``callback`` as httpcore's ``trace`` extension wants it under an async client: a coroutine function."""

    async def hook(name: str, info: Any) -> None:
        callback(name, info)

    return hook


def timed_reads(reads: AsyncIterator[bytes], state: StreamState, watch: Watch) -> AsyncIterator[bytes]:
    """``reads``, bounded by the stream's idle timeout and deadlines (``state.due()``).

    With the connection's socket at hand, the watchdog bounds them (it shuts the
    socket down when ``state.due()`` passes: no cost per read) and ``reads`` is
    returned as is. Without one (an HTTP/2 connection, a transport of its own),
    each read runs in a cancel scope that ends when ``state.due()`` does, if the
    caller set a stream bound; the read timeout alone is the transport's to apply.
    """
    if watch.socket is not None:
        watch.schedule()
        return reads
    if not state.explicit:  # only the read timeout: the transport applies it to each of its reads
        return reads
    return _scoped_reads(reads, state)


async def _scoped_reads(reads: AsyncIterator[bytes], state: StreamState) -> AsyncIterator[bytes]:
    import anyio

    monotonic = time.monotonic
    while True:
        due = state.due()
        if due is None:
            try:
                chunk = await reads.__anext__()
            except StopAsyncIteration:
                return
        else:
            left = due - monotonic()
            if left <= 0:
                raise StreamTimeout(state.expired_reason())
            try:
                with anyio.fail_after(left):
                    chunk = await reads.__anext__()
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise StreamTimeout(state.expired_reason()) from None
        yield chunk


_pending_closes: set[asyncio.Task[None]] = set()


def _close_later(loop: asyncio.AbstractEventLoop | None, response: httpx.Response) -> None:
    """Close ``response`` on its event loop; for an async stream dropped before it was iterated."""
    if loop is None or loop.is_closed() or response.is_closed:
        return

    def spawn() -> None:
        task = loop.create_task(response.aclose())
        _pending_closes.add(task)
        task.add_done_callback(_pending_closes.discard)

    try:
        loop.call_soon_threadsafe(spawn)
    except RuntimeError:  # the loop closed meanwhile
        pass


def close_when_collected(owner: object, response: httpx.Response) -> weakref.finalize[Any, Any]:
    """Close ``response`` when ``owner`` is garbage-collected (a generator that never started has no
    ``finally`` to run). The close is scheduled on the loop the stream was made under; ``detach()``
    the returned finalizer when someone else takes the response over."""
    import asyncio  # an async stream exists only under a running loop

    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:  # not under asyncio (trio): an abandoned stream is closed by iterating or close()
        loop = None
    return weakref.finalize(owner, _close_later, loop, response)
