"""Tier 2, helpers: llmock's tool-call argument deltas and Responses stream through the stream helpers."""

from __future__ import annotations

from typing import Any

import oai
from pydantic import BaseModel

from e2e._helpers import run_stream

MODEL = "gpt-4o"


class GetWeather(BaseModel):
    city: str


async def test_tool_call_argument_deltas_parse_into_the_model(llmock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, llmock.base_url, pool=1)
    tools = [oai.pydantic_function_tool(GetWeather, name="get_weather")]
    manager = m.client.chat.completions.stream(
        model=MODEL, messages=[{"role": "user", "content": "weather?"}], tools=tools, tool_choice="required"
    )
    events, completion = await run_stream(manager, mode, "get_final_completion")
    deltas = [e for e in events if e.type == "tool_calls.function.arguments.delta"]
    assert len(deltas) >= 2, "llmock splits the arguments across chunks"
    assert "".join(e.arguments_delta for e in deltas) == deltas[-1].arguments
    (done,) = [e for e in events if e.type == "tool_calls.function.arguments.done"]
    assert isinstance(done.parsed_arguments, GetWeather) and done.name == "get_weather"
    call = completion.choices[0].message.tool_calls[0]
    assert call.function.parsed_arguments == done.parsed_arguments and call.id


async def test_responses_stream_text_and_handler(llmock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, llmock.base_url)
    events, final = await run_stream(m.client.responses.stream(input="hello", model=MODEL), mode, "get_final_response")
    deltas = [e for e in events if e.type == "response.output_text.delta"]
    assert deltas and deltas[-1].snapshot == final.output_text
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert final.status == "completed" and final.output_parsed is None
