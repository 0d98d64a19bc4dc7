# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""Tier 2: streams llmock breaks off mid-way (``stream_fault`` ``disconnect`` / ``truncate``), with ``resume=True``.

llmock keeps no response to resume from (it has no ``GET /v1/responses/{id}``),
so these check the other half of the promise: the stream tries, fails, and
raises ``StreamInterrupted`` carrying exactly what the server delivered --
never a quiet, short answer. ``tests/streams/`` resumes against a server
that does serve ``starting_after``.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import oai
import pytest
from oai._core._retry import RetryPolicy

from e2e._support import collect, resolve, sse_events

MODEL = "gpt-4o"
MESSAGES = [{"role": "user", "content": "hello"}]


def _admin(server: Any, method: str, path: str, body: object | None = None) -> Any:
    root = server.base_url.removesuffix("/v1")
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"{root}/_llmock{path}", data=data, method=method, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 (127.0.0.1)
        return json.loads(resp.read() or b"null")


@pytest.fixture
def mock(llmock: Any) -> Any:
    _admin(llmock, "POST", "/reset")
    yield llmock
    _admin(llmock, "POST", "/reset")


def fault(server: Any, kind: str, after: int) -> None:
    _admin(server, "POST", "/scenario", {"behaviors": [{"type": "stream_fault", "kind": kind, "after_chunks": after}]})


async def drain(stream: Any) -> tuple[list[Any], BaseException | None]:
    seen: list[Any] = []
    try:
        if hasattr(stream, "__aiter__"):
            async for item in stream:
                seen.append(item)
        else:
            for item in stream:
                seen.append(item)
    except oai.APIError as exc:
        return seen, exc
    return seen, None


@pytest.mark.parametrize("kind", ["disconnect", "truncate"])
async def test_a_broken_chat_stream_raises_stream_interrupted_with_what_arrived(
    mock: Any, make_client: Any, mode: str, kind: str
) -> None:
    fault(mock, kind, 3)
    m = make_client(mode, mock.base_url, resume=True)
    stream = await resolve(m.client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True))
    chunks, error = await drain(stream)
    assert isinstance(error, (oai.StreamInterrupted, oai.StreamIncomplete)), error
    wire = [json.loads(e["data"]) for e in sse_events(bytes(m.log[0].body)) if e.get("data", "[DONE]") != "[DONE]"]
    texts = "".join(c["choices"][0]["delta"].get("content") or "" for c in wire if c["choices"])
    assert error.partial.text == texts == "".join(c.choices[0].delta.content or "" for c in chunks)
    assert error.partial.events == len(chunks) == len(wire)
    assert len(m.log) == 1, "a chat stream is never sent again"
    assert m.connections_released()


async def test_a_broken_responses_stream_tries_to_resume_then_raises(mock: Any, make_client: Any, mode: str) -> None:
    fault(mock, "disconnect", 5)
    m = make_client(mode, mock.base_url, resume=True, max_retries=0)
    m.client._retry_policy = RetryPolicy(initial_delay=0.01, max_delay=0.02)
    stream = await resolve(m.client.responses.create(model=MODEL, input="hello", stream=True))
    events, error = await drain(stream)
    assert isinstance(error, oai.StreamInterrupted), error
    response_id = events[0].response.id
    assert [e.sequence_number for e in events] == list(range(len(events)))
    # The resume request went out, exactly as OpenAI serves it; llmock does not know the route.
    resume = m.log[1].request
    assert resume.method == "GET"
    assert resume.url.path == f"/v1/responses/{response_id}"
    assert dict(resume.url.params) == {"stream": "true", "starting_after": str(events[-1].sequence_number)}
    assert isinstance(error.__cause__, oai.APIStatusError)
    assert error.partial.response_id == response_id
    assert error.partial.sequence_number == events[-1].sequence_number
    assert stream.stats.reconnects == 1
    assert m.connections_released()


async def test_an_unbroken_responses_stream_is_complete(mock: Any, make_client: Any, mode: str) -> None:
    m = make_client(mode, mock.base_url, resume=True)
    stream = await resolve(m.client.responses.create(model=MODEL, input="hello", stream=True))
    events = await collect(stream)
    assert events[-1].type == "response.completed"
    stats = stream.stats
    assert stats.completed and stats.reconnects == 0 and stats.events == len(events)
    assert stats.usage.output_tokens == events[-1].response.usage.output_tokens
    assert stream.partial.text == events[-1].response.output_text
