"""Rate limits as token buckets, and the interface of the store that holds them.

``OpenAI(max_requests_per_minute=600, max_tokens_per_minute=90_000)`` gives a
client two *budgets*, ``"requests"`` and ``"tokens"``. A budget of ``L`` per
minute is a token bucket: it refills continuously at ``L / 60`` per second and
holds at most one second's worth (``L / 60``), so a minute's quota is never
sent in one burst. Any ``t`` seconds see at most ``L / 60 * (1 + t)`` of it
(a full bucket plus what refills), from every client that shares the store.

A call is let through when every budget it draws on holds at least its cost,
or, for a cost larger than the bucket, when the bucket is full; the cost is
then taken, which may leave the budget below zero (a debt the refill pays off
before the next call). A request costs 1 request and its estimated tokens
(:func:`estimate_tokens`); when the response reports its ``usage``, the
difference is given back or taken (:func:`usage_tokens`).

Where the buckets live is a :class:`RateLimiter`: :class:`InProcessRateLimiter`
(the default: one process) or ``RedisRateLimiter`` (``_redis.py``: every
process that names the same Redis key). Another store implements the three
operations of :class:`RateLimiter`, atomically for everyone sharing it.

This module does no I/O; the throttles that wait are ``_async/_throttle.py``
and its sync twin.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

__all__ = [
    "DEFAULT_OUTPUT_TOKENS",
    "Cost",
    "InProcessRateLimiter",
    "RateLimiter",
    "ServerLimits",
    "check_throttle_options",
    "estimate_tokens",
    "parse_reset",
    "read_server_limits",
    "usage_tokens",
]

REQUESTS = "requests"
TOKENS = "tokens"

DEFAULT_OUTPUT_TOKENS = 256
"""The output a request is assumed to produce when it names no maximum (corrected from ``usage``)."""


class Cost(NamedTuple):
    """What one call takes from one budget: ``amount`` of the budget ``name``, which allows ``per_minute``."""

    name: str
    per_minute: float
    amount: float


def bucket_shape(per_minute: float) -> tuple[float, float]:
    """``(rate per second, capacity)`` of a budget of ``per_minute``: it refills in one second."""
    rate = per_minute / 60.0
    return rate, rate


class RateLimiter:
    """The store of a client's rate-limit budgets; share one to share the limits.

    Three operations, each atomic for everyone who shares the store (several
    clients, threads, processes or machines). A budget is named (``"requests"``,
    ``"tokens"``) and comes with its limit, ``per_minute``, on every operation;
    a budget never seen before (or forgotten, as Redis forgets idle keys) is
    full. Rate ``per_minute / 60`` per second, capacity ``per_minute / 60``.

    * :meth:`reserve`: refill each budget; if it is paused, or some budget holds
      less than ``min(amount, capacity)``, take nothing and return the seconds
      to wait before trying again; else take every amount and return ``0.0``.
    * :meth:`adjust`: refill the budget, add ``delta`` (negative: take), then
      lower it to ``at_most`` when given, and to its capacity.
    * :meth:`pause`: nothing is let through for ``seconds`` from now (the later
      end wins when pauses overlap).

    The ``a``-prefixed methods are the same for async clients; by default they
    call the sync ones, which suits a store that never blocks. A store that does
    I/O overrides both sets.
    """

    def reserve(self, costs: Sequence[Cost]) -> float:
        raise NotImplementedError

    def adjust(self, name: str, per_minute: float, delta: float = 0.0, at_most: float | None = None) -> None:
        raise NotImplementedError

    def pause(self, seconds: float) -> None:
        raise NotImplementedError

    async def areserve(self, costs: Sequence[Cost]) -> float:
        return self.reserve(costs)

    async def aadjust(self, name: str, per_minute: float, delta: float = 0.0, at_most: float | None = None) -> None:
        self.adjust(name, per_minute, delta, at_most)

    async def apause(self, seconds: float) -> None:
        self.pause(seconds)


class InProcessRateLimiter(RateLimiter):
    """Budgets kept in this process (the clock: ``time.monotonic``); safe across threads and event loops.

    What a client uses when given limits and no ``rate_limiter=``. Pass one
    instance to several clients to make them share their budgets.
    """

    def __init__(self) -> None:
        self._levels: dict[str, tuple[float, float]] = {}  # name -> (level, at)
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def _level(self, name: str, rate: float, capacity: float, now: float) -> float:
        state = self._levels.get(name)
        if state is None:
            return capacity
        level, at = state
        return min(capacity, level + max(0.0, now - at) * rate)

    def reserve(self, costs: Sequence[Cost]) -> float:
        with self._lock:
            now = time.monotonic()
            if self._paused_until > now:
                return self._paused_until - now
            wait = 0.0
            levels: list[float] = []
            for name, per_minute, amount in costs:
                rate, capacity = bucket_shape(per_minute)
                level = self._level(name, rate, capacity, now)
                levels.append(level)
                need = min(amount, capacity)
                if level < need:
                    wait = max(wait, (need - level) / rate)
            if wait > 0.0:
                return wait
            for (name, _, amount), level in zip(costs, levels, strict=True):
                self._levels[name] = (level - amount, now)
            return 0.0

    def adjust(self, name: str, per_minute: float, delta: float = 0.0, at_most: float | None = None) -> None:
        rate, capacity = bucket_shape(per_minute)
        with self._lock:
            now = time.monotonic()
            level = self._level(name, rate, capacity, now) + delta
            if at_most is not None:
                level = min(level, at_most)
            self._levels[name] = (min(level, capacity), now)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)


def check_limit(name: str, value: float | None) -> None:
    if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"{name} must be a number above 0 (or None for no limit), got {value!r}")


# -- the cost of a request ---------------------------------------------------------------------------------------------

_MAX_OUTPUT_FIELDS = ("max_completion_tokens", "max_tokens", "max_output_tokens")


def estimate_tokens(body: Mapping[str, Any] | None, size: int) -> int:
    """The tokens a request is expected to use, before it is sent.

    Input: one token per 4 bytes of the encoded JSON body (``size``), rounded
    up -- keys and punctuation included, so it errs on the high side for
    English text. Output: ``max_completion_tokens``, ``max_tokens`` or
    ``max_output_tokens`` (the first one given), else
    :data:`DEFAULT_OUTPUT_TOKENS`, times ``n`` when several choices are asked
    for. A request without a JSON object body (a GET, an upload) costs 0.
    """
    if body is None:
        return 0
    output: object = None
    for field in _MAX_OUTPUT_FIELDS:
        output = body.get(field)
        if output is not None:
            break
    if not isinstance(output, int) or isinstance(output, bool) or output < 0:
        output = DEFAULT_OUTPUT_TOKENS
    choices = body.get("n")
    if isinstance(choices, int) and not isinstance(choices, bool) and choices > 1:
        output *= choices
    return math.ceil(size / 4) + output


_TOTAL_TOKENS = re.compile(rb'"total_tokens"\s*:\s*(\d+)')
USAGE_TAIL = 64
"""Bytes on each side of the seam between two reads searched together, so a ``"total_tokens": N`` split between
them is still found (it is shorter than that)."""


def usage_tokens(data: bytes) -> int | None:
    """The last ``"total_tokens": N`` in a response body (JSON or a stream's events), or ``None``.

    Chat completions, completions, embeddings and Responses (its final event
    included) all report ``usage.total_tokens``. Text the model wrote cannot
    match: inside a JSON string its quotes are escaped.
    """
    last = None
    for match in _TOTAL_TOKENS.finditer(data):
        last = match
    return int(last.group(1)) if last is not None else None


# -- what the server says ----------------------------------------------------------------------------------------------

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_reset(value: str) -> float | None:
    """Seconds in an ``x-ratelimit-reset-*`` value: ``"1s"``, ``"6m0s"``, ``"20ms"``, ``"1h2m3.5s"``, ``"0.5"``."""
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 and math.isfinite(seconds) else None
    total = 0.0
    position = 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != position:
            return None
        total += float(match.group(1)) * _UNIT[match.group(2)]
        position = match.end()
    return total if position == len(text) else None


class ServerLimits(NamedTuple):
    """One budget as the server reports it: its limit per minute, what remains, seconds until it is full."""

    name: str
    limit: float | None
    remaining: float | None
    reset: float | None


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number >= 0 and math.isfinite(number) else None


def read_server_limits(headers: Mapping[str, str]) -> list[ServerLimits]:
    """The ``x-ratelimit-{limit,remaining,reset}-{requests,tokens}`` headers, per budget that has any."""
    found: list[ServerLimits] = []
    for name in (REQUESTS, TOKENS):
        limit = _number(headers.get(f"x-ratelimit-limit-{name}"))
        remaining = _number(headers.get(f"x-ratelimit-remaining-{name}"))
        reset_text = headers.get(f"x-ratelimit-reset-{name}")
        reset = parse_reset(reset_text) if reset_text is not None else None
        if limit is not None or remaining is not None:
            found.append(ServerLimits(name, limit, remaining, reset))
    return found


def check_throttle_options(
    max_concurrent: int | None, max_queued: int | None, queue_timeout: float | None, priority: int
) -> None:
    if max_concurrent is not None and (not isinstance(max_concurrent, int) or max_concurrent < 1):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"max_concurrent_requests must be at least 1 (or None for no limit), got {max_concurrent!r}")
    if max_queued is not None and (not isinstance(max_queued, int) or max_queued < 0):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"max_queued_requests must be 0 or more (or None for no bound), got {max_queued!r}")
    if queue_timeout is not None and (not isinstance(queue_timeout, (int, float)) or queue_timeout < 0):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(
            f"queue_timeout must be 0 or more seconds (or None to wait as long as it takes), got {queue_timeout!r}"
        )
    if not isinstance(priority, int) or isinstance(priority, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"priority must be an int (higher goes first), got {priority!r}")
