# pyright: standard
# (connections come through the sync/async bridge of conftest.py: untyped by design)
"""``client.realtime.connect()`` against our loopback Realtime server, sync and async (the ``mode`` fixture).

The handshake (URL, key, headers, query), the guide's conversation with typed events,
the generated send helpers on the wire, events the SDK does not know, handlers.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from oai import AsyncOpenAI, Omit, RealtimeAPIError, UnknownRealtimeEvent
from oai.types.realtime import (
    ConversationItemParam,
    ResponseDoneEvent,
    ResponseTextDeltaEvent,
    SessionCreatedEvent,
    SessionUpdateEvent,
)

from ._server import REPLY_TEXT, RealtimeServer, conversation, frames
from .conftest import API_KEY

USER_MESSAGE: ConversationItemParam = {
    "type": "message",
    "role": "user",
    "content": [{"type": "input_text", "text": "Say hello!"}],
}


def guide_conversation(connection: Any) -> tuple[str, list[Any]]:
    """The README's example: configure, add a message, ask for a response, print the deltas until it is done."""
    connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})
    connection.conversation.item.create(item=USER_MESSAGE)
    connection.response.create()
    text, events = "", []
    for event in connection:
        events.append(event)
        if event.type == "response.output_text.delta":
            text += event.delta
        elif event.type == "response.done":
            break
    return text, events


def test_the_guide_conversation_gives_typed_events(server: RealtimeServer, open_connection: Any) -> None:
    server.script(conversation())
    connection = open_connection(server.base_url)
    text, events = guide_conversation(connection)
    assert text == "".join(REPLY_TEXT)
    assert isinstance(events[0], SessionCreatedEvent)
    assert [type(e) for e in events if e.type == "response.output_text.delta"] == [ResponseTextDeltaEvent] * 2
    assert isinstance(events[-1], ResponseDoneEvent) and events[-1].response.status == "completed"
    sent = server.peer(received=3).received
    assert sent == [
        {"type": "session.update", "session": {"type": "realtime", "output_modalities": ["text"]}},
        {"type": "conversation.item.create", "item": USER_MESSAGE},
        {"type": "response.create"},
    ]


def test_handshake_url_key_and_headers(server: RealtimeServer, open_connection: Any) -> None:
    server.script(conversation())
    open_connection(
        server.base_url,
        client_kwargs={"organization": "org-1", "default_headers": {"X-Team": "rt"}, "default_query": {"tenant": "t"}},
        extra_query={"debug": True},
        extra_headers={"X-Trace": "abc", "X-Team": Omit()},
    ).recv()
    peer = server.peer()
    assert peer.path == "/v1/realtime?tenant=t&model=gpt-realtime&debug=true"
    assert peer.headers["authorization"] == f"Bearer {API_KEY}"
    assert peer.headers["openai-organization"] == "org-1"
    assert peer.headers["x-trace"] == "abc"
    assert "x-team" not in peer.headers  # Omit() removed the client's default
    assert peer.headers["user-agent"].startswith("oai-python/")


def test_websocket_base_url_wins_over_base_url(server: RealtimeServer, open_connection: Any) -> None:
    server.script(conversation())
    connection = open_connection(
        "http://127.0.0.1:9/unused", client_kwargs={"websocket_base_url": f"ws://127.0.0.1:{server.port}/other"}
    )
    assert connection.recv().type == "session.created"
    assert server.peer().path == "/other/realtime?model=gpt-realtime"


def test_send_takes_a_model_or_a_dict_and_leaves_out_what_was_not_given(
    server: RealtimeServer, open_connection: Any
) -> None:
    server.script(conversation())
    connection = open_connection(server.base_url)
    update = {"type": "session.update", "session": {"type": "realtime", "instructions": "Be brief."}}
    connection.send(SessionUpdateEvent.model_validate(update))
    connection.conversation.item.delete(item_id="item_9", event_id="mine")
    connection.input_audio_buffer.append(audio="AAAA")
    connection.response.cancel()
    peer = server.peer(received=4)
    assert peer.received == [
        {"type": "session.update", "session": {"type": "realtime", "instructions": "Be brief."}},
        {"type": "conversation.item.delete", "item_id": "item_9", "event_id": "mine"},
        {"type": "input_audio_buffer.append", "audio": "AAAA"},
        {"type": "response.cancel"},
    ]


def test_an_event_type_the_sdk_does_not_know_arrives_with_its_data(
    server: RealtimeServer, open_connection: Any
) -> None:
    future = {"type": "response.hologram.delta", "event_id": "ev_9", "voxels": [1, 2]}
    server.script(frames(json.dumps(future)))
    connection = open_connection(server.base_url)
    connection.recv()
    event = connection.recv()
    assert isinstance(event, UnknownRealtimeEvent)
    assert event.type == "response.hologram.delta" and event.model_extra == {"event_id": "ev_9", "voxels": [1, 2]}


def test_a_known_event_missing_fields_still_parses(server: RealtimeServer, open_connection: Any) -> None:
    server.script(frames(json.dumps({"type": "response.output_text.delta", "delta": "x"})))
    connection = open_connection(server.base_url)
    connection.recv()
    event = connection.recv()
    assert isinstance(event, ResponseTextDeltaEvent) and event.delta == "x"


ERROR_EVENT = {
    "type": "error",
    "event_id": "ev_e",
    "error": {"type": "invalid_request_error", "code": "bad_item", "message": "No such item.", "event_id": "mine"},
}


def test_a_server_error_event_raises_a_typed_error_and_the_session_goes_on(
    server: RealtimeServer, open_connection: Any
) -> None:
    server.script(frames(json.dumps(ERROR_EVENT), json.dumps({"type": "session.updated", "session": {}})))
    connection = open_connection(server.base_url)
    connection.recv()
    with pytest.raises(RealtimeAPIError) as caught:
        connection.recv()
    error = caught.value
    assert (error.message, error.code, error.type, error.event_id) == (
        "No such item.",
        "bad_item",
        "invalid_request_error",
        "mine",
    )
    assert error.event.type == "error"
    assert connection.recv().type == "session.updated"


def test_an_error_handler_takes_error_events_instead(server: RealtimeServer, open_connection: Any) -> None:
    server.script(frames(json.dumps(ERROR_EVENT)))
    connection = open_connection(server.base_url)
    seen: list[Any] = []
    connection.on("error", seen.append)
    connection.recv()
    event = connection.recv()
    assert event.type == "error" and seen == [event]


def test_handlers_on_once_off_and_a_failing_handler(server: RealtimeServer, open_connection: Any) -> None:
    server.script(conversation())
    connection = open_connection(server.base_url)
    deltas: list[str] = []
    created: list[str] = []
    connection.on("response.output_text.delta", lambda e: deltas.append(e.delta))
    connection.once("session.created", lambda e: created.append(e.type))
    connection.recv()
    connection.session.update(session={"type": "realtime"})
    connection.recv()
    connection.response.create()
    while connection.recv().type != "response.done":
        pass
    assert deltas == list(REPLY_TEXT) and created == ["session.created"]

    connection.off("response.output_text.delta")

    def fail(event: Any) -> None:
        raise ValueError(f"handler saw {event.type}")

    connection.on("response.created", fail)
    connection.response.create()
    with pytest.raises(ValueError, match="handler saw response.created"):
        connection.recv()
    while connection.recv().type != "response.done":
        pass
    assert deltas == list(REPLY_TEXT)  # off() removed it


def test_recv_bytes_and_parse_event(server: RealtimeServer, open_connection: Any) -> None:
    server.script(conversation())
    connection = open_connection(server.base_url)
    raw = connection.recv_bytes()
    assert json.loads(raw)["type"] == "session.created"
    assert isinstance(connection.parse_event(raw), SessionCreatedEvent)


def test_async_handlers_are_awaited(server: RealtimeServer) -> None:
    async def main() -> list[str]:
        seen: list[str] = []

        async def handler(event: Any) -> None:
            await asyncio.sleep(0)
            seen.append(event.type)

        async with AsyncOpenAI(api_key=API_KEY, base_url=server.base_url) as client:
            async with client.realtime.connect(model="gpt-realtime") as connection:
                connection.on("session.created", handler)
                await connection.recv()
        return seen

    server.script(conversation())
    assert asyncio.run(main()) == ["session.created"]


def test_the_example_runs_against_the_loopback_server(server: RealtimeServer) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "realtime" / "realtime.py"
    server.script(conversation(), conversation())
    env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": API_KEY}
    result = subprocess.run([sys.executable, str(example)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello!\nHello!\n"
