"""Retries: what is retried, how long the client waits, the idempotency key, the budgets."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest
from oai._core import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    make_request_options,
)

from tests._client_fakes import Item, Recorder, item_json, make_async_client, make_client, sleeps


def fail(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"message": f"status {status}"}}, headers=headers)


OK = httpx.Response(200, json=item_json())


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(status: int) -> None:
    rec = Recorder(fail(status), OK)
    item = make_client(rec).items.retrieve("x")
    assert isinstance(item, Item)
    assert len(rec.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_other_statuses_are_not_retried(status: int) -> None:
    rec = Recorder(fail(status), OK)
    client = make_client(rec)
    with pytest.raises(Exception) as info:
        client.items.retrieve("x")
    assert getattr(info.value, "status_code", None) == status
    assert len(rec.requests) == 1
    assert sleeps(client) == []


def test_default_is_two_retries_then_the_error() -> None:
    rec = Recorder(fail(500))
    client = make_client(rec)
    with pytest.raises(InternalServerError):
        client.items.retrieve("x")
    assert len(rec.requests) == 3


def test_max_retries_per_client_per_copy_and_per_call() -> None:
    rec = Recorder(fail(503))
    client = make_client(rec, max_retries=4)
    with pytest.raises(InternalServerError):
        client.items.retrieve("x")
    assert len(rec.requests) == 5

    rec.requests.clear()
    with pytest.raises(InternalServerError):
        client.with_options(max_retries=0).items.retrieve("x")
    assert len(rec.requests) == 1

    rec.requests.clear()
    with pytest.raises(InternalServerError):
        client.request("get", "/x", cast_to=Item, options=make_request_options(max_retries=1))
    assert len(rec.requests) == 2


def test_x_should_retry_overrides_the_status() -> None:
    rec = Recorder(fail(400, **{"x-should-retry": "true"}), OK)
    make_client(rec).items.retrieve("x")
    assert len(rec.requests) == 2

    rec = Recorder(fail(503, **{"x-should-retry": "false"}), OK)
    with pytest.raises(InternalServerError):
        make_client(rec).items.retrieve("x")
    assert len(rec.requests) == 1


def test_exponential_backoff_with_jitter_capped() -> None:
    rec = Recorder(fail(500))
    client = make_client(rec, max_retries=6)
    with pytest.raises(InternalServerError):
        client.items.retrieve("x")
    delays = sleeps(client)
    expected = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(delays) == len(expected)
    for delay, base in zip(delays, expected, strict=True):
        assert base * 0.75 <= delay <= base


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "0.25"}, 0.25),
        ({"retry-after-ms": "200", "retry-after": "9"}, 0.2),
        ({"retry-after": "60"}, 60.0),  # the cap itself
    ],
)
def test_retry_after_is_honoured(headers: dict[str, str], expected: float) -> None:
    rec = Recorder(fail(429, **headers), OK)
    client = make_client(rec)
    client.items.retrieve("x")
    assert sleeps(client) == [pytest.approx(expected)]  # pyright: ignore[reportUnknownMemberType]


@pytest.mark.parametrize("headers", [{"retry-after": "600"}, {"retry-after-ms": "60001"}, {"retry-after": "999999"}])
def test_retry_after_above_the_cap_raises_at_once(headers: dict[str, str]) -> None:
    from oai._core import RateLimitError

    rec = Recorder(fail(429, **headers), OK)
    client = make_client(rec)
    with pytest.raises(RateLimitError):
        client.items.retrieve("x")
    assert len(rec.requests) == 1 and sleeps(client) == []


def test_retry_after_http_date() -> None:
    when = email.utils.formatdate(time.time() + 5, usegmt=True)
    rec = Recorder(fail(503, **{"retry-after": when}), OK)
    client = make_client(rec)
    client.items.retrieve("x")
    (delay,) = sleeps(client)
    assert 3.0 <= delay <= 5.5


def test_unparsable_retry_after_falls_back_to_backoff() -> None:
    rec = Recorder(fail(429, **{"retry-after": "soon"}), OK)
    client = make_client(rec)
    client.items.retrieve("x")
    (delay,) = sleeps(client)
    assert 0.375 <= delay <= 0.5


def test_rate_limit_error_after_retries() -> None:
    rec = Recorder(fail(429, **{"retry-after-ms": "1"}))
    with pytest.raises(RateLimitError) as info:
        make_client(rec).items.retrieve("x")
    assert info.value.status_code == 429
    assert len(rec.requests) == 3


def test_idempotency_key_is_the_same_on_every_attempt() -> None:
    rec = Recorder(fail(500), fail(502), OK)
    make_client(rec).items.create(name="a")
    keys = {r.headers["idempotency-key"] for r in rec.requests}
    assert len(rec.requests) == 3 and len(keys) == 1
    (key,) = keys
    assert key.startswith("oai-retry-")

    rec2 = Recorder()
    client = make_client(rec2)
    client.items.create(name="a")
    client.items.create(name="b")
    assert rec2.requests[0].headers["idempotency-key"] != rec2.requests[1].headers["idempotency-key"]


def test_idempotency_key_not_on_get_nor_without_retries_and_caller_key_wins() -> None:
    rec = Recorder()
    client = make_client(rec)
    client.items.retrieve("x")
    client.with_options(max_retries=0).items.create(name="a")
    client.request("post", "/items", cast_to=Item, options=make_request_options(idempotency_key="mine"))
    assert "idempotency-key" not in rec.requests[0].headers
    assert "idempotency-key" not in rec.requests[1].headers
    assert rec.requests[2].headers["idempotency-key"] == "mine"


def test_connection_errors_are_retried_then_raised() -> None:
    rec = Recorder(httpx.ConnectError("refused"), OK)
    assert isinstance(make_client(rec).items.retrieve("x"), Item)
    assert len(rec.requests) == 2

    rec = Recorder(httpx.RemoteProtocolError("dropped"))
    with pytest.raises(APIConnectionError) as info:
        make_client(rec).items.retrieve("x")
    assert not isinstance(info.value, APITimeoutError)
    assert isinstance(info.value.__cause__, httpx.RemoteProtocolError)
    assert len(rec.requests) == 3


def test_timeouts_are_retried_then_raised_as_api_timeout_error() -> None:
    rec = Recorder(httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        make_client(rec).items.retrieve("x")
    assert len(rec.requests) == 3


def test_other_exceptions_are_never_retried() -> None:
    rec = Recorder(ValueError("a bug in a transport"), OK)
    with pytest.raises(ValueError):
        make_client(rec).items.retrieve("x")
    assert len(rec.requests) == 1


def test_total_timeout_stops_retrying() -> None:
    rec = Recorder(fail(503, **{"retry-after": "5"}), OK)
    client = make_client(rec, total_timeout=1.0)
    with pytest.raises(InternalServerError):
        client.items.retrieve("x")
    assert len(rec.requests) == 1


def test_total_timeout_expired_before_an_attempt() -> None:
    rec = Recorder(OK)
    with pytest.raises(APITimeoutError):
        make_client(rec, total_timeout=0.0).items.retrieve("x")


def test_status_error_after_retries_carries_the_last_response() -> None:
    rec = Recorder(fail(500), fail(404))
    with pytest.raises(NotFoundError) as info:
        make_client(rec).items.retrieve("x")
    assert info.value.response.status_code == 404


def test_bad_request_is_raised_at_once() -> None:
    rec = Recorder(fail(400))
    with pytest.raises(BadRequestError):
        make_client(rec).items.create(name="a")


def test_multipart_request_resends_the_same_file() -> None:
    import io

    rec = Recorder(fail(500), OK)
    make_client(rec).items.upload(file=io.BytesIO(b"payload-bytes"), purpose="p")
    assert len(rec.requests) == 2
    assert [r.content.count(b"payload-bytes") for r in rec.requests] == [1, 1]


# -- async -----------------------------------------------------------------------------------------------------------


async def test_async_retries_and_idempotency_key() -> None:
    rec = Recorder(fail(429, **{"retry-after-ms": "10"}), fail(500), OK)
    client = make_async_client(rec)
    item = await client.items.create(name="a")
    assert isinstance(item, Item)
    assert len(rec.requests) == 3
    assert len({r.headers["idempotency-key"] for r in rec.requests}) == 1
    delays = sleeps(client)
    assert delays[0] == pytest.approx(0.01)  # pyright: ignore[reportUnknownMemberType]
    assert 0.75 <= delays[1] <= 1.0


async def test_async_errors_after_retries() -> None:
    rec = Recorder(httpx.ConnectTimeout("slow"))
    with pytest.raises(APITimeoutError):
        await make_async_client(rec, max_retries=1).items.retrieve("x")
    assert len(rec.requests) == 2

    rec = Recorder(ValueError("bug"))
    with pytest.raises(ValueError):
        await make_async_client(rec).items.retrieve("x")
    assert len(rec.requests) == 1


async def test_async_sleep_does_not_block_the_loop() -> None:
    """The real backoff sleep awaits: another task runs while a request waits to retry."""
    import asyncio

    from tests._client_fakes import AsyncClient

    rec = Recorder(fail(503, **{"retry-after-ms": "50"}), OK)
    client = AsyncClient(
        api_key="k", base_url="http://fake.test/v1", http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec))
    )
    # use the real sleep of the core, not the recording one of the fake client
    client._sleep = super(AsyncClient, client)._sleep  # type: ignore[method-assign]
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    task = asyncio.create_task(ticker())
    start = time.monotonic()
    await client.items.retrieve("x")
    elapsed = time.monotonic() - start
    task.cancel()
    assert elapsed >= 0.045
    assert ticks >= 4
