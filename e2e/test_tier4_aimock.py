"""Tier 4: the stream and parse helpers against aimock 1.43.0, driven by ``e2e/fixtures/aimock/helpers.json``.

aimock answers by matching the last user message: the MathResponse answer as
JSON (streamed in 9-character deltas), the same answer cut short by
``finishReason: length`` (its Responses stream ends with ``response.completed``
carrying ``status: "incomplete"``), a content filter, and a ``GetWeather`` tool
call. aimock has no refusals; those are covered over a local server in
``tests/lib``.
"""

from __future__ import annotations

from typing import Any

import oai
import pytest
from oai.types import ParsedResponseFunctionToolCall

from e2e._helpers import GetWeather, MathResponse, drain, run_stream
from e2e._support import resolve

MODEL = "gpt-4o"
SOLVE = [{"role": "user", "content": "solve 8x + 31 = 2"}]
ANSWER = MathResponse.model_validate(
    {
        "steps": [
            {"explanation": "Subtract 31 from both sides", "output": "8x = -29"},
            {"explanation": "Divide both sides by 8", "output": "x = -29/8"},
        ],
        "final_answer": "x = -29/8",
    }
)


async def test_responses_stream_partial_then_final(aimock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, aimock.base_url)
    manager = m.client.responses.stream(input="solve 8x + 31 = 2", model=MODEL, text_format=MathResponse)
    events, final = await run_stream(manager, mode, "get_final_response")
    deltas = [e for e in events if e.type == "response.output_text.delta"]
    partials = [e.parsed for e in deltas if e.parsed is not None]
    assert len(partials) > 5 and all(isinstance(p, MathResponse) for p in partials)
    assert partials[0].final_answer is None and any(p.steps and p.steps[0].output is None for p in partials)
    assert deltas[-1].snapshot == ANSWER.model_dump_json()
    assert type(final).__name__ == "ParsedResponse" and final.output_parsed == ANSWER
    sent = m.last.request.read()
    assert b'"strict":true' in sent.replace(b" ", b"") and b'"MathResponse"' in sent


async def test_chat_stream_and_parse(aimock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, aimock.base_url)
    manager = m.client.chat.completions.stream(
        model=MODEL, messages=SOLVE, response_format=MathResponse, stream_options={"include_usage": True}
    )
    events, completion = await run_stream(manager, mode, "get_final_completion")
    assert any(e.type == "content.delta" and isinstance(e.parsed, MathResponse) for e in events)
    (done,) = [e for e in events if e.type == "content.done"]
    assert done.parsed == ANSWER
    assert type(completion).__name__ == "ParsedChatCompletion"
    assert completion.choices[0].message.parsed == ANSWER
    assert completion.usage is not None and completion.usage.total_tokens == 54

    parsed = await resolve(m.client.chat.completions.parse(model=MODEL, messages=SOLVE, response_format=MathResponse))
    assert parsed.choices[0].message.parsed == ANSWER
    beta = await resolve(
        m.client.beta.chat.completions.parse(model=MODEL, messages=SOLVE, response_format=MathResponse)
    )
    assert beta.choices[0].message.parsed == ANSWER


async def test_responses_parse(aimock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, aimock.base_url)
    response = await resolve(m.client.responses.parse(input="solve 8x + 31 = 2", model=MODEL, text_format=MathResponse))
    assert response.output_parsed == ANSWER


async def test_cut_short_is_a_typed_outcome_with_the_partial_value(aimock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, aimock.base_url, pool=1)
    cut = [{"role": "user", "content": "cut short"}]
    chat = m.client.chat.completions.stream(
        model=MODEL, messages=cut, response_format=MathResponse, stream_options={"include_usage": True}
    )
    with pytest.raises(oai.LengthFinishReasonError) as length:
        await drain(chat, mode)
    assert isinstance(length.value.partial, MathResponse)
    assert length.value.partial.steps[0] == ANSWER.steps[0] and length.value.partial.steps[1].explanation == "Divide"
    assert length.value.usage.completion_tokens == 25

    responses = m.client.responses.stream(input="cut short", model=MODEL, text_format=MathResponse)
    with pytest.raises(oai.ResponseIncompleteError) as incomplete:
        await drain(responses, mode)
    assert incomplete.value.status == "incomplete" and isinstance(incomplete.value.partial, MathResponse)
    assert incomplete.value.usage.output_tokens == 25

    with pytest.raises(oai.ContentFilterFinishReasonError) as filtered:
        await resolve(
            m.client.chat.completions.parse(
                model=MODEL, messages=[{"role": "user", "content": "filtered"}], response_format=MathResponse
            )
        )
    assert isinstance(filtered.value.partial, MathResponse)
    # the one-connection pool proves every failed stream gave its connection back
    plain = await resolve(m.client.chat.completions.create(model=MODEL, messages=SOLVE))
    assert plain.choices[0].message.content


async def test_tool_calls_from_pydantic_models(aimock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, aimock.base_url)
    weather = [{"role": "user", "content": "weather in Paris"}]
    tools = [oai.pydantic_function_tool(GetWeather)]
    events, completion = await run_stream(
        m.client.chat.completions.stream(model=MODEL, messages=weather, tools=tools), mode, "get_final_completion"
    )
    deltas = [e for e in events if e.type == "tool_calls.function.arguments.delta"]
    assert len(deltas) > 1 and deltas[-1].arguments == '{"city":"Paris","unit":"celsius"}'
    calls = completion.choices[0].message.tool_calls
    assert calls[0].function.parsed_arguments == GetWeather(city="Paris", unit="celsius")

    response = await resolve(m.client.responses.parse(input="weather in Paris", model=MODEL, tools=tools))
    (call,) = response.output
    assert isinstance(call, ParsedResponseFunctionToolCall)
    assert call.parsed_arguments == GetWeather(city="Paris", unit="celsius")
