"""Thousands of concurrent streams on one event loop: every one served, none left holding a connection.

Not a timing (``make bench BENCH_ARGS="--scenario concurrency"`` measures the
cost): 2,000 streams started at once on aiohttp's pool, which ``AsyncOpenAI()``
uses with the ``aiohttp`` extra, and 200 on httpx's own pool, against the
benchmark's chat-stream server in its own process (``bench/stream_server.py``;
short streams of 6 events, 0.05 s apart). Each stream must carry exactly the
server's text, and afterwards no connection may be left checked out.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import oai
import pytest
from oai._core._aiohttp import AiohttpTransport

from bench.data import chat_stream
from bench.stream_server import raise_open_files_limit
from tests.core.test_transport import settled

ROOT = Path(__file__).resolve().parents[2]
CHUNKS = 6
MESSAGES: list[Any] = [{"role": "user", "content": "hi"}]


@pytest.fixture(scope="module")
def stream_server() -> Iterator[str]:
    """The benchmark's stream server in a process of its own (stopped by pid); yields its base URL."""
    raise_open_files_limit()  # 2,000 sockets here, as many there
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.stream_server",
            "--chunks",
            str(CHUNKS),
            "--interval",
            "0.05",
            "--lifetime",
            "300",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("listening "), line
        yield f"http://127.0.0.1:{int(line.split()[1])}/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(("kind", "streams"), [("aiohttp", 2000), ("httpx", 200)])
async def test_concurrent_streams_all_complete_and_give_their_connections_back(
    stream_server: str, kind: str, streams: int
) -> None:
    # A long connect timeout: on a machine shared with other work, 2,000 handshakes can queue for seconds
    # in the listen backlog. The default settings' connect behaviour is the benchmark's to measure.
    timeout = httpx.Timeout(120.0, connect=60.0)
    http = (
        oai.DefaultAioHttpClient(timeout=timeout) if kind == "aiohttp" else oai.DefaultAsyncHttpxClient(timeout=timeout)
    )
    assert isinstance(http._transport, AiohttpTransport) == (kind == "aiohttp")
    expected = chat_stream(CHUNKS).content
    async with (
        http,
        oai.AsyncOpenAI(
            api_key="sk-scale", base_url=stream_server, http_client=http, max_retries=0, timeout=timeout
        ) as made,
    ):

        async def one() -> str:
            stream = await made.chat.completions.create(model="m", messages=MESSAGES, stream=True)
            return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

        results = await asyncio.wait_for(asyncio.gather(*(one() for _ in range(streams)), return_exceptions=True), 120)
        errors = [repr(r) for r in results if isinstance(r, BaseException)]
        assert errors == [], f"{len(errors)} of {streams} failed, first: {errors[0]}"
        assert all(text == expected for text in results)
        assert await settled(made) == 0
    if kind == "aiohttp":  # served together, not one after the other: the pool opened hundreds of connections
        stats = httpx.get(stream_server.removesuffix("/v1") + "/stats").json()
        assert stats["peak_streaming"] > 250, stats
