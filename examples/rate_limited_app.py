"""A FastAPI app whose workers share one organization's rate limits through Redis (docs/rate-limits.md).

    pip install 'oai[redis]' fastapi uvicorn
    REDIS_URL=redis://127.0.0.1:6379/0 OPENAI_API_KEY=sk-... uvicorn examples.rate_limited_app:app --workers 8

Run it with the same REDIS_URL on every machine: all the workers together stay under the limits below.
"""

import os
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException
from oai import AsyncOpenAI, RateLimiterUnavailableError, RateLimitQueueError, RedisRateLimiter

limiter = RedisRateLimiter(os.environ["REDIS_URL"], key="org-acme", on_unavailable="open")
client = AsyncOpenAI(
    rate_limiter=limiter,
    max_requests_per_minute=5_000,  # the organization's limits, for all workers together
    max_tokens_per_minute=800_000,
    adaptive_limits=True,  # and whatever the server says is left
    max_concurrent_requests=64,  # per worker: keeps one worker's sockets and memory in check
    max_queued_requests=500,  # per worker: beyond that, shed load at once
    queue_timeout=10.0,  # a request the user waits for should not wait longer
)
background = client.with_options(priority=-1)  # batch work yields to interactive requests


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncGenerator[None]:
    yield
    await client.close()
    await limiter.aclose()


app = FastAPI(lifespan=lifespan)


@app.post("/answer")
async def answer(question: str) -> dict[str, str]:
    try:
        completion = await client.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": question}],
            max_completion_tokens=300,  # also what the token estimate counts for the output
        )
    except (RateLimitQueueError, RateLimiterUnavailableError):
        raise HTTPException(503, "busy, try again in a few seconds") from None
    return {"answer": completion.choices[0].message.content or ""}


@app.post("/summaries")
async def summaries(texts: list[str]) -> list[str]:
    out: list[str] = []
    for text in texts:  # waits behind every /answer call of this worker
        completion = await background.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": f"Summarize: {text}"}]
        )
        out.append(completion.choices[0].message.content or "")
    return out
