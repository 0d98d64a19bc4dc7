"""Stream a chat completion and print it as it arrives.

Works against api.openai.com or any OpenAI-compatible server:

    OPENAI_API_KEY=sk-... python examples/streaming.py
    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OPENAI_API_KEY=local OAI_MODEL=my-model python examples/streaming.py
"""

from __future__ import annotations

import asyncio
import os
import sys

from oai import AsyncOpenAI, OpenAI

MODEL = os.environ.get("OAI_MODEL", "gpt-4o-mini")
PROMPT = " ".join(sys.argv[1:]) or "Say hello in five words."


def stream_sync() -> None:
    client = OpenAI()
    with client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": PROMPT}],
        stream=True,
    ) as stream:
        for chunk in stream:
            if chunk.choices:
                print(chunk.choices[0].delta.content or "", end="", flush=True)
    print()


async def stream_async() -> None:
    async with AsyncOpenAI() as client:
        stream = await client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": PROMPT}],
            stream=True,
        )
        async with stream:
            async for chunk in stream:
                if chunk.choices:
                    print(chunk.choices[0].delta.content or "", end="", flush=True)
    print()


if __name__ == "__main__":
    stream_sync()
    asyncio.run(stream_async())
