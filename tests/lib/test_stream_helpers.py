"""responses.stream / .parse and chat.completions.stream / .parse over real TCP, sync and async."""

from __future__ import annotations

import json
from typing import Any

import pytest
from oai import (
    AsyncOpenAI,
    LengthFinishReasonError,
    OpenAI,
    ResponseIncompleteError,
    StrictSchemaError,
    pydantic_function_tool,
)
from oai.lib.streaming import AsyncEventHandler, EventHandler
from oai.types import ParsedChatCompletion, ParsedResponse
from pydantic import BaseModel

from ._recorded import raw_events
from ._server import Gate, Reply, ScriptedServer, fixture, split_messages, sse, stream_reply


class Step(BaseModel):
    explanation: str
    output: str


class MathResponse(BaseModel):
    steps: list[Step]
    final_answer: str


class CityWeather(BaseModel):
    city: str


FIRST_STEP = "Subtract 31 from both sides"


def _math_stream_with_gate() -> tuple[list[bytes | Gate], Gate]:
    """The recorded MathResponse stream, held by a gate once the first step's explanation is complete."""
    messages = split_messages(fixture("aimock-responses-math.sse"))
    text = ""
    for position, message in enumerate(messages):
        data = json.loads(message.split(b"data: ", 1)[1])
        text += data.get("delta", "") if data["type"] == "response.output_text.delta" else ""
        if f'"{FIRST_STEP}"' in text:
            gate = Gate()
            return [*messages[: position + 1], gate, *messages[position + 1 :]], gate
    raise AssertionError("the recording has no first step")


def _check_request(scripted: ScriptedServer) -> None:
    body = scripted.requests[-1].json()
    assert body["stream"] is True and body["input"] == "solve 8x + 31 = 2"
    fmt = body["text"]["format"]
    assert fmt["type"] == "json_schema" and fmt["strict"] is True and fmt["name"] == "MathResponse"
    assert fmt["schema"]["required"] == ["steps", "final_answer"]


def test_partial_object_grows_before_the_stream_ends_sync(scripted: ScriptedServer, client: OpenAI) -> None:
    parts, gate = _math_stream_with_gate()
    scripted.script("POST", "/responses", stream_reply(parts))
    seen_before_end: list[MathResponse] = []
    with client.responses.stream(input="solve 8x + 31 = 2", model="gpt-4o", text_format=MathResponse) as stream:
        for event in stream:
            if event.type == "response.output_text.delta" and event.parsed is not None and not gate.event.is_set():
                seen_before_end.append(event.parsed)
                if event.parsed.steps and event.parsed.steps[0].explanation == FIRST_STEP:
                    gate.open()  # only now does the server send the rest
        final = stream.get_final_response()
    assert seen_before_end[-1].steps[0].explanation == FIRST_STEP
    assert seen_before_end[-1].final_answer is None
    assert len({repr(p) for p in seen_before_end}) > 2  # it grew, step by step
    assert isinstance(final, ParsedResponse) and final.output_parsed == MathResponse.model_validate(
        {
            "steps": [
                {"explanation": FIRST_STEP, "output": "8x = -29"},
                {"explanation": "Divide both sides by 8", "output": "x = -29/8"},
            ],
            "final_answer": "x = -29/8",
        }
    )
    _check_request(scripted)


async def test_partial_object_grows_before_the_stream_ends_async(
    scripted: ScriptedServer, aclient: AsyncOpenAI
) -> None:
    parts, gate = _math_stream_with_gate()
    scripted.script("POST", "/responses", stream_reply(parts))
    seen_before_end: list[MathResponse] = []
    async with aclient.responses.stream(input="solve 8x + 31 = 2", model="gpt-4o", text_format=MathResponse) as stream:
        async for event in stream:
            if event.type == "response.output_text.delta" and event.parsed is not None and not gate.event.is_set():
                seen_before_end.append(event.parsed)
                if event.parsed.steps and event.parsed.steps[0].explanation == FIRST_STEP:
                    gate.open()
        final = await stream.get_final_response()
    assert seen_before_end[-1].steps[0].explanation == FIRST_STEP and seen_before_end[-1].final_answer is None
    assert final.output_parsed is not None and final.output_parsed.final_answer == "x = -29/8"
    _check_request(scripted)


def test_truncated_structured_streams_raise_typed_errors_sync(scripted: ScriptedServer, client: OpenAI) -> None:
    scripted.script("POST", "/responses", stream_reply(split_messages(fixture("aimock-responses-cut-short.sse"))))
    with client.responses.stream(input="cut short", model="gpt-4o", text_format=MathResponse) as stream:
        with pytest.raises(ResponseIncompleteError) as info:
            for _ in stream:
                pass
    assert isinstance(info.value.partial, MathResponse) and info.value.partial.steps[0].explanation == FIRST_STEP

    scripted.script("POST", "/chat/completions", stream_reply(split_messages(fixture("aimock-chat-cut-short.sse"))))
    with client.chat.completions.stream(
        model="gpt-4o", messages=[{"role": "user", "content": "cut short"}], response_format=MathResponse
    ) as chat:
        with pytest.raises(LengthFinishReasonError) as cut:
            chat.get_final_completion()
    assert isinstance(cut.value.partial, MathResponse) and cut.value.partial.steps[1].explanation == "Divide"
    assert cut.value.usage.total_tokens == 37 and cut.value.text.startswith('{"steps"')


async def test_truncated_structured_streams_raise_typed_errors_async(
    scripted: ScriptedServer, aclient: AsyncOpenAI
) -> None:
    scripted.script("POST", "/chat/completions", stream_reply(split_messages(fixture("aimock-chat-cut-short.sse"))))
    async with aclient.chat.completions.stream(
        model="gpt-4o", messages=[{"role": "user", "content": "cut short"}], response_format=MathResponse
    ) as chat:
        with pytest.raises(LengthFinishReasonError) as cut:
            async for _ in chat:
                pass
    assert isinstance(cut.value.partial, MathResponse) and cut.value.usage.completion_tokens == 25


def _chat_completion(
    content: str | None, *, finish: str = "stop", refusal: str | None = None, **message: Any
) -> dict[str, Any]:
    choice = {
        "index": 0,
        "finish_reason": finish,
        "logprobs": None,
        "message": {"role": "assistant", "content": content, "refusal": refusal, **message},
    }
    usage = {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}
    return {"id": "c1", "object": "chat.completion", "created": 1, "model": "m", "choices": [choice], "usage": usage}


def test_chat_parse_content_tool_calls_and_refusal_sync(scripted: ScriptedServer, client: OpenAI) -> None:
    call = {"id": "call_1", "type": "function", "function": {"name": "CityWeather", "arguments": '{"city": "Oslo"}'}}
    scripted.script(
        "POST",
        "/chat/completions",
        Reply(body=_chat_completion('{"steps": [], "final_answer": "4"}')),
        Reply(body=_chat_completion(None, finish="tool_calls", tool_calls=[call])),
        Reply(body=_chat_completion(None, refusal="I can't help with that.")),
        Reply(body=_chat_completion('{"steps": [', finish="length")),
    )
    messages: Any = [{"role": "user", "content": "x"}]
    first = client.chat.completions.parse(model="m", messages=messages, response_format=MathResponse)
    assert isinstance(first, ParsedChatCompletion) and first.choices[0].message.parsed == MathResponse(
        steps=[], final_answer="4"
    )
    sent = scripted.requests[-1].json()
    assert sent["response_format"]["type"] == "json_schema" and "stream" not in sent

    tools = [pydantic_function_tool(CityWeather)]
    second = client.beta.chat.completions.parse(model="m", messages=messages, tools=tools)
    calls = second.choices[0].message.tool_calls or []
    assert calls[0].function.parsed_arguments == CityWeather(city="Oslo")
    assert scripted.requests[-1].json()["tools"][0]["function"]["strict"] is True

    third = client.chat.completions.parse(model="m", messages=messages, response_format=MathResponse)
    assert third.choices[0].message.parsed is None
    assert third.choices[0].message.refusal == "I can't help with that."

    with pytest.raises(LengthFinishReasonError) as info:
        client.chat.completions.parse(model="m", messages=messages, response_format=MathResponse)
    assert info.value.partial == MathResponse.model_construct(steps=[], final_answer=None)
    assert info.value.usage.total_tokens == 12


async def test_chat_parse_async(scripted: ScriptedServer, aclient: AsyncOpenAI) -> None:
    scripted.script("POST", "/chat/completions", Reply(body=_chat_completion('{"steps": [], "final_answer": "4"}')))
    completion = await aclient.chat.completions.parse(
        model="m", messages=[{"role": "user", "content": "x"}], response_format=MathResponse
    )
    assert completion.choices[0].message.parsed == MathResponse(steps=[], final_answer="4")


def _response(status: str, text: str, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "message",
        "id": "m",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }
    usage = {"input_tokens": 3, "output_tokens": 9, "total_tokens": 12}
    return {"id": "r", "object": "response", "status": status, "output": [item], "usage": usage, **extra}


def test_responses_parse_sync(scripted: ScriptedServer, client: OpenAI) -> None:
    scripted.script(
        "POST",
        "/responses",
        Reply(body=_response("completed", '{"steps": [], "final_answer": "4"}')),
        Reply(body=_response("incomplete", '{"steps": [{"expl', incomplete_details={"reason": "max_output_tokens"})),
    )
    parsed = client.responses.parse(input="x", model="m", text_format=MathResponse, max_output_tokens=50)
    assert parsed.output_parsed == MathResponse(steps=[], final_answer="4")
    sent = scripted.requests[-1].json()
    assert sent["max_output_tokens"] == 50 and sent["text"]["format"]["name"] == "MathResponse"
    with pytest.raises(LengthFinishReasonError) as info:
        client.responses.parse(input="x", model="m", text_format=MathResponse)
    assert info.value.response.status == "incomplete" and info.value.usage.output_tokens == 9


async def test_responses_parse_async(scripted: ScriptedServer, aclient: AsyncOpenAI) -> None:
    scripted.script("POST", "/responses", Reply(body=_response("completed", '{"steps": [], "final_answer": "4"}')))
    parsed = await aclient.responses.parse(input="x", model="m", text_format=MathResponse)
    assert parsed.output_parsed is not None and parsed.output_parsed.final_answer == "4"


class Recorder(EventHandler):
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def on_text_delta(self, delta: str, snapshot: str) -> None:
        self.calls.append(("text_delta", delta))

    def on_text_done(self, text: str) -> None:
        self.calls.append(("text_done", text))

    def on_tool_call_done(self, name: str | None, arguments: str, parsed_arguments: object) -> None:
        self.calls.append(("tool_call_done", (name, parsed_arguments)))

    def on_end(self) -> None:
        self.calls.append(("end", None))


def test_event_handler_and_on_callbacks_sync(scripted: ScriptedServer, client: OpenAI) -> None:
    scripted.script("POST", "/responses", stream_reply(split_messages(fixture("llmock-responses.sse"))))
    handler = Recorder()
    deltas: list[str] = []
    with client.responses.stream(input="hello", model="gpt-4o", event_handler=handler) as stream:
        stream.on("response.output_text.delta", lambda event: deltas.append(event.delta))
        text = "".join(stream.text_stream)
        assert stream.current_snapshot().output_text == text
    assert text == "Simulated answer from gpt-4o for 'hello'." == "".join(deltas)
    assert [name for name, _ in handler.calls].count("text_delta") == len(deltas)
    assert ("text_done", text) in handler.calls and handler.calls[-1] == ("end", None)

    scripted.script("POST", "/chat/completions", stream_reply(split_messages(fixture("llmock-chat-tool-call.sse"))))
    handler = Recorder()
    tools = [pydantic_function_tool(CityWeather, name="get_weather")]
    with client.chat.completions.stream(
        model="gpt-4o", messages=[{"role": "user", "content": "weather?"}], tools=tools, event_handler=handler
    ) as chat:
        chat.until_done()
    assert ("tool_call_done", ("get_weather", CityWeather(city="mock-city"))) in handler.calls


class AsyncRecorder(AsyncEventHandler):
    def __init__(self) -> None:
        self.texts: list[str] = []

    async def on_text_done(self, text: str) -> None:
        self.texts.append(text)


async def test_event_handler_and_on_callbacks_async(scripted: ScriptedServer, aclient: AsyncOpenAI) -> None:
    scripted.script("POST", "/responses", stream_reply(split_messages(fixture("llmock-responses.sse"))))
    handler = AsyncRecorder()
    seen: list[str] = []

    async def remember(event: Any) -> None:
        seen.append(event.type)

    async with aclient.responses.stream(input="hello", model="gpt-4o", event_handler=handler) as stream:
        stream.on("response.completed", remember).on("response.created", lambda event: seen.append(event.type))
        chunks = [delta async for delta in stream.text_stream]
        final = await stream.get_final_response()
    assert handler.texts == ["".join(chunks)] == [final.output_text]
    assert seen == ["response.created", "response.completed"]


class Failing(EventHandler):
    def on_text_delta(self, delta: str, snapshot: str) -> None:
        raise ValueError("handler bug")


def test_an_exception_in_a_handler_reaches_the_caller_and_frees_the_connection(
    scripted: ScriptedServer, client: OpenAI
) -> None:
    scripted.script(
        "POST",
        "/responses",
        stream_reply(split_messages(fixture("llmock-responses.sse"))),
        stream_reply(split_messages(fixture("llmock-responses.sse"))),
    )
    with pytest.raises(ValueError, match="handler bug"):
        with client.responses.stream(input="hello", model="gpt-4o", event_handler=Failing()) as stream:
            stream.until_done()
    with client.responses.stream(input="hello", model="gpt-4o") as again:  # the client still works
        assert again.get_final_response().status == "completed"


def test_attach_to_a_background_response(scripted: ScriptedServer, client: OpenAI) -> None:
    scripted.script("GET", "/responses/resp_1", stream_reply(split_messages(fixture("llmock-responses.sse"))))
    with client.responses.stream(response_id="resp_1", starting_after=9) as stream:
        numbers = [event.sequence_number for event in stream]
        final = stream.get_final_response()
    assert numbers == [10, 11, 12, 13]
    assert final.output_text == "Simulated answer from gpt-4o for 'hello'."
    request = scripted.requests[-1]
    assert request.method == "GET" and "stream=true" in request.query and "starting_after" not in request.query
    with pytest.raises(TypeError, match="cannot be combined"):
        client.responses.stream(response_id="resp_1", input="x", model="m")  # type: ignore[call-overload]


class Untyped(BaseModel):
    payload: dict[str, int]


def test_a_model_strict_mode_cannot_express_fails_before_any_request(scripted: ScriptedServer, client: OpenAI) -> None:
    with pytest.raises(StrictSchemaError, match=r"Untyped\.payload"):
        client.responses.stream(input="x", model="m", text_format=Untyped)
    with pytest.raises(StrictSchemaError):
        client.chat.completions.stream(model="m", messages=[], response_format=Untyped)
    assert scripted.requests == []


def test_recorded_events_reach_the_caller_in_order(scripted: ScriptedServer, client: OpenAI) -> None:
    events = raw_events("aimock-responses-tool-call.sse")
    scripted.script("POST", "/responses", stream_reply(sse(events)))
    with client.responses.stream(input="weather in Paris", model="gpt-4o") as stream:
        types = [event.type for event in stream]
    assert types == [event["type"] for event in events]
