"""A scripted Realtime server on 127.0.0.1 for the connection's tests (our own, on ``websockets``' asyncio server).

It runs in a thread with its own event loop, so sync and async clients talk to it
alike. Each WebSocket connection plays the next *scenario* a test queued
(``server.script(...)``; :func:`conversation` when none is queued) and logs what it
received (:class:`Peer`). The conversation speaks the GA Realtime protocol's text
path: ``session.created`` first, ``session.updated`` for ``session.update``,
``conversation.item.added`` / ``.done`` for ``conversation.item.create``, and for
``response.create`` a response whose text arrives as two deltas.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import socket
import ssl
import threading
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve

Scenario = Callable[[ServerConnection, "Peer"], Awaitable[None]]

REPLY_TEXT = ("Hel", "lo!")


@dataclass
class Peer:
    """One connection as the server saw it."""

    path: str
    headers: dict[str, str]
    received: list[dict[str, Any]] = field(default_factory=lambda: [])
    raw: list[str] = field(default_factory=lambda: [])

    def types(self) -> list[str]:
        return [str(event.get("type")) for event in self.received]


async def emit(ws: ServerConnection, event: dict[str, Any]) -> None:
    await ws.send(json.dumps(event))


async def greet(ws: ServerConnection) -> None:
    await emit(ws, {"type": "session.created", "event_id": "ev_0", "session": {"id": "sess_1", "type": "realtime"}})


async def respond(ws: ServerConnection, response_id: str, *, cut: Callable[[], Awaitable[None]] | None = None) -> None:
    """A text response; ``cut`` runs after the first delta (to close or drop the connection mid-response)."""
    await emit(
        ws, {"type": "response.created", "event_id": "ev_r1", "response": {"id": response_id, "status": "in_progress"}}
    )
    base = {"response_id": response_id, "item_id": "item_out", "output_index": 0, "content_index": 0}
    for n, piece in enumerate(REPLY_TEXT):
        await emit(ws, {"type": "response.output_text.delta", "event_id": f"ev_d{n}", **base, "delta": piece})
        if cut is not None:
            await cut()
            return
    await emit(ws, {"type": "response.output_text.done", "event_id": "ev_td", **base, "text": "".join(REPLY_TEXT)})
    done: dict[str, Any] = {"id": response_id, "status": "completed", "output": []}
    await emit(ws, {"type": "response.done", "event_id": "ev_rd", "response": done})


def conversation(
    *, cut: Callable[[ServerConnection], Awaitable[None]] | None = None, drop_after: str | None = None
) -> Scenario:
    """The text conversation. ``cut`` ends a response after its first delta; ``drop_after`` aborts the TCP connection
    right after answering the first client event of that type."""

    async def play(ws: ServerConnection, peer: Peer) -> None:
        await greet(ws)
        items = 0
        async for raw in ws:
            text = raw if isinstance(raw, str) else raw.decode()
            peer.raw.append(text)
            event = json.loads(text)
            peer.received.append(event)
            kind = event.get("type")
            if kind == "session.update":
                await emit(ws, {"type": "session.updated", "event_id": "ev_su", "session": event.get("session")})
            elif kind == "conversation.item.create":
                items += 1
                item = {**event["item"], "id": f"item_{items}", "status": "completed"}
                await emit(ws, {"type": "conversation.item.added", "event_id": "ev_ia", "item": item})
                await emit(ws, {"type": "conversation.item.done", "event_id": "ev_id", "item": item})
            elif kind == "response.create" and cut is not None:
                await respond(ws, f"resp_{len(peer.received)}", cut=functools.partial(cut, ws))
                return
            elif kind == "response.create":
                await respond(ws, f"resp_{len(peer.received)}")
            if drop_after is not None and kind == drop_after:
                ws.transport.abort()
                return

    return play


async def close_with(ws: ServerConnection, code: int) -> None:
    await ws.close(code, "test")


async def drop(ws: ServerConnection) -> None:
    ws.transport.abort()


def frames(*texts: str, then: Scenario | None = None) -> Scenario:
    """Send these raw frames after ``session.created``, then go on with ``then`` (default: stay silent)."""

    async def play(ws: ServerConnection, peer: Peer) -> None:
        await greet(ws)
        for text in texts:
            await ws.send(text)
        if then is not None:
            await then(ws, peer)
        else:
            await silent_after_greeting(ws, peer)

    return play


async def silent_after_greeting(ws: ServerConnection, peer: Peer) -> None:
    """Read and log, answer nothing."""
    async for raw in ws:
        peer.received.append(json.loads(raw))


async def silent(ws: ServerConnection, peer: Peer) -> None:
    """Greet, then answer nothing."""
    await greet(ws)
    await silent_after_greeting(ws, peer)


async def not_reading(ws: ServerConnection, peer: Peer) -> None:
    """Greet, then stop reading: the client's sends back up until its buffers are full."""
    await greet(ws)
    await ws.wait_closed()


class RealtimeServer:
    """``websockets``' server on a free port of 127.0.0.1, in a thread of its own; a context manager."""

    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self._tls = tls
        self._scripts: list[Scenario] = []
        self._lock = threading.Lock()
        self.peers: list[Peer] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="realtime-test-server", daemon=True)
        self._server: Server | None = None
        self._rejections: list[int] = []
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}/v1"

    def script(self, *scenarios: Scenario) -> None:
        """The scenarios the next connections play, in order; forgets earlier ones and the peers seen so far."""
        with self._lock:
            self._scripts = list(scenarios)
            self._rejections = []
            self.peers = []

    def reject(self, *statuses: int) -> None:
        """Answer the next handshakes with these HTTP statuses instead of upgrading (one each)."""
        with self._lock:
            self._rejections = list(statuses)

    def _process_request(self, ws: ServerConnection, request: Any) -> Any:
        with self._lock:
            status = self._rejections.pop(0) if self._rejections else None
        if status is None:
            return None
        body = json.dumps({"error": {"message": f"refused with {status}", "type": "test", "code": str(status)}})
        return ws.respond(status, body + "\n")

    def peer(self, index: int = 0, *, received: int = 0, timeout: float = 5.0) -> Peer:
        """Connection ``index``, once it has received at least ``received`` events (waits at most ``timeout``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.peers) > index and len(self.peers[index].received) >= received:
                    return self.peers[index]
            time.sleep(0.005)
        raise AssertionError(f"connection {index} with {received} events did not happen; peers: {self.peers}")

    async def _handle(self, ws: ServerConnection) -> None:
        request = ws.request
        assert request is not None
        peer = Peer(path=request.path, headers={k.lower(): v for k, v in request.headers.raw_items()})
        with self._lock:
            self.peers.append(peer)
            scenario = self._scripts.pop(0) if self._scripts else conversation()
        with contextlib.suppress(Exception):  # a client that goes away mid-scenario is part of the tests
            await scenario(ws, peer)

    async def _start(self) -> None:
        server: Server = await serve(  # pyright: ignore[reportUnknownVariableType]
            self._handle,
            "127.0.0.1",
            0,
            max_size=None,
            max_queue=1,
            ssl=self._tls,
            ping_interval=None,
            close_timeout=1,
            process_request=self._process_request,
        )
        self._server = server
        listening: socket.socket = next(iter(server.sockets))  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        address: tuple[str, int] = listening.getsockname()
        self.port = address[1]

    def __enter__(self) -> RealtimeServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            assert self._server is not None
            self._server.close()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@contextlib.contextmanager
def unanswered_port() -> Generator[int, None, None]:
    """A port that completes the TCP handshake (the kernel's backlog) and never answers the WebSocket upgrade."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]
