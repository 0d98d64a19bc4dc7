"""TimeoutTypes arithmetic, in one place: what each attempt and each read may wait, given the call's bounds.

The model (docs/client.md, "Timeouts"), one sentence per bound:

* ``timeout`` bounds each wait: connecting (its connect part), the response
  head, counted from the moment the request is sent (its read part), and
  then each gap between a stream's events -- comments and keep-alives are
  not events -- or between the reads of a body (its read part again);
* ``total_timeout`` bounds the whole call: every attempt, the backoff
  between them, the response head and a non-streaming body;
* ``stream_deadline`` bounds the whole stream, from the call to its last event.

``stream_idle_timeout``, when set, replaces the read part for the gap
between a stream's events. Deadlines are absolute ``time.monotonic()``
values. httpx applies one ``httpx.Timeout`` per request and bounds single
socket waits with it; before every attempt the client derives that timeout
here, so that no single wait outlasts a bound. What makes the bounds
wall-clock bounds -- cutting a head or a body that trickles in -- is
``_watchdog``; this module only computes.
"""

from __future__ import annotations

import httpx

from ._types import TimeoutTypes

__all__ = ["bounded_timeout", "nearest", "to_httpx_timeout"]

_FLOOR = 0.001
"""A part never goes below this: httpx treats 0 as "no wait at all", which would fail a live read."""


def to_httpx_timeout(timeout: TimeoutTypes) -> httpx.Timeout:
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


def _at_most(value: float | None, bound: float) -> float:
    return bound if value is None or bound < value else value


def bounded_timeout(
    timeout: httpx.Timeout,
    *,
    idle: float | None = None,
    until: float | None = None,
    read_until: float | None = None,
    now: float = 0.0,
) -> httpx.Timeout:
    """``timeout`` with its read part at most ``idle``, and its parts at most the time left.

    ``until`` bounds the connect, write and pool parts, ``read_until`` the read
    part: the same deadline for a plain call, but a stream's reads are bounded
    by its ``stream_deadline`` and not by the call's ``total_timeout``. Both are
    absolute ``time.monotonic()`` values (pass ``now`` with them). A part that
    is ``None`` (no limit) takes the bound.
    """
    read = timeout.read
    if idle is not None:
        read = _at_most(read, idle)
    connect, write, pool = timeout.connect, timeout.write, timeout.pool
    if until is not None:
        left = max(until - now, _FLOOR)
        connect = _at_most(connect, left)
        write = _at_most(write, left)
        pool = _at_most(pool, left)
    if read_until is not None:
        read = _at_most(read, max(read_until - now, _FLOOR))
    return httpx.Timeout(connect=connect, read=read, write=write, pool=pool)
