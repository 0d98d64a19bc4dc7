"""The throttle of a client: its queue, concurrency slots and rate budgets (see ``oai._core._ratelimit``).

A call waits here before each attempt, in this order:

1. a concurrency slot (``max_concurrent_requests``), held until the response
   is finished with (read, or for a stream, closed), and the turn at the
   budgets: waiting calls get them highest ``priority`` first, then first come;
2. its cost in the rate budgets (``max_requests_per_minute``,
   ``max_tokens_per_minute``, or what the server's headers taught it), from the
   client's :class:`~oai._core._ratelimit.RateLimiter`.

``queue_timeout`` bounds both together, ``max_queued_requests`` how many
calls may wait behind the head. After the attempt, :meth:`AsyncThrottle.observe`
reads the ``x-ratelimit-*`` headers (``adaptive_limits``) and a 429's
``retry-after``, and :meth:`AsyncThrottle.settle` corrects the tokens taken
from the ``usage`` the response reports.

The async throttle only awaits, it never blocks the loop; ``_sync/_throttle.py``
is written from this file.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import AsyncIterator

import httpx

from .._errors import RateLimitQueueFullError, RateLimitQueueTimeoutError
from .._logging import logger
from .._ratelimit import (
    REQUESTS,
    TOKENS,
    USAGE_TAIL,
    Cost,
    InProcessRateLimiter,
    RateLimiter,
    bucket_shape,
    check_limit,
    check_throttle_options,
    read_server_limits,
    usage_tokens,
)
from .._retry import parse_retry_after
from ._backend import event, sleep, wait_event

__all__ = ["AsyncThrottle", "release_on_close"]


class _Waiter:
    __slots__ = ("flag", "granted")

    def __init__(self) -> None:
        self.flag = event()
        self.granted = False


class AsyncThrottle:
    """Queue, concurrency slots and rate budgets, shared by a client and its ``with_options()`` copies."""

    def __init__(
        self,
        *,
        max_concurrent: int | None = None,
        max_per_minute: float | None = None,
        max_tokens_per_minute: float | None = None,
        limiter: RateLimiter | None = None,
        adaptive: bool = False,
        max_queued: int | None = None,
        queue_timeout: float | None = None,
    ) -> None:
        check_throttle_options(max_concurrent, max_queued, queue_timeout, 0)
        check_limit("max_requests_per_minute", max_per_minute)
        check_limit("max_tokens_per_minute", max_tokens_per_minute)
        if limiter is not None and not isinstance(limiter, RateLimiter):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"rate_limiter must be a oai.RateLimiter (or None), got {type(limiter).__name__}")
        if limiter is not None and max_per_minute is None and max_tokens_per_minute is None and not adaptive:
            raise ValueError(
                "rate_limiter= holds budgets but none was given: pass max_requests_per_minute=, "
                "max_tokens_per_minute= or adaptive_limits=True with it"
            )
        self.max_concurrent = max_concurrent
        self.max_per_minute = max_per_minute
        self.max_tokens_per_minute = max_tokens_per_minute
        self.limiter = limiter
        self.adaptive = adaptive
        self.max_queued = max_queued
        self.queue_timeout = queue_timeout
        self._store: RateLimiter = limiter if limiter is not None else InProcessRateLimiter()
        self._learned: dict[str, float] = {}
        self.counts_tokens = max_tokens_per_minute is not None or adaptive
        """Whether calls need a token estimate (a token budget is set, or may be learned from the server)."""
        self._lock = threading.Lock()  # nothing waits while holding it: cheap for the loop, safe for threads
        self._queue: list[tuple[int, int, _Waiter]] = []
        self._order = itertools.count()
        self._busy = False  # a call holds the turn: it waits for the budget
        self._in_flight = 0  # attempts holding a concurrency slot (counted also without a limit)

    # -- the budgets ---------------------------------------------------------------------------------------------------

    def per_minute(self, name: str) -> float | None:
        """The budget's limit now: the one configured, or what the server reported if lower (or if none was)."""
        configured = self.max_per_minute if name == REQUESTS else self.max_tokens_per_minute
        learned = self._learned.get(name)
        if learned is None:
            return configured
        return learned if configured is None else min(configured, learned)

    def _costs(self, tokens: int) -> list[Cost]:
        costs: list[Cost] = []
        requests = self.per_minute(REQUESTS)
        if requests is not None:
            costs.append(Cost(REQUESTS, requests, 1.0))
        if tokens > 0:
            token_budget = self.per_minute(TOKENS)
            if token_budget is not None:
                costs.append(Cost(TOKENS, token_budget, float(tokens)))
        return costs

    # -- waiting -------------------------------------------------------------------------------------------------------

    async def acquire(self, priority: int = 0, tokens: int = 0) -> None:
        """Wait for a slot and the turn, then the budget (see the module docstring); raise a ``RateLimitQueueError``."""
        timeout = self.queue_timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        await self._take_turn(priority, deadline)
        try:
            costs = self._costs(tokens)
            if costs:
                await self._reserve(costs, deadline)
        except BaseException:
            self._end_turn(admitted=False)
            raise
        self._end_turn(admitted=True)

    async def _reserve(self, costs: list[Cost], deadline: float | None) -> None:
        store = self._store
        while True:
            wait = await store.areserve(costs)
            if wait <= 0.0:
                return
            if deadline is not None and time.monotonic() + wait > deadline:
                raise self._timed_out()
            await sleep(wait)

    def _timed_out(self) -> RateLimitQueueTimeoutError:
        return RateLimitQueueTimeoutError(
            f"The call waited for the rate limiter longer than queue_timeout ({self.queue_timeout} s); it was not sent."
        )

    def _free(self) -> bool:
        """Whether the next call may go on now: no call waits for the budget, and a concurrency slot is free."""
        return not self._busy and (self.max_concurrent is None or self._in_flight < self.max_concurrent)

    async def _take_turn(self, priority: int, deadline: float | None) -> None:
        """Get a concurrency slot and the turn at the budget: at once when both are free and nobody waits."""
        with self._lock:
            if not self._queue and self._free():
                self._busy = True
                self._in_flight += 1
                return
            if self.max_queued is not None and len(self._queue) >= self.max_queued:
                raise RateLimitQueueFullError(
                    f"{len(self._queue)} calls are already waiting for the rate limiter (max_queued_requests="
                    f"{self.max_queued}); this one was not sent."
                )
            waiter = _Waiter()
            entry = (-priority, next(self._order), waiter)
            heapq.heappush(self._queue, entry)
        try:
            granted = await wait_event(waiter.flag, None if deadline is None else deadline - time.monotonic())
        except BaseException:
            self._leave(entry)
            raise
        if not granted:
            self._leave(entry)
            raise self._timed_out()

    def _leave(self, entry: tuple[int, int, _Waiter]) -> None:
        """A waiter gives up: out of the queue, or, if its turn came meanwhile, the turn and slot go on."""
        with self._lock:
            if not entry[2].granted:
                self._queue.remove(entry)
                heapq.heapify(self._queue)
                return
        self._end_turn(admitted=False)

    def _end_turn(self, *, admitted: bool) -> None:
        """The call at the budget is done with it: sent (keeps its slot) or not (gives it back)."""
        with self._lock:
            self._busy = False
            if not admitted:
                self._in_flight -= 1
            waiter = self._next()
        if waiter is not None:
            waiter.flag.set()

    def _next(self) -> _Waiter | None:
        """The waiter that goes on now, if one may: the first of the highest priority (under the lock)."""
        if not self._queue or not self._free():
            return None
        waiter = heapq.heappop(self._queue)[2]
        waiter.granted = True
        self._busy = True
        self._in_flight += 1
        return waiter

    def release(self) -> None:
        """Give back the concurrency slot of a finished attempt."""
        with self._lock:
            self._in_flight -= 1
            waiter = self._next()
        if waiter is not None:
            waiter.flag.set()

    def release_on_close(self, response: httpx.Response, estimate: int) -> None:
        """Give back the slot of a streamed attempt when ``response`` is closed (:func:`release_on_close`)."""
        release_on_close(response, self, estimate)

    # -- after the attempt ---------------------------------------------------------------------------------------------

    async def observe(self, response: httpx.Response) -> None:
        """Learn from the response's ``x-ratelimit-*`` headers; a 429's ``retry-after`` pauses every caller.

        A store that fails here is logged, never raised: the call itself went well.
        """
        headers = response.headers
        store = self._store
        try:
            for name, limit, remaining, _reset in read_server_limits(headers):
                if limit is not None and limit > 0 and self._learned.get(name) != limit:
                    self._learned[name] = limit
                    self.counts_tokens = self.counts_tokens or name == TOKENS
                per_minute = self.per_minute(name)
                if per_minute is None or remaining is None:
                    continue
                if remaining < bucket_shape(per_minute)[1]:
                    await store.aadjust(name, per_minute, 0.0, remaining)
            if response.status_code == 429:
                after = parse_retry_after(headers)
                if after is not None and after > 0:
                    logger.info("429 with retry-after %.3g s: the rate limiter pauses every call", after)
                    await store.apause(after)
        except Exception as exc:
            logger.warning("The rate limiter could not take in the server's rate-limit headers: %r", exc)

    async def settle(self, estimate: int, actual: int | None) -> None:
        """The call took ``estimate`` tokens and used ``actual`` (``None``: unknown, the estimate stands)."""
        if actual is None or actual == estimate or estimate <= 0:
            return
        per_minute = self.per_minute(TOKENS)
        if per_minute is None:
            return
        try:
            await self._store.aadjust(TOKENS, per_minute, float(estimate - actual))
        except Exception as exc:
            logger.warning("The rate limiter could not settle a call's tokens: %r", exc)

    async def refund(self, estimate: int) -> None:
        """An attempt that failed used none of the tokens it took."""
        await self.settle(estimate, 0)


class _ReleasingAsyncStream(httpx.AsyncByteStream):
    """A streamed body that gives back the slot when closed and settles the tokens from the usage it carried."""

    def __init__(self, inner: httpx.AsyncByteStream, throttle: AsyncThrottle, estimate: int) -> None:
        self._inner = inner
        self._throttle: AsyncThrottle | None = throttle
        self._estimate = estimate
        self._used: int | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._estimate <= 0:
            async for chunk in self._inner:
                yield chunk
            return
        tail = b""
        async for chunk in self._inner:
            # Where two reads meet (a usage split between them), then the read itself; the last one found wins.
            for part in (tail + chunk[:USAGE_TAIL], chunk):
                if b"total_tokens" in part:
                    used = usage_tokens(part)
                    if used is not None:
                        self._used = used
            tail = chunk[-USAGE_TAIL:]
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            throttle, self._throttle = self._throttle, None
            if throttle is not None:
                throttle.release()
                await throttle.settle(self._estimate, self._used)


def release_on_close(response: httpx.Response, throttle: AsyncThrottle, estimate: int) -> None:
    """Give back ``throttle``'s slot once, when ``response`` (still unread) is closed, and settle its tokens."""
    stream = response.stream
    if isinstance(stream, httpx.AsyncByteStream):
        response.stream = _ReleasingAsyncStream(stream, throttle, estimate)
    else:  # pragma: no cover - httpx always gives the matching kind
        throttle.release()
