"""Structured output, streamed: a MathResponse that fills in as the model writes it, then the final value.

Works against api.openai.com or any server that speaks the Responses API:

    OPENAI_API_KEY=sk-... python examples/structured_streaming.py
    OPENAI_BASE_URL=http://127.0.0.1:4010/v1 OPENAI_API_KEY=local python examples/structured_streaming.py --async

While the answer streams, each text delta carries ``event.parsed``: a
``MathResponse`` with the fields seen so far (the others ``None``). At the end,
``final.output_parsed`` is the validated ``MathResponse``. An answer cut short
(``max_output_tokens``) raises ``oai.LengthFinishReasonError`` with the partial
value on ``.partial``; a refusal leaves ``output_parsed`` ``None``.
"""

from __future__ import annotations

import asyncio
import os
import sys

from oai import AsyncOpenAI, OpenAI
from oai.lib.streaming.responses import ResponseStreamEvent
from oai.types import ParsedResponse
from pydantic import BaseModel

MODEL = os.environ.get("OAI_MODEL", "gpt-4o-2024-08-06")
QUESTION = "solve 8x + 31 = 2"


class Step(BaseModel):
    explanation: str
    output: str


class MathResponse(BaseModel):
    steps: list[Step]
    final_answer: str


def show(event: ResponseStreamEvent[MathResponse]) -> None:
    if event.type == "response.output_text.delta" and event.parsed is not None:
        steps = event.parsed.steps or []
        last = steps[-1].explanation if steps else None
        print(f"partial: {len(steps)} step(s), last explanation {last!r}, final_answer {event.parsed.final_answer!r}")


def report(final: ParsedResponse[MathResponse]) -> None:
    if final.output_parsed is not None:
        print("first step:", final.output_parsed.steps[0].explanation)
        print("final answer:", final.output_parsed.final_answer)
    else:
        print("no answer (the model refused):", final.output_text)


def main_sync() -> None:
    client = OpenAI()
    with client.responses.stream(input=QUESTION, model=MODEL, text_format=MathResponse) as stream:
        for event in stream:
            show(event)
        final = stream.get_final_response()
    report(final)
    client.close()


async def main_async() -> None:
    async with AsyncOpenAI() as client:
        async with client.responses.stream(input=QUESTION, model=MODEL, text_format=MathResponse) as stream:
            async for event in stream:
                show(event)
            final = await stream.get_final_response()
    report(final)


if __name__ == "__main__":
    if "--async" in sys.argv[1:]:
        asyncio.run(main_async())
    else:
        main_sync()
