"""Writing a cassette: each exchange a recording transport passes on, line by line as it happens.

The format is described in ``_cassette`` (and ``docs/record-replay.md``);
the transports that call this are in ``_async/_record.py`` and its ``_sync``
form. What is kept out of the file is ``_scrub``'s job.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

import httpx

from ._cassette import FORMAT, VERSION, CassetteError, PathLike, read_timeout
from ._logging import redact, safe_url
from ._scrub import Scrubber, recorded_headers, request_credentials

__all__ = ["CassetteWriter", "ExchangeRecorder", "close_writer", "writer_for"]


def _text_or_base64(data: bytes, text_key: str, base64_key: str) -> dict[str, str]:
    try:
        return {text_key: data.decode("utf-8")}
    except UnicodeDecodeError:
        return {base64_key: base64.b64encode(data).decode("ascii")}


def _seconds(value: float) -> float:
    return round(value, 6)


class CassetteWriter:
    """One cassette file being written: shared by every client of the process that records to its path.

    The file is replaced when the writer is made (the first client of the
    process that records to it) and every line is flushed as it is written,
    so a process that dies mid-stream leaves everything up to that point.
    Lines are written whole under a lock: clients in threads and on event
    loops can share one writer.
    """

    def __init__(self, path: PathLike) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._exchanges = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] | None = self.path.open("w", encoding="utf-8")
        created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.write({"type": "cassette", "format": FORMAT, "version": VERSION, "created": created})

    def write(self, line: Mapping[str, object]) -> None:
        text = json.dumps(line, ensure_ascii=False) + "\n"
        with self._lock:
            if self._file is None:
                raise CassetteError(f"The cassette {self.path} was closed; no more exchanges can be recorded.")
            self._file.write(text)
            self._file.flush()

    def begin(self, request: httpx.Request) -> ExchangeRecorder:
        """Write a request (its body already read) and return the recorder of the rest of its exchange."""
        with self._lock:
            self._exchanges += 1
            number = self._exchanges
        start = time.monotonic()
        line: dict[str, object] = {
            "type": "request",
            "exchange": number,
            "method": request.method,
            "url": redact(safe_url(request.url)),
            "headers": recorded_headers(request.headers),
        }
        credentials = request_credentials(request.headers)
        body = request.content
        if body:
            line.update(_text_or_base64(Scrubber.for_registered(credentials).scrub(body), "body", "body_base64"))
        self.write(line)
        return ExchangeRecorder(self, number, start, credentials, read_timeout(request))

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


class ExchangeRecorder:
    """Writes the response of one exchange: its head, each chunk of its body, and how it ended (once)."""

    def __init__(
        self,
        writer: CassetteWriter,
        number: int,
        start: float,
        credentials: Iterable[str] = (),
        read_timeout: float | None = None,
    ) -> None:
        self._writer = writer
        self._number = number
        self._start = start
        self._scrubber = Scrubber.for_registered(credentials)
        self._read_timeout = read_timeout
        self._last = start
        """When something last arrived (the request was sent, the head, a chunk): where a silence starts."""
        self._bytes = 0
        self._finished = False

    def _now(self) -> float:
        self._last = now = time.monotonic()
        return _seconds(now - self._start)

    def responded(self, response: httpx.Response) -> None:
        version = response.extensions.get("http_version", b"HTTP/1.1")
        reason = response.extensions.get("reason_phrase", b"")
        self._writer.write(
            {
                "type": "response",
                "exchange": self._number,
                "t": self._now(),
                "status": response.status_code,
                "http_version": version.decode("ascii", "replace") if isinstance(version, bytes) else str(version),
                "reason": reason.decode("latin-1") if isinstance(reason, bytes) else str(reason),
                "headers": recorded_headers(response.headers),
            }
        )

    def chunk(self, data: bytes) -> None:
        if not data:
            return
        self._bytes += len(data)
        self._write_chunks(self._scrubber.feed(self._now(), data))

    def _write_chunks(self, chunks: Iterable[tuple[float, bytes]]) -> None:
        for when, data in chunks:
            line: dict[str, object] = {"type": "chunk", "exchange": self._number, "t": when}
            line.update(_text_or_base64(data, "text", "base64"))
            self._writer.write(line)

    def _finish(self, kind: str, **extra: object) -> None:
        if self._finished:
            return
        self._finished = True
        when = self._now()
        self._write_chunks(self._scrubber.flush())
        self._writer.write({"type": kind, "exchange": self._number, "t": when, "bytes": self._bytes, **extra})

    def ended(self) -> None:
        """The body was read to its end."""
        self._finish("end")

    def closed(self) -> None:
        """The reader stopped (closed the response, or was cancelled) before the body ended."""
        self._finish("closed")

    def failed(self, error: BaseException) -> None:
        """The transport raised ``error`` (before the response, or while its body was read).

        An error that ends a silence as long as the request's read timeout is
        written as the ``ReadTimeout`` it is to the client, whatever the
        transport raised: oai's watchdog ends such a wait by shutting the
        socket down, which the transport reports as a broken connection.
        Replayed, it is a timeout again, however the replay's timers fall.
        """
        name, message = type(error).__name__, redact(str(error))
        silence = time.monotonic() - self._last
        if (
            self._read_timeout is not None
            and silence >= self._read_timeout
            and not isinstance(error, httpx.TimeoutException)
        ):
            self._finish("error", error="ReadTimeout", message=message, raised=name)
            return
        self._finish("error", error=name, message=message)


_writers: dict[Path, CassetteWriter] = {}
_writers_lock = threading.Lock()


def writer_for(path: PathLike) -> CassetteWriter:
    """The process's writer of ``path`` (made, and the file replaced, on first use)."""
    key = Path(path).resolve()
    with _writers_lock:
        writer = _writers.get(key)
        if writer is None:
            writer = _writers[key] = CassetteWriter(key)
        return writer


def close_writer(path: PathLike) -> None:
    """Close and forget the process's writer of ``path``, if any (the next client replaces the file)."""
    key = Path(path).resolve()
    with _writers_lock:
        writer = _writers.pop(key, None)
    if writer is not None:
        writer.close()
