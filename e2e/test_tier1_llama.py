"""Tier 1: oai against llama.cpp's llama-server with a real model (SmolLM2-135M-Instruct Q4_1).

The model's words are not asserted, only the structure of what comes back:
types, roles, finish reasons, token accounting, the order of stream chunks and
the exact wire events. Generation is kept short (a few tokens) so that the
whole tier runs in well under a minute on one thread.
"""

from __future__ import annotations

import asyncio
import base64
import json
import struct
from typing import Any

import oai
import pytest
from oai.types import ChatCompletion, ChatCompletionChunk, Completion, CreateEmbeddingResponse

from e2e._support import close_stream, collect, low_level_post, resolve, sse_events, take

MESSAGES = [{"role": "user", "content": "Write one sentence about the sea."}]
EMBEDDING_DIM = 576  # SmolLM2-135M hidden size


def _client(make_client: Any, llama: Any, mode: str, **kwargs: Any) -> Any:
    return make_client(mode, llama.base_url, api_key=llama.extra["api_key"], **kwargs)


def _model(llama: Any) -> str:
    return str(llama.extra["model"])


async def test_models_list(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    page = await resolve(m.client.models.list())
    assert [model.id for model in page.data] == [_model(llama)]
    assert page.data[0].object == "model"


async def test_chat_completion(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    completion = await resolve(
        m.client.chat.completions.create(model=_model(llama), messages=MESSAGES, max_tokens=8, temperature=0, seed=1)
    )
    assert isinstance(completion, ChatCompletion)
    assert completion.object == "chat.completion"
    (choice,) = completion.choices
    assert choice.index == 0
    assert choice.message.role == "assistant"
    assert isinstance(choice.message.content, str) and choice.message.content
    assert choice.finish_reason in ("stop", "length")
    usage = completion.usage
    assert usage is not None
    assert usage.prompt_tokens > 0
    assert 0 < usage.completion_tokens <= 8
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    assert m.last.request.headers["authorization"] == f"Bearer {llama.extra['api_key']}"


async def test_chat_stream_with_usage(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    stream = await resolve(
        m.client.chat.completions.create(
            model=_model(llama),
            messages=MESSAGES,
            max_tokens=12,
            temperature=0,
            seed=1,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    chunks = await collect(stream)
    assert all(isinstance(c, ChatCompletionChunk) for c in chunks)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert len({c.id for c in chunks}) == 1, "one id for the whole stream"

    role, *content, finish, usage_chunk = chunks
    assert role.choices[0].delta.role == "assistant", "the first chunk carries the role"
    assert not role.choices[0].delta.content
    assert all(c.choices[0].finish_reason is None for c in [role, *content])
    assert all(c.choices[0].delta.content for c in content), "one chunk per token, each with text"
    assert finish.choices[0].finish_reason in ("stop", "length")
    assert not finish.choices[0].delta.content
    assert usage_chunk.choices == [], "the usage chunk has empty choices"
    usage = usage_chunk.usage
    assert usage is not None and usage.prompt_tokens > 0
    assert usage.completion_tokens == len(content), "one content chunk per generated token"
    if finish.choices[0].finish_reason == "length":
        assert usage.completion_tokens == 12

    wire = sse_events(bytes(m.last.body))
    assert wire[-1] == {"data": "[DONE]"}, "the stream ends with [DONE]"
    assert len(wire) == len(chunks) + 1
    assert all("event" not in w for w in wire), "chat chunks come as plain data events"
    assert json.loads(wire[-2]["data"])["choices"] == []
    assert m.last.closed and m.connections_released()


async def test_chat_stream_without_usage(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    stream = await resolve(
        m.client.chat.completions.create(
            model=_model(llama), messages=MESSAGES, max_tokens=4, temperature=0, stream=True
        )
    )
    chunks = await collect(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason in ("stop", "length")
    assert all(c.choices for c in chunks), "no usage chunk unless asked for"
    assert sse_events(bytes(m.last.body))[-1] == {"data": "[DONE]"}


async def test_completion_stream(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    stream = await resolve(
        m.client.completions.create(model=_model(llama), prompt="The sea is", max_tokens=6, temperature=0, stream=True)
    )
    chunks = await collect(stream)
    assert all(isinstance(c, Completion) for c in chunks)
    assert all(c.object == "text_completion" for c in chunks)
    *tokens, last = chunks
    assert all(c.choices[0].finish_reason is None and c.choices[0].text for c in tokens)
    assert last.choices[0].finish_reason in ("stop", "length")
    if last.choices[0].finish_reason == "length":
        assert len(tokens) + (1 if last.choices[0].text else 0) == 6
    assert sse_events(bytes(m.last.body))[-1] == {"data": "[DONE]"}


async def test_completion(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    completion = await resolve(
        m.client.completions.create(model=_model(llama), prompt="The sea is", max_tokens=4, temperature=0)
    )
    assert isinstance(completion, Completion)
    assert completion.choices[0].text
    assert completion.choices[0].finish_reason in ("stop", "length")
    assert completion.usage is not None and completion.usage.completion_tokens <= 4


async def test_embeddings_float_and_base64(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    inputs = ["the sea", "a mountain"]
    floats = await resolve(m.client.embeddings.create(model=_model(llama), input=inputs, encoding_format="float"))
    assert isinstance(floats, CreateEmbeddingResponse)
    assert [e.index for e in floats.data] == [0, 1]
    for item in floats.data:
        assert len(item.embedding) == EMBEDDING_DIM
        assert all(isinstance(x, float) for x in item.embedding)
    assert floats.data[0].embedding != floats.data[1].embedding
    assert floats.usage.prompt_tokens > 0

    packed = await resolve(m.client.embeddings.create(model=_model(llama), input=inputs, encoding_format="base64"))
    for as_float, as_b64 in zip(floats.data, packed.data, strict=True):
        assert isinstance(as_b64.embedding, str), "base64 embeddings stay the string the server sent"
        raw = base64.b64decode(as_b64.embedding)
        assert len(raw) == 4 * EMBEDDING_DIM
        decoded = struct.unpack(f"<{EMBEDDING_DIM}f", raw)
        assert decoded == pytest.approx(as_float.embedding, rel=1e-4, abs=1e-5)


async def test_wrong_key_is_authentication_error(llama: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, llama.base_url, api_key="wrong-key")
    with pytest.raises(oai.AuthenticationError) as info:
        await resolve(m.client.chat.completions.create(model=_model(llama), messages=MESSAGES, max_tokens=1))
    assert info.value.status_code == 401
    assert len(m.log) == 1, "a 401 is not retried"


async def test_missing_field_is_bad_request(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    with pytest.raises(oai.BadRequestError) as info:
        await resolve(
            low_level_post(m.client, "/chat/completions", body={"model": _model(llama)}, cast_to=ChatCompletion)
        )
    assert info.value.status_code == 400
    assert "messages" in str(info.value)
    assert len(m.log) == 1


async def test_context_overflow_is_400_before_any_sse_byte(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    too_long = [{"role": "user", "content": "sea " * 5000}]  # > the 2048-token slot (-c 4096, -np 2)
    with pytest.raises(oai.BadRequestError) as info:
        # The error comes out of create() itself: no stream object is handed out for a 400.
        await resolve(
            m.client.chat.completions.create(model=_model(llama), messages=too_long, max_tokens=1, stream=True)
        )
    assert info.value.status_code == 400
    assert "context" in str(info.value)
    exchange = m.last
    assert exchange.status == 400
    assert exchange.headers["content-type"].startswith("application/json")
    body = bytes(exchange.body)
    assert not body.lstrip().startswith(b"data:"), "no SSE byte before the error"
    assert json.loads(body)["error"]["type"] == "exceed_context_size_error"
    assert len(m.log) == 1
    assert m.connections_released()


async def test_break_out_of_stream_then_reuse_client(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode, pool=1)
    stream = await resolve(
        m.client.chat.completions.create(model=_model(llama), messages=MESSAGES, max_tokens=200, stream=True)
    )
    first = await take(stream, 3)
    assert len(first) == 3
    await close_stream(stream)
    assert m.last.closed
    assert m.connections_released()
    assert {"data": "[DONE]"} not in sse_events(bytes(m.last.body))
    # The same client (one pooled connection) goes on working, streaming and not.
    again = await resolve(
        m.client.chat.completions.create(model=_model(llama), messages=MESSAGES, max_tokens=3, stream=True)
    )
    chunks = await collect(again)
    assert chunks[-1].choices[0].finish_reason in ("stop", "length")
    completion = await resolve(m.client.chat.completions.create(model=_model(llama), messages=MESSAGES, max_tokens=2))
    assert completion.choices[0].message.role == "assistant"


async def test_break_out_of_stream_with_context_manager(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode, pool=1)
    stream = await resolve(
        m.client.chat.completions.create(model=_model(llama), messages=MESSAGES, max_tokens=200, stream=True)
    )
    seen = 0
    if mode == "async":
        async with stream:
            async for _ in stream:
                seen += 1
                if seen == 2:
                    break
    else:
        with stream:
            for _ in stream:
                seen += 1
                if seen == 2:
                    break
    assert seen == 2
    assert m.connections_released()
    page = await resolve(m.client.models.list())
    assert page.data


async def test_two_parallel_streams(llama: Any, make_client: Any) -> None:
    # -np 2: the server runs two slots; two concurrent streams on one async client both complete.
    m = _client(make_client, llama, "async")

    async def one(prompt: str) -> list[Any]:
        messages = [{"role": "user", "content": prompt}]
        stream = await m.client.chat.completions.create(
            model=_model(llama), messages=messages, max_tokens=6, stream=True
        )
        return await collect(stream)

    a, b = await asyncio.gather(one("Name a colour."), one("Name a fruit."))
    for chunks in (a, b):
        assert chunks[0].choices[0].delta.role == "assistant"
        assert chunks[-1].choices[0].finish_reason in ("stop", "length")
    assert a[0].id != b[0].id


# ---------------------------------------------------------------------------------------------------------------------
# Responses (not in the SDK's selection yet)


def _responses(client: Any) -> Any:
    resource = getattr(client, "responses", None)
    if resource is None:
        pytest.skip("responses not generated yet (issue 5)")
    return resource


async def test_responses_create(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    responses = _responses(m.client)
    response = await resolve(responses.create(model=_model(llama), input="Say hello.", max_output_tokens=8))
    assert response.object == "response"
    assert response.status == "completed"
    message = next(item for item in response.output if item.type == "message")
    assert message.role == "assistant"
    assert message.content[0].type == "output_text" and message.content[0].text
    assert response.output_text == message.content[0].text, "computed from the output, as the official SDK does"


async def test_responses_stream(llama: Any, make_client: Any, mode: str) -> None:
    m = _client(make_client, llama, mode)
    responses = _responses(m.client)
    stream = await resolve(responses.create(model=_model(llama), input="Say hello.", max_output_tokens=8, stream=True))
    events = await collect(stream)
    types = [e.type for e in events]
    assert types[0] == "response.created"
    assert types[-1] == "response.completed"
    assert "response.output_text.delta" in types
    assert events[-1].response.status == "completed"
    deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    done = next(e for e in events if e.type == "response.output_text.done")
    assert done.text == deltas, "the deltas add up to the final text"
    assert events[-1].response.output_text == deltas
    wire = sse_events(bytes(m.last.body))
    assert [w.get("event") for w in wire] == types, "every event has its `event:` line"
    assert all(w["data"] != "[DONE]" for w in wire), "Responses streams end without [DONE]"
