# unasync: twin
"""What really differs between the async and the sync helpers, written by hand in both folders.

Waiting between polls without blocking the event loop, and running several
calls at once (``anyio``, imported inside the functions so that only async
users pay for it). The sync twin, ``_sync/_backend.py``, blocks the thread and
uses a thread pool.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

__all__ = ["run_concurrently", "sleep"]

_T = TypeVar("_T")


async def sleep(seconds: float) -> None:
    import anyio

    await anyio.sleep(seconds)


async def run_concurrently(calls: Sequence[Callable[[], Awaitable[_T]]], limit: int) -> list[_T]:
    """The results of ``calls``, in order, at most ``limit`` running at once; the first failure raises
    (the others are cancelled)."""
    import anyio

    results: list[_T | None] = [None] * len(calls)
    limiter = anyio.Semaphore(max(1, limit))

    async def run(position: int, call: Callable[[], Awaitable[_T]]) -> None:
        async with limiter:
            results[position] = await call()

    async with anyio.create_task_group() as group:
        for position, call in enumerate(calls):
            group.start_soon(run, position, call)
    return [result for result in results if result is not None]
