# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""Stream / AsyncStream on in-memory transports: chunks, typed errors, closing, deadlines.

The same behaviours over real TCP (resets, stalls, a connection pool) are in
``tests/faults/``.
"""

from __future__ import annotations

import asyncio
import gc
import gzip
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated, Any, Literal, Union

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oai._core import AsyncStream, Stream, UnknownStreamEvent
from oai._core._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStreamError,
    APITimeoutError,
)
from oai._core._models import BaseModel
from oai._core._sse import SSEEventTooLarge
from oai._core._timeouts import bounded_timeout
from pydantic import Field, RootModel

# -- models shaped like the real ones ------------------------------------------------------------------------------


class Delta(BaseModel):
    content: str | None = None


class Choice(BaseModel):
    index: int
    delta: Delta
    finish_reason: str | None = None


class Chunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"]
    choices: list[Choice]


class TextDelta(BaseModel):
    type: Literal["response.output_text.delta"]
    delta: str


class Completed(BaseModel):
    type: Literal["response.completed"]
    response: dict[str, Any]


ResponseEvent = Annotated[Union[TextDelta, Completed], Field(discriminator="type")]  # noqa: UP007


class ResponseEventRoot(RootModel[ResponseEvent]):
    pass


def chunk(text: str, i: int = 0) -> bytes:
    obj = {"id": "c1", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": text}}]}
    return b"data: " + json.dumps(obj).encode() + b"\n\n"


DONE = b"data: [DONE]\n\n"
SSE = {"content-type": "text/event-stream", "x-request-id": "req_abc"}
REQUEST = httpx.Request("POST", "http://test.invalid/v1/chat/completions")


def response_of(
    parts: list[bytes] | Callable[[], Iterator[bytes]], headers: dict[str, str] | None = None
) -> httpx.Response:
    content = parts() if callable(parts) else iter(parts)
    return httpx.Response(200, headers=SSE if headers is None else headers, content=content, request=REQUEST)


def aresponse_of(
    parts: list[bytes] | Callable[[], AsyncIterator[bytes]], headers: dict[str, str] | None = None
) -> httpx.Response:
    if callable(parts):
        content = parts()
    else:
        items = parts

        async def gen() -> AsyncIterator[bytes]:
            for item in items:
                yield item

        content = gen()
    return httpx.Response(200, headers=SSE if headers is None else headers, content=content, request=REQUEST)


def texts(chunks: list[Any]) -> list[str | None]:
    return [c.choices[0].delta.content for c in chunks]


def run_sync(parts: list[bytes], cast_to: Any = Chunk, **kw: Any) -> list[Any]:
    return list(Stream(cast_to=cast_to, response=response_of(parts), **kw))


def run_async(parts: list[bytes], cast_to: Any = Chunk, **kw: Any) -> list[Any]:
    async def go() -> list[Any]:
        return [c async for c in AsyncStream(cast_to=cast_to, response=aresponse_of(parts), **kw)]

    return asyncio.run(go())


both = pytest.mark.parametrize("run", [run_sync, run_async], ids=["sync", "async"])


# -- the happy path ------------------------------------------------------------------------------------------------


@both
def test_chunks_are_typed_models(run: Callable[..., list[Any]]) -> None:
    got = run([chunk("Hel"), chunk("lo"), DONE])
    assert texts(got) == ["Hel", "lo"]
    assert all(isinstance(c, Chunk) for c in got)


def test_response_and_request_id_are_available() -> None:
    stream = Stream(cast_to=Chunk, response=response_of([chunk("a"), DONE]))
    assert stream.request_id == "req_abc"
    assert stream.response.status_code == 200
    assert texts(list(stream)) == ["a"]
    assert stream.response.is_closed


async def test_async_response_and_request_id_are_available() -> None:
    stream = AsyncStream(cast_to=Chunk, response=aresponse_of([chunk("a"), DONE]))
    assert stream.request_id == "req_abc"
    assert texts([c async for c in stream]) == ["a"]
    assert stream.response.is_closed


def test_the_body_is_read_from_the_transport_once_and_counted() -> None:
    parts = [chunk("Hel"), chunk("lo"), DONE]
    stream = Stream(cast_to=Chunk, response=response_of(parts))
    assert texts(list(stream)) == ["Hel", "lo"]
    assert stream.response.is_stream_consumed
    with pytest.raises(httpx.StreamConsumed):
        stream.response.read()
    stats = stream.stats
    assert stats.bytes == sum(map(len, parts))
    assert (stats.events, stats.content_events, len(stats.gaps), stats.completed) == (2, 2, 1, True)


async def test_async_the_body_is_read_from_the_transport_once_and_counted() -> None:
    parts = [chunk("Hel"), chunk("lo"), DONE]
    stream = AsyncStream(cast_to=Chunk, response=aresponse_of(parts))
    assert texts([c async for c in stream]) == ["Hel", "lo"]
    assert stream.response.is_stream_consumed
    with pytest.raises(httpx.StreamConsumed):
        await stream.response.aread()
    stats = stream.stats
    assert stats.bytes == sum(map(len, parts))
    assert (stats.events, stats.content_events, len(stats.gaps), stats.completed) == (2, 2, 1, True)


@both
def test_a_compressed_body_is_decoded(run: Callable[..., list[Any]]) -> None:
    body = gzip.compress(b"".join([chunk("Hel"), chunk("lo"), DONE]))
    cuts = [body[:7], body[7:20], body[20:]]  # reads that split the compressed bytes anywhere
    headers = {**SSE, "content-encoding": "gzip"}
    if run is run_sync:
        got = list(Stream(cast_to=Chunk, response=response_of(cuts, headers)))
    else:

        async def go() -> list[Any]:
            return [c async for c in AsyncStream(cast_to=Chunk, response=aresponse_of(cuts, headers))]

        got = asyncio.run(go())
    assert texts(got) == ["Hel", "lo"]


@both
def test_events_after_the_terminator_are_ignored(run: Callable[..., list[Any]]) -> None:
    assert texts(run([chunk("a"), DONE, chunk("late")])) == ["a"]


@both
def test_keepalive_comments_and_empty_data_are_skipped(run: Callable[..., list[Any]]) -> None:
    assert texts(run([b": ping\n\n", chunk("a"), b"data:\n\n", b": x\n", chunk("b"), DONE])) == ["a", "b"]


@both
def test_crlf_and_odd_splits(run: Callable[..., list[Any]]) -> None:
    body = (chunk("é€") + chunk("b") + DONE).replace(b"\n", b"\r\n")
    parts = [body[i : i + 7] for i in range(0, len(body), 7)]
    assert texts(run(parts)) == ["é€", "b"]


@both
def test_unknown_fields_are_kept_and_missing_required_fields_still_parse(run: Callable[..., list[Any]]) -> None:
    odd = b'data: {"id": "c1", "choices": [{"index": 0, "delta": {"content": "x", "new_field": 1}}], "extra": true}\n\n'
    (got,) = run([odd, DONE])
    assert got.choices[0].delta.content == "x"
    assert got.choices[0].delta.new_field == 1
    assert got.extra is True
    assert got.object is None  # "required" but absent


@both
def test_invalid_utf8_inside_a_string_becomes_replacement_character(run: Callable[..., list[Any]]) -> None:
    raw = chunk("a#b").replace(b"#", b"\xff")
    assert texts(run([raw, DONE])) == ["a\ufffdb"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=6), st.lists(st.integers(0, 2000), max_size=6))
def test_any_split_gives_the_same_chunks_sync_and_async(words: list[str], cuts: list[int]) -> None:
    body = b"".join(chunk(w) for w in words) + DONE
    points = sorted({c % (len(body) + 1) for c in cuts})
    parts = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    assert texts(run_sync(parts)) == words
    assert texts(run_async(parts)) == words


# -- end of stream -------------------------------------------------------------------------------------------------


@both
def test_body_ending_before_the_terminator_raises(run: Callable[..., list[Any]]) -> None:
    with pytest.raises(APIConnectionError, match=r"\[DONE\]"):
        run([chunk("a"), chunk("b")])


@both
def test_body_ending_mid_event_raises(run: Callable[..., list[Any]]) -> None:
    with pytest.raises(APIConnectionError):
        run([chunk("a"), b'data: {"id": "c1", "obj'])


@both
def test_streams_without_terminator_end_with_the_body(run: Callable[..., list[Any]]) -> None:
    events = [
        b'event: response.output_text.delta\ndata: {"type": "response.output_text.delta", "delta": "hi"}\n\n',
        b'event: response.completed\ndata: {"type": "response.completed", "response": {"id": "r"}}\n\n',
    ]
    got = run(events, cast_to=ResponseEvent, terminator=None)
    assert isinstance(got[0], TextDelta) and got[0].delta == "hi"
    assert isinstance(got[1], Completed)


# -- typed errors --------------------------------------------------------------------------------------------------


@both
def test_error_member_in_data_raises_api_stream_error(run: Callable[..., list[Any]]) -> None:
    err = b'data: {"error": {"message": "overloaded", "type": "server_error", "code": "busy", "param": "p"}}\n\n'
    got: list[Any] = []
    with pytest.raises(APIStreamError) as info:
        got.extend(run([chunk("a"), err, chunk("b"), DONE]))
    exc = info.value
    assert isinstance(exc, APIError)
    assert exc.message == "overloaded"
    assert (exc.code, exc.type, exc.param) == ("busy", "server_error", "p")
    assert exc.request_id == "req_abc"


@both
def test_event_typed_error_raises(run: Callable[..., list[Any]]) -> None:
    err = b'event: error\ndata: {"message": "bad things", "code": "oops"}\n\n'
    with pytest.raises(APIStreamError) as info:
        run([chunk("a"), err, DONE])
    assert info.value.message == "bad things" and info.value.code == "oops"


@both
def test_event_typed_error_with_plain_text_data_raises(run: Callable[..., list[Any]]) -> None:
    with pytest.raises(APIStreamError, match="it broke"):
        run([b"event: error\ndata: it broke\n\n"])


@both
def test_responses_style_top_level_error_raises(run: Callable[..., list[Any]]) -> None:
    err = b'event: error\ndata: {"type": "error", "code": "rate_limit", "message": "slow down", "param": null}\n\n'
    with pytest.raises(APIStreamError) as info:
        run([err], cast_to=ResponseEvent, terminator=None)
    assert (info.value.message, info.value.code, info.value.type) == ("slow down", "rate_limit", "error")
    # Same without the SSE event name.
    with pytest.raises(APIStreamError):
        run([b'data: {"type": "error", "message": "x"}\n\n'], cast_to=ResponseEvent, terminator=None)


@both
def test_text_error_in_a_content_string_is_not_an_error(run: Callable[..., list[Any]]) -> None:
    assert texts(run([chunk("error"), DONE])) == ["error"]


@both
def test_malformed_json_raises_validation_error_quoting_the_data(run: Callable[..., list[Any]]) -> None:
    with pytest.raises(APIResponseValidationError) as info:
        run([chunk("a"), b"data: {not json" + b"x" * 5000 + b"\n\n", DONE])
    assert "{not json" in str(info.value)
    assert len(str(info.value)) < 1000  # truncated
    assert info.value.status_code == 200


@both
def test_non_event_stream_response_raises_with_the_body(run: Callable[..., list[Any]]) -> None:
    def run_json(parts: list[bytes]) -> list[Any]:
        headers = {"content-type": "application/json"}
        if run is run_sync:
            return list(Stream(cast_to=Chunk, response=response_of(parts, headers)))

        async def go() -> list[Any]:
            return [c async for c in AsyncStream(cast_to=Chunk, response=aresponse_of(parts, headers))]

        return asyncio.run(go())

    with pytest.raises(APIResponseValidationError) as info:
        run_json([b'{"error": {"message": "streaming not supported"}}'])
    assert "streaming not supported" in str(info.value)
    assert info.value.body == {"error": {"message": "streaming not supported"}}


@both
def test_unknown_event_type_is_yielded_with_its_raw_fields(run: Callable[..., list[Any]]) -> None:
    events = [
        b'data: {"type": "response.output_text.delta", "delta": "a"}\n\n',
        b'data: {"type": "response.brand_new", "payload": {"x": 1}, "n": 2}\n\n',
        b'data: {"type": "response.output_text.delta"}\n\n',  # known type, missing field
    ]
    for cast_to in (ResponseEvent, ResponseEventRoot):
        got = run(events, cast_to=cast_to, terminator=None)
        assert isinstance(got[0], TextDelta)
        unknown = got[1]
        assert isinstance(unknown, UnknownStreamEvent)
        assert unknown.type == "response.brand_new"
        assert unknown.model_extra == {"payload": {"x": 1}, "n": 2}
        assert isinstance(got[2], TextDelta)


def test_transport_error_mid_stream_is_a_connection_error() -> None:
    def parts() -> Iterator[bytes]:
        yield chunk("a")
        raise httpx.RemoteProtocolError("peer closed connection")

    stream = Stream(cast_to=Chunk, response=response_of(parts))
    got: list[Any] = []
    with pytest.raises(APIConnectionError) as info:
        got.extend(stream)
    assert not isinstance(info.value, APITimeoutError)
    assert stream.response.is_closed


def test_read_timeout_mid_stream_is_a_timeout_error() -> None:
    def parts() -> Iterator[bytes]:
        yield chunk("a")
        raise httpx.ReadTimeout("timed out")

    with pytest.raises(APITimeoutError):
        list(Stream(cast_to=Chunk, response=response_of(parts)))


async def test_async_transport_errors_are_typed() -> None:
    def make(exc: Exception) -> Callable[[], AsyncIterator[bytes]]:
        async def parts() -> AsyncIterator[bytes]:
            yield chunk("a")
            raise exc

        return parts

    with pytest.raises(APIConnectionError):
        _ = [c async for c in AsyncStream(cast_to=Chunk, response=aresponse_of(make(httpx.ReadError("reset"))))]
    with pytest.raises(APITimeoutError):
        _ = [c async for c in AsyncStream(cast_to=Chunk, response=aresponse_of(make(httpx.ReadTimeout("slow"))))]


def test_event_too_large_raises_and_closes() -> None:
    stream = Stream(cast_to=Chunk, response=response_of([chunk("a"), b"data: " + b"x" * 5000]), max_event_size=1000)
    with pytest.raises(SSEEventTooLarge):
        list(stream)
    assert stream.response.is_closed


# -- retry before the first event ----------------------------------------------------------------------------------


def test_transport_failure_before_the_first_event_is_retried() -> None:
    def broken() -> Iterator[bytes]:
        raise httpx.ReadError("reset before anything")
        yield b""  # pragma: no cover

    first = response_of(broken)
    calls: list[BaseException | None] = []

    def retry(error: BaseException | None = None) -> httpx.Response:
        calls.append(error)
        return response_of([chunk("a"), DONE])

    stream = Stream(cast_to=Chunk, response=first, retry=retry)
    assert texts(list(stream)) == ["a"]
    assert len(calls) == 1 and isinstance(calls[0], APIConnectionError)
    assert first.is_closed and stream.response is not first and stream.response.is_closed


def test_no_retry_after_the_first_event() -> None:
    def parts() -> Iterator[bytes]:
        yield chunk("a")
        raise httpx.ReadError("reset")

    def retry(error: BaseException | None = None) -> httpx.Response:  # pragma: no cover
        raise AssertionError("must not retry once the caller has seen an event")

    with pytest.raises(APIConnectionError):
        list(Stream(cast_to=Chunk, response=response_of(parts), retry=retry))


def test_retry_that_gives_up_raises_its_error() -> None:
    def retry(error: BaseException | None = None) -> httpx.Response:
        assert error is not None
        raise error

    with pytest.raises(APIConnectionError):
        list(Stream(cast_to=Chunk, response=response_of([]), retry=retry))


async def test_async_retry_before_the_first_event() -> None:
    async def broken() -> AsyncIterator[bytes]:
        raise httpx.ReadError("reset")
        yield b""  # pragma: no cover

    async def retry(error: BaseException | None = None) -> httpx.Response:
        return aresponse_of([chunk("b"), DONE])

    stream = AsyncStream(cast_to=Chunk, response=aresponse_of(broken), retry=retry)
    assert texts([c async for c in stream]) == ["b"]


# -- closing -------------------------------------------------------------------------------------------------------


def endless() -> Iterator[bytes]:
    while True:
        yield chunk("x")


async def aendless() -> AsyncIterator[bytes]:
    while True:
        yield chunk("x")


def test_close_and_with_close_the_response() -> None:
    stream = Stream(cast_to=Chunk, response=response_of(endless))
    next(stream)
    stream.close()
    assert stream.response.is_closed
    stream.close()  # twice is fine
    with Stream(cast_to=Chunk, response=response_of(endless)) as stream2:
        next(iter(stream2))
    assert stream2.response.is_closed


def test_break_then_drop_closes_without_the_cycle_collector() -> None:
    gc.disable()
    try:
        response = response_of(endless)
        stream = Stream(cast_to=Chunk, response=response)
        for _ in stream:
            break
        assert not response.is_closed
        del stream
        assert response.is_closed
    finally:
        gc.enable()


def test_iterating_a_temporary_stream_is_not_closed_early() -> None:
    # ``for c in Stream(...)`` keeps only the iterator: the stream object is gone at once.
    gc.disable()
    try:
        assert texts(list(iter(Stream(cast_to=Chunk, response=response_of([chunk("a"), chunk("b"), DONE]))))) == [
            "a",
            "b",
        ]
    finally:
        gc.enable()


def test_never_iterated_stream_closes_when_dropped() -> None:
    gc.disable()
    try:
        response = response_of(endless)
        stream = Stream(cast_to=Chunk, response=response)
        del stream
        assert response.is_closed
    finally:
        gc.enable()


def test_exception_in_consumer_closes_via_with() -> None:
    stream = Stream[Chunk](cast_to=Chunk, response=response_of(endless))
    with pytest.raises(KeyError):
        with stream:
            for _ in stream:
                raise KeyError("consumer failed")
    assert stream.response.is_closed


async def test_async_close_aclose_and_async_with() -> None:
    stream = AsyncStream(cast_to=Chunk, response=aresponse_of(aendless))
    await stream.__anext__()
    await stream.close()
    assert stream.response.is_closed
    stream2 = AsyncStream(cast_to=Chunk, response=aresponse_of(aendless))
    await stream2.__anext__()
    await stream2.aclose()
    assert stream2.response.is_closed
    async with AsyncStream(cast_to=Chunk, response=aresponse_of(aendless)) as stream3:
        async for _ in stream3:
            break
    assert stream3.response.is_closed


async def test_async_abandoned_streams_are_closed_by_the_loop() -> None:
    responses: list[httpx.Response] = []
    for _ in range(3):
        response = aresponse_of(aendless)
        responses.append(response)
        stream = AsyncStream(cast_to=Chunk, response=response)
        async for _ in stream:
            break
        del stream
    never = aresponse_of(aendless)
    responses.append(never)
    AsyncStream(cast_to=Chunk, response=never)  # dropped before iterating
    gc.collect()
    for _ in range(20):
        await asyncio.sleep(0)
    assert all(r.is_closed for r in responses)


# -- deadlines -----------------------------------------------------------------------------------------------------


def test_bounded_timeout_helper() -> None:
    base = httpx.Timeout(60.0, connect=5.0)
    now = time.monotonic()
    assert bounded_timeout(base).read == 60.0
    assert bounded_timeout(base, idle=2.0).read == 2.0
    assert bounded_timeout(httpx.Timeout(None), idle=3.0).read == 3.0
    capped = bounded_timeout(base, idle=10.0, until=now + 1.0, read_until=now + 2.0, now=now)
    assert capped.read is not None and capped.read <= 2.0
    assert capped.connect is not None and capped.connect <= 1.0
    # A stream's reads are bounded by its own deadline, not by the call's total_timeout.
    assert bounded_timeout(base, until=now + 1.0, now=now).read == 60.0


def test_sync_idle_timeout_is_not_reset_by_comments() -> None:
    def parts() -> Iterator[bytes]:
        yield chunk("a")
        for _ in range(100):
            time.sleep(0.02)
            yield b": keep-alive\n\n"

    started = time.monotonic()
    got: list[Any] = []
    with pytest.raises(APITimeoutError, match="stream_idle_timeout"):
        got.extend(Stream(cast_to=Chunk, response=response_of(parts), idle_timeout=0.2))
    assert texts(got) == ["a"]
    assert time.monotonic() - started < 1.0


def test_sync_deadline() -> None:
    def parts() -> Iterator[bytes]:
        for _ in range(100):
            time.sleep(0.02)
            yield chunk("a")

    started = time.monotonic()
    with pytest.raises(APITimeoutError, match="stream_deadline"):
        list(Stream(cast_to=Chunk, response=response_of(parts), deadline=time.monotonic() + 0.2))
    assert time.monotonic() - started < 1.0


async def test_async_idle_timeout_fires_on_a_silent_server() -> None:
    async def parts() -> AsyncIterator[bytes]:
        yield chunk("a")
        await asyncio.sleep(30)
        yield DONE  # pragma: no cover

    started = time.monotonic()
    with pytest.raises(APITimeoutError, match="stream_idle_timeout"):
        _ = [c async for c in AsyncStream(cast_to=Chunk, response=aresponse_of(parts), idle_timeout=0.2)]
    assert time.monotonic() - started < 1.0


async def test_async_idle_timeout_is_not_reset_by_comments() -> None:
    async def parts() -> AsyncIterator[bytes]:
        yield chunk("a")
        for _ in range(100):
            await asyncio.sleep(0.02)
            yield b": ping\n\n"

    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        _ = [c async for c in AsyncStream(cast_to=Chunk, response=aresponse_of(parts), idle_timeout=0.2)]
    assert 0.15 < time.monotonic() - started < 1.0


async def test_async_deadline_cuts_a_steady_stream() -> None:
    async def parts() -> AsyncIterator[bytes]:
        while True:
            await asyncio.sleep(0.01)
            yield chunk("a")

    started = time.monotonic()
    got: list[Any] = []
    with pytest.raises(APITimeoutError, match="stream_deadline"):
        async for c in AsyncStream(cast_to=Chunk, response=aresponse_of(parts), deadline=time.monotonic() + 0.2):
            got.append(c)
    assert got and time.monotonic() - started < 1.0


async def test_async_idle_timeout_counts_from_the_last_event_not_the_start() -> None:
    async def parts() -> AsyncIterator[bytes]:
        for _ in range(8):
            await asyncio.sleep(0.05)
            yield chunk("a")
        yield DONE

    got = [c async for c in AsyncStream(cast_to=Chunk, response=aresponse_of(parts), idle_timeout=0.3)]
    assert len(got) == 8


@both
def test_done_is_also_accepted_where_the_body_end_is_the_end(run: Callable[..., list[Any]]) -> None:
    events = [b'data: {"type": "response.output_text.delta", "delta": "a"}\n\n', DONE]
    got = run(events, cast_to=ResponseEvent, terminator=None)
    assert len(got) == 1 and isinstance(got[0], TextDelta)


def test_a_slow_consumer_is_not_an_idle_server() -> None:
    stream = Stream(cast_to=Chunk, response=response_of([chunk("a"), chunk("b"), DONE]), idle_timeout=0.1)
    time.sleep(0.15)  # before iterating
    got: list[Any] = []
    for c in stream:
        got.append(c)
        time.sleep(0.15)  # between chunks, with the next one already read
    assert texts(got) == ["a", "b"]


async def test_async_slow_consumer_is_not_an_idle_server() -> None:
    stream = AsyncStream(cast_to=Chunk, response=aresponse_of([chunk("a"), chunk("b"), DONE]), idle_timeout=0.1)
    await asyncio.sleep(0.15)
    got: list[Any] = []
    async for c in stream:
        got.append(c)
        await asyncio.sleep(0.15)
    assert texts(got) == ["a", "b"]
