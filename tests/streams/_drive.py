"""Run one streaming call on the sync or the async client and keep what happened."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import oai
from oai._core._retry import RetryPolicy

KEY = "sk-streams-0123456789abcdef"
MODES = ["sync", "async"]
FAST = RetryPolicy(initial_delay=0.01, max_delay=0.02)
"""Backoff for reconnects in tests: a hundredth of a second."""


@dataclass
class Outcome:
    chunks: list[Any] = field(default_factory=list[Any])
    error: BaseException | None = None
    stream: Any = None
    seen_during: list[tuple[int, float | None]] = field(default_factory=list[tuple[int, float | None]])
    """(stats.events, stats.time_to_first_event) read after each chunk, while the stream ran."""


def make_client(mode: str, base_url: str, **kw: Any) -> Any:
    kw.setdefault("api_key", KEY)
    kw.setdefault("max_retries", 0)
    client: Any = oai.OpenAI(base_url=base_url, **kw) if mode == "sync" else oai.AsyncOpenAI(base_url=base_url, **kw)
    client._retry_policy = FAST
    return client


def drain(mode: str, client: Any, start: Callable[[Any], Any], hold_first: float = 0.0) -> Outcome:
    """``start(client)`` makes the stream (awaited for the async client); every chunk is read, errors kept.

    ``hold_first``: seconds the caller spends on the first chunk before it asks for the next (a slow consumer).
    """
    out = Outcome()
    if mode == "sync":
        try:
            out.stream = start(client)
            with out.stream:
                for chunk in out.stream:
                    out.chunks.append(chunk)
                    out.seen_during.append((out.stream.stats.events, out.stream.stats.time_to_first_event))
                    if hold_first and len(out.chunks) == 1:
                        time.sleep(hold_first)
        except oai.APIError as exc:
            out.error = exc
        finally:
            client.close()
        return out

    async def go() -> None:
        try:
            out.stream = await start(client)
            async with out.stream:
                async for chunk in out.stream:
                    out.chunks.append(chunk)
                    out.seen_during.append((out.stream.stats.events, out.stream.stats.time_to_first_event))
                    if hold_first and len(out.chunks) == 1:
                        await asyncio.sleep(hold_first)
        except oai.APIError as exc:
            out.error = exc
        finally:
            await client.close()

    asyncio.run(asyncio.wait_for(go(), timeout=30))
    return out
