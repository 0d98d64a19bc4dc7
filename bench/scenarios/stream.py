"""Chunks per second through ``chat.completions.create(stream=True)``, sync and async, from memory.

Each SDK streams the same chat completion through its own client and HTTP
library (a ``MockTransport`` answers from memory, one read per event, as a
server flushing each token sends it) and the application reads every chunk's
``choices[0].delta.content``. The floor is httpx alone reading the same bytes
(what any SDK on httpx pays before decoding a single event); oai's time over
it is printed too, since the chunk path is judged by it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from bench.data import chat_stream
from bench.report import Outcome, Row
from bench.sdks import OAI, SDKS, SSE_HEADERS, acreate_stream, atext_of, close_loop, create_stream, text_of
from bench.timing import clock, interleave, median_rate, ratios, spread, summary

TARGET = ">= 10"


def _floor(reads: list[bytes], is_async: bool) -> Any:
    """httpx alone: POST, then iterate the response's bytes."""
    import httpx

    async def areplay() -> AsyncIterator[bytes]:
        for read in reads:
            yield read

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=SSE_HEADERS, content=areplay() if is_async else iter(reads))

    transport = httpx.MockTransport(handler)
    return httpx.AsyncClient(transport=transport) if is_async else httpx.Client(transport=transport)


def _sync_trials(reads: list[bytes], content: str) -> dict[str, Callable[[], float]]:
    trials: dict[str, Callable[[], float]] = {}
    for sdk in SDKS:
        client = sdk.memory_client(is_async=False, stream=reads)
        if text_of(create_stream(client)) != content:
            raise AssertionError(f"{sdk.name} streamed other text than was sent")

        def trial(client: Any = client) -> float:
            started = clock()
            text_of(create_stream(client))
            return clock() - started

        trials[sdk.name] = trial
    floor = _floor(reads, is_async=False)

    def floor_trial() -> float:
        started = clock()
        with floor.stream("POST", "http://memory.invalid/v1/chat/completions", content=b"{}") as response:
            for _ in response.iter_bytes():
                pass
        return clock() - started

    trials["floor"] = floor_trial
    return trials


def _async_trials(loop: asyncio.AbstractEventLoop, reads: list[bytes], content: str) -> dict[str, Callable[[], float]]:
    trials: dict[str, Callable[[], float]] = {}

    async def make(sdk: Any) -> Any:
        return sdk.memory_client(is_async=True, stream=reads)

    async def timed(client: Any) -> float:
        started = clock()
        await atext_of(await acreate_stream(client))
        return clock() - started

    for sdk in SDKS:
        client = loop.run_until_complete(make(sdk))

        async def check(client: Any = client) -> str:
            return await atext_of(await acreate_stream(client))

        if loop.run_until_complete(check()) != content:
            raise AssertionError(f"{sdk.name} streamed other text than was sent (async)")
        trials[sdk.name] = lambda client=client: loop.run_until_complete(timed(client))

    async def make_floor() -> Any:
        return _floor(reads, is_async=True)

    floor = loop.run_until_complete(make_floor())

    async def floor_timed() -> float:
        started = clock()
        async with floor.stream("POST", "http://memory.invalid/v1/chat/completions", content=b"{}") as response:
            async for _ in response.aiter_bytes():
                pass
        return clock() - started

    trials["floor"] = lambda: loop.run_until_complete(floor_timed())
    return trials


def run(quick: bool) -> Outcome:
    chunks, reps = (3_000, 3) if quick else (10_000, 5)
    stream = chat_stream(chunks)
    reads = stream.reads(None)
    outcome = Outcome("stream")
    for mode in ("sync", "async"):
        loop = asyncio.new_event_loop() if mode == "async" else None
        try:
            trials = _async_trials(loop, reads, stream.content) if loop else _sync_trials(reads, stream.content)
            seconds = interleave(trials, reps=reps)
        finally:
            if loop:
                close_loop(loop)
        n = stream.chunks
        over_floor = ratios(seconds[OAI.name], seconds["floor"])
        outcome.rows.append(
            Row(
                case=mode,
                figure="speed",
                ratios=ratios(seconds["openai"], seconds["oai"]),
                oai=median_rate(n, seconds["oai"], "chunks"),
                openai=median_rate(n, seconds["openai"], "chunks"),
                target=TARGET,
            )
        )
        floor = median_rate(n, seconds["floor"], "chunks")
        outcome.notes.append(f"{mode}: oai time / httpx-alone floor ({floor}) = {spread(over_floor)}")
        outcome.raw[mode] = {
            "chunks": n,
            "seconds": seconds,
            "chunks_per_s": {name: summary([n / s for s in values]) for name, values in seconds.items()},
        }
    outcome.notes.append(f"{chunks} chunks per stream, one read per event, {reps} repetitions")
    return outcome
