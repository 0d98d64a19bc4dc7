"""What really differs between the sync and the async helpers: the sync twin of ``_async/_backend.py``.

Written by hand (``scripts/unasync.py`` leaves it alone): it blocks the
calling thread to wait, and runs calls at once on a thread pool.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["run_concurrently", "sleep"]

_T = TypeVar("_T")


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def run_concurrently(calls: Sequence[Callable[[], _T]], limit: int) -> list[_T]:
    """The results of ``calls``, in order, at most ``limit`` running at once; the first failure raises."""
    with ThreadPoolExecutor(max_workers=max(1, limit)) as pool:
        futures = [pool.submit(call) for call in calls]
        return [future.result() for future in futures]
