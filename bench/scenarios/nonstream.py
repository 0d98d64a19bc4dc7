"""Requests per second through a non-streaming ``chat.completions.create``, sync and async, from memory.

The same ~2 KB chat.completion answers every request; each trial sends a run
of requests one after another on one client. Each SDK's parsed text is
checked against the source before timing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bench.data import completion_body, completion_text
from bench.report import Outcome, Row
from bench.sdks import SDKS, Sdk, acreate, close_loop, create
from bench.timing import clock, interleave, median_rate, ratios, summary


def _sync_trial(sdk: Sdk, body: bytes, expected: str, requests: int) -> Callable[[], float]:
    client = sdk.memory_client(is_async=False, json_body=body)
    if create(client).choices[0].message.content != expected:
        raise AssertionError(f"{sdk.name} parsed another text than was sent")

    def trial() -> float:
        started = clock()
        for _ in range(requests):
            create(client)
        return clock() - started

    return trial


def _async_trial(
    loop: asyncio.AbstractEventLoop, sdk: Sdk, body: bytes, expected: str, requests: int
) -> Callable[[], float]:
    async def make() -> Any:
        return sdk.memory_client(is_async=True, json_body=body)

    client = loop.run_until_complete(make())
    if loop.run_until_complete(acreate(client)).choices[0].message.content != expected:
        raise AssertionError(f"{sdk.name} parsed another text than was sent (async)")

    async def timed() -> float:
        started = clock()
        for _ in range(requests):
            await acreate(client)
        return clock() - started

    return lambda: loop.run_until_complete(timed())


def run(quick: bool) -> Outcome:
    requests, reps = (300, 3) if quick else (1_000, 5)
    body = completion_body()
    expected = completion_text(body)
    outcome = Outcome("nonstream")
    for mode in ("sync", "async"):
        if mode == "sync":
            seconds = interleave({sdk.name: _sync_trial(sdk, body, expected, requests) for sdk in SDKS}, reps=reps)
        else:
            loop = asyncio.new_event_loop()
            try:
                trials = {sdk.name: _async_trial(loop, sdk, body, expected, requests) for sdk in SDKS}
                seconds = interleave(trials, reps=reps)
            finally:
                close_loop(loop)
        outcome.rows.append(
            Row(
                case=mode,
                figure="speed",
                ratios=ratios(seconds["openai"], seconds["oai"]),
                oai=median_rate(requests, seconds["oai"], "req"),
                openai=median_rate(requests, seconds["openai"], "req"),
            )
        )
        outcome.raw[mode] = {
            "requests": requests,
            "bytes": len(body),
            "seconds": seconds,
            "requests_per_s": {name: summary([requests / s for s in values]) for name, values in seconds.items()},
        }
    outcome.notes.append(f"{requests} sequential requests per repetition, {len(body)} B answers, {reps} repetitions")
    return outcome
