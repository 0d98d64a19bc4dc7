"""Checked by pyright in `make lint` (strict): what user code sees of the structured output helpers.

Not run by pytest; every ``assert_type`` fails the lint when a helper loses the caller's model type.
"""

from __future__ import annotations

from oai import AsyncOpenAI, OpenAI, pydantic_function_tool
from oai.lib.streaming.chat import ChatCompletionStream
from oai.lib.streaming.responses import AsyncResponseStream, ResponseStream
from oai.types import ParsedChatCompletion, ParsedResponse
from pydantic import BaseModel
from typing_extensions import assert_type

client = OpenAI(api_key="sk-typing")
aclient = AsyncOpenAI(api_key="sk-typing")


class Step(BaseModel):
    explanation: str


class MathResponse(BaseModel):
    steps: list[Step]


def responses_helpers() -> None:
    with client.responses.stream(input="x", model="m", text_format=MathResponse) as stream:
        assert_type(stream, ResponseStream[MathResponse])
        for event in stream:
            if event.type == "response.output_text.delta":
                assert_type(event.parsed, MathResponse | None)
                assert_type(event.snapshot, str)
            elif event.type == "response.completed":
                assert_type(event.response, ParsedResponse[MathResponse])
        final = stream.get_final_response()
    assert_type(final, ParsedResponse[MathResponse])
    if final.output_parsed is not None:
        assert_type(final.output_parsed.steps[0].explanation, str)
    plain = client.responses.parse(input="x", model="m")
    assert_type(plain, ParsedResponse[None])
    parsed = client.responses.parse(input="x", model="m", text_format=MathResponse, temperature=0.2)
    assert_type(parsed.output_parsed, MathResponse | None)


def chat_helpers() -> None:
    tools = [pydantic_function_tool(MathResponse)]
    completion = client.chat.completions.parse(model="m", messages=[], response_format=MathResponse, tools=tools)
    assert_type(completion, ParsedChatCompletion[MathResponse])
    assert_type(completion.choices[0].message.parsed, MathResponse | None)
    beta = client.beta.chat.completions.parse(model="m", messages=[], response_format=MathResponse)
    assert_type(beta, ParsedChatCompletion[MathResponse])
    with client.chat.completions.stream(
        model="m", messages=[], response_format=MathResponse, stream_idle_timeout=5.0, max_retries=1
    ) as stream:
        assert_type(stream, ChatCompletionStream[MathResponse])
        for event in stream:
            if event.type == "content.delta":
                assert_type(event.parsed, MathResponse | None)
            elif event.type == "content.done":
                assert_type(event.parsed, MathResponse | None)
        assert_type(stream.get_final_completion(), ParsedChatCompletion[MathResponse])


async def async_helpers() -> None:
    async with aclient.responses.stream(input="x", model="m", text_format=MathResponse) as stream:
        assert_type(stream, AsyncResponseStream[MathResponse])
        async for event in stream:
            if event.type == "response.output_text.delta":
                assert_type(event.parsed, MathResponse | None)
        final = await stream.get_final_response()
    assert_type(final, ParsedResponse[MathResponse])
    completion = await aclient.chat.completions.parse(model="m", messages=[], response_format=MathResponse)
    assert_type(completion.choices[0].message.parsed, MathResponse | None)
