# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""Tier 2: oai against llmock 0.2.2 — deterministic shapes and injected faults.

Faults are queued per request with ``POST /_llmock/scenario``; each test
clears the queue first, so a behaviour a failed test left unused cannot land
on the next one.
"""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import oai
import pytest
from oai._core._retry import RetryPolicy
from oai.types import ChatCompletion, ChatCompletionChunk, ChatCompletionMessageToolCall

from e2e._support import close_stream, collect, low_level_post, resolve, sse_events, take

MODEL = "gpt-4o"
MESSAGES = [{"role": "user", "content": "hello"}]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
            "required": ["city"],
        },
    },
}


def _admin(server: Any, method: str, path: str, body: object | None = None) -> Any:
    root = server.base_url.removesuffix("/v1")
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"{root}/_llmock{path}", data=data, method=method, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 (127.0.0.1)
        return json.loads(resp.read() or b"null")


def scenario(server: Any, *behaviors: dict[str, Any]) -> None:
    result = _admin(server, "POST", "/scenario", {"behaviors": list(behaviors)})
    assert result["queued"] == len(behaviors)


def journal(server: Any) -> list[dict[str, Any]]:
    return _admin(server, "GET", "/requests")["requests"]


@pytest.fixture
def mock(llmock: Any) -> Any:
    _admin(llmock, "POST", "/reset")
    yield llmock
    pending = _admin(llmock, "GET", "/scenario")["pending"]
    _admin(llmock, "POST", "/reset")
    assert not pending, f"scenario behaviours were never consumed: {pending}"


# ---------------------------------------------------------------------------------------------------------------------
# Shapes


async def test_models_list(mock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, mock.base_url)
    page = await resolve(m.client.models.list())
    ids = [model.id for model in page.data]
    assert MODEL in ids
    assert all(model.object == "model" for model in page.data)


async def test_chat_stream_shape(mock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, mock.base_url)
    stream = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    chunks = await collect(stream)
    assert isinstance(chunks[0], ChatCompletionChunk)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks][-1] == "stop"
    assert all(c.choices[0].finish_reason is None for c in chunks[:-1])
    assert len({c.id for c in chunks}) == 1
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text  # the mock always says something
    wire = sse_events(bytes(m.last.body))
    assert wire[-1] == {"data": "[DONE]"}
    assert len(wire) == len(chunks) + 1
    assert m.connections_released()


async def test_tool_call_deltas_accumulate(mock: Any, make_client: Any, mode: str) -> None:
    arguments = {"city": "Paris", "days": 3, "note": 'quotes " and unicode é'}
    scenario(mock, {"type": "reply", "tool_calls": [{"name": "get_weather", "arguments": arguments}]})
    m = make_client(mode, mock.base_url)
    stream = await resolve(
        m.client.chat.completions.create(model=MODEL, messages=MESSAGES, tools=[WEATHER_TOOL], stream=True)
    )
    chunks = await collect(stream)
    calls: dict[int, dict[str, Any]] = {}
    argument_deltas = 0
    for chunk in chunks:
        for delta in chunk.choices[0].delta.tool_calls or []:
            call = calls.setdefault(delta.index, {"id": None, "name": None, "arguments": ""})
            if delta.id:
                call["id"] = delta.id
            if delta.function is not None:
                if delta.function.name:
                    call["name"] = delta.function.name
                if delta.function.arguments:
                    call["arguments"] += delta.function.arguments
                    argument_deltas += 1
    assert list(calls) == [0]
    assert calls[0]["id"], "the first tool-call delta carries the call id"
    assert calls[0]["name"] == "get_weather"
    assert argument_deltas >= 2, "llmock streams the arguments in pieces; they must be joined"
    assert json.loads(calls[0]["arguments"]) == arguments
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


async def test_tool_call_non_stream(mock: Any, make_client: Any, mode: str) -> None:
    scenario(mock, {"type": "reply", "tool_calls": [{"name": "get_weather", "arguments": {"city": "Oslo"}}]})
    m = make_client(mode, mock.base_url)
    completion = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES, tools=[WEATHER_TOOL]))
    assert isinstance(completion, ChatCompletion)
    (call,) = completion.choices[0].message.tool_calls or []
    assert isinstance(call, ChatCompletionMessageToolCall)
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "Oslo"}
    assert completion.choices[0].finish_reason == "tool_calls"


async def test_embeddings(mock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, mock.base_url)
    result = await resolve(m.client.embeddings.create(model="text-embedding-3-small", input=["a", "b"]))
    assert [e.index for e in result.data] == [0, 1]
    assert all(isinstance(x, float) for e in result.data for x in e.embedding)
    assert len(result.data[0].embedding) == len(result.data[1].embedding) > 0


# ---------------------------------------------------------------------------------------------------------------------
# Faults inside a stream


@pytest.mark.parametrize("kind", ["truncate", "disconnect"])
async def test_broken_stream_raises_connection_error(mock: Any, make_client: Any, mode: str, kind: str) -> None:
    scenario(mock, {"type": "stream_fault", "kind": kind, "after_chunks": 2})
    m = make_client(mode, mock.base_url, pool=1)
    stream = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    started = time.monotonic()
    with pytest.raises(oai.APIConnectionError) as info:  # never a quiet end
        await collect(stream)
    assert time.monotonic() - started < 15, "the broken stream must fail fast, not hang"
    assert not isinstance(info.value, oai.APITimeoutError)
    wire = sse_events(bytes(m.last.body))
    assert {"data": "[DONE]"} not in wire
    assert m.last.closed, "the response must be closed after the failure"
    assert m.connections_released()
    # One-connection pool: a leaked connection would make this next call time out on the pool.
    page = await resolve(m.client.models.list())
    assert page.data


@pytest.mark.parametrize("kind", ["truncate", "disconnect"])
async def test_stream_broken_before_any_chunk_is_retried_when_opted_in(
    mock: Any, make_client: Any, mode: str, kind: str
) -> None:
    # Nothing was handed to the caller yet, and the caller allows a resend within its retry budget.
    scenario(mock, {"type": "stream_fault", "kind": kind, "after_chunks": 0})
    m = make_client(mode, mock.base_url, max_retries=1, retry_stream_before_first_event=True)
    stream = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    chunks = await collect(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert [e.status for e in m.log] == [200, 200]
    assert not sse_events(bytes(m.log[0].body)), "the first answer broke before its first event"
    assert len({e.request.headers.get("idempotency-key") for e in m.log}) == 1
    assert m.connections_released()


async def test_stream_broken_before_any_chunk_is_not_resent_by_default(mock: Any, make_client: Any, mode: str) -> None:
    # The server answered 200: it may be generating already, so a resend needs the caller's consent.
    scenario(mock, {"type": "stream_fault", "kind": "disconnect", "after_chunks": 0})
    m = make_client(mode, mock.base_url, max_retries=2)
    stream = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    with pytest.raises(oai.APIConnectionError):
        await collect(stream)
    assert len(m.log) == 1


async def test_broken_stream_yields_chunks_before_the_error(mock: Any, make_client: Any, mode: str) -> None:
    scenario(mock, {"type": "stream_fault", "kind": "truncate", "after_chunks": 3})
    m = make_client(mode, mock.base_url)
    stream = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    seen: list[Any] = []
    with pytest.raises(oai.APIConnectionError):
        if mode == "async":
            async for chunk in stream:
                seen.append(chunk)
        else:
            for chunk in stream:
                seen.append(chunk)
    assert len(seen) == 3
    assert seen[0].choices[0].delta.role == "assistant"


async def test_malformed_chunk_raises_clear_error(mock: Any, make_client: Any, mode: str) -> None:
    scenario(mock, {"type": "stream_fault", "kind": "malformed", "after_chunks": 2})
    m = make_client(mode, mock.base_url, pool=1)
    stream = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    with pytest.raises(oai.APIResponseValidationError) as info:
        await collect(stream)
    message = str(info.value)
    assert "JSON" in message
    assert "chat.completion.chunk" in message, "the error quotes the bad data"
    assert m.connections_released()
    assert (await resolve(m.client.models.list())).data


async def test_stalled_stream_times_out(mock: Any, make_client: Any, mode: str) -> None:
    scenario(mock, {"type": "stream_fault", "kind": "stall", "after_chunks": 2, "stall_seconds": 20})
    m = make_client(mode, mock.base_url, pool=1, stream_idle_timeout=1.0)
    stream = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    started = time.monotonic()
    with pytest.raises(oai.APITimeoutError):
        await collect(stream)
    assert time.monotonic() - started < 6, "idle timeout 1 s: at most twice that, plus slack"
    assert m.connections_released()


async def test_break_out_of_stream_then_reuse_client(mock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, mock.base_url, pool=1)
    stream = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    first = await take(stream, 2)
    assert len(first) == 2
    await close_stream(stream)
    assert m.connections_released()
    completion = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES))
    assert completion.choices[0].message.content


# ---------------------------------------------------------------------------------------------------------------------
# HTTP errors and retries


async def test_429_retry_after_is_honoured_then_succeeds(mock: Any, make_client: Any, mode: str) -> None:
    scenario(mock, {"type": "fail", "status": 429, "retry_after": 1})
    m = make_client(mode, mock.base_url, max_retries=2)
    started = time.monotonic()
    raw = await resolve(m.client.chat.completions.with_raw_response.create(model=MODEL, messages=MESSAGES))
    elapsed = time.monotonic() - started
    completion = await resolve(raw.parse())
    assert completion.choices[0].message.content
    assert raw.retries_taken == 1
    assert [e.status for e in m.log] == [429, 200]
    assert m.log[0].headers["retry-after"] == "1"
    assert 0.9 <= elapsed < 10, f"waited {elapsed:.2f} s; the server asked for 1 s"
    # The retry is the same request: same idempotency key on both attempts.
    keys = {e.request.headers.get("idempotency-key") for e in m.log}
    assert len(keys) == 1
    assert [r["status"] for r in journal(mock)] == [429, 200]


async def test_429_retries_exhausted_raise_rate_limit_error(mock: Any, make_client: Any, mode: str) -> None:
    scenario(mock, {"type": "fail", "status": 429, "retry_after": 0.2, "times": 3})
    m = make_client(mode, mock.base_url, max_retries=2)
    with pytest.raises(oai.RateLimitError) as info:
        await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES))
    assert info.value.status_code == 429
    assert [e.status for e in m.log] == [429, 429, 429]


async def test_429_on_stream_request_is_retried(mock: Any, make_client: Any, mode: str) -> None:
    scenario(mock, {"type": "fail", "status": 429, "retry_after": 0.5})
    m = make_client(mode, mock.base_url, max_retries=1)
    stream = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    chunks = await collect(stream)
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert [e.status for e in m.log] == [429, 200]


@pytest.mark.parametrize(("status", "error"), [(500, oai.InternalServerError), (503, oai.InternalServerError)])
async def test_5xx_is_retried(mock: Any, make_client: Any, mode: str, status: int, error: type[Exception]) -> None:
    scenario(mock, {"type": "fail", "status": status, "times": 1})
    m = make_client(mode, mock.base_url, max_retries=1)
    m.client._retry_policy = RetryPolicy(initial_delay=0.05)
    assert (await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES))).choices
    scenario(mock, {"type": "fail", "status": status, "times": 2})
    with pytest.raises(error):
        await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES))


async def test_validation_error_is_unprocessable_entity(mock: Any, make_client: Any, mode: str) -> None:
    # llmock answers 422 where OpenAI answers 400; oai maps the status, whatever the server.
    m = make_client(mode, mock.base_url)
    with pytest.raises(oai.UnprocessableEntityError) as info:
        await resolve(low_level_post(m.client, "/chat/completions", body={"model": MODEL}, cast_to=ChatCompletion))
    assert info.value.status_code == 422
    assert len(m.log) == 1, "a 422 is not retried"


# ---------------------------------------------------------------------------------------------------------------------
# Responses (not in the SDK's selection yet)


def _responses(client: Any) -> Any:
    resource = getattr(client, "responses", None)
    if resource is None:
        pytest.skip("responses not generated yet (issue 5)")
    return resource


async def test_responses_stream_events_in_order(mock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, mock.base_url)
    responses = _responses(m.client)
    stream = await resolve(responses.create(model=MODEL, input="hello", stream=True))
    events = await collect(stream)
    types = [e.type for e in events]
    assert types[0] == "response.created"
    assert types[-1] == "response.completed"
    assert "response.output_text.delta" in types
    numbers = [e.sequence_number for e in events]
    assert numbers == list(range(len(events))), "sequence_number counts up from 0 with no gap"
    assert all(type(e).__name__ != "UnknownStreamEvent" for e in events), "every event is typed"
    wire = sse_events(bytes(m.last.body))
    assert [w.get("event") for w in wire] == types, "each event's `event:` line names its type"
    assert {"data": "[DONE]"} not in wire


async def test_responses_non_stream(mock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, mock.base_url)
    responses = _responses(m.client)
    response = await resolve(responses.create(model=MODEL, input="hello"))
    assert response.status == "completed"
    assert response.output[0].type == "message"
