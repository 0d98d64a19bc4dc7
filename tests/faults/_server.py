"""A small raw HTTP/1.1 server on 127.0.0.1 that misbehaves on request.

Written on asyncio streams rather than a framework so that it can do what
frameworks prevent: reset a connection mid-body, stop in the middle of an
event, stall, or stream a line that never ends. It runs in a background
thread with its own event loop; every connection handler is tracked and
cancelled on ``stop()``, so nothing outlives the test module.

The request header ``x-fault`` picks the behaviour (see ``_FAULTS``);
``x-fault-once`` applies the fault to the first request with that key only
and serves normally afterwards (to test retries). Every request's method,
path and headers are kept in ``FaultServer.seen``.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import threading
from collections.abc import Awaitable, Callable
from typing import Any

CHUNKS = 3
"""Content chunks in a normal stream (then a finish chunk and ``[DONE]``)."""


def sse_chunk(content: str | None, finish: str | None = None) -> bytes:
    delta: dict[str, Any] = {} if content is None else {"content": content}
    obj = {
        "id": "chatcmpl-fault",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "fault-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(obj, separators=(",", ":")).encode() + b"\n\n"


def good_events() -> list[bytes]:
    return [sse_chunk(f"w{i} ") for i in range(CHUNKS)] + [sse_chunk(None, "stop"), b"data: [DONE]\n\n"]


TRICKLE = 0.05
"""Seconds between two bytes of a trickled head or body: never silent for long, never done."""


def completion_json() -> bytes:
    obj = {
        "id": "chatcmpl-fault",
        "object": "chat.completion",
        "created": 1,
        "model": "fault-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
    }
    return json.dumps(obj, separators=(",", ":")).encode()


class _Writer:
    """Chunked transfer encoding over an asyncio writer; ``headers`` are the request's (lower-case names)."""

    def __init__(self, writer: asyncio.StreamWriter, headers: dict[str, str]) -> None:
        self.writer = writer
        self.headers = headers

    async def raw(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def respond(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        """A whole response with a content-length."""
        lines = [
            f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}",
            "content-type: application/json",
            f"content-length: {len(body)}",
            "x-request-id: req_fault",
            *(f"{k}: {v}" for k, v in (headers or {}).items()),
        ]
        await self.raw(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    async def head(self, *, content_type: str = "text/event-stream", close: bool = False) -> None:
        lines = [
            "HTTP/1.1 200 OK",
            f"content-type: {content_type}",
            "transfer-encoding: chunked",
            "x-request-id: req_fault",
            f"connection: {'close' if close else 'keep-alive'}",
        ]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self.writer.drain()

    async def chunk(self, data: bytes) -> None:
        self.writer.write(b"%x\r\n%s\r\n" % (len(data), data))
        await self.writer.drain()

    async def end(self) -> None:
        self.writer.write(b"0\r\n\r\n")
        await self.writer.drain()


Fault = Callable[[_Writer], Awaitable[bool]]  # returns whether the connection may be kept alive


async def _ok(w: _Writer) -> bool:
    await w.head()
    for event in good_events():
        await w.chunk(event)
    await w.end()
    return True


async def _reset(w: _Writer) -> bool:
    await w.head()
    for event in good_events()[:2]:
        await w.chunk(event)
    await asyncio.sleep(0.1)  # let the client read them before the RST discards anything unread
    sock = w.writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    w.writer.transport.abort()
    return False


async def _reset_first(w: _Writer) -> bool:
    await w.head()
    sock = w.writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    w.writer.transport.abort()
    return False


async def _truncate(w: _Writer) -> bool:
    # Half an event, then a clean close without the chunked body's end: the body is incomplete.
    await w.head(close=True)
    await w.chunk(good_events()[0])
    await w.chunk(good_events()[1][:25])
    return False


async def _eof_no_done(w: _Writer) -> bool:
    # A complete, well-framed body that just stops before [DONE].
    await w.head()
    for event in good_events()[:2]:
        await w.chunk(event)
    await w.end()
    return True


async def _malformed(w: _Writer) -> bool:
    await w.head()
    await w.chunk(good_events()[0])
    await w.chunk(b'data: {"id": "x", "choices": [oops}\n\n')
    await w.chunk(b"data: [DONE]\n\n")
    await w.end()
    return True


async def _error_event(w: _Writer) -> bool:
    await w.head()
    await w.chunk(good_events()[0])
    error = {"error": {"message": "The server had an error", "type": "server_error", "code": "overloaded"}}
    await w.chunk(b"data: " + json.dumps(error).encode() + b"\n\n")
    await w.chunk(b"data: [DONE]\n\n")
    await w.end()
    return True


async def _typed_error_event(w: _Writer) -> bool:
    await w.head()
    await w.chunk(good_events()[0])
    await w.chunk(b'event: error\ndata: {"type": "error", "code": "rate_limit_exceeded", "message": "Slow down"}\n\n')
    await w.end()
    return True


async def _stall(w: _Writer) -> bool:
    await w.head()
    await w.chunk(good_events()[0])
    await asyncio.sleep(30)  # cancelled when the client goes away or the server stops
    return False


async def _stall_keepalive(w: _Writer) -> bool:
    await w.head()
    await w.chunk(good_events()[0])
    for _ in range(300):
        await asyncio.sleep(0.05)
        await w.chunk(b": keep-alive\n\n")
    return False


async def _keepalive_then_stall(w: _Writer) -> bool:
    # One keep-alive comment late in a 1 s idle window, then silence: the idle clock must not restart.
    await w.head()
    await w.chunk(good_events()[0])
    await asyncio.sleep(0.8)
    await w.chunk(b": keep-alive\n\n")
    await asyncio.sleep(30)
    return False


ENDLESS_LIMIT = 64 * 1024 * 1024
"""The endless line stops after this many bytes even if nobody stops reading (bounded test)."""


async def _endless(w: _Writer) -> bool:
    await w.head()
    await w.chunk(good_events()[0])
    await w.chunk(b"data: ")
    block = b"x" * 65536
    sent = 0
    while sent < ENDLESS_LIMIT:
        await w.chunk(block)
        sent += len(block)
    return False


async def _invalid_utf8_in_string(w: _Writer) -> bool:
    await w.head()
    await w.chunk(sse_chunk("a#b").replace(b"#", b"\xff\xfe"))
    await w.chunk(b"data: [DONE]\n\n")
    await w.end()
    return True


async def _invalid_utf8_outside_string(w: _Writer) -> bool:
    await w.head()
    await w.chunk(b'data: {"id": "x"\xff, "choices": []}\n\n')
    await w.chunk(b"data: [DONE]\n\n")
    await w.end()
    return True


async def _not_sse(w: _Writer) -> bool:
    await w.head(content_type="application/json")
    await w.chunk(b'{"error": {"message": "this server does not stream"}}')
    await w.end()
    return True


async def _first_chunk_then_much_more(w: _Writer) -> bool:
    # For the abandoned-streams test: one chunk, then plenty that nobody reads.
    await w.head()
    await w.chunk(good_events()[0])
    await w.chunk(_MANY_REST)
    await w.end()
    return True


_MANY_REST = good_events()[1] * 50 + b"data: [DONE]\n\n"


async def _header_trickle(w: _Writer) -> bool:
    # The response head one byte at a time: each read gets something, the head is never complete.
    head = (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-request-id: req_fault\r\n" + b"x-pad: " + b"a" * 400
    )
    for i in range(len(head)):
        await w.raw(head[i : i + 1])
        await asyncio.sleep(TRICKLE)
    return False


async def _body_trickle(w: _Writer) -> bool:
    # A non-streaming JSON body one byte at a time (the content-length says there is more).
    body = completion_json() + b" " * 2000
    head = f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    await w.raw(head.encode())
    for i in range(len(body)):
        await w.raw(body[i : i + 1])
        await asyncio.sleep(TRICKLE)
    return False


async def _done_then_keepalive(w: _Writer) -> bool:
    # Everything, [DONE], then comments forever: the stream is over at [DONE].
    await w.head()
    for event in good_events():
        await w.chunk(event)
    for _ in range(600):
        await asyncio.sleep(TRICKLE)
        await w.chunk(b": keep-alive\n\n")
    return False


async def _done_then_silent(w: _Writer) -> bool:
    await w.head()
    for event in good_events():
        await w.chunk(event)
    await asyncio.sleep(30)
    return False


async def _comments_forever(w: _Writer) -> bool:
    # A 200, then only keep-alive comments: no event ever comes.
    await w.head()
    for _ in range(600):
        await w.chunk(b": keep-alive\n\n")
        await asyncio.sleep(TRICKLE)
    return False


async def _stall_first(w: _Writer) -> bool:
    # A 200, then silence before the first event.
    await w.head()
    await asyncio.sleep(30)
    return False


async def _retry_after_huge(w: _Writer) -> bool:
    body = b'{"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}'
    await w.respond(429, body, {"retry-after": "999999"})
    return True


async def _status_503(w: _Writer) -> bool:
    await w.respond(503, b'{"error": {"message": "busy", "type": "server_error"}}', {"retry-after-ms": "20"})
    return True


async def _error_200(w: _Writer) -> bool:
    body = b'{"error": {"message": "The model is overloaded", "type": "server_error", "code": "overloaded"}}'
    await w.respond(200, body)
    return True


async def _completion(w: _Writer) -> bool:
    await w.respond(200, completion_json())
    return True


async def _echo_auth(w: _Writer) -> bool:
    # A 401 that quotes the credentials it got, as some proxies do.
    quoted = json.dumps(f"Incorrect API key provided: {w.headers.get('authorization', '')}")
    await w.respond(401, b'{"error": {"message": ' + quoted.encode() + b', "type": "invalid_request_error"}}')
    return True


BIG_EVENT = 100_000
"""Bytes of content in the ``big-event`` stream's one chunk."""


async def _big_event(w: _Writer) -> bool:
    await w.head()
    await w.chunk(sse_chunk("x" * BIG_EVENT))
    await w.chunk(b"data: [DONE]\n\n")
    await w.end()
    return True


_FAULTS: dict[str, Fault] = {
    "ok": _ok,
    "reset": _reset,
    "reset-first": _reset_first,
    "truncate": _truncate,
    "eof-no-done": _eof_no_done,
    "malformed": _malformed,
    "error-event": _error_event,
    "typed-error-event": _typed_error_event,
    "stall": _stall,
    "stall-keepalive": _stall_keepalive,
    "keepalive-then-stall": _keepalive_then_stall,
    "endless": _endless,
    "invalid-utf8-in-string": _invalid_utf8_in_string,
    "invalid-utf8-outside-string": _invalid_utf8_outside_string,
    "not-sse": _not_sse,
    "many": _first_chunk_then_much_more,
    "header-trickle": _header_trickle,
    "body-trickle": _body_trickle,
    "done-then-keepalive": _done_then_keepalive,
    "done-then-silent": _done_then_silent,
    "comments-forever": _comments_forever,
    "stall-first": _stall_first,
    "retry-after-huge": _retry_after_huge,
    "status-503": _status_503,
    "error-200": _error_200,
    "completion": _completion,
    "echo-auth": _echo_auth,
    "big-event": _big_event,
}


class FaultServer:
    """``with FaultServer() as server:`` → ``server.base_url`` (ends in ``/v1``)."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-server", daemon=True)
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._once: set[str] = set()
        self.port = 0
        self.connections = 0
        self.requests = 0
        self.open_connections = 0
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        """(method, path, headers) of every request, in order."""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        future.result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # pyright: ignore[reportUnknownMemberType]
        self.connections += 1
        self.open_connections += 1
        try:
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.CancelledError):
            pass
        finally:
            self.open_connections -= 1
            self._tasks.discard(task)  # pyright: ignore[reportUnknownMemberType]
            writer.transport.abort()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=30)
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = (lines[0].split(" ") + ["", ""])[:3]
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            length = int(headers.get("content-length", "0"))
            if length:
                await reader.readexactly(length)
            self.requests += 1
            self.seen.append((method, path, headers))
            fault = headers.get("x-fault", "ok")
            once = headers.get("x-fault-once")
            if once is not None:
                fault = "ok" if once in self._once else fault
                self._once.add(once)
            keep = await _FAULTS[fault](_Writer(writer, headers))
            if not keep:
                return
