"""Assistants streams over real TCP: chunks are ``{event, data}`` as the spec and the official SDK have them."""
# pyright: reportDeprecated=false
# (the Assistants API is deprecated: these tests call its methods on purpose)

from __future__ import annotations

import json
from typing import Any

import pytest
from oai import APIStreamError, AsyncOpenAI, OpenAI, UnknownStreamEvent
from oai.types import MessageDeltaObject, RunObject, ThreadObject

from tests._servers import Reply, Request, serve

_RUN = {"id": "run_1", "object": "thread.run", "created_at": 1, "thread_id": "thread_1", "assistant_id": "asst_1"}
_DELTA = {
    "id": "msg_1",
    "object": "thread.message.delta",
    "delta": {"content": [{"index": 0, "type": "text", "text": {"value": "Hi"}}]},
}


def _sse(*events: tuple[str, Any]) -> str:
    return "".join(
        f"event: {name}\ndata: {data if isinstance(data, str) else json.dumps(data)}\n\n" for name, data in events
    )


_STREAM = _sse(
    ("thread.created", {"id": "thread_1", "object": "thread", "created_at": 1, "metadata": {}, "tool_resources": None}),
    ("thread.run.created", _RUN),
    ("thread.message.delta", _DELTA),
    ("thread.run.brand_new_kind", {"id": "x", "object": "thread.run.novelty"}),
    ("thread.run.completed", {**_RUN, "status": "completed"}),
    ("done", "[DONE]"),
)


def _handler(request: Request) -> Reply:
    assert request.headers["accept"] == "text/event-stream"
    assert request.json()["stream"] is True
    return Reply(body=_STREAM, headers={"content-type": "text/event-stream"})


def _check(events: list[Any]) -> None:
    assert [getattr(e, "event", None) for e in events] == [
        "thread.created",
        "thread.run.created",
        "thread.message.delta",
        "thread.run.brand_new_kind",
        "thread.run.completed",
    ]
    assert isinstance(events[0].data, ThreadObject)
    assert isinstance(events[1].data, RunObject) and events[1].data.id == "run_1"
    delta = events[2].data
    assert isinstance(delta, MessageDeltaObject)
    assert delta.delta.content is not None
    assert delta.delta.content[0].text.value == "Hi"  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportOptionalMemberAccess]
    assert isinstance(events[3], UnknownStreamEvent)  # a kind added after this SDK was generated: kept, not raised
    assert events[3].model_extra is not None and events[3].model_extra["data"]["id"] == "x"
    assert isinstance(events[4].data, RunObject) and events[4].data.status == "completed"


def test_run_stream_yields_event_and_data() -> None:
    with serve(_handler) as server, OpenAI(api_key="k", base_url=server.url) as client:
        with client.beta.threads.runs.create("thread_1", assistant_id="asst_1", stream=True) as stream:
            events = list(stream)
        assert stream.response.is_closed
    _check(events)


async def test_async_create_and_run_stream_yields_event_and_data() -> None:
    with serve(_handler) as server:
        async with AsyncOpenAI(api_key="k", base_url=server.url) as client:
            stream = await client.beta.threads.create_and_run(assistant_id="asst_1", stream=True)
            events = [event async for event in stream]
    _check(events)


def test_error_event_raises_a_typed_error() -> None:
    body = _sse(("thread.run.created", _RUN), ("error", {"message": "run failed here", "code": "server_error"}))

    def handler(request: Request) -> Reply:
        return Reply(body=body, headers={"content-type": "text/event-stream"})

    with serve(handler) as server, OpenAI(api_key="k", base_url=server.url, max_retries=0) as client:
        stream = client.beta.threads.runs.submit_tool_outputs(
            "run_1", thread_id="thread_1", tool_outputs=[], stream=True
        )
        first = next(iter(stream))
        assert first.event == "thread.run.created"
        with pytest.raises(APIStreamError, match="run failed here"):
            next(iter(stream))
        assert stream.response.is_closed
