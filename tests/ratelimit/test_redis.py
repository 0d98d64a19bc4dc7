"""RedisRateLimiter against a real redis-server: 4 processes x 50 concurrent calls share one limit, counted by
the server they call; Redis restarted mid-run; failing open and closed. Sync and async."""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
import uuid
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from oai import (
    AsyncOpenAI,
    OpenAI,
    RateLimiterUnavailableError,
    RedisRateLimiter,
)
from oai._core._ratelimit import Cost

from tests._servers import serve

from ._limited import LAG, LimitedServer, bucket_bound, max_in_window
from ._worker import warm, work
from .conftest import RedisServer

PROCESSES = 4
CALLS = 50
MESSAGES: Any = [{"role": "user", "content": "Say ok."}]


def run_workers(
    mode: str,
    base_url: str,
    redis_url: str,
    rpm: float,
    tpm: float,
    *,
    on_unavailable: str = "open",
    on_start: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """Start the workers together; wait for all of them (each bounded) and return what each reported."""
    config = {
        "mode": mode,
        "base_url": base_url,
        "redis_url": redis_url,
        "key": f"test-{uuid.uuid4().hex}",
        "rpm": rpm,
        "tpm": tpm,
        "calls": CALLS,
        "on_unavailable": on_unavailable,
    }
    warm()
    context = multiprocessing.get_context("fork")
    ready = context.Semaphore(0)
    go = context.Event()
    queue: Any = context.Queue()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with the server's threads: the child uses none
        workers = [context.Process(target=work, args=(config, ready, go, queue)) for _ in range(PROCESSES)]
        for worker in workers:
            worker.start()
    results: list[dict[str, Any]] = []
    try:
        for _ in workers:
            assert ready.acquire(timeout=60), "a worker did not get ready"
        if on_start is not None:
            on_start()
        go.set()
        for _ in workers:
            results.append(queue.get(timeout=90))
    finally:
        for worker in workers:
            worker.join(10)
            if worker.is_alive():
                worker.kill()
                worker.join()
    return results


def check_limits_held(handler: LimitedServer, rpm: float, tpm: float) -> None:
    """Counted by the server: no window of any length saw more than the budgets let through, for all workers."""
    requests = [(t, 1.0) for t in handler.times()]
    tokens = handler.token_events()
    assert len(requests) == PROCESSES * CALLS  # every call reached the server once
    span = max(t for t, _ in requests) - min(t for t, _ in requests)
    for window in (0.0, 0.25, 0.5, 1.0, 2.0, span):
        assert max_in_window(requests, window) <= bucket_bound(rpm, window), f"requests in {window} s"
        assert max_in_window(tokens, window) <= bucket_bound(tpm, window), f"tokens in {window} s"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_four_processes_share_one_limit_through_redis(mode: str, redis_server: RedisServer) -> None:
    # 50 requests and 2,400 tokens a second (a call: about 20 tokens of prompt + 20 of max_tokens, 10 used).
    rpm, tpm = 3000.0, 144_000.0
    handler = LimitedServer(rpm, tpm)
    with serve(handler) as server:
        results = run_workers(mode, server.url, redis_server.url, rpm, tpm)
    assert [r["failed"] for r in results] == [[]] * PROCESSES
    assert sum(r["ok"] for r in results) == PROCESSES * CALLS
    check_limits_held(handler, rpm, tpm)
    # Together they were held to the shared limit, not four times it: 200 calls at 50 a second after a burst of 50.
    times = handler.times()
    assert max(times) - min(times) >= (PROCESSES * CALLS - 50) / 50 - LAG


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_redis_restarted_mid_run_loses_no_call_and_holds_the_limit_when_failing_closed(
    mode: str, redis_server: RedisServer
) -> None:
    rpm, tpm = 2400.0, 10.0**9  # 40 a second: 200 calls take about 4 s
    handler = LimitedServer(rpm, tpm)
    outage: list[float] = []

    def restart() -> None:
        time.sleep(1.5)  # 1.5 s of calls
        outage.append(time.monotonic())
        redis_server.stop()
        time.sleep(1.2)  # longer than a bucket takes to refill: a restarted (empty, so full) Redis adds no burst
        redis_server.start()
        outage.append(time.monotonic())

    killer = threading.Thread(target=restart)
    with serve(handler) as server:
        try:
            results = run_workers(
                mode, server.url, redis_server.url, rpm, tpm, on_unavailable="closed", on_start=killer.start
            )
        finally:
            killer.join()
    assert [r["failed"] for r in results] == [[]] * PROCESSES
    assert sum(r["ok"] for r in results) == PROCESSES * CALLS
    times = handler.times()
    assert not [t for t in times if outage[0] + 0.05 < t < outage[1] - 0.05]  # nothing went out without Redis
    assert max(times) > outage[1]  # the run went on after the restart
    check_limits_held(handler, rpm, tpm)


# -- failing open and closed, in one process ---------------------------------------------------------------------------


def test_failing_open_goes_on_under_the_process_limits_with_one_warning(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    handler = LimitedServer(10**6, 10**9)
    limiter = RedisRateLimiter(redis_server.url, key=f"open-{uuid.uuid4().hex}", socket_timeout=0.5)
    with serve(handler) as server, caplog.at_level(logging.INFO, logger="oai"):
        with OpenAI(api_key="k", base_url=server.url, rate_limiter=limiter, max_requests_per_minute=6000) as client:
            client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
            redis_server.stop()
            for _ in range(3):
                client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
            redis_server.start()
            client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
    limiter.close()
    assert len(handler.arrivals) == 5
    down = [r for r in caplog.records if "does not answer" in r.getMessage()]
    assert len(down) == 1 and down[0].levelno == logging.WARNING
    assert "this process's own limits" in down[0].getMessage()
    assert any("answers again" in r.getMessage() for r in caplog.records)


async def test_failing_open_goes_on_async(redis_server: RedisServer, caplog: pytest.LogCaptureFixture) -> None:
    handler = LimitedServer(10**6, 10**9)
    limiter = RedisRateLimiter(redis_server.url, key=f"open-{uuid.uuid4().hex}", socket_timeout=0.5)
    with serve(handler) as server, caplog.at_level(logging.WARNING, logger="oai"):
        async with AsyncOpenAI(
            api_key="k", base_url=server.url, rate_limiter=limiter, max_requests_per_minute=6000
        ) as client:
            await client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
            redis_server.stop()
            for _ in range(3):
                await client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
        await limiter.aclose()
    assert len(handler.arrivals) == 4
    assert len([r for r in caplog.records if "does not answer" in r.getMessage()]) == 1


def test_failing_closed_raises_a_typed_error_without_the_password_sync(redis_with_password: RedisServer) -> None:
    handler = LimitedServer(10**6, 10**9)
    limiter = RedisRateLimiter(
        redis_with_password.url, key="closed", on_unavailable="closed", unavailable_timeout=0.3, socket_timeout=0.5
    )
    with serve(handler) as server:
        with OpenAI(api_key="k", base_url=server.url, rate_limiter=limiter, max_requests_per_minute=6000) as client:
            client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
            redis_with_password.stop()
            with pytest.raises(RateLimiterUnavailableError) as caught:
                client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
    assert "fails closed" in str(caught.value)
    assert "s3cret" not in str(caught.value) and "s3cret" not in repr(limiter)
    assert len(handler.arrivals) == 1


async def test_failing_closed_raises_a_typed_error_async(redis_with_password: RedisServer) -> None:
    handler = LimitedServer(10**6, 10**9)
    limiter = RedisRateLimiter(
        redis_with_password.url, key="closed", on_unavailable="closed", unavailable_timeout=0.3, socket_timeout=0.5
    )
    with serve(handler) as server:
        async with AsyncOpenAI(
            api_key="k", base_url=server.url, rate_limiter=limiter, max_requests_per_minute=6000
        ) as client:
            await client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
            redis_with_password.stop()
            with pytest.raises(RateLimiterUnavailableError) as caught:
                await client.chat.completions.create(model="m", messages=MESSAGES)  # type: ignore[arg-type]
    assert "s3cret" not in str(caught.value)
    assert len(handler.arrivals) == 1


# -- the script itself -------------------------------------------------------------------------------------------------


def test_the_script_takes_adjusts_and_pauses_atomically(redis_server: RedisServer) -> None:
    limiter = RedisRateLimiter(redis_server.url, key=f"unit-{uuid.uuid4().hex}")
    costs = [Cost("requests", 120, 1.0), Cost("tokens", 6000, 100.0)]  # buckets of 2 requests and 100 tokens
    assert limiter.reserve(costs) == 0.0
    wait = limiter.reserve(costs)  # tokens: 0 left, 100 needed at 100 a second
    assert 0.9 < wait <= 1.0
    limiter.adjust("tokens", 6000, 100.0)  # usage said the call used nothing
    assert limiter.reserve(costs) == 0.0  # no request is left now ...
    assert 0.4 < limiter.reserve([Cost("requests", 120, 1.0)]) <= 0.5  # ... for half a second
    limiter.pause(5)
    assert 4.9 < limiter.reserve([Cost("tokens", 6000, 1.0)]) <= 5.0
    limiter.adjust("tokens", 6000, 0.0, at_most=-50.0)
    limiter.close()


async def test_the_script_async_matches_the_sync_one(redis_server: RedisServer) -> None:
    limiter = RedisRateLimiter(redis_server.url, key=f"unit-{uuid.uuid4().hex}")
    costs = [Cost("requests", 60, 1.0)]  # a bucket of one request
    assert await limiter.areserve(costs) == 0.0
    assert 0.9 < await limiter.areserve(costs) <= 1.0
    await limiter.aadjust("requests", 60, 1.0)
    assert await limiter.areserve(costs) == 0.0
    await limiter.apause(2)
    assert 1.9 < limiter.reserve(costs) <= 2.0  # the sync client sees the async one's pause: one store
    await limiter.aclose()
    limiter.close()
