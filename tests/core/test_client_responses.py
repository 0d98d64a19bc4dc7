"""``with_raw_response`` / ``with_streaming_response``, binary responses and the stream hand-off."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from oai._core import APIResponse, AsyncAPIResponse, BinaryAPIResponse, InternalServerError, LegacyAPIResponse

from tests._client_fakes import (
    AsyncFakeStream,
    Chunk,
    FakeStream,
    Item,
    Recorder,
    item_json,
    make_async_client,
    make_client,
)

SSE = b'data: {"id":"c1","delta":"he"}\n\ndata: {"id":"c2","delta":"llo"}\n\ndata: [DONE]\n\n'


def _sse(_: httpx.Request) -> httpx.Response:
    """A really streamed body (not pre-read, unlike ``content=bytes``)."""
    return httpx.Response(200, content=iter([SSE]), headers={"content-type": "text/event-stream"})


async def _achunks() -> AsyncIterator[bytes]:
    yield SSE


def _async_sse(_: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=_achunks(), headers={"content-type": "text/event-stream"})


def sse_response() -> Callable[[httpx.Request], httpx.Response]:
    return _sse


def async_sse_response() -> Callable[[httpx.Request], httpx.Response]:
    return _async_sse


# -- raw -------------------------------------------------------------------------------------------------------------


def test_with_raw_response() -> None:
    rec = Recorder(httpx.Response(200, json=item_json("r1"), headers={"x-request-id": "req_r", "x-extra": "e"}))
    raw = make_client(rec).items.with_raw_response.create(name="a")
    assert isinstance(raw, LegacyAPIResponse)
    assert raw.status_code == 200
    assert raw.headers["x-extra"] == "e"
    assert raw.request_id == "req_r"
    assert isinstance(raw.http_response, httpx.Response)
    assert raw.retries_taken == 0
    assert raw.http_response.is_closed  # body already read
    item = raw.parse()
    assert isinstance(item, Item) and item.id == "r1" and item._request_id == "req_r"
    assert raw.parse() is item  # parsed once
    assert raw.parse(to=dict)["id"] == "r1"
    assert json.loads(raw.content) == item_json("r1")
    assert raw.json()["id"] == "r1" and "r1" in raw.text  # text: a property, as in the official SDK
    assert raw.http_request.method == "POST" and raw.http_request.url.path.endswith("/items")


def test_raw_response_after_retries_and_errors_still_raise() -> None:
    rec = Recorder(httpx.Response(500), httpx.Response(200, json=item_json()))
    raw = make_client(rec).items.with_raw_response.retrieve("x")
    assert raw.retries_taken == 1
    with pytest.raises(InternalServerError):
        make_client(Recorder(httpx.Response(500)), max_retries=0).items.with_raw_response.retrieve("x")


def test_raw_response_mode_does_not_leak_into_later_calls() -> None:
    rec = Recorder()
    client = make_client(rec)
    client.items.with_raw_response.retrieve("x")
    assert isinstance(client.items.retrieve("x"), Item)


def test_raw_response_of_a_stream_parses_to_the_stream() -> None:
    rec = Recorder(sse_response())
    raw = make_client(rec).items.with_raw_response.create(name="a", stream=True)
    assert rec.requests[0].headers["accept"] == "text/event-stream"
    stream = raw.parse()
    assert isinstance(stream, FakeStream)
    assert list(stream)[0].startswith("data: ")


def test_raw_response_of_a_page() -> None:
    rec = Recorder(httpx.Response(200, json={"data": [item_json("a")], "has_more": False}))
    raw = make_client(rec).items.with_raw_response.list()
    page = raw.parse()
    assert [i.id for i in page] == ["a"]


# -- streaming response ----------------------------------------------------------------------------------------------


def test_with_streaming_response_reads_lazily() -> None:
    body = b"line one\nline two\n"
    rec = Recorder(lambda _: httpx.Response(200, content=iter([body[:5], body[5:]]), headers={"x-request-id": "req_l"}))
    client = make_client(rec)
    with client.items.with_streaming_response.retrieve("x") as response:
        assert isinstance(response, APIResponse)
        assert response.request_id == "req_l"
        assert not response.is_closed
        assert list(response.iter_lines()) == ["line one", "line two"]
    assert response.is_closed

    with client.items.with_streaming_response.retrieve("x") as response:
        assert b"".join(response.iter_bytes(4)) == body
    with client.items.with_streaming_response.retrieve("x") as response:
        assert "".join(response.iter_text()) == body.decode()


def test_with_streaming_response_parse() -> None:
    rec = Recorder(httpx.Response(200, json=item_json("p1")))
    with make_client(rec).items.with_streaming_response.create(name="a") as response:
        item = response.parse()
    assert isinstance(item, Item) and item.id == "p1"


def test_with_streaming_response_of_a_stream() -> None:
    rec = Recorder(sse_response())
    with make_client(rec).items.with_streaming_response.create(name="a", stream=True) as response:
        stream = response.parse()
        assert isinstance(stream, FakeStream)
        assert len([line for line in stream if line]) == 3


def test_streaming_binary_to_file(tmp_path: Path) -> None:
    payload = bytes(range(256)) * 100
    rec = Recorder(httpx.Response(200, content=payload, headers={"content-type": "audio/mpeg"}))
    target = tmp_path / "out.bin"
    with make_client(rec).items.with_streaming_response.content("f1") as response:
        response.stream_to_file(target, chunk_size=1000)
    assert target.read_bytes() == payload


async def test_async_raw_and_streaming_response(tmp_path: Path) -> None:
    rec = Recorder(httpx.Response(200, json=item_json("a1"), headers={"x-request-id": "req_a"}))
    client = make_async_client(rec)
    raw = await client.items.with_raw_response.retrieve("a1")
    assert isinstance(raw, LegacyAPIResponse)  # as the official SDK: parse() is not awaited, text a property
    assert raw.request_id == "req_a" and raw.retries_taken == 0
    item = raw.parse()
    assert isinstance(item, Item) and item._request_id == "req_a"
    assert json.loads(raw.text)["id"] == "a1" and raw.http_request.method == "GET"

    async with client.items.with_streaming_response.retrieve("a1") as response:
        assert isinstance(response, AsyncAPIResponse) and response.http_request.method == "GET"
        chunks = [chunk async for chunk in response.iter_bytes()]
        assert json.loads(b"".join(chunks))["id"] == "a1"
    assert response.is_closed

    async with client.items.with_streaming_response.create(name="x") as response:
        lines = [line async for line in response.iter_lines()]
        assert len(lines) == 1
    async with client.items.with_streaming_response.content("c") as response:
        await response.stream_to_file(tmp_path / "a.bin")
    assert json.loads((tmp_path / "a.bin").read_bytes()) == item_json("a1")

    page_rec = Recorder(httpx.Response(200, json={"data": [item_json("p")], "has_more": False}))
    page = (await make_async_client(page_rec).items.with_raw_response.list()).parse()
    assert [i.id async for i in page] == ["p"]


# -- binary ----------------------------------------------------------------------------------------------------------


def test_binary_response(tmp_path: Path) -> None:
    payload = b"\x00\x01binary\xff" * 10
    rec = Recorder(httpx.Response(200, content=payload, headers={"content-type": "application/octet-stream"}))
    client = make_client(rec)
    content = client.items.content("f1")
    assert isinstance(content, BinaryAPIResponse)
    assert content.content == payload and content.read() == payload
    assert b"".join(content.iter_bytes(7)) == payload
    content.write_to_file(tmp_path / "f.bin")
    assert (tmp_path / "f.bin").read_bytes() == payload
    assert content.status_code == 200

    response = client.items.content_raw("f1")
    assert isinstance(response, httpx.Response) and response.content == payload


async def test_async_binary_response(tmp_path: Path) -> None:
    payload = b"abc" * 1000
    rec = Recorder(httpx.Response(200, content=payload))
    content = await make_async_client(rec).items.content("f")
    assert [len(c) async for c in content.aiter_bytes(1000)] == [1000, 1000, 1000]
    assert b"".join([c async for c in content.aiter_bytes(1000)]) == payload
    await content.awrite_to_file(tmp_path / "x.bin")
    assert (tmp_path / "x.bin").read_bytes() == payload


# -- the stream hand-off (contract with the streaming core) ----------------------------------------------------------


def test_stream_call_hands_the_unread_response_to_the_stream_class() -> None:
    FakeStream.made.clear()
    rec = Recorder(sse_response())
    client = make_client(rec, stream_idle_timeout=30.0, stream_deadline=120.0)
    stream = client.items.create(name="a", stream=True)
    assert isinstance(stream, FakeStream)
    kwargs = stream.kwargs
    assert kwargs["cast_to"] is Chunk
    assert kwargs["client"] is client
    assert kwargs["terminator"] == "[DONE]"
    assert kwargs["idle_timeout"] == 30.0
    assert 0 < kwargs["deadline"] - time.monotonic() <= 120.0  # absolute, on the monotonic clock
    assert kwargs["retry"] is None  # a 200 stream is never sent again unless the caller opted in
    assert not stream.response.is_closed  # unread: the stream owns it
    request = rec.requests[0]
    assert request.headers["accept"] == "text/event-stream"
    assert json.loads(request.content)["stream"] is True
    assert request.extensions["timeout"]["read"] <= 30.0
    stream.close()


def test_stream_status_error_is_raised_after_retries() -> None:
    rec = Recorder(httpx.Response(503, json={"error": {"message": "overloaded"}}), sse_response())
    stream = make_client(rec).items.create(name="a", stream=True)
    assert isinstance(stream, FakeStream) and len(rec.requests) == 2
    stream.close()
    rec = Recorder(httpx.Response(400, json={"error": {"message": "bad stream request"}}))
    with pytest.raises(Exception, match="bad stream request"):
        make_client(rec).items.create(name="a", stream=True)


def test_stream_read_timeout_bounds_the_gap_between_events_by_default() -> None:
    rec = Recorder(sse_response())
    stream = make_client(rec, timeout=httpx.Timeout(7.0, connect=1.0)).items.create(name="a", stream=True)
    assert isinstance(stream, FakeStream)
    assert stream.kwargs["idle_timeout"] is None  # the stream takes the request's read timeout
    assert rec.requests[0].extensions["timeout"]["read"] == 7.0
    stream.close()


def test_stream_retry_callable_resends_within_the_budget() -> None:
    rec = Recorder(sse_response())
    client = make_client(rec, max_retries=2, retry_stream_before_first_event=True)
    stream = client.items.create(name="a", stream=True)
    assert isinstance(stream, FakeStream)
    retry = stream.kwargs["retry"]
    first = retry(httpx.RemoteProtocolError("dropped"))
    second = retry(httpx.RemoteProtocolError("dropped"))
    assert isinstance(first, httpx.Response) and isinstance(second, httpx.Response)
    assert len(rec.requests) == 3
    assert len({r.headers["idempotency-key"] for r in rec.requests}) == 1
    with pytest.raises(httpx.RemoteProtocolError):
        retry(httpx.RemoteProtocolError("dropped again"))
    assert len(rec.requests) == 3
    for r in (first, second, stream.response):
        r.close()


def test_stream_retry_without_error_raises_connection_error_when_exhausted() -> None:
    from oai._core import APIConnectionError

    rec = Recorder(sse_response())
    stream = make_client(rec, max_retries=0, retry_stream_before_first_event=True).items.create(name="a", stream=True)
    assert isinstance(stream, FakeStream)
    with pytest.raises(APIConnectionError):
        stream.kwargs["retry"]()
    stream.close()


async def test_async_stream_hand_off_and_retry() -> None:
    rec = Recorder(async_sse_response())
    client = make_async_client(rec).with_options(retry_stream_before_first_event=True)
    stream = await client.items.create(name="a", stream=True)
    assert isinstance(stream, AsyncFakeStream)
    assert stream.kwargs["cast_to"] is Chunk
    response = await stream.kwargs["retry"](httpx.ReadError("dropped"))
    assert isinstance(response, httpx.Response)
    assert len(rec.requests) == 2
    await response.aclose()
    await stream.aclose()


def test_stream_retry_refused_past_the_stream_deadline() -> None:
    rec = Recorder(sse_response())
    client = make_client(rec, max_retries=5, stream_deadline=0.05, retry_stream_before_first_event=True)
    stream = client.items.create(name="a", stream=True)
    assert isinstance(stream, FakeStream)
    time.sleep(0.06)
    with pytest.raises(httpx.ReadError):
        stream.kwargs["retry"](httpx.ReadError("dropped"))
    assert len(rec.requests) == 1
    stream.close()


def test_throttle_slot_is_held_by_an_open_stream_until_it_closes() -> None:
    rec = Recorder(httpx.Response(200, json=item_json()), sse_response())
    client = make_client(rec, max_concurrent_requests=1)
    throttle = client._throttle
    assert throttle is not None
    client.items.retrieve("x")
    assert throttle._in_flight == 0  # released after a plain call
    stream = client.items.create(name="a", stream=True)
    assert isinstance(stream, FakeStream)
    assert throttle._in_flight == 1  # held while the stream is open
    stream.close()
    assert throttle._in_flight == 0
