"""Abandoned streams give their connections back: the pool itself is the witness.

1,000 streams are each dropped after their first chunk -- no ``close()``,
no ``with`` -- against a pool of 10 connections with a short pool timeout.
A stream that kept its connection would, after ten of them, make the next
request wait for the pool and fail.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import httpx
import oai

from ._server import FaultServer

STREAMS = 1000
LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=10)
TIMEOUT = httpx.Timeout(5.0, pool=3.0)
MESSAGES: list[Any] = [{"role": "user", "content": "hi"}]


def _checked_out(transport: Any) -> int:
    return sum(1 for conn in transport._pool.connections if not (conn.is_idle() or conn.is_closed()))


def test_sync_abandoned_streams_return_their_connections(server: FaultServer) -> None:
    transport = httpx.HTTPTransport(limits=LIMITS)
    client = oai.OpenAI(
        api_key="sk-pool", base_url=server.base_url, http_client=httpx.Client(transport=transport), timeout=TIMEOUT
    )
    gc.disable()  # reference counting alone must do it
    try:
        firsts = 0
        stream = None
        for _ in range(STREAMS):
            stream = client.chat.completions.create(
                model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": "many"}
            )
            for _chunk in stream:
                firsts += 1
                break
        del stream
        assert firsts == STREAMS
        assert _checked_out(transport) == 0
    finally:
        gc.enable()
        client.close()


async def test_async_abandoned_streams_return_their_connections(server: FaultServer) -> None:
    transport = httpx.AsyncHTTPTransport(limits=LIMITS)
    client = oai.AsyncOpenAI(
        api_key="sk-pool", base_url=server.base_url, http_client=httpx.AsyncClient(transport=transport), timeout=TIMEOUT
    )

    async def run() -> int:
        firsts = 0
        for _ in range(STREAMS):
            stream = await client.chat.completions.create(
                model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": "many"}
            )
            async for _chunk in stream:
                firsts += 1
                break
        return firsts

    try:
        assert await asyncio.wait_for(run(), timeout=60) == STREAMS
        for _ in range(50):  # let the loop finish the closes it was handed
            if _checked_out(transport) == 0:
                break
            await asyncio.sleep(0.01)
        assert _checked_out(transport) == 0
    finally:
        await client.close()
