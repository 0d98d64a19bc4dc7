# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""Streams over real TCP against a server that misbehaves, sync and async.

Each case checks three things: the error is the typed one, nothing hangs
(every wait is bounded), and the connection goes back to the pool -- the
client has a single connection, and a normal stream must still get it
afterwards within the pool timeout.
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from typing import Any

import httpx
import oai
import pytest
from oai._core import AsyncStream, Stream
from oai._core._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStreamError,
    APITimeoutError,
)
from oai._core._sse import DEFAULT_MAX_EVENT_SIZE, SSEEventTooLarge
from oai._core._timeouts import bounded_timeout
from oai.types import ChatCompletionChunk

from ._server import CHUNKS, FaultServer

MESSAGES: list[Any] = [{"role": "user", "content": "hi"}]
TIMEOUT = httpx.Timeout(5.0, pool=2.0)
IDLE = 0.3

# fault -> (expected exception, chunks the caller sees before it)
FAULTS: dict[str, tuple[type[BaseException], int]] = {
    "reset": (APIConnectionError, 2),
    "truncate": (APIConnectionError, 1),
    "eof-no-done": (APIConnectionError, 2),
    "malformed": (APIResponseValidationError, 1),
    "error-event": (APIStreamError, 1),
    "typed-error-event": (APIStreamError, 1),
    "stall": (APITimeoutError, 1),
    "stall-keepalive": (APITimeoutError, 1),
    "endless": (SSEEventTooLarge, 1),
    "invalid-utf8-outside-string": (APIResponseValidationError, 0),
    "not-sse": (APIResponseValidationError, 0),
}


def sync_client(server: FaultServer, **kw: Any) -> tuple[oai.OpenAI, httpx.HTTPTransport]:
    transport = httpx.HTTPTransport(limits=httpx.Limits(max_connections=1))
    http = httpx.Client(transport=transport, timeout=TIMEOUT)
    client = oai.OpenAI(
        api_key="sk-fault",
        base_url=server.base_url,
        http_client=http,
        timeout=TIMEOUT,
        max_retries=kw.pop("max_retries", 0),
        stream_idle_timeout=kw.pop("stream_idle_timeout", IDLE),
        **kw,
    )
    return client, transport


def async_client(server: FaultServer, **kw: Any) -> tuple[oai.AsyncOpenAI, httpx.AsyncHTTPTransport]:
    transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=1))
    http = httpx.AsyncClient(transport=transport, timeout=TIMEOUT)
    client = oai.AsyncOpenAI(
        api_key="sk-fault",
        base_url=server.base_url,
        http_client=http,
        timeout=TIMEOUT,
        max_retries=kw.pop("max_retries", 0),
        stream_idle_timeout=kw.pop("stream_idle_timeout", IDLE),
        **kw,
    )
    return client, transport


def no_connection_checked_out(transport: httpx.HTTPTransport | httpx.AsyncHTTPTransport) -> bool:
    pool: Any = transport._pool  # pyright: ignore[reportPrivateUsage]
    return all(conn.is_idle() or conn.is_closed() for conn in pool.connections)


def contents(chunks: list[Any]) -> list[str]:
    return [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]


def check_pool_free_sync(client: oai.OpenAI, transport: httpx.HTTPTransport) -> None:
    assert no_connection_checked_out(transport)
    # One connection only: if the failed stream still held it, this would hit the pool timeout.
    stream = client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    assert contents(list(stream)) == [f"w{i} " for i in range(CHUNKS)]
    assert no_connection_checked_out(transport)


async def check_pool_free_async(client: oai.AsyncOpenAI, transport: httpx.AsyncHTTPTransport) -> None:
    assert no_connection_checked_out(transport)
    stream = await client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    assert contents([c async for c in stream]) == [f"w{i} " for i in range(CHUNKS)]
    assert no_connection_checked_out(transport)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_sync_fault(server: FaultServer, fault: str) -> None:
    expected, seen = FAULTS[fault]
    # 32 MiB of one line takes longer than IDLE on a busy machine: no idle timeout for that one.
    client, transport = sync_client(server, stream_idle_timeout=None if fault == "endless" else IDLE)
    got: list[Any] = []
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(expected) as info:
            stream = client.chat.completions.create(
                model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": fault}
            )
            for chunk in stream:
                got.append(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert len(got) == seen
    assert elapsed < 5.0, f"{fault} took {elapsed:.1f} s"
    if fault == "endless":
        # The server would send 64 MiB; the decoder stops at its 32 MiB limit and holds little more.
        assert peak < DEFAULT_MAX_EVENT_SIZE * 1.5, f"peak {peak / 2**20:.0f} MiB"
    if isinstance(info.value, oai.APIError) and not isinstance(info.value, APIConnectionError):
        assert info.value.request_id == "req_fault"
    check_pool_free_sync(client, transport)
    client.close()


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_async_fault(server: FaultServer, fault: str) -> None:
    expected, seen = FAULTS[fault]
    client, transport = async_client(server, stream_idle_timeout=None if fault == "endless" else IDLE)
    got: list[Any] = []
    started = time.monotonic()

    async def consume() -> None:
        stream = await client.chat.completions.create(
            model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": fault}
        )
        async for chunk in stream:
            got.append(chunk)

    with pytest.raises(expected) as info:
        await asyncio.wait_for(consume(), timeout=10)
    elapsed = time.monotonic() - started
    assert len(got) == seen
    assert elapsed < 5.0, f"{fault} took {elapsed:.1f} s"
    if isinstance(info.value, oai.APIError) and not isinstance(info.value, APIConnectionError):
        assert info.value.request_id == "req_fault"
    await asyncio.wait_for(check_pool_free_async(client, transport), timeout=10)
    await client.close()


def test_sync_error_event_carries_the_server_fields(server: FaultServer) -> None:
    client, _ = sync_client(server)
    with pytest.raises(APIStreamError) as info:
        list(
            client.chat.completions.create(
                model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": "error-event"}
            )
        )
    assert (info.value.message, info.value.code, info.value.type) == (
        "The server had an error",
        "overloaded",
        "server_error",
    )
    with pytest.raises(APIStreamError) as typed:
        list(
            client.chat.completions.create(
                model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": "typed-error-event"}
            )
        )
    assert (typed.value.message, typed.value.code) == ("Slow down", "rate_limit_exceeded")
    client.close()


def test_sync_invalid_utf8_inside_a_string_is_replaced(server: FaultServer) -> None:
    client, transport = sync_client(server)
    stream = client.chat.completions.create(
        model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": "invalid-utf8-in-string"}
    )
    assert contents(list(stream)) == ["a\ufffd\ufffdb"]
    check_pool_free_sync(client, transport)
    client.close()


async def test_async_invalid_utf8_inside_a_string_is_replaced(server: FaultServer) -> None:
    client, transport = async_client(server)
    stream = await client.chat.completions.create(
        model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": "invalid-utf8-in-string"}
    )
    assert contents([c async for c in stream]) == ["a\ufffd\ufffdb"]
    await check_pool_free_async(client, transport)
    await client.close()


def test_sync_reset_before_the_first_event_is_retried_when_opted_in(server: FaultServer) -> None:
    client, transport = sync_client(server, max_retries=2, retry_stream_before_first_event=True)
    stream = client.chat.completions.create(
        model="m",
        messages=MESSAGES,
        stream=True,
        extra_headers={"x-fault": "reset-first", "x-fault-once": "sync-retry"},
    )
    assert contents(list(stream)) == [f"w{i} " for i in range(CHUNKS)]
    assert no_connection_checked_out(transport)
    client.close()


async def test_async_reset_before_the_first_event_is_retried_when_opted_in(server: FaultServer) -> None:
    client, transport = async_client(server, max_retries=2, retry_stream_before_first_event=True)
    stream = await client.chat.completions.create(
        model="m",
        messages=MESSAGES,
        stream=True,
        extra_headers={"x-fault": "reset-first", "x-fault-once": "async-retry"},
    )
    assert contents([c async for c in stream]) == [f"w{i} " for i in range(CHUNKS)]
    assert no_connection_checked_out(transport)
    await client.close()


async def test_async_idle_timeout_is_not_restarted_by_a_keep_alive(server: FaultServer) -> None:
    # Event at 0 s, keep-alive at 0.8 s, then silence: the 1 s idle timeout fires at about 1 s.
    # (The sync stream can take up to 1.8 s here: a blocking read's timeout is fixed when the body
    # starts, and httpcore offers no way to shorten it, so the check runs when the read returns.)
    client, transport = async_client(server, stream_idle_timeout=1.0)
    got: list[Any] = []
    started = time.monotonic()
    with pytest.raises(APITimeoutError, match="stream_idle_timeout"):
        stream = await client.chat.completions.create(
            model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": "keepalive-then-stall"}
        )
        async for chunk in stream:
            got.append(chunk)
            started = time.monotonic()
    assert len(got) == 1 and time.monotonic() - started < 1.5
    await check_pool_free_async(client.with_options(stream_idle_timeout=None), transport)
    await client.close()


def test_sync_deadline_over_tcp(server: FaultServer) -> None:
    # Drives Stream directly with a plain httpx client, as the client core does: the deadline
    # is an absolute time.monotonic() value and the read timeout comes from bounded_timeout.
    transport = httpx.HTTPTransport(limits=httpx.Limits(max_connections=1))
    with httpx.Client(transport=transport) as http:
        deadline = time.monotonic() + 0.5
        timeout = bounded_timeout(httpx.Timeout(5.0), until=deadline, read_until=deadline, now=time.monotonic())
        request = http.build_request(
            "POST", server.base_url + "/chat/completions", headers={"x-fault": "stall-keepalive"}
        )
        response = http.send(request, stream=True)
        request.extensions["timeout"] = timeout.as_dict()
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="stream_deadline"):
            list(Stream(cast_to=ChatCompletionChunk, response=response, deadline=deadline))
        assert time.monotonic() - started < 2.0
        assert response.is_closed and no_connection_checked_out(transport)


async def test_async_deadline_over_tcp(server: FaultServer) -> None:
    transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=1))
    async with httpx.AsyncClient(transport=transport, timeout=5.0) as http:
        request = http.build_request("POST", server.base_url + "/chat/completions", headers={"x-fault": "stall"})
        response = await http.send(request, stream=True)
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="stream_deadline"):
            _ = [
                c
                async for c in AsyncStream(
                    cast_to=ChatCompletionChunk, response=response, deadline=time.monotonic() + 0.3
                )
            ]
        assert time.monotonic() - started < 1.5
        assert response.is_closed and no_connection_checked_out(transport)


def test_sync_stream_deadline_through_the_client(server: FaultServer) -> None:
    client, transport = sync_client(server, stream_idle_timeout=None, stream_deadline=0.5)
    started = time.monotonic()
    got: list[Any] = []
    with pytest.raises(APITimeoutError):
        stream = client.chat.completions.create(
            model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": "stall-keepalive"}
        )
        got.extend(stream)
    assert len(got) == 1 and time.monotonic() - started < 2.5
    check_pool_free_sync(client.with_options(stream_deadline=None), transport)
    client.close()


async def test_async_stream_deadline_through_the_client(server: FaultServer) -> None:
    client, transport = async_client(server, stream_idle_timeout=None, stream_deadline=0.5)
    started = time.monotonic()
    got: list[Any] = []

    async def consume() -> None:
        stream = await client.chat.completions.create(
            model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": "stall"}
        )
        async for chunk in stream:
            got.append(chunk)

    with pytest.raises(APITimeoutError):
        await asyncio.wait_for(consume(), timeout=10)
    assert len(got) == 1 and time.monotonic() - started < 2.5
    await check_pool_free_async(client.with_options(stream_deadline=None), transport)
    await client.close()
