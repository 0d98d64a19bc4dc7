"""The official SDK's reading of server-sent events (``oai._streaming``), on oai's one decoder.

``SSEDecoder.iter_official`` / ``aiter_official`` and ``Stream._iter_events()`` give events as the official
SDK's private ``openai._streaming`` does: ``event`` ``None`` when no type is named, blocks with fields but no
data are events, ``id`` ``None`` until set, ``retry`` the block's own. The expected values below are the
official SDK's (3.57) answers for the same bytes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import oai
import pytest
from hypothesis import HealthCheck, given, settings
from oai._core._sse import OfficialServerSentEvent, SSEDecoder, SSEEventTooLarge
from oai._streaming import AsyncStream, ServerSentEvent, Stream

from tests.core.test_sse import streams_and_cuts

Event = tuple["str | None", str, "str | None", "int | None"]


def as_tuples(events: list[OfficialServerSentEvent]) -> list[Event]:
    return [(e.event, e.data, e.id, e.retry) for e in events]


def official(chunks: list[bytes], **kw: int) -> list[Event]:
    return as_tuples(list(SSEDecoder(**kw).iter_official(chunks)))


def aofficial(chunks: list[bytes], **kw: int) -> list[Event]:
    async def source() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    async def run() -> list[Event]:
        return as_tuples([e async for e in SSEDecoder(**kw).aiter_official(source())])

    return asyncio.run(run())


CASES: list[tuple[bytes, list[Event]]] = [
    (b'event: completion\ndata: {"foo":true}\n\n', [("completion", '{"foo":true}', None, None)]),
    (b"data: x\n\n", [(None, "x", None, None)]),  # no type named: None, where the standard says "message"
    (b"event: ping\n\n", [("ping", "", None, None)]),  # no data: an event all the same
    (b"event: ping\n\nevent: done\n\n", [("ping", "", None, None), ("done", "", None, None)]),
    (b"data: {\ndata: a\ndata:\ndata: }\n\n\n", [(None, "{\na\n\n}", None, None)]),
    (b"id: 5\n\ndata: a\n\n", [(None, "", "5", None), (None, "a", "5", None)]),  # the id persists
    (b"retry: 10\ndata: a\n\ndata: b\n\n", [(None, "a", None, 10), (None, "b", None, None)]),  # retry: per block
    (b": comment\n\ndata: a\r\n\r\n", [(None, "a", None, None)]),  # a comment alone is no event
    (b"data: \xe2\x80\xa8\n\n", [(None, "\u2028", None, None)]),  # U+2028 is no line end
    (b"event: x\ndata: cut", []),  # an unfinished event is dropped
]


@pytest.mark.parametrize(("stream", "expected"), CASES)
def test_official_reading(stream: bytes, expected: list[Event]) -> None:
    assert official([stream]) == expected
    assert official([stream[i : i + 1] for i in range(len(stream))]) == expected  # byte by byte


@pytest.mark.parametrize(("stream", "expected"), CASES)
def test_async_official_reading(stream: bytes, expected: list[Event]) -> None:
    assert aofficial([stream]) == expected
    assert aofficial([stream[i : i + 1] for i in range(len(stream))]) == expected


def test_official_reading_keeps_the_event_size_bound() -> None:
    with pytest.raises(SSEEventTooLarge):
        official([b"data: " + b"x" * 100 + b"\n\n"], max_event_size=50)
    with pytest.raises(SSEEventTooLarge):
        aofficial([b"event: " + b"y" * 100], max_event_size=50)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams_and_cuts())
def test_official_reading_does_not_depend_on_how_the_body_is_cut(case: tuple[bytes, list[bytes]]) -> None:
    stream, chunks = case
    whole = official([stream])
    assert official(chunks) == whole
    assert aofficial(chunks) == whole


def test_official_event_shape() -> None:
    event = ServerSentEvent(data='{"a": 1}')
    assert (event.event, event.id, event.retry, event.json()) == (None, None, None, {"a": 1})
    assert ServerSentEvent() == ServerSentEvent(data="") and ServerSentEvent().data == ""
    assert repr(ServerSentEvent(event="e", data="d")) == "ServerSentEvent(event='e', data='d', id=None, retry=None)"


def _body() -> Iterator[bytes]:
    yield b"event: ping\n\n"
    yield b'data: {"content":"\xd0'  # a character split over two reads
    yield b'\xb8"}\n\n'


def test_stream_iter_events_from_the_official_module_path() -> None:
    assert Stream is oai.Stream and AsyncStream is oai.AsyncStream
    client = oai.OpenAI(api_key="sk-x", base_url="http://api.test/v1")
    # The stream is a temporary: the iterator keeps it (and so its response) alive.
    events = Stream(cast_to=object, client=client, response=httpx.Response(200, content=_body()))._iter_events()
    assert [(e.event, e.data) for e in events] == [("ping", ""), (None, '{"content":"и"}')]


async def test_async_stream_iter_events_from_the_official_module_path() -> None:
    async def body() -> AsyncIterator[bytes]:
        for chunk in _body():
            yield chunk

    client = oai.AsyncOpenAI(api_key="sk-x", base_url="http://api.test/v1")
    events = AsyncStream(cast_to=object, client=client, response=httpx.Response(200, content=body()))._iter_events()
    assert [(e.event, e.json() if e.data else None) async for e in events] == [
        ("ping", None),
        (None, {"content": "и"}),
    ]
