"""A tiny HTTP/1.1 server on 127.0.0.1 for tests that need real TCP.

Each connection runs in its own thread; ``handler(request)`` returns a
:class:`Reply`, or :data:`DROP` to close the connection without answering
(what a crashed or overloaded proxy does). The server counts requests in
flight, so throttling can be checked from the server's side.

    with serve(handler) as server:
        client = Client(base_url=server.url, ...)
"""

from __future__ import annotations

import json
import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable, Generator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DROP", "Reply", "Request", "TestServer", "serve"]


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict[str, str])
    delay: float = 0.0
    """Seconds to wait before answering (time spent "in flight")."""


DROP = Reply(status=-1)
"""Close the connection without sending anything."""

Handler = Callable[[Request], Reply]

_REASONS = {
    **{200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 408: "Request Timeout"},
    **{409: "Conflict", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"},
}


class TestServer:
    __test__ = False  # not a pytest test class

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.url = ""

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1


def _read_request(rfile: Any) -> Request | None:
    line = rfile.readline(65536)
    if not line:
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        header = rfile.readline(65536)
        if header in (b"\r\n", b"\n", b""):
            break
        key, _, value = header.decode("latin-1").partition(":")
        headers[key.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    body = rfile.read(length) if length else b""
    return Request(method, path, headers, body)


def _encode(reply: Reply) -> bytes:
    body = reply.body
    headers = dict(reply.headers)
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        headers.setdefault("content-type", "application/json")
    elif isinstance(body, str):
        body = body.encode()
    headers["content-length"] = str(len(body))
    head = f"HTTP/1.1 {reply.status} {_REASONS.get(reply.status, 'Status')}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode("latin-1") + body


@contextmanager
def serve(handler: Handler, *, tls: ssl.SSLContext | None = None) -> Generator[TestServer, None, None]:
    """Run a server on a free port of 127.0.0.1 for the ``with`` block, then stop it.

    With ``tls`` (a server-side context holding a certificate), it speaks HTTPS.
    """
    state = TestServer(handler)

    class _Conn(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            while True:
                try:
                    request = _read_request(self.rfile)
                except (OSError, ValueError):
                    return
                if request is None:
                    return
                state._enter()
                try:
                    with state._lock:
                        state.requests.append(request)
                    reply = state.handler(request)
                    if reply.delay:
                        time.sleep(reply.delay)
                    if reply is DROP or reply.status < 0:
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    self.wfile.write(_encode(reply))
                    self.wfile.flush()
                except OSError:
                    return
                finally:
                    state._leave()

    class _Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True
        request_queue_size = 128

        def get_request(self) -> tuple[Any, Any]:
            sock, address = super().get_request()
            if tls is not None:  # a failed handshake raises OSError here, which socketserver drops
                sock = tls.wrap_socket(sock, server_side=True)
            return sock, address

    server = _Server(("127.0.0.1", 0), _Conn)
    host, port = server.server_address[:2]
    state.url = f"{'https' if tls else 'http'}://{host}:{port}/v1"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
