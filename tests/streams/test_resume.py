# pyright: standard
# (decoded events and clients of either kind are untyped here; the rest of tests/ is checked strictly)
"""Streams that drop, resumed (``resume=True``) or reported (``StreamInterrupted``), over real TCP, sync and async.

The server (``_server.py``) really resets the connection mid-stream and
really serves ``GET /responses/{id}?stream=true&starting_after=N`` and
``Last-Event-ID``; every test checks what the caller received against what
the server wrote, event by event.
"""

from __future__ import annotations

from typing import Any

import oai
import pytest
from oai._core import make_request_options

from ._drive import MODES, drain, make_client
from ._server import TEXT, WORDS, ResumeServer

pytestmark = pytest.mark.parametrize("mode", MODES)

EVENTS = len(WORDS) + 3  # created, in_progress, the deltas, completed


def create(**extra: Any) -> Any:
    return lambda client: client.responses.create(model="m", input="hi", stream=True, **extra)


def numbers(chunks: list[Any]) -> list[int]:
    return [chunk.sequence_number for chunk in chunks]


def resumed_requests(server: ResumeServer, response_id: str) -> list[str]:
    return [target for method, target, _ in server.seen if method == "GET" and f"/responses/{response_id}" in target]


def test_a_dropped_responses_stream_resumes_with_every_event_once(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url, resume=True)
    out = drain(mode, client, create(extra_headers={"x-drop-after": "4"}))
    assert out.error is None
    assert numbers(out.chunks) == list(range(EVENTS))
    response_id = out.chunks[0].response.id
    assert resumed_requests(server, response_id) == [f"/v1/responses/{response_id}?stream=true&starting_after=3"]
    assert "".join(c.delta for c in out.chunks if c.type == "response.output_text.delta") == TEXT
    stats = out.stream.stats
    assert (stats.reconnects, stats.events, stats.completed) == (1, EVENTS, True)
    assert stats.usage.output_tokens == len(WORDS)


def test_events_a_resumed_server_sends_again_are_dropped(server: ResumeServer, mode: str) -> None:
    # The server replays the 3 events before starting_after: the caller still sees each once.
    client = make_client(mode, server.base_url, resume=True)
    out = drain(mode, client, create(extra_headers={"x-drop-after": "6", "x-overlap": "3"}))
    assert out.error is None
    response_id = out.chunks[0].response.id
    assert server.sent[response_id][6:9] == [3, 4, 5], "the server did send them twice"
    assert numbers(out.chunks) == list(range(EVENTS))


def test_a_stream_that_drops_again_and_again_is_resumed_each_time(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url, resume=True)
    out = drain(mode, client, create(extra_headers={"x-drop-after": "2", "x-drop-times": "3"}))
    assert out.error is None
    assert numbers(out.chunks) == list(range(EVENTS))
    assert out.stream.stats.reconnects == 3
    assert len(resumed_requests(server, out.chunks[0].response.id)) == 3


def test_a_body_that_ends_without_response_completed_is_resumed(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url, resume=True)
    out = drain(mode, client, create(extra_headers={"x-end-after": "5"}))
    assert out.error is None
    assert numbers(out.chunks) == list(range(EVENTS))
    assert out.stream.stats.reconnects == 1


def test_resume_per_call_through_with_options(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url)
    assert client.resume is False and client.with_options(resume=True).resume is True
    out = drain(mode, client, lambda c: create(extra_headers={"x-drop-after": "3"})(c.with_options(resume=True)))
    assert out.error is None
    assert numbers(out.chunks) == list(range(EVENTS))


def test_resume_per_call_as_a_request_option(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url)
    options = make_request_options(resume=True, extra_headers={"x-drop-after": "3"})
    assert options.get("resume") is True

    def start(c: Any) -> Any:
        return c.post(
            "/responses",
            cast_to=object,
            body={"model": "m", "input": "hi", "stream": True},
            options=options,
            stream=True,
            stream_cls=(oai.Stream if mode == "sync" else oai.AsyncStream)[oai.types.ResponseStreamEvent],
        )

    out = drain(mode, client, start)
    assert out.error is None
    assert numbers(out.chunks) == list(range(EVENTS))


def test_the_responses_stream_helper_resumes(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url)
    texts: list[str] = []

    def in_sync() -> Any:
        with client.responses.stream(model="m", input="hi", resume=True, extra_headers={"x-drop-after": "5"}) as stream:
            for event in stream:
                if event.type == "response.output_text.delta":
                    texts.append(event.delta)
            return stream.get_final_response()

    async def in_async() -> Any:
        async with client.responses.stream(
            model="m", input="hi", resume=True, extra_headers={"x-drop-after": "5"}
        ) as stream:
            async for event in stream:
                if event.type == "response.output_text.delta":
                    texts.append(event.delta)
            return await stream.get_final_response()

    import asyncio

    final = in_sync() if mode == "sync" else asyncio.run(in_async())
    assert "".join(texts) == TEXT
    assert final.status == "completed"


def test_without_resume_a_drop_raises_stream_interrupted_with_the_partial(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url)
    out = drain(mode, client, create(extra_headers={"x-drop-after": "5"}))
    assert isinstance(out.error, oai.StreamInterrupted)
    assert isinstance(out.error, oai.APIConnectionError)
    partial = out.error.partial
    assert numbers(out.chunks) == [0, 1, 2, 3, 4]
    assert partial.text == "".join(WORDS[:3])
    assert (partial.events, partial.sequence_number) == (5, 4)
    assert partial.response_id == out.chunks[0].response.id
    assert out.error.__cause__ is not None


def test_a_drop_before_the_response_id_cannot_be_resumed(server: ResumeServer, mode: str) -> None:
    # Nothing arrived, not even response.created: there is no response to resume, and nothing was delivered.
    client = make_client(mode, server.base_url, resume=True)
    out = drain(mode, client, create(extra_headers={"x-drop-after": "0"}))
    assert isinstance(out.error, oai.APIConnectionError)
    assert not isinstance(out.error, oai.StreamInterrupted)
    assert not out.chunks and out.stream.stats.reconnects == 0


def test_resume_gives_up_after_five_attempts_in_a_row(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url, resume=True)
    # The first connection delivers 2 events, every later one drops before a new event.
    headers = {"x-drop-after": "2", "x-drop-resumed-after": "0", "x-drop-times": "99"}
    out = drain(mode, client, create(extra_headers=headers))
    assert isinstance(out.error, oai.StreamInterrupted)
    assert numbers(out.chunks) == [0, 1]
    assert out.error.partial.events == 2
    assert out.stream.stats.reconnects == 5
    assert len(resumed_requests(server, out.chunks[0].response.id)) == 5


def test_a_chat_stream_cannot_resume_and_raises_stream_interrupted(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url, resume=True)
    before = len(server.seen)
    out = drain(
        mode,
        client,
        lambda c: c.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}], stream=True, extra_headers={"x-drop-after": "4"}
        ),
    )
    assert isinstance(out.error, oai.StreamInterrupted)
    assert "cannot be resumed" in str(out.error)
    assert out.error.partial.text == "".join(WORDS[:3])
    assert out.error.partial.events == 4 == len(out.chunks)
    assert len(server.seen) == before + 1, "a chat stream is never sent again"


def test_an_sse_stream_with_ids_resumes_with_last_event_id(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url)
    stream_cls = (oai.Stream if mode == "sync" else oai.AsyncStream)[dict[str, Any]]
    server.sent.pop("events", None)
    before = len(server.seen)
    out = drain(
        mode,
        client,
        lambda c: c.get(
            "/events",
            cast_to=object,
            stream=True,
            stream_cls=stream_cls,
            options={"resume": True, "extra_headers": {"x-drop-after": "3"}},
        ),
    )
    assert out.error is None
    assert [chunk["n"] for chunk in out.chunks] == list(range(8))
    requests = server.seen[before:]
    assert [headers.get("last-event-id") for _, _, headers in requests] == [None, "2"]
    assert server.sent["events"] == list(range(8))
    assert out.stream.stats.reconnects == 1


def test_the_stream_helpers_expose_stats_and_partial(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url, resume=True)

    def in_sync() -> tuple[Any, Any]:
        with client.responses.stream(model="m", input="hi", extra_headers={"x-drop-after": "4"}) as stream:
            stream.until_done()
            return stream.stats, stream.partial

    async def in_async() -> tuple[Any, Any]:
        async with client.responses.stream(model="m", input="hi", extra_headers={"x-drop-after": "4"}) as stream:
            await stream.until_done()
            return stream.stats, stream.partial

    import asyncio

    stats, partial = in_sync() if mode == "sync" else asyncio.run(in_async())
    assert (stats.reconnects, stats.events, stats.completed) == (1, EVENTS, True)
    assert partial.text == TEXT
