"""The limiter's parts without a server: bucket arithmetic, header and usage parsing, the token estimate, and a
typed error naming what is wrong for every bad option (sync and async clients)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from oai import AsyncOpenAI, InProcessRateLimiter, OpenAI, RateLimiter, RedisRateLimiter
from oai._core._ratelimit import (
    DEFAULT_OUTPUT_TOKENS,
    Cost,
    ServerLimits,
    estimate_tokens,
    parse_reset,
    read_server_limits,
    usage_tokens,
)
from oai._core._sync._throttle import SyncThrottle, _ReleasingSyncStream  # pyright: ignore[reportPrivateUsage]

# -- buckets -----------------------------------------------------------------------------------------------------------


def test_a_budget_starts_full_with_one_seconds_worth_and_refills_at_a_sixtieth_a_second() -> None:
    limiter = InProcessRateLimiter()
    costs = [Cost("requests", 600, 1.0)]  # 10 a second, 10 at most
    assert [limiter.reserve(costs) for _ in range(10)] == [0.0] * 10
    wait = limiter.reserve(costs)
    assert 0.09 < wait <= 0.1  # the 11th: one tenth of a second later


def test_a_cost_above_the_capacity_goes_when_the_bucket_is_full_and_leaves_a_debt() -> None:
    limiter = InProcessRateLimiter()
    assert limiter.reserve([Cost("requests", 30, 1.0)]) == 0.0  # a bucket of half a request: full, so it goes
    assert 1.9 < limiter.reserve([Cost("requests", 30, 1.0)]) <= 2.0  # -0.5 now: back to 0.5 in 2 s
    assert limiter.reserve([Cost("tokens", 600, 50.0)]) == 0.0  # 50 tokens from a bucket of 10
    assert 4.0 < limiter.reserve([Cost("tokens", 600, 1.0)]) <= 4.1  # -40 now, 1 needed, 10 a second


def test_nothing_is_taken_unless_every_budget_has_enough() -> None:
    limiter = InProcessRateLimiter()
    limiter.adjust("tokens", 600, -10.0)  # tokens empty, requests full
    assert limiter.reserve([Cost("requests", 600, 1.0), Cost("tokens", 600, 5.0)]) > 0
    assert limiter.reserve([Cost("requests", 600, 10.0)]) == 0.0  # all 10 requests were still there


def test_adjust_caps_at_the_capacity_and_at_most_and_pause_holds_everything() -> None:
    limiter = InProcessRateLimiter()
    limiter.adjust("requests", 600, +100.0)  # a refund never overfills
    assert [limiter.reserve([Cost("requests", 600, 1.0)]) for _ in range(11)][-1] > 0
    limiter.adjust("tokens", 6000, 0.0, at_most=-100.0)  # the server says: nothing left, 100 in debt
    assert 0.9 < limiter.reserve([Cost("tokens", 6000, 1.0)]) <= 1.01
    limiter.pause(3.0)
    assert 2.9 < limiter.reserve([Cost("other", 6000, 1.0)]) <= 3.0


def test_the_interfaces_async_operations_default_to_the_sync_ones() -> None:
    import asyncio

    class Counting(RateLimiter):
        def __init__(self) -> None:
            self.calls: list[str] = []

        def reserve(self, costs: Any) -> float:
            self.calls.append("reserve")
            return 0.0

        def adjust(self, name: str, per_minute: float, delta: float = 0.0, at_most: float | None = None) -> None:
            self.calls.append("adjust")

        def pause(self, seconds: float) -> None:
            self.calls.append("pause")

    store = Counting()

    async def main() -> None:
        assert await store.areserve([]) == 0.0
        await store.aadjust("tokens", 1.0)
        await store.apause(1.0)

    asyncio.run(main())
    assert store.calls == ["reserve", "adjust", "pause"]


# -- what the server says ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1s", 1.0), ("6m0s", 360.0), ("20ms", 0.02), ("1h2m3.5s", 3723.5), ("0.5", 0.5), ("59.9s", 59.9), ("0s", 0.0)],
)
def test_reset_values(text: str, seconds: float) -> None:
    assert parse_reset(text) == pytest.approx(seconds)  # pyright: ignore[reportUnknownMemberType]


@pytest.mark.parametrize("text", ["", "soon", "1x", "-1", "s", "1s2", "nan", "inf"])
def test_unreadable_reset_values_are_ignored(text: str) -> None:
    assert parse_reset(text) is None


def test_rate_limit_headers_per_budget() -> None:
    headers = {
        "x-ratelimit-limit-requests": "500",
        "x-ratelimit-remaining-requests": "499",
        "x-ratelimit-reset-requests": "120ms",
        "x-ratelimit-limit-tokens": "30000",
        "x-ratelimit-remaining-tokens": "bogus",
        "x-ratelimit-reset-tokens": "6m0s",
    }
    requests, tokens = read_server_limits(headers)
    assert requests[:3] == ("requests", 500.0, 499.0) and requests.reset == pytest.approx(0.12)  # pyright: ignore[reportUnknownMemberType]
    assert tokens == ServerLimits("tokens", 30000.0, None, 360.0)  # an unreadable value is left out
    assert read_server_limits({"x-request-id": "r"}) == []


# -- the cost of a request ---------------------------------------------------------------------------------------------


def test_the_estimate_is_a_quarter_of_the_body_plus_the_output_maximum() -> None:
    body: dict[str, Any] = {"model": "m", "messages": [{"role": "user", "content": "x" * 400}], "max_tokens": 50}
    size = len(json.dumps(body))
    assert estimate_tokens(body, size) == -(-size // 4) + 50
    assert estimate_tokens({**body, "max_completion_tokens": 7}, size) == -(-size // 4) + 7
    assert estimate_tokens({"input": "hi", "max_output_tokens": 9}, 8) == 2 + 9
    assert estimate_tokens({"model": "m", "messages": []}, 8) == 2 + DEFAULT_OUTPUT_TOKENS
    assert estimate_tokens({"max_tokens": 10, "n": 3}, 4) == 1 + 30
    assert estimate_tokens(None, 0) == 0


def test_usage_is_read_from_bodies_and_events_but_never_from_text_the_model_wrote() -> None:
    assert usage_tokens(b'{"usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}}') == 7
    events = b'data: {"usage": null}\n\ndata: {"choices": [], "usage": {"total_tokens" : 12}}\n\ndata: [DONE]\n\n'
    assert usage_tokens(events) == 12
    said = json.dumps({"content": 'I can write "total_tokens": 999 too'}).encode()
    assert usage_tokens(said) is None
    assert usage_tokens(b"") is None


# -- bad options: a typed error naming what is wrong -------------------------------------------------------------------


BAD: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"max_requests_per_minute": 0}, ValueError, "max_requests_per_minute must be a number above 0"),
    ({"max_tokens_per_minute": -5}, ValueError, "max_tokens_per_minute must be a number above 0"),
    ({"max_tokens_per_minute": "many"}, ValueError, "max_tokens_per_minute must be a number above 0"),
    ({"max_concurrent_requests": 0}, ValueError, "max_concurrent_requests must be at least 1"),
    ({"max_queued_requests": -1}, ValueError, "max_queued_requests must be 0 or more"),
    ({"queue_timeout": -0.5}, ValueError, "queue_timeout must be 0 or more seconds"),
    ({"priority": "high"}, TypeError, "priority must be an int"),
    ({"rate_limiter": object()}, TypeError, "rate_limiter must be a oai.RateLimiter"),
    ({"rate_limiter": InProcessRateLimiter()}, ValueError, "pass max_requests_per_minute="),
]


@pytest.mark.parametrize(("options", "error", "message"), BAD)
def test_bad_options_sync(options: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        OpenAI(api_key="k", **options)


@pytest.mark.parametrize(("options", "error", "message"), BAD)
async def test_bad_options_async(options: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        AsyncOpenAI(api_key="k", **options)


def test_bad_options_in_with_options() -> None:
    client = OpenAI(api_key="k", max_requests_per_minute=60)
    with pytest.raises(TypeError, match="priority must be an int"):
        client.with_options(priority=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_tokens_per_minute"):
        client.with_options(max_tokens_per_minute=0)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("redis://127.0.0.1:6379/0",), {"key": ""}, "key must be a non-empty string"),
        ((), {"key": "org"}, "needs a url"),
        (("redis://127.0.0.1:6379/0",), {"key": "org", "on_unavailable": "maybe"}, 'on_unavailable must be "open"'),
        (("redis://127.0.0.1:6379/0",), {"key": "org", "unavailable_timeout": -1}, "unavailable_timeout must be 0"),
        (("redis://127.0.0.1:6379/0",), {"key": "org", "socket_timeout": 0}, "socket_timeout must be above 0"),
    ],
)
def test_bad_redis_limiter_arguments(args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RedisRateLimiter(*args, **kwargs)


def test_the_redis_limiter_shows_no_password() -> None:
    limiter = RedisRateLimiter("redis://:hunter2-secret@127.0.0.1:6379/0", key="org")
    assert "hunter2" not in repr(limiter)


# -- with_options ------------------------------------------------------------------------------------------------------


def test_priority_alone_keeps_the_shared_throttle_other_limiter_options_make_a_new_one() -> None:
    client = OpenAI(api_key="k", max_requests_per_minute=60, max_tokens_per_minute=1000)
    urgent = client.with_options(priority=5)
    assert urgent._throttle is client._throttle and urgent.priority == 5 and client.priority == 0  # pyright: ignore[reportPrivateUsage]
    other = client.with_options(queue_timeout=1.0)
    assert other._throttle is not client._throttle  # pyright: ignore[reportPrivateUsage]
    assert other._throttle is not None and other._throttle.max_tokens_per_minute == 1000  # pyright: ignore[reportPrivateUsage]
    assert other._throttle.max_per_minute == 60 and other._throttle.queue_timeout == 1.0  # pyright: ignore[reportPrivateUsage]
    assert OpenAI(api_key="k")._throttle is None  # pyright: ignore[reportPrivateUsage]


# -- usage in a stream split anywhere ----------------------------------------------------------------------------------


class _Reads(httpx.SyncByteStream):
    def __init__(self, reads: list[bytes]) -> None:
        self.reads = reads

    def __iter__(self) -> Iterator[bytes]:
        yield from self.reads


def test_a_streams_usage_is_found_wherever_the_reads_split_it() -> None:
    body = b'data: {"choices": []}\n\n' * 5 + b'data: {"usage": {"prompt_tokens": 3, "total_tokens": 1234}}\n\n'
    seam = body.index(b"total_tokens")
    for cut in range(seam - 3, seam + 25):
        limiter = InProcessRateLimiter()
        throttle = SyncThrottle(max_tokens_per_minute=6_000_000, limiter=limiter)
        throttle.acquire(0, 5000)
        stream = _ReleasingSyncStream(_Reads([body[:cut], body[cut:]]), throttle, 5000)
        assert b"".join(stream) == body
        stream.close()
        level = limiter._levels["tokens"][0]  # pyright: ignore[reportPrivateUsage]
        assert level >= 100_000 - 1234 - 1, cut  # 5,000 taken, 3,766 given back: what usage said was used
