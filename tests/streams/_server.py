"""A server on 127.0.0.1 that streams, drops streams mid-way, and resumes them as the real APIs do.

* ``POST /v1/responses`` streams a Responses API run of ``WORDS`` text deltas
  (``response.created`` ... ``response.completed``, numbered by
  ``sequence_number``); ``GET /v1/responses/{id}?stream=true&starting_after=N``
  streams the same run's events after ``N`` -- what OpenAI serves for a
  background response. Every response id lives on in ``ResumeServer.runs``.
* ``POST /v1/chat/completions`` streams a chat completion (see ``_chat``).
* ``GET /v1/events`` streams numbered events with SSE ``id:`` lines and a
  ``retry:`` field, and on ``Last-Event-ID: N`` continues after event ``N``.

Request headers choose the misbehaviour, for the first request of a run only
unless said otherwise: ``x-drop-after: K`` resets the connection after K
events (``x-drop-times: T`` does it on T connections in a row, resumes
included; ``x-drop-resumed-after: K`` sets K for the resumed ones);
``x-end-after: K`` ends the body cleanly after K events, without the
terminal event; ``x-overlap: M`` makes a resumed stream send the M
events before ``starting_after`` again (a server may; the client must drop
them); ``x-chat: <mode>`` picks a chat dialect or fault; ``x-fixture: <file>`` answers
any POST with a stream body from ``fixtures/``.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import threading
import urllib.parse
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
"""Stream bodies: llama-server captures (from ../shared/samples) and vLLM / Ollama streams per their docs."""

WORDS = ["The ", "quick ", "brown ", "fox ", "jumps ", "over ", "the ", "lazy ", "dog."]
TEXT = "".join(WORDS)


def _sse(obj: dict[str, Any], *, event: str | None = None, event_id: str | None = None) -> bytes:
    lines = b""
    if event is not None:
        lines += b"event: " + event.encode() + b"\n"
    if event_id is not None:
        lines += b"id: " + event_id.encode() + b"\n"
    return lines + b"data: " + json.dumps(obj, separators=(",", ":")).encode() + b"\n\n"


def response_events(response_id: str, *, fail: bool = False) -> list[dict[str, Any]]:
    """Every event of one Responses run, numbered from 0."""
    base: dict[str, Any] = {
        "id": response_id,
        "object": "response",
        "created_at": 1,
        "model": "resume-model",
        "output": [],
    }
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": {**base, "status": "in_progress"}},
        {"type": "response.in_progress", "response": {**base, "status": "in_progress"}},
    ]
    for word in WORDS:
        events.append(
            {
                "type": "response.output_text.delta",
                "item_id": "msg_1",
                "output_index": 0,
                "content_index": 0,
                "delta": word,
                "logprobs": [],
            }
        )
    if fail:
        events.append(
            {
                "type": "response.failed",
                "response": {
                    **base,
                    "status": "failed",
                    "error": {"code": "server_error", "message": "The model crashed."},
                },
            }
        )
    else:
        usage = {
            "input_tokens": 5,
            "output_tokens": len(WORDS),
            "total_tokens": 5 + len(WORDS),
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens_details": {"reasoning_tokens": 0},
        }
        events.append({"type": "response.completed", "response": {**base, "status": "completed", "usage": usage}})
    for number, event in enumerate(events):
        event["sequence_number"] = number
    return events


def chat_chunk(
    delta: dict[str, Any] | None,
    finish: str | None = None,
    *,
    usage: dict[str, Any] | None = None,
    choices: bool = True,
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": "chatcmpl-resume",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "resume-model",
        "choices": [],
    }
    if choices:
        obj["choices"] = [{"index": 0, "delta": delta or {}, "finish_reason": finish}]
    if usage is not None:
        obj["usage"] = usage
    return obj


USAGE = {"prompt_tokens": 5, "completion_tokens": len(WORDS), "total_tokens": 5 + len(WORDS)}


def chat_events(mode: str) -> list[dict[str, Any]]:
    """The chunks of a chat stream in one dialect (``x-chat``)."""
    if mode == "reasoning_content":  # DeepSeek, vLLM, llama.cpp
        thinking = [
            chat_chunk({"role": "assistant", "content": None, "reasoning_content": "Let me think. "}),
            chat_chunk({"reasoning_content": "A fox."}),
        ]
    elif mode == "reasoning":  # OpenRouter, Ollama
        thinking = [
            chat_chunk({"role": "assistant", "content": "", "reasoning": "Let me think. "}),
            chat_chunk({"reasoning": "A fox."}),
        ]
    else:
        thinking = [chat_chunk({"role": "assistant", "content": ""})]
    if mode == "tools-no-index":  # tool-call deltas without index (and id only on the first)
        calls = [
            chat_chunk(
                {
                    "tool_calls": [
                        {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": ""}}
                    ]
                }
            ),
            chat_chunk({"tool_calls": [{"function": {"arguments": '{"city":'}}]}),
            chat_chunk({"tool_calls": [{"function": {"arguments": ' "Paris"}'}}]}),
            chat_chunk(
                {
                    "tool_calls": [
                        {"id": "call_2", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}
                    ]
                }
            ),
            chat_chunk({}, "tool_calls"),
        ]
        return thinking + calls
    body = [chat_chunk({"content": word}) for word in WORDS]
    finish = "error" if mode == "finish-error" else "stop"
    if mode == "usage-only":  # the final chunk carries usage and no choices (stream_options.include_usage)
        return thinking + body + [chat_chunk({}, finish), chat_chunk(None, usage=USAGE, choices=False)]
    return thinking + body + [chat_chunk({}, finish, usage=USAGE)]


class ResumeServer:
    """``with ResumeServer() as server:`` -> ``server.base_url`` (ends in ``/v1``)."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="resume-server", daemon=True)
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        """(method, path with query, headers) of every request."""
        self.runs: dict[str, dict[str, Any]] = {}
        """Response id -> its events and the faults left to play."""
        self.sent: dict[str, list[int]] = {}
        """Response id (or ``"events"``) -> the numbers of the events written, in order, across connections."""
        self._count = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> ResumeServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
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
        try:
            while await self._serve(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)  # pyright: ignore[reportUnknownMemberType]
            writer.transport.abort()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=30)
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = (lines[0].split(" ") + ["", ""])[:3]
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        length = int(headers.get("content-length", "0"))
        if length:
            await reader.readexactly(length)
        self.seen.append((method, target, headers))
        url = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(url.query))
        if "x-fixture" in headers:
            return await self._fixture(writer, headers["x-fixture"])
        if method == "POST" and url.path == "/v1/responses":
            self._count += 1
            response_id = f"resp_{self._count}"
            self.runs[response_id] = {
                "events": response_events(response_id, fail=headers.get("x-fail") == "1"),
                "drops": int(headers.get("x-drop-times", "1")) if "x-drop-after" in headers else 0,
                "drop_after": int(headers.get("x-drop-after", "0")),
                "drop_resumed_after": int(headers.get("x-drop-resumed-after", headers.get("x-drop-after", "0"))),
                "end_after": int(headers["x-end-after"]) if "x-end-after" in headers else None,
                "overlap": int(headers.get("x-overlap", "0")),
            }
            return await self._responses(writer, response_id, -1)
        if method == "GET" and url.path.startswith("/v1/responses/") and query.get("stream") == "true":
            response_id = url.path.rsplit("/", 1)[1]
            if response_id not in self.runs:
                await self._respond(writer, 404, {"error": {"message": "No such response", "type": "not_found"}})
                return True
            after = int(query.get("starting_after", "-1"))
            return await self._responses(writer, response_id, after - self.runs[response_id]["overlap"], resumed=True)
        if method == "POST" and url.path == "/v1/chat/completions":
            return await self._chat(writer, headers)
        if method == "GET" and url.path == "/v1/events":
            return await self._events(writer, headers)
        await self._respond(writer, 404, {"error": {"message": f"no route {method} {url.path}"}})
        return True

    async def _respond(self, writer: asyncio.StreamWriter, status: int, obj: object) -> None:
        body = json.dumps(obj).encode()
        writer.write(
            f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()

    async def _head(self, writer: asyncio.StreamWriter) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n"
            b"x-request-id: req_resume\r\n\r\n"
        )
        await writer.drain()

    async def _chunk(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(b"%x\r\n%s\r\n" % (len(data), data))
        await writer.drain()

    async def _end(self, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return True

    async def _reset(self, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(0.05)  # let the client read what was sent before the RST discards it
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
        return False

    async def _responses(
        self, writer: asyncio.StreamWriter, response_id: str, after: int, *, resumed: bool = False
    ) -> bool:
        run = self.runs[response_id]
        drop_after = run["drop_resumed_after"] if resumed else run["drop_after"]
        sent = self.sent.setdefault(response_id, [])
        await self._head(writer)
        written = 0
        for event in run["events"]:
            if event["sequence_number"] <= after:
                continue
            if run["drops"] > 0 and written == drop_after:
                run["drops"] -= 1
                return await self._reset(writer)
            if run["end_after"] is not None and written == run["end_after"]:
                run["end_after"] = None
                return await self._end(writer)
            await self._chunk(writer, _sse(event, event=event["type"]))
            sent.append(event["sequence_number"])
            written += 1
        return await self._end(writer)

    async def _chat(self, writer: asyncio.StreamWriter, headers: dict[str, str]) -> bool:
        mode = headers.get("x-chat", "plain")
        events = chat_events(mode)
        drop_after = int(headers["x-drop-after"]) if "x-drop-after" in headers else None
        await self._head(writer)
        if mode == "slow-first":  # thinks for a while, with keep-alive comments, before the first token
            await self._chunk(writer, _sse(events[0]))
            for _ in range(int(float(headers.get("x-think", "1")) / 0.05)):
                await self._chunk(writer, b": keep-alive\n\n")
                await asyncio.sleep(0.05)
            events = events[1:]
        for number, event in enumerate(events):
            if drop_after is not None and number == drop_after:
                return await self._reset(writer)
            await self._chunk(writer, _sse(event))
        if mode not in ("no-done", "no-done-unfinished"):
            await self._chunk(writer, b"data: [DONE]\n\n")
        return await self._end(writer)

    async def _fixture(self, writer: asyncio.StreamWriter, name: str) -> bool:
        """A captured or documented stream body, one write per event."""
        body = (FIXTURES / name).read_bytes()
        await self._head(writer)
        for event in body.split(b"\n\n"):
            if event.strip():
                await self._chunk(writer, event + b"\n\n")
        return await self._end(writer)

    async def _events(self, writer: asyncio.StreamWriter, headers: dict[str, str]) -> bool:
        sent = self.sent.setdefault("events", [])
        after = int(headers.get("last-event-id", "-1"))
        drop_after = int(headers.get("x-drop-after", "-1")) if after < 0 else -1
        await self._head(writer)
        await self._chunk(writer, b"retry: 20\n\n")
        written = 0
        for number in range(after + 1, 8):
            if written == drop_after:
                return await self._reset(writer)
            await self._chunk(writer, _sse({"n": number}, event_id=str(number)))
            sent.append(number)
            written += 1
        await self._chunk(writer, b"data: [DONE]\n\n")
        return await self._end(writer)
