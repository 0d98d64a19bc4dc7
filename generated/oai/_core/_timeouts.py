"""Timeout arithmetic, in one place: what each attempt and each read may wait, given the call's bounds.

A call has up to three bounds besides the per-wait ``timeout``: ``total_timeout``
(the whole call, retries and backoff included), and for a stream
``stream_idle_timeout`` (the longest wait for the next event) and
``stream_deadline`` (the whole stream). Deadlines are absolute
``time.monotonic()`` values. httpx applies one ``httpx.Timeout`` per request, so
before every attempt the client derives it here: the read part is at most the
idle timeout, and every part is at most the time left until the nearest
deadline. The send loop and the stream both use :func:`bounded_timeout`, so the
two can never disagree about what a bound means.
"""

from __future__ import annotations

import httpx

from ._types import Timeout

__all__ = ["bounded_timeout", "nearest", "to_httpx_timeout"]

_FLOOR = 0.001
"""A part never goes below this: httpx treats 0 as "no wait at all", which would fail a live read."""


def to_httpx_timeout(timeout: Timeout) -> httpx.Timeout:
    """A float or ``None`` as the ``httpx.Timeout`` it means (``None``: no limit)."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(timeout)


def nearest(*deadlines: float | None) -> float | None:
    """The earliest of the deadlines that are set, ``None`` when none is."""
    found: float | None = None
    for deadline in deadlines:
        if deadline is not None and (found is None or deadline < found):
            found = deadline
    return found


def bounded_timeout(
    timeout: httpx.Timeout, *, idle: float | None = None, until: float | None = None, now: float = 0.0
) -> httpx.Timeout:
    """``timeout`` with its read part at most ``idle`` and every part at most ``until - now`` seconds.

    ``until`` is an absolute ``time.monotonic()`` value (pass ``now`` with it).
    A part that is ``None`` (no limit) takes the bound.
    """
    read = timeout.read
    if idle is not None:
        read = idle if read is None else min(read, idle)
    connect, write, pool = timeout.connect, timeout.write, timeout.pool
    if until is not None:
        left = max(until - now, _FLOOR)
        read = left if read is None else min(read, left)
        connect = left if connect is None else min(connect, left)
        write = left if write is None else min(write, left)
        pool = left if pool is None else min(pool, left)
    return httpx.Timeout(connect=connect, read=read, write=write, pool=pool)
