"""oai.web over real TCP: uvicorn serving examples/web/app.py in front of a model server, both by pid.

What a browser sees is read here with httpx and oai's SSE decoder (the
browser itself reads the same app in the e2e ``browser`` tier).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from oai import ServerSentEvent, SSEDecoder
from oai.types import ChatCompletionChunk

from ._servers import ROOT, Upstream, run_app
from ._upstream import REPLY

TIMEOUT = httpx.Timeout(30.0)


async def _events(response: httpx.Response) -> AsyncIterator[ServerSentEvent]:
    async for event in SSEDecoder().aiter_bytes(response.aiter_bytes()):
        yield event


async def _all_events(url: str) -> list[ServerSentEvent]:
    async with httpx.AsyncClient(timeout=TIMEOUT) as http, http.stream("GET", url) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        return [event async for event in _events(response)]


async def test_text_deltas_of_a_stream_manager_then_done(app: str) -> None:
    events = await _all_events(app + "/chat?prompt=hello")
    *deltas, done = events
    assert "".join(event.data for event in deltas) == REPLY
    assert all(event.event == "message" for event in deltas)  # unnamed: EventSource's onmessage
    assert (done.event, done.data, done.id) == ("done", "[DONE]", "oai-end")


async def test_every_chunk_of_an_async_stream_as_json(app: str) -> None:
    events = await _all_events(app + "/chat/chunks?prompt=hello")
    *chunks, done = events
    parsed = [ChatCompletionChunk.model_validate_json(event.data) for event in chunks]
    assert "".join(chunk.choices[0].delta.content or "" for chunk in parsed) == REPLY
    assert parsed[-1].choices[0].finish_reason == "stop"
    assert done.event == "done"


async def test_responses_stream_with_a_chosen_list_of_events(app: str) -> None:
    events = await _all_events(app + "/responses?prompt=hello")
    names = [event.event for event in events]
    assert set(names) == {"response.output_text.delta", "response.completed", "done"}
    deltas = [json.loads(event.data)["delta"] for event in events if event.event == "response.output_text.delta"]
    assert "".join(deltas) == REPLY
    completed = next(event for event in events if event.event == "response.completed")
    assert json.loads(completed.data)["response"]["status"] == "completed"
    assert names[-1] == "done"


@pytest.mark.parametrize(
    ("prompt", "exception", "message"),
    [("fail", "APIStreamError", "The model is overloaded"), ("drop", "StreamInterrupted", "broke off")],
)
async def test_a_mid_stream_error_becomes_an_error_event(app: str, prompt: str, exception: str, message: str) -> None:
    events = await _all_events(app + f"/chat?prompt={prompt}")
    *deltas, last = events
    assert "".join(event.data for event in deltas) == "The pipes"
    assert last.event == "error" and last.id == "oai-end"
    error = json.loads(last.data)["error"]
    assert error["exception"] == exception and message in error["message"]


async def test_a_browser_that_leaves_cancels_the_upstream_request(app: str, upstream: Upstream) -> None:
    before = upstream.stats()
    async with httpx.AsyncClient(timeout=TIMEOUT) as http, http.stream("GET", app + "/chat?prompt=slow") as response:
        seen = 0
        async for _ in _events(response):
            seen += 1
            if seen == 3:
                break  # leaving the block closes the connection mid-stream
    stats = upstream.wait_for("cancelled", before["cancelled"] + 1)
    assert stats["completed"] == before["completed"]


async def test_keepalive_comments_while_the_model_is_silent(app: str, upstream: Upstream) -> None:
    async with httpx.AsyncClient(timeout=TIMEOUT) as http, http.stream("GET", app + "/chat?prompt=hold") as response:
        received = b""
        chunks = response.aiter_bytes()
        async for data in chunks:
            received += data
            if received.count(b": keep-alive\n\n") >= 2:
                break
        upstream.release()
        async for data in chunks:
            received += data
    events = list(SSEDecoder().iter_bytes([received]))  # comments are not events
    assert "".join(event.data for event in events[:-1]) == REPLY
    assert events[-1].event == "done"


async def test_a_reconnect_after_the_end_is_told_to_stop_and_sends_nothing_upstream(
    app: str, upstream: Upstream
) -> None:
    before = upstream.stats()["requests"]
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:
        response = await http.get(app + "/chat?prompt=hello", headers={"Last-Event-ID": "oai-end"})
    assert response.status_code == 204  # EventSource stops reconnecting on a 204
    assert upstream.stats()["requests"] == before  # the manager was never entered


async def test_health_is_answered_while_100_streams_pass_through(app: str, upstream: Upstream) -> None:
    """100 streams held open by the model server; /health is answered before any of them ends."""
    streams = 100
    first_events: list[asyncio.Event] = [asyncio.Event() for _ in range(streams)]
    texts: list[str] = ["" for _ in range(streams)]
    ended: list[bool] = [False] * streams
    limits = httpx.Limits(max_connections=streams + 10, max_keepalive_connections=streams + 10)

    async with httpx.AsyncClient(timeout=TIMEOUT, limits=limits) as http:

        async def reader(index: int) -> None:
            async with http.stream("GET", app + "/chat?prompt=hold") as response:
                async for event in _events(response):
                    if event.event == "done":
                        ended[index] = True
                        break
                    texts[index] += event.data
                    first_events[index].set()

        tasks = [asyncio.create_task(reader(index)) for index in range(streams)]
        try:
            await asyncio.wait_for(asyncio.gather(*(event.wait() for event in first_events)), 60)
            assert upstream.stats()["open"] >= streams  # all 100 are held by the model server
            health = await http.get(app + "/health")
            assert health.status_code == 200 and health.json() == {"status": "ok"}
            assert not any(ended)  # answered while every stream was still open
            assert upstream.stats()["open"] >= streams
        finally:
            upstream.release()
            await asyncio.wait_for(asyncio.gather(*tasks), 60)
    assert all(ended) and all(text == REPLY for text in texts)


async def test_plain_asgi_form(upstream: Upstream) -> None:
    with run_app(upstream, app="_plain_app:app", app_dir=ROOT / "tests" / "web") as url:
        events = await _all_events(url + "/chat?prompt=hello")
        assert "".join(event.data for event in events[:-1]) == REPLY
        assert events[-1].event == "done"

        before = upstream.stats()
        async with httpx.AsyncClient(timeout=TIMEOUT) as http, http.stream("GET", url + "/chat?prompt=slow") as r:
            async for _ in _events(r):
                break
        upstream.wait_for("cancelled", before["cancelled"] + 1)
