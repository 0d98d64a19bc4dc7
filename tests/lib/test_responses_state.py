"""ResponseStreamState over recorded and real-server-shaped streams: leniency, partial values, typed outcomes."""

from __future__ import annotations

from typing import Any

import pytest
from oai import (
    ContentFilterFinishReasonError,
    LengthFinishReasonError,
    ResponseIncompleteError,
    UnknownStreamEvent,
    pydantic_function_tool,
)
from oai.lib._parsing._responses import make_tools
from oai.lib.streaming.responses import ResponseStreamState
from oai.types import ParsedResponse, ParsedResponseFunctionToolCall, ParsedResponseOutputMessage
from pydantic import BaseModel

from ._recorded import raw_events, response_events, without
from ._server import SHARED_SAMPLES


class Step(BaseModel):
    explanation: str
    output: str


class MathResponse(BaseModel):
    steps: list[Step]
    final_answer: str


class GetWeather(BaseModel):
    city: str
    unit: str


def run(state: ResponseStreamState[Any], events: list[Any]) -> list[Any]:
    out: list[Any] = []
    for event in events:
        out.extend(state.handle_event(event))
    return out


def check_math(state: ResponseStreamState[MathResponse], derived: list[Any]) -> None:
    deltas = [e for e in derived if e.type == "response.output_text.delta"]
    assert len(deltas) > 10
    assert deltas[-1].snapshot == "".join(e.delta for e in deltas)
    with_steps = [e.parsed for e in deltas if e.parsed is not None and e.parsed.steps]
    assert with_steps and with_steps[0].final_answer is None  # the partial value before the answer is written
    (done,) = [e for e in derived if e.type == "response.output_text.done"]
    assert isinstance(done.parsed, MathResponse)
    (completed,) = [e for e in derived if e.type == "response.completed"]
    final = state.get_final_response()
    assert type(final) is ParsedResponse
    assert final is completed.response
    assert isinstance(final.output_parsed, MathResponse)
    assert final.output_parsed.steps[1].output == "x = -29/8"
    message = final.output[0]
    assert isinstance(message, ParsedResponseOutputMessage)


def test_recorded_aimock_stream() -> None:
    state = ResponseStreamState(text_format=MathResponse)
    check_math(state, run(state, response_events(raw_events("aimock-responses-math.sse"))))


def test_a_stream_without_any_index_or_sequence_number() -> None:
    # What llama.cpp sends: no output_index, content_index or sequence_number, and no output in
    # response.created. The state finds items by id, parts by kind.
    events = without(raw_events("aimock-responses-math.sse"), "output_index", "content_index", "sequence_number")
    events[0]["response"].pop("output")
    state = ResponseStreamState(text_format=MathResponse)
    check_math(state, run(state, response_events(events)))


@pytest.mark.skipif(not SHARED_SAMPLES.exists(), reason="../shared/samples is not beside the repository")
def test_llama_server_sample() -> None:
    body = (SHARED_SAMPLES / "llama-server-b11434-responses-stream.txt").read_bytes()
    state: ResponseStreamState[None] = ResponseStreamState()
    derived = run(state, response_events(body))
    assert [e.snapshot for e in derived if e.type == "response.output_text.delta"][-1] == "Hello there, welcome"
    final = state.get_final_response()
    assert final.status == "completed" and final.output_text == "Hello there, welcome"
    assert final.output_parsed is None


def test_deltas_before_their_item_unknown_events_and_no_created_event() -> None:
    events: list[dict[str, Any]] = [
        {"type": "response.output_text.delta", "item_id": "m1", "delta": '{"steps": [], '},
        {"type": "response.brand_new_event", "detail": 1},
        {
            "type": "response.output_item.added",
            "output_index": 0,
            "item": {"type": "message", "id": "m1", "role": "assistant", "content": []},
        },
        {"type": "response.output_text.delta", "item_id": "m1", "delta": '"final_answer": "42"}'},
        {"type": "response.completed", "response": {"id": "r", "object": "response", "status": "completed"}},
    ]
    state = ResponseStreamState(text_format=MathResponse)
    derived = run(state, response_events(events))
    assert isinstance(derived[1], UnknownStreamEvent) and derived[1].type == "response.brand_new_event"
    assert derived[3].snapshot == '{"steps": [], "final_answer": "42"}'
    final = state.get_final_response()  # the final response has no output: the streamed items are used
    assert final.output_parsed == MathResponse(steps=[], final_answer="42")


def test_starting_after_skips_replayed_events_but_accumulates_them() -> None:
    events = response_events(raw_events("llmock-responses.sse"))
    state: ResponseStreamState[None] = ResponseStreamState(starting_after=5)
    derived = run(state, events)
    assert [e.sequence_number for e in derived] == list(range(6, len(events)))
    assert state.get_final_response().output_text == "Simulated answer from gpt-4o for 'hello'."


def test_cut_short_by_a_completed_event_with_another_status() -> None:
    # aimock sends `response.completed` with status "incomplete" and no reason
    state = ResponseStreamState(text_format=MathResponse)
    derived = run(state, response_events(raw_events("aimock-responses-cut-short.sse")))
    assert [e.type for e in derived][-1] == "response.completed"
    with pytest.raises(ResponseIncompleteError) as info:
        state.get_final_response()
    error = info.value
    assert error.status == "incomplete" and error.reason is None
    assert isinstance(error.partial, MathResponse) and error.partial.steps[1].explanation == "Divide"
    assert error.usage.output_tokens == 25 and error.text.startswith('{"steps"')


def _cut(status: str, **extra: Any) -> list[dict[str, Any]]:
    events = without(raw_events("aimock-responses-math.sse"), "sequence_number")[:12]
    response = {"id": "r", "object": "response", "status": status, **extra}
    events.append({"type": f"response.{status}", "response": response})
    return events


@pytest.mark.parametrize(
    ("status", "extra", "error"),
    [
        ("incomplete", {"incomplete_details": {"reason": "max_output_tokens"}}, LengthFinishReasonError),
        ("incomplete", {"incomplete_details": {"reason": "content_filter"}}, ContentFilterFinishReasonError),
        ("failed", {"error": {"code": "server_error", "message": "The model crashed"}}, ResponseIncompleteError),
    ],
)
def test_incomplete_and_failed_are_typed_outcomes(status: str, extra: dict[str, Any], error: type[Exception]) -> None:
    state = ResponseStreamState(text_format=MathResponse)
    run(
        state, response_events(_cut(status, usage={"input_tokens": 3, "output_tokens": 8, "total_tokens": 11}, **extra))
    )
    with pytest.raises(error) as info:
        state.finish()
    raised: Any = info.value
    assert isinstance(raised.partial, MathResponse) and raised.partial.steps[0].explanation
    assert raised.usage.output_tokens == 8
    if status == "failed":
        assert raised.status == "failed" and "The model crashed" in str(raised)


def test_without_text_format_an_incomplete_response_is_returned() -> None:
    state: ResponseStreamState[None] = ResponseStreamState()
    run(state, response_events(_cut("incomplete", incomplete_details={"reason": "max_output_tokens"})))
    final = state.get_final_response()
    assert final.status == "incomplete" and final.output_parsed is None
    assert (final.output_text or "").startswith('{"steps')


def test_a_stream_that_just_stops() -> None:
    events = response_events(raw_events("aimock-responses-math.sse")[:15])
    structured = ResponseStreamState(text_format=MathResponse)
    run(structured, events)
    with pytest.raises(ResponseIncompleteError) as info:
        structured.finish()
    assert info.value.status is None and isinstance(info.value.partial, MathResponse)
    plain: ResponseStreamState[None] = ResponseStreamState()
    run(plain, events)
    plain.finish()  # nothing was promised: iteration may end
    with pytest.raises(ResponseIncompleteError, match="ended before the response completed"):
        plain.get_final_response()


def test_refusal_is_a_part_never_parsed() -> None:
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": {"id": "r", "object": "response", "status": "in_progress"}},
        {
            "type": "response.output_item.added",
            "item": {"type": "message", "id": "m", "role": "assistant", "content": []},
        },
        {"type": "response.refusal.delta", "item_id": "m", "delta": "I can't "},
        {"type": "response.refusal.delta", "item_id": "m", "delta": "help with that."},
        {"type": "response.refusal.done", "item_id": "m", "refusal": "I can't help with that."},
        {"type": "response.completed", "response": {"id": "r", "object": "response", "status": "completed"}},
    ]
    state = ResponseStreamState(text_format=MathResponse)
    run(state, response_events(events))
    final = state.get_final_response()
    assert final.output_parsed is None
    message = final.output[0]
    assert isinstance(message, ParsedResponseOutputMessage)
    (part,) = message.content
    assert part.type == "refusal" and part.refusal == "I can't help with that."


def test_function_call_from_a_pydantic_tool() -> None:
    tools = make_tools([pydantic_function_tool(GetWeather)])
    state: ResponseStreamState[None] = ResponseStreamState(input_tools=tools)
    derived = run(state, response_events(raw_events("aimock-responses-tool-call.sse")))
    snapshots = [e.snapshot for e in derived if e.type == "response.function_call_arguments.delta"]
    assert len(snapshots) > 1 and snapshots[-1] == '{"city":"Paris","unit":"celsius"}'
    call = state.get_final_response().output[0]
    assert isinstance(call, ParsedResponseFunctionToolCall)
    assert call.parsed_arguments == GetWeather(city="Paris", unit="celsius")
