# pyright: standard
# (events are checked by their type at run time)
"""Tier 4, Realtime: ``client.realtime.connect()`` against aimock 1.43.0, which serves the GA Realtime protocol over
a WebSocket (a server nobody here wrote). It runs with ``e2e/fixtures/realtime/aimock.json`` alone: aimock matches a
message by substring, in load order, and the helpers' fixtures would answer "Say hello!" first.

The README's example runs as it is (``examples/realtime/realtime.py``, async then sync);
the in-process tests check the typed events, a function call, aimock's own event
types (kept as ``UnknownRealtimeEvent``) and its error events (``RealtimeAPIError``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from oai import AsyncOpenAI, OpenAI, RealtimeAPIError, UnknownRealtimeEvent
from oai.types.realtime import (
    ResponseDoneEvent,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseOutputItemDoneEvent,
    ResponseTextDeltaEvent,
)

from .conftest import REPO, servers

FIXTURES = REPO / "e2e" / "fixtures" / "realtime" / "aimock.json"
EXAMPLE = REPO / "examples" / "realtime" / "realtime.py"
REPLY = "Hello from aimock!"
MODEL = "gpt-realtime"
TEXT_SESSION: Any = {"type": "realtime", "output_modalities": ["text"]}


@pytest.fixture(scope="module")
def realtime_aimock() -> Iterator[Any]:
    """aimock with the realtime fixtures only, on a free port; stopped by pid."""
    try:
        server = servers.start_aimock(FIXTURES)
    except servers.SetupError as exc:
        pytest.fail(f"[e2e] tier 4 (aimock, realtime): {exc}", pytrace=False)
    yield server
    server.stop()


def _message(text: str) -> Any:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def test_the_readme_example_runs_async_and_sync(realtime_aimock: Any) -> None:
    env = {**os.environ, "OPENAI_BASE_URL": realtime_aimock.base_url, "OPENAI_API_KEY": "e2e"}
    result = subprocess.run(
        [sys.executable, str(EXAMPLE)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{REPLY}\n{REPLY}\n"


def _check_conversation(events: list[Any]) -> None:
    types = [event.type for event in events]
    assert types[0] == "session.created" and "session.updated" in types
    deltas = [event for event in events if event.type == "response.output_text.delta"]
    assert len(deltas) > 1 and all(isinstance(d, ResponseTextDeltaEvent) for d in deltas)
    assert "".join(d.delta for d in deltas) == REPLY
    done = events[-1]
    assert isinstance(done, ResponseDoneEvent) and done.response.status == "completed"


def test_sync_conversation_typed_events_and_handlers(realtime_aimock: Any) -> None:
    seen: list[str] = []
    with OpenAI(base_url=realtime_aimock.base_url, api_key="e2e") as client:
        with client.realtime.connect(model=MODEL, timeout=30) as connection:
            connection.on("response.output_text.delta", lambda event: seen.append(event.delta))
            connection.session.update(session=TEXT_SESSION)
            connection.conversation.item.create(item=_message("Say hello!"))
            connection.response.create()
            events: list[Any] = []
            for event in connection:
                events.append(event)
                if event.type == "response.done":
                    break
    _check_conversation(events)
    assert "".join(seen) == REPLY


async def test_async_conversation_typed_events_and_handlers(realtime_aimock: Any) -> None:
    seen: list[str] = []

    async def on_delta(event: Any) -> None:
        seen.append(event.delta)

    async with AsyncOpenAI(base_url=realtime_aimock.base_url, api_key="e2e") as client:
        async with client.realtime.connect(model=MODEL, timeout=30) as connection:
            connection.on("response.output_text.delta", on_delta)
            await connection.session.update(session=TEXT_SESSION)
            await connection.conversation.item.create(item=_message("Say hello!"))
            await connection.response.create()
            events: list[Any] = []
            async for event in connection:
                events.append(event)
                if event.type == "response.done":
                    break
    _check_conversation(events)
    assert "".join(seen) == REPLY


def test_sync_function_call_error_event_and_an_event_the_spec_lacks(realtime_aimock: Any) -> None:
    with OpenAI(base_url=realtime_aimock.base_url, api_key="e2e") as client:
        with client.realtime.connect(model=MODEL, timeout=30) as connection:
            connection.session.update(session=TEXT_SESSION)
            connection.conversation.item.create(item=_message("What is the weather?"))
            connection.response.create()
            arguments, calls = [], []
            for event in connection:
                if isinstance(event, ResponseFunctionCallArgumentsDoneEvent):
                    arguments.append(event.arguments)
                if isinstance(event, ResponseOutputItemDoneEvent) and event.item.type == "function_call":
                    calls.append((event.item.name, event.item.arguments))
                if event.type == "response.done":
                    break
            assert arguments == ['{"city":"Paris"}']
            assert calls == [("get_weather", '{"city":"Paris"}')]

            connection.send({"type": "conversation.item.create"})  # no item: aimock answers with an error event
            with pytest.raises(RealtimeAPIError, match="Missing 'item'") as caught:
                while True:
                    connection.recv()
            assert caught.value.type == "invalid_request_error"

            connection.response.cancel()  # aimock answers with an event type of its own
            event = connection.recv()
            assert isinstance(event, UnknownRealtimeEvent) and event.type == "response.cancelled"


async def test_async_function_call_error_event_and_an_event_the_spec_lacks(realtime_aimock: Any) -> None:
    async with AsyncOpenAI(base_url=realtime_aimock.base_url, api_key="e2e") as client:
        async with client.realtime.connect(model=MODEL, timeout=30) as connection:
            await connection.session.update(session=TEXT_SESSION)
            await connection.conversation.item.create(item=_message("What is the weather?"))
            await connection.response.create()
            arguments, calls = [], []
            async for event in connection:
                if isinstance(event, ResponseFunctionCallArgumentsDoneEvent):
                    arguments.append(event.arguments)
                if isinstance(event, ResponseOutputItemDoneEvent) and event.item.type == "function_call":
                    calls.append((event.item.name, event.item.arguments))
                if event.type == "response.done":
                    break
            assert arguments == ['{"city":"Paris"}']
            assert calls == [("get_weather", '{"city":"Paris"}')]

            errors: list[Any] = []
            connection.on("error", errors.append)  # a handler takes error events instead of recv() raising
            await connection.send({"type": "conversation.item.create"})
            while not errors:
                await connection.recv()
            assert errors[0].error.message == "Missing 'item' in conversation.item.create"

            await connection.response.cancel()
            event = await connection.recv()
            assert isinstance(event, UnknownRealtimeEvent) and event.type == "response.cancelled"
