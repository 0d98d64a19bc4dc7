"""One worker process of the shared-limit tests: N concurrent calls through a RedisRateLimiter.

``work(config, ready, go, results)`` runs in a forked process (the test's own, already warm: no second of
imports per worker on a busy machine). CONFIG: mode ("sync": N threads, "async": N tasks), base_url, redis_url,
key, rpm, tpm, calls, on_unavailable. It builds its client, releases ``ready``, waits for ``go`` so that all
workers start together, and puts ``{"ok": count, "failed": [repr, ...]}`` on ``results``.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from oai import AsyncOpenAI, OpenAI, RedisRateLimiter
from oai.types import ChatCompletion

MESSAGES: Any = [{"role": "user", "content": "Say ok."}]


def _options(config: dict[str, Any]) -> dict[str, Any]:
    limiter = RedisRateLimiter(
        config["redis_url"], key=config["key"], on_unavailable=config["on_unavailable"], unavailable_timeout=20.0
    )
    return {
        "api_key": "k",
        "base_url": config["base_url"],
        "rate_limiter": limiter,
        "max_requests_per_minute": config["rpm"],
        "max_tokens_per_minute": config["tpm"],
        "adaptive_limits": True,
        "max_retries": 0,  # a call the server refused would show as lost
        "timeout": 30.0,
    }


def wait_for_go(client: OpenAI | AsyncOpenAI, ready: Any, go: Any) -> None:
    """Import and build what the first call would (resources, the response model's validator), then wait."""
    assert client.chat.completions is not None
    ChatCompletion.model_validate(
        {"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": [], "usage": None}
    )
    ready.release()
    go.wait(60)


def warm() -> None:
    """In the parent, before it forks: import and build once what every worker's clients need."""
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", key="warm")
    for client in (OpenAI(api_key="k", rate_limiter=limiter, max_requests_per_minute=1), AsyncOpenAI(api_key="k")):
        assert client.chat.completions is not None
    ChatCompletion.model_validate(
        {"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": [], "usage": None}
    )
    import redis.asyncio

    assert redis.asyncio.Redis is not None


def run_sync(config: dict[str, Any], ready: Any, go: Any) -> dict[str, Any]:
    failed: list[str] = []
    ok = 0
    with OpenAI(**_options(config)) as client:

        def one(i: int) -> bool:
            try:
                client.chat.completions.create(model="m", messages=MESSAGES, max_tokens=20)  # type: ignore[arg-type]
            except Exception as exc:
                failed.append(repr(exc))
                return False
            return True

        wait_for_go(client, ready, go)
        with ThreadPoolExecutor(config["calls"]) as pool:
            ok = sum(pool.map(one, range(config["calls"])))
    return {"ok": ok, "failed": failed}


async def run_async(config: dict[str, Any], ready: Any, go: Any) -> dict[str, Any]:
    failed: list[str] = []
    async with AsyncOpenAI(**_options(config)) as client:

        async def one(i: int) -> bool:
            try:
                await client.chat.completions.create(model="m", messages=MESSAGES, max_tokens=20)  # type: ignore[arg-type]
            except Exception as exc:
                failed.append(repr(exc))
                return False
            return True

        await asyncio.to_thread(wait_for_go, client, ready, go)
        results = await asyncio.gather(*(one(i) for i in range(config["calls"])))
    return {"ok": sum(results), "failed": failed}


def work(config: dict[str, Any], ready: Any, go: Any, results: Any) -> None:
    try:
        result = run_sync(config, ready, go) if config["mode"] == "sync" else asyncio.run(run_async(config, ready, go))
    except BaseException as exc:
        result = {"ok": 0, "failed": [f"worker crashed: {exc!r}"]}
    results.put(result)
