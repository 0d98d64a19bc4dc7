"""Retries, timeouts and throttling against a real server on 127.0.0.1 (real sockets, real sleeps)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest
from oai._core import APIConnectionError, APITimeoutError, InternalServerError
from oai._core._retry import RetryPolicy
from oai._core._sync._throttle import SyncThrottle

from tests._client_fakes import API_KEY, AsyncClient, Client, Item
from tests._servers import DROP, Reply, Request, TestServer, serve


class Script:
    """Replies in order, then the last one forever."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> Reply:
        with self.lock:
            reply = self.replies[min(self.count, len(self.replies) - 1)]
            self.count += 1
        return reply


ITEM = Reply(200, {"id": "tcp_1", "object": "item"}, {"x-request-id": "req_tcp"})


def real_client(server: TestServer, **kwargs: object) -> Client:
    client = Client(api_key=API_KEY, base_url=server.url, **kwargs)  # type: ignore[arg-type]
    # the real (sleeping) backoff of the core, with small delays
    client._sleep = lambda seconds: time.sleep(seconds)  # type: ignore[method-assign]
    client._retry_policy = RetryPolicy(initial_delay=0.01)
    return client


@pytest.fixture
def flaky() -> Iterator[TestServer]:
    script = Script(
        Reply(503, {"error": {"message": "busy"}}, {"retry-after-ms": "30"}),
        Reply(429, {"error": {"message": "slow down"}}, {"retry-after": "0.05"}),
        ITEM,
    )
    with serve(script) as server:
        yield server


def test_retries_honour_retry_after_over_tcp(flaky: TestServer) -> None:
    with real_client(flaky) as client:
        start = time.monotonic()
        item = client.items.create(name="a")
        elapsed = time.monotonic() - start
    assert isinstance(item, Item) and item._request_id == "req_tcp"
    assert len(flaky.requests) == 3
    assert elapsed >= 0.08  # 30 ms + 50 ms asked by the server
    keys = {r.headers["idempotency-key"] for r in flaky.requests}
    assert len(keys) == 1


async def test_async_retries_honour_retry_after_over_tcp(flaky: TestServer) -> None:
    async with AsyncClient(api_key=API_KEY, base_url=flaky.url) as client:
        client._sleep = lambda seconds: asyncio.sleep(seconds)  # type: ignore[method-assign,assignment]
        start = time.monotonic()
        item = await client.items.create(name="a")
        elapsed = time.monotonic() - start
    assert isinstance(item, Item)
    assert len(flaky.requests) == 3 and elapsed >= 0.08


def test_dropped_connections_are_retried_then_raised() -> None:
    with serve(Script(DROP, ITEM)) as server, real_client(server) as client:
        assert isinstance(client.items.retrieve("x"), Item)
        assert len(server.requests) == 2
    with serve(Script(DROP)) as server, real_client(server, max_retries=1) as client:
        with pytest.raises(APIConnectionError):
            client.items.retrieve("x")
        assert len(server.requests) == 2


def test_read_timeout_is_retried_then_api_timeout_error() -> None:
    slow = Reply(200, {"id": "late"}, delay=0.3)
    with serve(Script(slow)) as server, real_client(server, timeout=0.05, max_retries=1) as client:
        with pytest.raises(APITimeoutError):
            client.items.retrieve("x")
        assert len(server.requests) == 2


def test_total_timeout_bounds_the_whole_call() -> None:
    busy = Reply(503, {"error": {"message": "busy"}}, {"retry-after": "0.1"})
    with serve(Script(busy)) as server, real_client(server, max_retries=10, total_timeout=0.35) as client:
        start = time.monotonic()
        with pytest.raises(InternalServerError):
            client.items.retrieve("x")
        elapsed = time.monotonic() - start
    assert elapsed < 0.6
    assert 2 <= len(server.requests) <= 4


async def test_fifty_concurrent_calls_never_exceed_five_in_flight() -> None:
    with serve(Script(Reply(200, {"id": "t"}, delay=0.02))) as server:
        async with AsyncClient(api_key=API_KEY, base_url=server.url, max_concurrent_requests=5) as client:
            copy = client.with_options(timeout=10.0)  # shares the throttle
            calls = [(client if i % 2 else copy).items.retrieve(str(i)) for i in range(50)]
            results = await asyncio.gather(*calls)
        assert len(results) == 50 and all(isinstance(r, Item) for r in results)
        assert len(server.requests) == 50
        assert server.max_in_flight == 5


def test_sync_threads_share_the_throttle() -> None:
    with serve(Script(Reply(200, {"id": "t"}, delay=0.02))) as server:
        with Client(api_key=API_KEY, base_url=server.url, max_concurrent_requests=3) as client:
            threads = [threading.Thread(target=client.items.retrieve, args=(str(i),)) for i in range(12)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert len(server.requests) == 12
        assert server.max_in_flight == 3


def test_throttle_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        SyncThrottle(max_concurrent=0)
    with pytest.raises(ValueError):
        Client(api_key="k", max_requests_per_minute=-1)
