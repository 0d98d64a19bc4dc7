"""The client's stream retry with the real ``Stream`` over TCP: resent only before the first event."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from oai._core import APIConnectionError, AsyncStream, InternalServerError, Stream, make_request_options
from oai._core._retry import RetryPolicy

from tests._client_fakes import API_KEY, AsyncClient, Chunk, Client
from tests._servers import DROP, Reply, Request, serve

EVENTS = 'data: {"id":"c1","delta":"he"}\n\ndata: {"id":"c2","delta":"llo"}\n\ndata: [DONE]\n\n'
SSE = Reply(200, EVENTS, {"content-type": "text/event-stream", "x-request-id": "req_sse"})
HALF = Reply(200, 'data: {"id":"c1","delta":"he"}\n\n', {"content-type": "text/event-stream"})


class Script:
    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> Reply:
        with self.lock:
            reply = self.replies[min(self.count, len(self.replies) - 1)]
            self.count += 1
        return reply


def stream_call(client: Client, **options: Any) -> Stream[Chunk]:
    return client.request(
        "post",
        "/chat/completions",
        body={"stream": True},
        cast_to=Chunk,
        stream=True,
        stream_cls=Stream[Chunk],
        options=make_request_options(**options),
    )


def fast(client: Client) -> Client:
    client._sleep = lambda seconds: time.sleep(seconds)  # type: ignore[method-assign]
    client._retry_policy = RetryPolicy(initial_delay=0.01)
    return client


pytestmark = pytest.mark.skipif(not hasattr(Stream, "__enter__"), reason="the streaming core is not installed")


def test_stream_over_tcp() -> None:
    with serve(Script(SSE)) as server, fast(Client(api_key=API_KEY, base_url=server.url)) as client:
        with stream_call(client) as stream:
            chunks = list(stream)
        assert [c.delta for c in chunks] == ["he", "llo"]
        assert server.requests[0].headers["accept"] == "text/event-stream"


def test_status_error_before_the_stream_is_retried() -> None:
    busy = Reply(503, {"error": {"message": "busy"}}, {"retry-after-ms": "10"})
    with serve(Script(busy, SSE)) as server, fast(Client(api_key=API_KEY, base_url=server.url)) as client:
        with stream_call(client) as stream:
            assert [c.id for c in stream] == ["c1", "c2"]
        assert len(server.requests) == 2
    with serve(Script(busy)) as server, fast(Client(api_key=API_KEY, base_url=server.url)) as client:
        with pytest.raises(InternalServerError, match="busy"):
            stream_call(client)
        assert len(server.requests) == 3


def test_body_ending_before_the_first_event_raises_by_default() -> None:
    empty = Reply(200, "", {"content-type": "text/event-stream"})
    with serve(Script(empty, SSE)) as server, fast(Client(api_key=API_KEY, base_url=server.url)) as client:
        with pytest.raises(APIConnectionError), stream_call(client) as stream:
            list(stream)
        assert len(server.requests) == 1  # the server answered 200: it may be generating already


def test_body_ending_before_the_first_event_is_retried_with_the_same_key_when_opted_in() -> None:
    empty = Reply(200, "", {"content-type": "text/event-stream"})
    with serve(Script(empty, SSE)) as server, fast(Client(api_key=API_KEY, base_url=server.url)) as client:
        with stream_call(client, retry_stream_before_first_event=True) as stream:
            assert [c.id for c in stream] == ["c1", "c2"]
        assert len(server.requests) == 2
        assert len({r.headers["idempotency-key"] for r in server.requests}) == 1


def test_no_retry_after_the_first_event() -> None:
    with serve(Script(HALF, SSE)) as server, fast(Client(api_key=API_KEY, base_url=server.url)) as client:
        got: list[str] = []
        with pytest.raises(APIConnectionError), stream_call(client) as stream:
            for chunk in stream:
                got.append(chunk.id)
        assert got == ["c1"]
        assert len(server.requests) == 1


def test_retry_budget_is_shared_with_the_initial_send() -> None:
    with serve(Script(DROP, DROP, SSE)) as server, fast(Client(api_key=API_KEY, base_url=server.url)) as client:
        with stream_call(client) as stream:  # two connection drops use up the default budget of 2
            assert [c.id for c in stream] == ["c1", "c2"]
        assert len(server.requests) == 3
    empty = Reply(200, "", {"content-type": "text/event-stream"})
    with serve(Script(DROP, DROP, empty, SSE)) as server:
        with fast(Client(api_key=API_KEY, base_url=server.url)) as client:
            with pytest.raises(APIConnectionError), stream_call(client) as stream:
                list(stream)
        assert len(server.requests) == 3


async def test_async_stream_over_tcp_with_retry() -> None:
    empty = Reply(200, "", {"content-type": "text/event-stream"})
    with serve(Script(empty, SSE)) as server:
        async with AsyncClient(api_key=API_KEY, base_url=server.url, retry_stream_before_first_event=True) as client:
            client._retry_policy = RetryPolicy(initial_delay=0.01)
            stream = await client.request(
                "post", "/chat/completions", body={}, cast_to=Chunk, stream=True, stream_cls=AsyncStream[Chunk]
            )
            async with stream:
                assert [c.id async for c in stream] == ["c1", "c2"]
        assert len(server.requests) == 2
