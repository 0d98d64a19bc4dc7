"""``with_raw_response`` / ``with_streaming_response`` on the parsing helpers, as in the official SDK.

``client.chat.completions.with_raw_response.parse(...)`` returns the raw response (headers, status), whose
``parse()`` is the :class:`ParsedChatCompletion` the plain call returns; the same with
``with_streaming_response.parse(...)`` (a context manager) and ``client.responses.with_raw_response.parse``.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import oai
import pydantic
import pytest
from oai import LegacyAPIResponse
from oai.types import ParsedChatCompletion, ParsedResponse

KEY = "sk-helper-raw-0123456789"


class Weather(pydantic.BaseModel):
    city: str
    celsius: float


class Lookup(pydantic.BaseModel):
    """Look a city up."""

    city: str


ANSWER = {"city": "Oslo", "celsius": 4.5}
COMPLETION: dict[str, Any] = {
    "id": "chatcmpl-raw",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "logprobs": None,
            "message": {"role": "assistant", "content": json.dumps(ANSWER), "refusal": None},
        }
    ],
}
CUT_SHORT: dict[str, Any] = {
    **COMPLETION,
    "choices": [{**COMPLETION["choices"][0], "finish_reason": "length"}],
}
RESPONSE: dict[str, Any] = {
    "id": "resp_raw",
    "object": "response",
    "created_at": 1,
    "status": "completed",
    "model": "m",
    "output": [
        {
            "type": "message",
            "id": "msg_1",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": json.dumps(ANSWER), "annotations": [], "logprobs": []}],
        },
        {
            "type": "function_call",
            "id": "fc_1",
            "call_id": "call_1",
            "name": "Lookup",
            "arguments": '{"city": "Bergen"}',
            "status": "completed",
        },
    ],
    "parallel_tool_calls": True,
    "tool_choice": "auto",
    "tools": [],
}


def handler(request: httpx.Request) -> httpx.Response:
    headers = {"x-request-id": "req_helper_raw"}
    body = json.loads(request.content)
    if request.url.path.endswith("/chat/completions"):
        answer = CUT_SHORT if body.get("max_tokens") == 1 else COMPLETION
        return httpx.Response(200, json=answer, headers=headers)
    return httpx.Response(200, json=RESPONSE, headers=headers)


def make() -> oai.OpenAI:
    transport = httpx.MockTransport(handler)
    return oai.OpenAI(api_key=KEY, base_url="http://api.test/v1", http_client=httpx.Client(transport=transport))


def amake() -> oai.AsyncOpenAI:
    transport = httpx.MockTransport(handler)
    return oai.AsyncOpenAI(
        api_key=KEY, base_url="http://api.test/v1", http_client=httpx.AsyncClient(transport=transport)
    )


MESSAGES: list[Any] = [{"role": "user", "content": "weather in Oslo?"}]


def check_completion(parsed: ParsedChatCompletion[Weather]) -> None:
    assert isinstance(parsed, ParsedChatCompletion)
    assert parsed.choices[0].message.parsed == Weather(city="Oslo", celsius=4.5)


def check_response(parsed: ParsedResponse[Weather]) -> None:
    assert isinstance(parsed, ParsedResponse)
    assert parsed.output_parsed == Weather(city="Oslo", celsius=4.5)
    call = parsed.output[1]
    assert call.type == "function_call" and call.parsed_arguments == Lookup(city="Bergen")


def test_chat_parse_with_raw_response() -> None:
    client = make()
    raw = client.chat.completions.with_raw_response.parse(model="m", messages=MESSAGES, response_format=Weather)
    assert isinstance(raw, LegacyAPIResponse)
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "req_helper_raw"
    assert json.loads(raw.http_request.content)["response_format"]["type"] == "json_schema"
    check_completion(raw.parse())
    assert raw.parse() is raw.parse()  # parsed once
    check_completion(
        client.beta.chat.completions.with_raw_response.parse(
            model="m", messages=MESSAGES, response_format=Weather
        ).parse()
    )


async def test_async_chat_parse_with_raw_response() -> None:
    client = amake()
    raw = await client.chat.completions.with_raw_response.parse(model="m", messages=MESSAGES, response_format=Weather)
    assert isinstance(raw, LegacyAPIResponse)
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "req_helper_raw"
    check_completion(raw.parse())


def test_chat_parse_with_streaming_response() -> None:
    with make().chat.completions.with_streaming_response.parse(
        model="m", messages=MESSAGES, response_format=Weather
    ) as response:
        assert isinstance(response, oai.APIResponse) and response.headers["x-request-id"] == "req_helper_raw"
        check_completion(response.parse())


async def test_async_chat_parse_with_streaming_response() -> None:
    async with amake().chat.completions.with_streaming_response.parse(
        model="m", messages=MESSAGES, response_format=Weather
    ) as response:
        assert isinstance(response, oai.AsyncAPIResponse) and response.headers["x-request-id"] == "req_helper_raw"
        check_completion(await response.parse())


def test_chat_parse_errors_surface_at_parse_time() -> None:
    """As in the official SDK: the raw call returns; parse() raises what the plain call would have raised."""
    client = make()
    raw = client.chat.completions.with_raw_response.parse(
        model="m", messages=MESSAGES, response_format=Weather, max_tokens=1
    )
    assert raw.status_code == 200
    with pytest.raises(oai.LengthFinishReasonError):
        raw.parse()
    with pytest.raises(oai.LengthFinishReasonError):
        client.chat.completions.parse(model="m", messages=MESSAGES, response_format=Weather, max_tokens=1)


async def test_async_chat_parse_errors_surface_at_parse_time() -> None:
    raw = await amake().chat.completions.with_raw_response.parse(
        model="m", messages=MESSAGES, response_format=Weather, max_tokens=1
    )
    with pytest.raises(oai.LengthFinishReasonError):
        raw.parse()


def test_responses_parse_with_raw_response() -> None:
    client = make()
    tools = [oai.pydantic_responses_function_tool(Lookup)]
    raw = client.responses.with_raw_response.parse(model="m", input="weather?", text_format=Weather, tools=tools)
    assert isinstance(raw, LegacyAPIResponse) and raw.headers["x-request-id"] == "req_helper_raw"
    sent = json.loads(raw.http_request.content)
    assert sent["text"]["format"]["type"] == "json_schema"
    assert sent["tools"] == [
        {
            "type": "function",
            "name": "Lookup",
            "strict": True,
            "description": "Look a city up.",
            "parameters": {
                "description": "Look a city up.",
                "properties": {"city": {"title": "City", "type": "string"}},
                "required": ["city"],
                "title": "Lookup",
                "type": "object",
                "additionalProperties": False,
            },
        }
    ]
    check_response(raw.parse())
    check_response(client.responses.parse(model="m", input="weather?", text_format=Weather, tools=tools))


async def test_async_responses_parse_with_raw_response() -> None:
    client = amake()
    tools = [oai.pydantic_responses_function_tool(Lookup, name="Lookup", defer_loading=True)]
    raw = await client.responses.with_raw_response.parse(model="m", input="weather?", text_format=Weather, tools=tools)
    assert json.loads(raw.http_request.content)["tools"][0]["defer_loading"] is True
    check_response(raw.parse())
    check_response(await client.responses.parse(model="m", input="weather?", text_format=Weather, tools=tools))
