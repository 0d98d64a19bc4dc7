# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""The generated client against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from oai import AsyncOpenAI, AsyncStream, AuthenticationError, BadRequestError, OpenAI, Stream
from oai.types import ChatCompletion, ChatCompletionChunk

from .chat_server import API_KEY, MODEL, ChatServer

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = [{"role": "user", "content": "the quick brown fox"}]


def test_stream_sync(chat_server: tuple[str, ChatServer]) -> None:
    base_url, app = chat_server
    client = OpenAI(api_key=API_KEY, base_url=base_url)
    stream = client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)  # type: ignore[arg-type]
    assert isinstance(stream, Stream)
    text = ""
    chunks: list[ChatCompletionChunk] = []
    with stream:
        for chunk in stream:
            chunks.append(chunk)
            text += chunk.choices[0].delta.content or ""
    assert text == "the quick brown fox"
    assert isinstance(chunks[0], ChatCompletionChunk)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert stream.request_id == "req_e2e_stream"
    seen = app.requests[-1]
    assert seen.body == {"model": MODEL, "messages": MESSAGES, "stream": True}
    assert seen.headers["accept"] == "text/event-stream"
    client.close()


async def test_stream_async(chat_server: tuple[str, ChatServer]) -> None:
    base_url, _ = chat_server
    async with AsyncOpenAI(api_key=API_KEY, base_url=base_url) as client:
        stream = await client.chat.completions.create(
            model=MODEL,
            messages=MESSAGES,  # type: ignore[arg-type]
            stream=True,
            stream_options={"include_usage": True},
        )
        assert isinstance(stream, AsyncStream)
        text = ""
        usage_chunks = 0
        async with stream:
            async for chunk in stream:
                if chunk.choices:
                    text += chunk.choices[0].delta.content or ""
                elif chunk.usage is not None:
                    usage_chunks += 1
                    assert chunk.usage.completion_tokens == 4
    assert text == "the quick brown fox"
    assert usage_chunks == 1


def test_non_streaming_and_other_endpoints(chat_server: tuple[str, ChatServer]) -> None:
    base_url, _ = chat_server
    with OpenAI(api_key=API_KEY, base_url=base_url) as client:
        completion = client.chat.completions.create(model=MODEL, messages=MESSAGES)  # type: ignore[arg-type]
        assert isinstance(completion, ChatCompletion)
        assert completion.choices[0].message.content == "the quick brown fox"
        assert completion.usage is not None and completion.usage.total_tokens == 7

        ids = [m.id for m in client.models.list()]
        assert ids == [MODEL, "other-model"]
        assert client.models.retrieve("some-model").id == "some-model"
        assert client.models.delete("ft-model").deleted is True

        text = "".join(c.choices[0].text for c in client.completions.create(model=MODEL, prompt="a b c", stream=True))
        assert text == "a b c "
        embedding = client.embeddings.create(model="embed", input=["one", "three"])
        assert [d.index for d in embedding.data] == [0, 1]


def test_errors_are_typed(chat_server: tuple[str, ChatServer]) -> None:
    base_url, _ = chat_server
    with OpenAI(api_key="sk-wrong", base_url=base_url, max_retries=0) as client:
        with pytest.raises(AuthenticationError) as info:
            client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)  # type: ignore[arg-type]
        assert info.value.status_code == 401
        assert "Incorrect API key" in str(info.value)
        assert "sk-wrong" not in str(info.value)
    with OpenAI(api_key=API_KEY, base_url=base_url, max_retries=0) as client:
        with pytest.raises(BadRequestError) as bad:
            client.post("/chat/completions", body={"model": MODEL}, cast_to=ChatCompletion)
        assert bad.value.param == "messages"


def test_example_streams_from_local_server(chat_server: tuple[str, ChatServer]) -> None:
    base_url, _ = chat_server
    env = {**os.environ, "OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": API_KEY, "OAI_MODEL": MODEL}
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "streaming.py"), "hello", "from", "the", "example"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["hello from the example", "hello from the example"]
