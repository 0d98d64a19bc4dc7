"""Tier 1, helpers: the stream and parse helpers against llama-server with a real model.

llama-server's Responses stream has no ``output_index``, ``content_index`` or
``sequence_number`` (the official SDK's helper fails on it); the helpers must
accumulate it all the same. Structured output goes through llama-server's
JSON-schema grammar, so even the 135M model writes JSON of the right shape; the
model's words are not asserted.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import oai
import pytest
from pydantic import BaseModel

from e2e._helpers import MathResponse, drain, run_stream
from e2e._support import resolve, sse_events

PROMPT = "Write one sentence about the sea."


class Mood(BaseModel):
    mood: Literal["calm", "stormy"]


def _client(make_client: Any, llama: Any, mode: str, **kwargs: Any) -> Any:
    return make_client(mode, llama.base_url, api_key=llama.extra["api_key"], **kwargs)


def _model(llama: Any) -> str:
    return str(llama.extra["model"])


async def test_responses_stream_without_indices(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode, pool=1)
    manager = m.client.responses.stream(input=PROMPT, model=_model(llama), max_output_tokens=16, temperature=0)
    events, final = await run_stream(manager, mode, "get_final_response")
    wire = [json.loads(e["data"]) for e in sse_events(bytes(m.last.body)) if e.get("data")]
    text_deltas = [e for e in wire if e.get("type") == "response.output_text.delta"]
    assert text_deltas and all("content_index" not in e for e in text_deltas), "the shape this test is about"
    deltas = [e for e in events if e.type == "response.output_text.delta"]
    assert len(deltas) == len(text_deltas)
    assert deltas[-1].snapshot == "".join(e.delta for e in deltas) == final.output_text
    assert final.status in ("completed", "incomplete") and final.output_parsed is None
    assert m.connections_released()


async def test_chat_stream_helper(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    manager = m.client.chat.completions.stream(
        model=_model(llama), messages=[{"role": "user", "content": PROMPT}], max_tokens=12, temperature=0
    )
    events, completion = await run_stream(manager, mode, "get_final_completion")
    deltas = [e for e in events if e.type == "content.delta"]
    assert deltas and completion.choices[0].message.content == deltas[-1].snapshot
    assert completion.choices[0].finish_reason in ("stop", "length")
    assert [e for e in events if e.type == "content.done"][0].content == deltas[-1].snapshot


async def test_structured_output_with_a_real_model(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    messages = [{"role": "user", "content": "Is the sea calm or stormy today? Answer in JSON."}]
    parsed = await resolve(
        m.client.chat.completions.parse(
            model=_model(llama), messages=messages, response_format=Mood, max_tokens=40, temperature=0
        )
    )
    assert isinstance(parsed.choices[0].message.parsed, Mood)
    sent = json.loads(m.last.request.read())
    assert sent["response_format"]["json_schema"]["strict"] is True


async def test_structured_output_cut_short_keeps_the_partial_value(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode, pool=1)
    manager = m.client.chat.completions.stream(
        model=_model(llama),
        messages=[{"role": "user", "content": "solve 8x + 31 = 2"}],
        response_format=MathResponse,
        max_tokens=30,  # llama-server holds back the first tokens of grammar-constrained output: 6 stream nothing
        temperature=0,
    )
    with pytest.raises(oai.LengthFinishReasonError) as info:
        await drain(manager, mode)
    assert info.value.text and info.value.text.lstrip().startswith("{")
    assert info.value.partial is None or isinstance(info.value.partial, MathResponse)
    assert m.connections_released()
