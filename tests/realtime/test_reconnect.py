# pyright: standard
# (connections come through the sync/async bridge of conftest.py: untyped by design)
"""Opt-in reconnect, sync and async: the server drops the socket mid-conversation; the connection comes back with the
same session settings, sends the events that waited, and says which conversation items the new session lacks."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from oai import (
    AsyncOpenAI,
    InternalServerError,
    OpenAI,
    RealtimeConnectionClosedError,
    RealtimeReconnect,
    RealtimeReconnected,
    RealtimeSendQueueFullError,
)
from oai.types.realtime import ConversationItemParam

from ._server import RealtimeServer, close_with, conversation
from .conftest import API_KEY

FAST = RealtimeReconnect(max_attempts=3, initial_delay=0.01, max_delay=0.05)
USER_MESSAGE: ConversationItemParam = {
    "type": "message",
    "role": "user",
    "content": [{"type": "input_text", "text": "Hi"}],
}
MERGED_SESSION = {
    "type": "realtime",
    "instructions": "Be brief.",
    "audio": {"output": {"voice": "marin", "speed": 1.2}},
}


def configure(connection: Any) -> None:
    """Two partial session updates (the reconnect sends them again as one), then one conversation item."""
    connection.session.update(
        session={"type": "realtime", "instructions": "Be brief.", "audio": {"output": {"voice": "marin"}}}
    )
    connection.session.update(session={"type": "realtime", "audio": {"output": {"speed": 1.2}}})
    connection.conversation.item.create(item=USER_MESSAGE)


def test_a_dropped_connection_comes_back_with_the_session_and_reports_the_lost_items(
    server: RealtimeServer, open_connection: Any
) -> None:
    server.script(conversation(drop_after="conversation.item.create"), conversation())
    connection = open_connection(server.base_url, reconnect=FAST)
    heard: list[RealtimeReconnected] = []
    connection.on("connection.reconnected", heard.append)
    configure(connection)
    types = [connection.recv().type for _ in range(5)]
    assert types == [
        "session.created",
        "session.updated",
        "session.updated",
        "conversation.item.added",
        "conversation.item.done",
    ]

    # The next receive finds the socket gone, reconnects, and goes on with the new session's events.
    assert connection.recv().type == "session.created"
    assert connection.recv().type == "session.updated"
    [record] = heard
    assert connection.reconnects == [record]
    assert (record.attempts, record.close_code, record.resent) == (1, 1006, 0)
    assert record.session == MERGED_SESSION
    assert record.lost_item_ids == ["item_1"] and record.lost_items[0]["role"] == "user"
    assert server.peer(1, received=1).received[0] == {"type": "session.update", "session": MERGED_SESSION}

    connection.response.create()  # the conversation goes on over the new connection
    while connection.recv().type != "response.done":
        pass


def test_events_sent_while_the_connection_is_down_wait_and_arrive_in_order(
    server: RealtimeServer, open_connection: Any, mode: str
) -> None:
    server.script(conversation(drop_after="conversation.item.create"), conversation())
    connection = open_connection(server.base_url, reconnect=FAST)
    configure(connection)
    for _ in range(5):
        connection.recv()
    websocket = connection._channel.websocket
    if mode == "async":  # the async client notices the drop when its loop runs
        connection._loop.run_until_complete(websocket.wait_closed())
    else:
        while websocket.state.name != "CLOSED":
            time.sleep(0.005)

    connection.conversation.item.create(item=USER_MESSAGE)  # the send finds the socket closed: queued
    connection.response.create()
    text = ""
    for event in connection:
        if event.type == "response.output_text.delta":
            text += event.delta
        if event.type == "response.done":
            break
    assert text == "Hello!"
    assert server.peer(1, received=3).types()[:3] == ["session.update", "conversation.item.create", "response.create"]
    assert connection.reconnects[0].resent == 2


def test_a_close_that_is_the_servers_decision_is_not_retried(server: RealtimeServer, open_connection: Any) -> None:
    server.script(conversation(cut=lambda ws: close_with(ws, 1008)), conversation())
    connection = open_connection(server.base_url, reconnect=FAST)
    connection.response.create()
    with pytest.raises(RealtimeConnectionClosedError) as caught:
        for _ in connection:
            pass
    assert caught.value.close_code == 1008
    assert connection.reconnects == []


def test_when_every_attempt_is_refused_the_closed_error_says_why(server: RealtimeServer, open_connection: Any) -> None:
    server.script(conversation(drop_after="conversation.item.create"))
    connection = open_connection(server.base_url, reconnect=FAST)
    connection.conversation.item.create(item=USER_MESSAGE)
    server.peer(received=1)
    server.reject(503, 503, 503)
    with pytest.raises(RealtimeConnectionClosedError) as caught:
        while True:
            connection.recv()
    error = caught.value
    assert error.close_code == 1006
    assert isinstance(error.__cause__, InternalServerError)


def test_sync_sends_from_another_thread_wait_for_the_reconnect(server: RealtimeServer) -> None:
    slow = RealtimeReconnect(max_attempts=3, initial_delay=0.3, max_delay=0.3)
    server.script(conversation(drop_after="conversation.item.create"), conversation())
    with OpenAI(api_key=API_KEY, base_url=server.base_url) as client:
        with client.realtime.connect(model="gpt-realtime", reconnect=slow, timeout=10) as connection:
            configure(connection)
            for _ in range(5):
                connection.recv()

            def send_while_reconnecting() -> None:
                while connection._state != "reconnecting":
                    time.sleep(0.001)
                connection.conversation.item.create(item=USER_MESSAGE)
                connection.response.create()

            sender = threading.Thread(target=send_while_reconnecting)
            sender.start()
            assert connection.recv().type == "session.created"  # reconnected
            sender.join(5)
            while connection.recv().type != "response.done":
                pass
    assert server.peer(1, received=3).types()[:3] == ["session.update", "conversation.item.create", "response.create"]


async def test_async_sends_from_another_task_wait_for_the_reconnect(server: RealtimeServer) -> None:
    slow = RealtimeReconnect(max_attempts=3, initial_delay=0.3, max_delay=0.3, max_queued_sends=2)
    server.script(conversation(drop_after="conversation.item.create"), conversation())
    async with AsyncOpenAI(api_key=API_KEY, base_url=server.base_url) as client:
        async with client.realtime.connect(model="gpt-realtime", reconnect=slow, timeout=10) as connection:
            await connection.session.update(session={"type": "realtime", "instructions": "Be brief."})
            await connection.conversation.item.create(item=USER_MESSAGE)
            for _ in range(4):
                await connection.recv()

            async def send_while_reconnecting() -> None:
                while connection._state != "reconnecting":
                    await asyncio.sleep(0.001)
                await connection.conversation.item.create(item=USER_MESSAGE)
                await connection.response.create()
                with pytest.raises(RealtimeSendQueueFullError):  # the queue holds two
                    await connection.input_audio_buffer.clear()

            sender = asyncio.create_task(send_while_reconnecting())
            assert (await connection.recv()).type == "session.created"
            await sender
            while (await connection.recv()).type != "response.done":
                pass
    assert server.peer(1, received=3).types()[:3] == ["session.update", "conversation.item.create", "response.create"]
