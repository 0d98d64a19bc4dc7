"""The in-process rate limiter against a real server on 127.0.0.1, sync and async: pacing, tokens, headers,
429 pauses and the priority queue. Every bound is counted on the server's side, from arrival times."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from oai import (
    AsyncOpenAI,
    InProcessRateLimiter,
    OpenAI,
    RateLimitQueueFullError,
    RateLimitQueueTimeoutError,
)

from tests._servers import Reply, Request, serve

from ._limited import COMPLETION, LAG, LimitedServer, bucket_bound, max_in_window

MESSAGES: Any = [{"role": "user", "content": "Say ok."}]


def ask(client: OpenAI, **kwargs: Any) -> None:
    client.chat.completions.create(model="m", messages=MESSAGES, max_tokens=20, **kwargs)  # type: ignore[arg-type]


async def aask(client: AsyncOpenAI, **kwargs: Any) -> None:
    await client.chat.completions.create(model="m", messages=MESSAGES, max_tokens=20, **kwargs)  # type: ignore[arg-type]


def run_threads(n: int, target: Callable[[int], None]) -> None:
    with ThreadPoolExecutor(n) as pool:
        list(pool.map(target, range(n)))


# -- pacing ------------------------------------------------------------------------------------------------------------

# The spread is measured from the first arrival, which also carries a new connection's setup; the paced ones come
# later over warm connections. On a loaded machine that setup alone has taken ~110 ms, so the spread gets more slack
# than LAG. The windowed bounds above are what hold the rate; the spread only shows that the last 15 waited.
FIRST_ARRIVAL_LAG = 0.3


def test_requests_are_paced_by_a_bucket_of_one_second_sync() -> None:
    handler = LimitedServer(600, 10**9)  # 10 a second, at most 10 at once
    with serve(handler) as server, OpenAI(api_key="k", base_url=server.url, max_requests_per_minute=600) as client:
        run_threads(25, lambda i: ask(client))
    times = handler.times()
    assert len(times) == 25
    events = [(t, 1.0) for t in times]
    assert max_in_window(events, 0.0) <= bucket_bound(600, 0.0)  # the first burst: one second's worth, not a minute's
    assert max_in_window(events, 1.0) <= bucket_bound(600, 1.0)
    assert max_in_window(events, 0.5) <= bucket_bound(600, 0.5)
    assert max(times) - min(times) >= (25 - 10) / 10 - FIRST_ARRIVAL_LAG  # the other 15 came at 10 a second


async def test_requests_are_paced_by_a_bucket_of_one_second_async() -> None:
    handler = LimitedServer(600, 10**9)
    with serve(handler) as server:
        async with AsyncOpenAI(api_key="k", base_url=server.url, max_requests_per_minute=600) as client:
            await asyncio.gather(*(aask(client) for _ in range(25)))
    times = handler.times()
    events = [(t, 1.0) for t in times]
    assert len(times) == 25
    assert max_in_window(events, 0.0) <= bucket_bound(600, 0.0)
    assert max_in_window(events, 1.0) <= bucket_bound(600, 1.0)
    assert max(times) - min(times) >= (25 - 10) / 10 - FIRST_ARRIVAL_LAG


def test_a_burst_is_one_seconds_worth() -> None:
    handler = LimitedServer(10**6, 10**9)
    # 120 a minute: 2 a second, and a bucket of 2.
    with serve(handler) as server, OpenAI(api_key="k", base_url=server.url, max_requests_per_minute=120) as client:
        run_threads(4, lambda i: ask(client))
    times = sorted(handler.times())
    assert max_in_window([(t, 1.0) for t in times], 0.0) <= bucket_bound(120, 0.0)  # 2 a second: a bucket of 2
    assert times[-1] - times[0] >= 2 * 0.5 - LAG


# -- tokens ------------------------------------------------------------------------------------------------------------


def _token_limited(per_minute: float) -> LimitedServer:
    return LimitedServer(10**6, per_minute)


def test_tokens_per_minute_holds_and_usage_gives_back_what_was_overestimated_sync() -> None:
    handler = _token_limited(10**9)
    limiter = InProcessRateLimiter()
    with serve(handler) as server:
        with OpenAI(api_key="k", base_url=server.url, max_tokens_per_minute=60_000, rate_limiter=limiter) as client:
            run_threads(20, lambda i: ask(client))
    events = handler.token_events()
    assert len(events) == 20
    assert max_in_window(events, 1.0) <= bucket_bound(60_000, 1.0)
    # Every call was estimated above what it used (max_tokens=20 against COMPLETION=10 used): the difference was
    # given back, so the budget ends where the server's count says, not where the estimates would have left it.
    level = limiter._levels["tokens"][0]  # pyright: ignore[reportPrivateUsage]
    used = sum(tokens for _, tokens in events)
    refill = (max(t for t, _ in events) - min(t for t, _ in events)) * 1000
    assert level >= 1000 - used + refill - 1000  # never lower than what usage and the refill explain


async def test_a_streams_usage_settles_its_tokens_async() -> None:
    handler = _token_limited(10**9)
    limiter = InProcessRateLimiter()
    with serve(handler) as server:
        async with AsyncOpenAI(
            api_key="k", base_url=server.url, max_tokens_per_minute=6_000_000, rate_limiter=limiter
        ) as client:
            stream = await client.chat.completions.create(
                model="m", messages=MESSAGES, max_tokens=5000, stream=True, stream_options={"include_usage": True}
            )
            after_send = limiter._levels["tokens"][0]  # pyright: ignore[reportPrivateUsage]
            async for _ in stream:
                pass
    level, _ = limiter._levels["tokens"]  # pyright: ignore[reportPrivateUsage]
    # The estimate counted 5,000 output tokens; the stream's usage said COMPLETION: the rest came back on close.
    assert level - after_send >= 5000 - COMPLETION - 1


def test_a_streams_usage_settles_its_tokens_sync() -> None:
    handler = _token_limited(10**9)
    limiter = InProcessRateLimiter()
    with serve(handler) as server:
        with OpenAI(api_key="k", base_url=server.url, max_tokens_per_minute=6_000_000, rate_limiter=limiter) as client:
            with client.chat.completions.create(
                model="m", messages=MESSAGES, max_tokens=5000, stream=True, stream_options={"include_usage": True}
            ) as stream:
                after_send = limiter._levels["tokens"][0]  # pyright: ignore[reportPrivateUsage]
                for _ in stream:
                    pass
    level, _ = limiter._levels["tokens"]  # pyright: ignore[reportPrivateUsage]
    assert level - after_send >= 5000 - COMPLETION - 1


def test_a_stream_without_usage_keeps_its_estimate() -> None:
    handler = _token_limited(10**9)
    limiter = InProcessRateLimiter()
    with serve(handler) as server:
        with OpenAI(api_key="k", base_url=server.url, max_tokens_per_minute=6_000_000, rate_limiter=limiter) as client:
            for _ in client.chat.completions.create(model="m", messages=MESSAGES, max_tokens=5000, stream=True):
                pass
            taken = 100_000 - limiter._levels["tokens"][0]  # pyright: ignore[reportPrivateUsage]
    assert taken >= 5000 - 1000  # the estimate stands (less what refilled meanwhile, at 100,000 a second)


# -- learning from the server ------------------------------------------------------------------------------------------


def test_adaptive_limits_learn_the_limit_from_the_headers_sync() -> None:
    handler = LimitedServer(300, 10**9)  # says: 300 requests a minute
    with serve(handler) as server, OpenAI(api_key="k", base_url=server.url, adaptive_limits=True) as client:
        ask(client)  # teaches the client the limit
        start = time.monotonic()
        run_threads(12, lambda i: ask(client))
    later = [(t, 1.0) for t in handler.times() if t >= start]
    assert len(later) == 12
    assert max_in_window(later, 1.0) <= bucket_bound(300, 1.0)
    assert max_in_window(later, 0.0) <= bucket_bound(300, 0.0)


async def test_adaptive_limits_follow_what_the_server_says_remains_async() -> None:
    handler = LimitedServer(600, 10**9)
    remaining = {"n": 0}

    def answer(request: Request) -> Reply | None:
        # A server whose budget was spent elsewhere: 0 requests remain, full again in 0.8 s.
        if remaining["n"] == 0:
            remaining["n"] = 1
            return Reply(
                200,
                {"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": []},
                {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "800ms"},
            )
        return None

    handler.answer = answer
    async with AsyncOpenAI(api_key="k", base_url="http://127.0.0.1:1", adaptive_limits=True) as probe:
        assert probe._throttle is not None and probe._throttle.adaptive  # pyright: ignore[reportPrivateUsage]
    with serve(handler) as server:
        async with AsyncOpenAI(api_key="k", base_url=server.url, adaptive_limits=True) as client:
            await aask(client)
            start = time.monotonic()
            await asyncio.gather(*(aask(client) for _ in range(3)))
    later = sorted(t for t in handler.times() if t >= start)
    # Remaining 0 at 600 a minute: the bucket holds nothing, so the next call waits a tenth of a second.
    assert later[0] - start >= 0.1 - 0.02


@pytest.mark.parametrize("header", ["retry-after", "retry-after-ms"])
def test_a_429_with_retry_after_pauses_every_call_sync(header: str) -> None:
    handler = LimitedServer(10**6, 10**9)
    first = threading.Event()
    seen_429: list[float] = []

    def answer(request: Request) -> Reply | None:
        if not first.is_set():
            first.set()
            seen_429.append(time.monotonic())
            return Reply(
                429, {"error": {"message": "slow down"}}, {header: "0.6" if header == "retry-after" else "600"}
            )
        return None

    handler.answer = answer
    with serve(handler) as server:
        with OpenAI(api_key="k", base_url=server.url, adaptive_limits=True, max_retries=2) as client:
            ask(client)  # gets the 429, then its retry succeeds
            ask(client)  # another call, after the pause
    times = sorted(handler.times())
    assert len(times) == 3
    assert times[1] - seen_429[0] >= 0.6 - 0.02


async def test_a_429_with_retry_after_pauses_every_call_async() -> None:
    handler = LimitedServer(10**6, 10**9)
    first = threading.Event()
    seen_429: list[float] = []

    def answer(request: Request) -> Reply | None:
        if not first.is_set():
            first.set()
            seen_429.append(time.monotonic())
            return Reply(429, {"error": {"message": "slow down"}}, {"retry-after": "0.6"})
        return None

    handler.answer = answer
    with serve(handler) as server:
        async with AsyncOpenAI(api_key="k", base_url=server.url, adaptive_limits=True, max_retries=2) as client:
            first_call = asyncio.ensure_future(aask(client))  # gets the 429, waits, retries
            while not seen_429:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)
            await aask(client)  # sent after the 429: waits out the pause too
            await first_call
    times = sorted(handler.times())
    assert len(times) == 3
    assert times[1] - seen_429[0] >= 0.6 - 0.02


# -- the queue ---------------------------------------------------------------------------------------------------------


def _slow_first(delay: float) -> Callable[[Request], Reply | None]:
    state = {"n": 0}
    lock = threading.Lock()

    def answer(request: Request) -> Reply | None:
        with lock:
            state["n"] += 1
            n = state["n"]
        if n == 1:
            reply = Reply(200, {"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": []})
            reply.delay = delay
            return reply
        return None

    return answer


def test_higher_priority_calls_go_first_sync() -> None:
    handler = LimitedServer(10**6, 10**9, answer=_slow_first(0.4))
    order: list[str] = []
    with serve(handler) as server, OpenAI(api_key="k", base_url=server.url, max_concurrent_requests=1) as client:
        urgent = client.with_options(priority=10)
        holder = threading.Thread(target=ask, args=(client,))
        holder.start()
        time.sleep(0.1)  # the slot is taken: the others queue
        threads: list[threading.Thread] = []

        def one(name: str, c: OpenAI) -> None:
            ask(c, user=name)
            order.append(name)

        for name, c in (("low-1", client), ("low-2", client), ("high", urgent)):
            t = threading.Thread(target=one, args=(name, c))
            t.start()
            threads.append(t)
            time.sleep(0.05)
        holder.join()
        for t in threads:
            t.join()
    users = [a for a in handler.arrivals]
    assert len(users) == 4
    assert order == ["high", "low-1", "low-2"]


async def test_higher_priority_calls_go_first_async() -> None:
    handler = LimitedServer(10**6, 10**9, answer=_slow_first(0.4))
    order: list[str] = []
    with serve(handler) as server:
        async with AsyncOpenAI(api_key="k", base_url=server.url, max_concurrent_requests=1) as client:
            urgent = client.with_options(priority=10)

            async def one(name: str, c: AsyncOpenAI) -> None:
                await aask(c, user=name)
                order.append(name)

            holder = asyncio.ensure_future(aask(client))
            await asyncio.sleep(0.1)
            tasks: list[asyncio.Future[None]] = []
            for name, c in (("low-1", client), ("low-2", client), ("high", urgent)):
                tasks.append(asyncio.ensure_future(one(name, c)))
                await asyncio.sleep(0.05)
            await asyncio.gather(holder, *tasks)
    assert order == ["high", "low-1", "low-2"]


def test_a_full_queue_and_a_queue_timeout_raise_typed_errors_sync() -> None:
    handler = LimitedServer(10**6, 10**9, answer=_slow_first(0.5))
    with serve(handler) as server:
        with OpenAI(
            api_key="k", base_url=server.url, max_concurrent_requests=1, max_queued_requests=1, queue_timeout=0.2
        ) as client:
            holder = threading.Thread(target=ask, args=(client,))
            holder.start()
            time.sleep(0.1)
            errors: list[BaseException] = []

            def waiting() -> None:
                try:
                    ask(client)
                except Exception as exc:
                    errors.append(exc)

            waiter = threading.Thread(target=waiting)
            waiter.start()
            time.sleep(0.05)
            with pytest.raises(RateLimitQueueFullError, match="max_queued_requests=1"):
                ask(client)
            waiter.join()
            holder.join()
    assert len(errors) == 1 and isinstance(errors[0], RateLimitQueueTimeoutError)
    assert "queue_timeout (0.2 s)" in str(errors[0])
    assert len(handler.arrivals) == 1  # neither refused call was sent


async def test_a_full_queue_and_a_queue_timeout_raise_typed_errors_async() -> None:
    handler = LimitedServer(10**6, 10**9, answer=_slow_first(0.5))
    with serve(handler) as server:
        async with AsyncOpenAI(
            api_key="k", base_url=server.url, max_concurrent_requests=1, max_queued_requests=1, queue_timeout=0.2
        ) as client:
            holder = asyncio.ensure_future(aask(client))
            await asyncio.sleep(0.1)
            waiter = asyncio.ensure_future(aask(client))
            await asyncio.sleep(0.05)
            with pytest.raises(RateLimitQueueFullError):
                await aask(client)
            with pytest.raises(RateLimitQueueTimeoutError):
                await waiter
            await holder
    assert len(handler.arrivals) == 1


async def test_a_budget_wait_longer_than_the_queue_timeout_raises_at_once_async() -> None:
    handler = LimitedServer(10**6, 10**9)
    with serve(handler) as server:
        async with AsyncOpenAI(
            api_key="k", base_url=server.url, max_requests_per_minute=60, queue_timeout=0.3
        ) as client:
            await aask(client)  # takes the one request of this second
            with pytest.raises(RateLimitQueueTimeoutError):
                await aask(client)
    assert len(handler.arrivals) == 1


def test_a_cancelled_waiter_passes_its_turn_on(caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        handler = LimitedServer(10**6, 10**9, answer=_slow_first(0.3))
        with serve(handler) as server:
            async with AsyncOpenAI(api_key="k", base_url=server.url, max_concurrent_requests=1) as client:
                holder = asyncio.ensure_future(aask(client))
                await asyncio.sleep(0.05)
                doomed = asyncio.ensure_future(aask(client))
                after = asyncio.ensure_future(aask(client))
                await asyncio.sleep(0.05)
                doomed.cancel()
                await asyncio.wait_for(asyncio.gather(holder, after), 5)
        assert len(handler.arrivals) == 2

    with caplog.at_level(logging.WARNING, logger="oai"):
        asyncio.run(main())
