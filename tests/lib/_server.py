"""A small HTTP/1.1 server on 127.0.0.1 that plays scripted replies, streamed chunk by chunk.

The helpers are tested over real TCP: the test scripts what the server answers
to each request (``server.script(method, path, reply)``, in order, or a
handler function for a route), and a streamed reply can hold a :class:`Gate`
between two of its parts, so a test can check what the client saw *before*
the rest of the stream was even sent. Every request is recorded.
"""

from __future__ import annotations

import json
import socketserver
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Generator, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Gate:
    """A point in a streamed reply where the server waits until the test opens it (bounded by ``timeout``)."""

    def __init__(self, timeout: float = 10.0) -> None:
        self.event = threading.Event()
        self.timeout = timeout

    def open(self) -> None:
        self.event.set()


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict[str, str])
    parts: list[bytes | Gate] | None = None
    """Streamed body: sent as chunks (Transfer-Encoding: chunked), waiting at each :class:`Gate`."""


Handler = Callable[[Request], Reply]


def sse(events: Iterable[dict[str, Any]], *, named: bool = True) -> list[bytes]:
    """Each event as one SSE message (``event:`` line from its ``type`` when ``named``)."""
    out: list[bytes] = []
    for event in events:
        head = f"event: {event['type']}\n" if named and "type" in event else ""
        out.append(f"{head}data: {json.dumps(event)}\n\n".encode())
    return out


def stream_reply(parts: Sequence[bytes | Gate]) -> Reply:
    return Reply(headers={"content-type": "text/event-stream"}, parts=list(parts))


def fixture(name: str) -> bytes:
    """A recorded stream body (``tests/lib/fixtures/``; how they were recorded: its README)."""
    return (FIXTURES / name).read_bytes()


def split_messages(body: bytes) -> list[bytes]:
    """A recorded SSE body as its messages (so a reply can send them one by one)."""
    return [part + b"\n\n" for part in body.replace(b"\r\n", b"\n").split(b"\n\n") if part.strip()]


class ScriptedServer:
    __test__ = False

    def __init__(self) -> None:
        self.url = ""
        self.requests: list[Request] = []
        self._queues: dict[tuple[str, str], deque[Reply]] = defaultdict(deque)
        self._routes: dict[tuple[str, str], Handler] = {}
        self._lock = threading.Lock()

    def script(self, method: str, path: str, *replies: Reply) -> None:
        """Answer the next requests to ``method path`` (path below ``/v1``) with ``replies``, in order."""
        with self._lock:
            self._queues[(method, path)].extend(replies)

    def route(self, method: str, path: str, handler: Handler) -> None:
        """Answer every request to ``method path`` with ``handler(request)`` (after scripted replies)."""
        with self._lock:
            self._routes[(method, path)] = handler

    def reset(self) -> None:
        with self._lock:
            self._queues.clear()
            self._routes.clear()
            self.requests.clear()

    def _reply(self, request: Request) -> Reply:
        key = (request.method, request.path.removeprefix("/v1"))
        with self._lock:
            self.requests.append(request)
            queue = self._queues.get(key)
            if queue:
                return queue.popleft()
            handler = self._routes.get(key)
        if handler is not None:
            return handler(request)
        return Reply(404, {"error": {"message": f"nothing scripted for {key}", "type": "test"}})


def _read(rfile: Any) -> Request | None:
    line = rfile.readline(65536)
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    path, _, query = target.partition("?")
    headers: dict[str, str] = {}
    while True:
        header = rfile.readline(65536)
        if header in (b"\r\n", b"\n", b""):
            break
        key, _, value = header.decode("latin-1").partition(":")
        headers[key.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    return Request(method, path, query, headers, rfile.read(length) if length else b"")


def _write(wfile: Any, reply: Reply) -> None:
    headers = dict(reply.headers)
    head = f"HTTP/1.1 {reply.status} Status\r\n"
    if reply.parts is None:
        body = reply.body
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers.setdefault("content-type", "application/json")
        elif isinstance(body, str):
            body = body.encode()
        headers["content-length"] = str(len(body))
        wfile.write((head + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode() + body)
        wfile.flush()
        return
    headers["transfer-encoding"] = "chunked"
    wfile.write((head + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode())
    wfile.flush()
    for part in reply.parts:
        if isinstance(part, Gate):
            if not part.event.wait(part.timeout):
                raise TimeoutError("a test gate was never opened")
            continue
        wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        wfile.flush()
    wfile.write(b"0\r\n\r\n")
    wfile.flush()


@contextmanager
def serve() -> Generator[ScriptedServer, None, None]:
    """Run a :class:`ScriptedServer` on a free port of 127.0.0.1 for the ``with`` block."""
    state = ScriptedServer()

    class _Conn(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            while True:
                try:
                    request = _read(self.rfile)
                    if request is None:
                        return
                    _write(self.wfile, state._reply(request))
                except (OSError, ValueError, TimeoutError):
                    return

    class _Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = _Server(("127.0.0.1", 0), _Conn)
    host, port = server.server_address[:2]
    state.url = f"http://{host}:{port}/v1"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
