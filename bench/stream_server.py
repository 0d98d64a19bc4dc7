"""A chat-stream server for the concurrency scenario, run in its own process.

    python -m bench.stream_server [--chunks 20] [--interval 0.1] [--lifetime 900]

Prints ``listening <port>`` once it accepts connections on 127.0.0.1, then
answers every POST with a chat.completion.chunk stream (``bench.data``): the
first event at once, the others one per tick of ``--interval`` seconds, so a
stream stays open for ``chunks * interval`` seconds and N clients really hold
N streams open together. One timer drives every open stream, as a model
server's decoding step produces the next token for its whole batch at once;
that keeps the server's cost per event to a single socket write, so the
client is what is measured. ``GET /stats`` answers with the server's own
figures (connections, streams, its CPU time, how late its ticks ran) so a run
can show the server was not the bottleneck.

HTTP/1.1 as the clients under test speak it (RFC 9112): a request line,
headers, a ``content-length`` body; the answer is ``transfer-encoding:
chunked`` and the connection stays open for the next request. Nothing more
(no pipelining, no ``expect: 100-continue``). It stops itself after
``--lifetime`` seconds if nobody stops it first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import time
from typing import Any

from bench.data import chat_stream

_HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ncache-control: no-cache\r\n"
    b"x-request-id: req_bench\r\ntransfer-encoding: chunked\r\n\r\n"
)
_LAST_CHUNK = b"0\r\n\r\n"
_MAX_HEAD = 64 * 1024


def _framed(event: bytes) -> bytes:
    """One chunk of a chunked body (RFC 9112 section 7.1)."""
    return b"%x\r\n%s\r\n" % (len(event), event)


class Stats:
    def __init__(self) -> None:
        self.accepted = 0
        self.stream_connections = 0  # connections that carried at least one stream
        self.open = 0
        self.peak_open = 0
        self.streams = 0
        self.streaming = 0
        self.peak_streaming = 0
        self.ticks = 0
        self.late_ticks = 0  # ticks that ran more than half an interval late
        self.max_lag = 0.0

    def as_dict(self) -> dict[str, Any]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {**vars(self), "cpu_s": usage.ru_utime + usage.ru_stime}


class StreamServer:
    """Owns the open streams and the one timer that advances them."""

    def __init__(self, events: list[bytes], interval: float) -> None:
        self.frames = [_framed(event) for event in events]
        self.interval = interval
        self.stats = Stats()
        self.active: dict[Connection, int] = {}  # connection -> index of its next frame
        self._loop = asyncio.get_running_loop()
        self._next_tick = self._loop.time() + interval
        self._loop.call_at(self._next_tick, self._tick)

    def start_stream(self, connection: Connection) -> None:
        connection.transport.write(_HEAD + self.frames[0])
        self.active[connection] = 1
        self.stats.streams += 1
        self.stats.streaming = len(self.active)
        self.stats.peak_streaming = max(self.stats.peak_streaming, self.stats.streaming)

    def _tick(self) -> None:
        now = self._loop.time()
        lag = now - self._next_tick
        self.stats.ticks += 1
        self.stats.max_lag = max(self.stats.max_lag, lag)
        if lag > self.interval / 2:
            self.stats.late_ticks += 1
        frames, last = self.frames, len(self.frames) - 1
        finished: list[Connection] = []
        for connection, index in self.active.items():
            if index == last:
                connection.transport.write(frames[index] + _LAST_CHUNK)
                finished.append(connection)
            else:
                connection.transport.write(frames[index])
                self.active[connection] = index + 1
        for connection in finished:
            del self.active[connection]
            connection.stream_done()
        self.stats.streaming = len(self.active)
        self._next_tick = max(self._next_tick + self.interval, now)  # a late tick does not bunch the next ones
        self._loop.call_at(self._next_tick, self._tick)


class Connection(asyncio.Protocol):
    def __init__(self, server: StreamServer) -> None:
        self.server = server
        self.buffer = b""
        self.busy = False  # a stream is being sent; the next request waits until it ends
        self.streamed = False
        self.transport: Any = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # pyright: ignore[reportAttributeAccessIssue] - uvloop's is no asyncio.Transport subclass
        stats = self.server.stats
        stats.accepted += 1
        stats.open += 1
        stats.peak_open = max(stats.peak_open, stats.open)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.stats.open -= 1
        if self.server.active.pop(self, None) is not None:
            self.server.stats.streaming = len(self.server.active)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.busy:
            self._next_request()

    def stream_done(self) -> None:
        self.busy = False
        self._next_request()

    def _next_request(self) -> None:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > _MAX_HEAD:
                self.transport.close()
            return
        head = self.buffer[:end].decode("latin-1").split("\r\n")
        method, target, _ = head[0].split(" ", 2)
        length = 0
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        if len(self.buffer) < end + 4 + length:
            return  # the body has not all arrived
        self.buffer = self.buffer[end + 4 + length :]
        if method == "GET" and target == "/stats":
            body = json.dumps(self.server.stats.as_dict()).encode()
            self.transport.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)
            )
            self._next_request()
        elif method == "POST":
            if not self.streamed:
                self.streamed = True
                self.server.stats.stream_connections += 1
            self.busy = True
            self.server.start_stream(self)
        else:
            self.transport.write(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
            self._next_request()


def raise_open_files_limit() -> None:
    """Thousands of sockets need more than the usual 1,024 descriptors: take what the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65_536 if hard == resource.RLIM_INFINITY else hard
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


async def serve(chunks: int, interval: float, lifetime: float) -> None:
    loop = asyncio.get_running_loop()
    server = StreamServer(list(chat_stream(chunks).events), interval)
    listener = await loop.create_server(lambda: Connection(server), "127.0.0.1", 0, backlog=4096)
    port = listener.sockets[0].getsockname()[1]
    print(f"listening {port}", flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    deadline = time.monotonic() + lifetime
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            await asyncio.wait_for(stop.wait(), timeout=max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            break
    listener.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--chunks", type=int, default=20, help="chat chunks per stream (then [DONE])")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between two events of a stream")
    parser.add_argument("--lifetime", type=float, default=900, help="stop after this many seconds in any case")
    options = parser.parse_args()
    raise_open_files_limit()
    try:
        import uvloop  # pyright: ignore[reportMissingImports]

        runner: Any = uvloop.run
    except ImportError:  # uvloop does not exist on Windows; asyncio's own loop is a little slower
        runner = asyncio.run
    runner(serve(options.chunks, options.interval, options.lifetime))
    os._exit(0)  # the open streams' sockets close with the process


if __name__ == "__main__":
    main()
