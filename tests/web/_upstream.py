"""A stand-in for the model server behind the web example, run as its own process, that sees cancellations.

    python tests/web/_upstream.py     # prints "PORT <n>" once it listens on 127.0.0.1:<n>

It answers ``POST /v1/chat/completions`` and ``POST /v1/responses`` with
event streams whose behaviour the last user message (or ``input``) picks:

* anything else: ``REPLY`` in ``len(REPLY.split())`` text deltas, then the end;
* ``hold``: the first delta, then nothing until the next ``POST /_release``, then the rest;
* ``slow``: one delta every ``SLOW_GAP`` seconds, ``SLOW_COUNT`` of them;
* ``fail``: two deltas, then an error object in the stream;
* ``drop``: two deltas, then the connection is reset.

While it streams, it also reads the connection: a client that goes away is
seen at once (end of file), counted as ``cancelled`` and the stream stops.
``GET /_stats`` returns ``{"requests", "open", "completed", "cancelled"}``.
Written on asyncio streams, not a framework, so that a disconnect is seen
while nothing is being written.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import sys
from typing import Any

REPLY = "The pipes hum softly under the quiet city tonight"
SLOW_GAP = 0.2
SLOW_COUNT = 200


class Upstream:
    def __init__(self) -> None:
        self.stats = {"requests": 0, "open": 0, "completed": 0, "cancelled": 0}
        self.release = asyncio.Event()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                method, path, body = request
                if path == "/_stats":
                    await _respond(writer, 200, json.dumps(self.stats).encode())
                elif path == "/_release":  # releases the streams held now; later ones wait for the next release
                    self.release.set()
                    self.release = asyncio.Event()
                    await _respond(writer, 200, b"{}")
                elif method == "POST" and path in ("/v1/chat/completions", "/v1/responses"):
                    keep = await self.stream(reader, writer, path, json.loads(body or b"{}"))
                    if not keep:
                        return
                else:
                    await _respond(writer, 404, b'{"error": {"message": "no such route"}}')
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def stream(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str, body: Any) -> bool:
        self.stats["requests"] += 1
        self.stats["open"] += 1
        prompt = _prompt(body)
        events = _Chat() if path.endswith("/chat/completions") else _Responses()
        gone = asyncio.ensure_future(reader.read(1))  # the client sends nothing more: b"" means it went away
        try:
            writer.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n"
                b"x-request-id: req_upstream\r\n\r\n"
            )
            for frame in events.start():
                await _chunk(writer, frame)
            words = REPLY.split() if prompt != "slow" else [f"w{i}" for i in range(SLOW_COUNT)]
            for index, word in enumerate(words):
                if gone.done():
                    self.stats["cancelled"] += 1
                    return False
                await _chunk(writer, events.delta(word if index == 0 else " " + word))
                if prompt == "hold" and index == 0:
                    await _first(self.release.wait(), gone)
                elif prompt == "slow":
                    await _first(asyncio.sleep(SLOW_GAP), gone)
                elif prompt in ("fail", "drop") and index == 1:
                    if prompt == "drop":
                        sock = writer.get_extra_info("socket")
                        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        writer.transport.abort()
                        return False
                    error = {"error": {"message": "The model is overloaded", "type": "server_error"}}
                    await _chunk(writer, b"data: " + json.dumps(error).encode() + b"\n\n")
                    break
                else:
                    await asyncio.sleep(0.005)
            if gone.done():
                self.stats["cancelled"] += 1
                return False
            for frame in events.end():
                await _chunk(writer, frame)
            writer.write(b"0\r\n\r\n")
            await writer.drain()
            self.stats["completed"] += 1
            return False  # one stream per connection: the rest of the connection is the cancellation watch
        except ConnectionError:
            self.stats["cancelled"] += 1
            return False
        finally:
            self.stats["open"] -= 1
            gone.cancel()


async def _first(waiting: Any, gone: asyncio.Future[bytes]) -> None:
    """Wait for ``waiting`` or for the client to go away, whichever comes first."""
    task = asyncio.ensure_future(waiting)
    await asyncio.wait({task, gone}, return_when=asyncio.FIRST_COMPLETED)
    task.cancel()


class _Chat:
    def _chunk(self, delta: dict[str, Any], finish: str | None = None) -> bytes:
        obj = {
            "id": "chatcmpl-up",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "upstream",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return b"data: " + json.dumps(obj).encode() + b"\n\n"

    def start(self) -> list[bytes]:
        return [self._chunk({"role": "assistant", "content": ""})]

    def delta(self, text: str) -> bytes:
        return self._chunk({"content": text})

    def end(self) -> list[bytes]:
        return [self._chunk({}, "stop"), b"data: [DONE]\n\n"]


class _Responses:
    def __init__(self) -> None:
        self.sequence = 0
        self.text = ""

    def _event(self, obj: dict[str, Any]) -> bytes:
        obj["sequence_number"] = self.sequence
        self.sequence += 1
        return f"event: {obj['type']}\n".encode() + b"data: " + json.dumps(obj).encode() + b"\n\n"

    def _response(self, status: str) -> dict[str, Any]:
        output: list[dict[str, Any]] = []
        if status == "completed":
            content: list[dict[str, Any]] = [{"type": "output_text", "text": self.text, "annotations": []}]
            output = [
                {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed", "content": content}
            ]
        return {
            "id": "resp_1",
            "object": "response",
            "created_at": 1,
            "model": "upstream",
            "status": status,
            "output": output,
        }

    def start(self) -> list[bytes]:
        item: dict[str, Any] = {
            "type": "message",
            "id": "msg_1",
            "role": "assistant",
            "status": "in_progress",
            "content": [],
        }
        return [
            self._event({"type": "response.created", "response": self._response("in_progress")}),
            self._event({"type": "response.output_item.added", "output_index": 0, "item": item}),
            self._event(
                {
                    "type": "response.content_part.added",
                    "item_id": "msg_1",
                    "output_index": 0,
                    "content_index": 0,
                    "part": {"type": "output_text", "text": "", "annotations": []},
                }
            ),
        ]

    def delta(self, text: str) -> bytes:
        self.text += text
        return self._event(
            {
                "type": "response.output_text.delta",
                "item_id": "msg_1",
                "output_index": 0,
                "content_index": 0,
                "delta": text,
                "logprobs": [],
            }
        )

    def end(self) -> list[bytes]:
        return [
            self._event(
                {
                    "type": "response.output_text.done",
                    "item_id": "msg_1",
                    "output_index": 0,
                    "content_index": 0,
                    "text": self.text,
                    "logprobs": [],
                }
            ),
            self._event({"type": "response.completed", "response": self._response("completed")}),
        ]


def _prompt(body: Any) -> str:
    if isinstance(body.get("input"), str):
        return str(body["input"])
    messages: list[dict[str, Any]] = body.get("messages") or [{}]
    return str(messages[-1].get("content", ""))


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, bytes] | None:
    line = await reader.readline()
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    length = 0
    while True:
        header = await reader.readline()
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return method, target.split("?", 1)[0], body


async def _respond(writer: asyncio.StreamWriter, status: int, body: bytes) -> None:
    head = f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\ncontent-type: application/json\r\n"
    writer.write(head.encode() + f"content-length: {len(body)}\r\n\r\n".encode() + body)
    await writer.drain()


async def _chunk(writer: asyncio.StreamWriter, data: bytes) -> None:
    writer.write(b"%x\r\n%s\r\n" % (len(data), data))
    await writer.drain()


async def main() -> None:
    upstream = Upstream()
    server = await asyncio.start_server(upstream.handle, "127.0.0.1", 0, backlog=512)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
