"""ChatCompletionStreamState over recorded chunks: events, partial values, parsed results, typed outcomes."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from oai import ContentFilterFinishReasonError, LengthFinishReasonError, pydantic_function_tool
from oai.lib.streaming.chat import ChatCompletionStreamState
from oai.types import ChatCompletionChunk, ParsedChatCompletion
from pydantic import BaseModel

from ._recorded import chat_chunks, chunk


class Step(BaseModel):
    explanation: str
    output: str


class MathResponse(BaseModel):
    steps: list[Step]
    final_answer: str


class GetWeather(BaseModel):
    city: str
    unit: Literal["celsius", "fahrenheit"]


class CityWeather(BaseModel):
    city: str


def run(state: ChatCompletionStreamState[Any], chunks: list[ChatCompletionChunk]) -> list[Any]:
    events: list[Any] = []
    for item in chunks:
        events.extend(state.handle_chunk(item))
    return events


def test_structured_stream_partial_values_grow_then_parse() -> None:
    state = ChatCompletionStreamState(response_format=MathResponse)
    events = run(state, chat_chunks("aimock-chat-math.sse"))
    deltas = [e for e in events if e.type == "content.delta"]
    assert len(deltas) > 10
    partials = [e.parsed for e in deltas]
    assert all(isinstance(p, MathResponse) for p in partials[1:])
    # the partial object grows: first a step with part of its explanation, later the whole answer
    growing = [p for p in partials if p is not None and p.steps and p.steps[0].explanation]
    first = growing[0].steps[0].explanation
    assert first != "Subtract 31 from both sides" and "Subtract 31 from both sides".startswith(first)
    assert growing[0].final_answer is None
    assert partials[-1] == MathResponse.model_validate_json(deltas[-1].snapshot)
    done = [e for e in events if e.type == "content.done"]
    assert len(done) == 1 and isinstance(done[0].parsed, MathResponse)
    assert events[0].type == "chunk"

    completion = state.get_final_completion()
    assert isinstance(completion, ParsedChatCompletion)
    message = completion.choices[0].message
    assert isinstance(message.parsed, MathResponse) and message.parsed.final_answer == "x = -29/8"
    assert completion.usage is not None and completion.usage.total_tokens == 54
    assert completion.object == "chat.completion"
    # parsed values are not wire data: the dump has exactly what the server sent
    assert "parsed" not in completion.to_dict()["choices"][0]["message"]


def test_cut_short_structured_output_raises_with_partial_text_and_usage() -> None:
    state = ChatCompletionStreamState(response_format=MathResponse)
    events = run(state, chat_chunks("aimock-chat-cut-short.sse"))
    assert not [e for e in events if e.type == "content.done"], "cut-short content is never 'done'"
    with pytest.raises(LengthFinishReasonError) as info:
        state.get_final_completion()
    error = info.value
    assert isinstance(error.partial, MathResponse)
    assert error.partial.steps[0].explanation == "Subtract 31 from both sides"
    assert error.partial.steps[1].explanation == "Divide" and error.partial.steps[1].output is None
    assert error.text.startswith('{"steps":') and error.usage.completion_tokens == 25
    assert error.completion.choices[0].finish_reason == "length"
    assert "length limit" in str(error) and "completion_tokens=25" in str(error)


def test_plain_text_cut_short_is_just_returned() -> None:
    state: ChatCompletionStreamState[None] = ChatCompletionStreamState()
    run(state, chat_chunks("aimock-chat-cut-short.sse"))
    completion = state.get_final_completion()
    assert completion.choices[0].finish_reason == "length"
    assert completion.choices[0].message.parsed is None


def test_content_filter_raises_with_partial() -> None:
    state = ChatCompletionStreamState(response_format=MathResponse)
    run(state, chat_chunks("aimock-chat-content-filter.sse"))
    with pytest.raises(ContentFilterFinishReasonError) as info:
        state.finish()
    assert isinstance(info.value.partial, MathResponse) and info.value.partial.steps[0].explanation == "Sub"


@pytest.mark.parametrize(
    ("fixture", "model", "expected"),
    [
        ("llmock-chat-tool-call.sse", CityWeather, CityWeather(city="mock-city")),
        ("aimock-chat-tool-call.sse", GetWeather, GetWeather(city="Paris", unit="celsius")),
    ],
)
def test_tool_call_argument_deltas_join_and_parse(fixture: str, model: type[BaseModel], expected: BaseModel) -> None:
    name = "get_weather" if fixture.startswith("llmock") else "GetWeather"
    state = ChatCompletionStreamState(input_tools=[pydantic_function_tool(model, name=name)])
    events = run(state, chat_chunks(fixture))
    deltas = [e for e in events if e.type == "tool_calls.function.arguments.delta"]
    assert len(deltas) >= 2 and all(e.name == name and e.index == 0 for e in deltas)
    assert "".join(e.arguments_delta for e in deltas) == deltas[-1].arguments
    assert any(isinstance(e.parsed_arguments, model) for e in deltas)  # partial, as the arguments stream
    (done,) = [e for e in events if e.type == "tool_calls.function.arguments.done"]
    assert done.parsed_arguments == expected
    call = state.get_final_completion().choices[0].message.tool_calls
    assert call is not None and call[0].function.parsed_arguments == expected and call[0].id


def test_refusal_is_never_parsed() -> None:
    chunks = [
        chunk(choices=[{"index": 0, "delta": {"role": "assistant", "refusal": ""}, "finish_reason": None}]),
        chunk(choices=[{"index": 0, "delta": {"refusal": "I'm sorry, "}, "finish_reason": None}]),
        chunk(choices=[{"index": 0, "delta": {"refusal": "I can't help with that."}, "finish_reason": None}]),
        chunk(choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}]),
    ]
    state = ChatCompletionStreamState(response_format=MathResponse)
    events = run(state, chunks)
    assert [e.delta for e in events if e.type == "refusal.delta"] == ["", "I'm sorry, ", "I can't help with that."]
    assert [e.refusal for e in events if e.type == "refusal.done"] == ["I'm sorry, I can't help with that."]
    assert not [e for e in events if e.type.startswith("content.")]
    message = state.get_final_completion().choices[0].message
    assert message.refusal == "I'm sorry, I can't help with that." and message.parsed is None


def test_servers_that_leave_out_indices_or_repeat_names() -> None:
    def tool(**fields: Any) -> ChatCompletionChunk:
        return chunk(choices=[{"delta": {"tool_calls": [fields]}, "finish_reason": None}])  # no choice index

    chunks = [
        chunk(object="", choices=[], prompt_filter_results=[]),  # Azure's content-filter notice: skipped
        tool(id="call_a", type="function", function={"name": "get_weather", "arguments": '{"city":'}),
        tool(function={"name": "get_weather", "arguments": ' "Paris"}'}),  # no index, name repeated whole
        tool(id="call_b", function={"name": "get_weather", "arguments": '{"city": "Rome"}'}),  # a second call
        chunk(choices=[{"delta": {}, "finish_reason": "tool_calls"}]),
    ]
    state = ChatCompletionStreamState(input_tools=[pydantic_function_tool(CityWeather, name="get_weather")])
    events = run(state, chunks)
    calls = state.get_final_completion().choices[0].message.tool_calls or []
    assert [(c.id, c.function.name, c.function.parsed_arguments) for c in calls] == [
        ("call_a", "get_weather", CityWeather(city="Paris")),
        ("call_b", "get_weather", CityWeather(city="Rome")),
    ]
    done = [e.index for e in events if e.type == "tool_calls.function.arguments.done"]
    assert done == [0, 1]
    assert not [e for e in events if e.type == "chunk" and e.chunk.object == ""]


def test_logprobs_and_two_choices() -> None:
    token = {"token": "a", "logprob": -0.5, "bytes": [97], "top_logprobs": []}
    chunks = [
        chunk(
            choices=[{"index": 0, "delta": {"content": "a"}, "logprobs": {"content": [token]}, "finish_reason": None}]
        ),
        chunk(choices=[{"index": 1, "delta": {"content": "b"}, "finish_reason": None}]),
        chunk(
            choices=[{"index": 0, "delta": {"content": "a"}, "logprobs": {"content": [token]}, "finish_reason": "stop"}]
        ),
        chunk(choices=[{"index": 1, "delta": {}, "finish_reason": "stop"}]),
    ]
    state: ChatCompletionStreamState[None] = ChatCompletionStreamState()
    events = run(state, chunks)
    assert [len(e.snapshot) for e in events if e.type == "logprobs.content.delta"] == [1, 2]
    assert [len(e.content) for e in events if e.type == "logprobs.content.done"] == [2]
    assert [e.content for e in events if e.type == "content.done"] == ["aa", "b"]
    choices = state.get_final_completion().choices
    assert [c.message.content for c in choices] == ["aa", "b"]
