"""Cassettes: HTTP exchanges written down as they happen (``OAI_RECORD``) and read back (``OAI_REPLAY``).

A cassette is a UTF-8 text file of JSON lines, one line per thing that
happened, so that two recordings diff line by line and a person can read
(and edit) one (``docs/record-replay.md`` is the reference)::

    {"type": "cassette", "format": "oai-cassette", "version": 1, "created": "2026-11-02T10:00:00Z"}
    {"type": "request", "exchange": 1, "method": "POST", "url": "http://127.0.0.1:8000/v1/chat/completions",
     "headers": [["authorization", "<redacted>"], ...], "body": "{\\"model\\": ...}"}
    {"type": "response", "exchange": 1, "t": 0.0123, "status": 200, "http_version": "HTTP/1.1",
     "reason": "OK", "headers": [["content-type", "text/event-stream"], ...]}
    {"type": "chunk", "exchange": 1, "t": 0.0131, "text": "data: {...}\\n\\n"}
    {"type": "error", "exchange": 1, "t": 0.5002, "bytes": 1234, "error": "RemoteProtocolError", "message": "..."}

``t`` is seconds since the request reached the transport; each ``chunk`` is
one read of the raw body exactly as the transport returned it (``text`` when
it is valid UTF-8, else ``base64``). An exchange ends with ``end`` (the body
was read to its end), ``closed`` (the reader stopped before the end) or
``error`` (the transport raised: a drop, a reset, a timeout), each with the
body bytes delivered so far. Lines of concurrent exchanges interleave; the
``exchange`` number ties them together.

Secrets never reach a cassette: the credential headers (``Authorization``,
``api-key``, cookies, ...) are replaced by ``<redacted>``, a URL's userinfo
is dropped, and every secret registered with ``_logging`` is masked wherever
it appears, in bodies and chunks character for character (``*``), so a
chunk keeps its length and a replayed drop still happens at the same byte.

This module does no network I/O: the transports that use it are in
``_async/_record.py`` (and its ``_sync`` form).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Literal, Union, cast

import httpx

from ._errors import OpenAIError
from ._logging import redact, safe_url, secret_forms

__all__ = [
    "RECORD_ENV",
    "REPLAY_ENV",
    "SPEED_ENV",
    "Cassette",
    "CassetteError",
    "CassetteFormatError",
    "CassettePlan",
    "CassetteWriter",
    "Exchange",
    "ExchangeRecorder",
    "NoRecordingError",
    "Pacer",
    "cassette_plan",
    "forget",
    "replay_speed",
    "share",
    "shared_cassette",
    "writer_for",
]

RECORD_ENV = "OAI_RECORD"
REPLAY_ENV = "OAI_REPLAY"
SPEED_ENV = "OAI_REPLAY_SPEED"

FORMAT = "oai-cassette"
VERSION = 1
REDACTED = "<redacted>"

_SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "api-key", "x-api-key", "cookie", "set-cookie", "openai-api-key"}
)
"""Headers whose whole value is a credential: recorded as ``<redacted>``, whatever they hold."""

PathLike = Union[str, "os.PathLike[str]"]


class CassetteError(OpenAIError):
    """A cassette cannot be used as asked: unreadable, or it holds no recording for a request."""


class CassetteFormatError(CassetteError, ValueError):
    """A cassette file that is not valid: the message names the file, the line and what is wrong."""


class NoRecordingError(CassetteError, LookupError):
    """A replayed client sent a request the cassette has no (more) recording of; the message names it."""


# -- redaction that keeps every byte where it was -----------------------------------------------------------------


class Scrubber:
    """Masks registered secrets in a stream of chunks without moving a byte: each byte of a secret becomes ``*``.

    A secret may straddle two chunks, so a chunk is handed back only once the
    chunks after it hold enough bytes to finish any secret it starts. Chunks
    keep their boundaries and arrival times; they are only written later.
    """

    def __init__(self, secrets: Sequence[bytes]) -> None:
        self._secrets = [secret for secret in secrets if secret]
        self._keep = max((len(secret) for secret in self._secrets), default=1) - 1
        self._held: list[tuple[float, bytearray]] = []
        self._held_size = 0

    @classmethod
    def for_registered(cls, extra: Iterable[str] = ()) -> Scrubber:
        """A scrubber of every secret registered now (API keys of the clients made so far), and of ``extra``."""
        return cls([form.encode() for form in [*secret_forms(), *extra]])

    def feed(self, t: float, data: bytes) -> list[tuple[float, bytes]]:
        """Take one chunk; return the chunks (earlier ones too) that can be written now."""
        if not self._secrets:
            return [(t, data)]
        self._held.append((t, bytearray(data)))
        self._held_size += len(data)
        self._mask()
        ready: list[tuple[float, bytes]] = []
        while self._held and self._held_size - len(self._held[0][1]) >= self._keep:
            when, chunk = self._held.pop(0)
            self._held_size -= len(chunk)
            ready.append((when, bytes(chunk)))
        return ready

    def flush(self) -> list[tuple[float, bytes]]:
        """The chunks still held (the stream ended)."""
        ready = [(when, bytes(chunk)) for when, chunk in self._held]
        self._held.clear()
        self._held_size = 0
        return ready

    def scrub(self, data: bytes) -> bytes:
        """``data`` masked as one whole (a request body)."""
        if not self._secrets or not data:
            return data
        self.feed(0.0, data)
        return b"".join(chunk for _, chunk in self.flush())

    def _mask(self) -> None:
        joined = b"".join(chunk for _, chunk in self._held)
        spans: list[tuple[int, int]] = []
        for secret in self._secrets:
            start = joined.find(secret)
            while start != -1:
                spans.append((start, start + len(secret)))
                start = joined.find(secret, start + 1)
        if not spans:
            return
        offset = 0
        for _, chunk in self._held:
            end = offset + len(chunk)
            for start, stop in spans:
                lo, hi = max(start, offset), min(stop, end)
                if lo < hi:
                    chunk[lo - offset : hi - offset] = b"*" * (hi - lo)
            offset = end


def _text_or_base64(data: bytes, text_key: str, base64_key: str) -> dict[str, str]:
    try:
        return {text_key: data.decode("utf-8")}
    except UnicodeDecodeError:
        return {base64_key: base64.b64encode(data).decode("ascii")}


def _credentials(headers: httpx.Headers) -> list[str]:
    """What the credential headers of a request carry (the whole value, and the part after a scheme such as
    ``Basic``): a server that quotes them back in its answer must not put them in the cassette either."""
    found: list[str] = []
    for name, value in headers.items():
        if name.lower() in _SECRET_HEADERS:
            found.append(value)
            _, _, credential = value.partition(" ")
            if len(credential) >= _MIN_CREDENTIAL:
                found.append(credential)
    return [value for value in found if len(value) >= _MIN_CREDENTIAL]


_MIN_CREDENTIAL = 8
"""Shorter values are not looked for in bodies: they would mask ordinary text."""


def _recorded_headers(headers: httpx.Headers) -> list[list[str]]:
    """Headers as ``[name, value]`` pairs in order, with credentials redacted."""
    out: list[list[str]] = []
    for raw_name, raw_value in headers.raw:
        name = raw_name.decode("latin-1")
        value = REDACTED if name.lower() in _SECRET_HEADERS else redact(raw_value.decode("latin-1"))
        out.append([name, value])
    return out


def _target(url: httpx.URL) -> str:
    """What a replayed request is matched on besides its method: the path and query, as a secret-free text."""
    return redact(url.raw_path.decode("ascii"))


def read_timeout(request: httpx.Request) -> float | None:
    """The longest the request's reads may wait for data (its ``timeout`` extension's read part)."""
    timeout: object = request.extensions.get("timeout")
    read = cast("Mapping[str, object]", timeout).get("read") if isinstance(timeout, Mapping) else None
    return float(read) if isinstance(read, (int, float)) else None


def _seconds(value: float) -> float:
    return round(value, 6)


# -- writing ------------------------------------------------------------------------------------------------------


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
            "headers": _recorded_headers(request.headers),
        }
        credentials = _credentials(request.headers)
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
                "headers": _recorded_headers(response.headers),
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


# -- reading ------------------------------------------------------------------------------------------------------


Ending = Literal["end", "closed", "error"]


@dataclass
class Exchange:
    """One recorded exchange, as read from a cassette."""

    number: int
    method: str
    url: str
    line: int
    """The line of the request in the cassette file (for messages)."""
    target: str = ""
    """The path and query a request must have to be served this exchange (see :class:`Cassette`)."""
    status: int | None = None
    """``None``: the transport failed before any response (``ending`` says how)."""
    http_version: str = "HTTP/1.1"
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    response_t: float = 0.0
    chunks: list[tuple[float, bytes]] = field(default_factory=list[tuple[float, bytes]])
    ending: Ending = "closed"
    """How the recording ends; an exchange without an ending line (the process died) counts as ``closed``."""
    ending_t: float | None = None
    error: str = ""
    message: str = ""

    @property
    def label(self) -> str:
        return f"exchange {self.number} ({self.method} {self.target}, line {self.line})"

    @property
    def end_t(self) -> float:
        """When the recording of this exchange ends, in recorded seconds."""
        if self.ending_t is not None:
            return self.ending_t
        return self.chunks[-1][0] if self.chunks else self.response_t

    def transport_error(self, request: httpx.Request) -> Exception:
        """The error the transport raised while recording, made again for ``request``."""
        kind = getattr(httpx, self.error, None)
        message = self.message
        if isinstance(kind, type) and issubclass(kind, httpx.RequestError):
            return kind(message, request=request)
        if isinstance(kind, type) and issubclass(kind, httpx.HTTPError):
            return kind(message)
        return httpx.TransportError(f"{self.error}: {message}" if self.error else message)


class Cassette:
    """A recorded session, played back: each request takes the first exchange not served yet with the same
    method, path and query, in the order they were recorded.

    Scheme, host and port are not compared (a replay may use another base
    URL), nor are headers and bodies. One ``Cassette`` is one playback:
    exchanges served are used up; :meth:`rewind` starts it again.
    ``speed`` (``None``: ``OAI_REPLAY_SPEED``, else 1) divides the recorded
    waits: 1 keeps the recorded timing, 10 plays ten times as fast,
    ``math.inf`` does not wait at all.
    """

    def __init__(self, exchanges: Sequence[Exchange], *, path: PathLike = "<memory>", speed: float | None = None):
        self.path = str(path)
        self.exchanges = list(exchanges)
        self.speed = replay_speed() if speed is None else _check_speed(speed, "speed")
        self._served: set[int] = set()
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: PathLike, *, speed: float | None = None) -> Cassette:
        """Read the cassette at ``path``; raises :class:`CassetteFormatError` naming the line that is wrong."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CassetteError(f"Cannot read the cassette {path}: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise CassetteFormatError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        return cls(_parse(text, str(path)), path=path, speed=speed)

    def take(self, request: httpx.Request) -> Exchange:
        """The exchange that answers ``request``; raises :class:`NoRecordingError` when none is left."""
        method = request.method
        target = _target(request.url)
        with self._lock:
            for exchange in self.exchanges:
                if exchange.number not in self._served and exchange.method == method and exchange.target == target:
                    self._served.add(exchange.number)
                    return exchange
            served = [e for e in self.exchanges if e.method == method and e.target == target]
            waiting = [e for e in self.exchanges if e.number not in self._served]
        raise NoRecordingError(_no_recording_message(self.path, method, target, served, waiting))

    @property
    def unplayed(self) -> list[Exchange]:
        """The exchanges no request has taken (yet)."""
        with self._lock:
            return [e for e in self.exchanges if e.number not in self._served]

    def rewind(self) -> None:
        with self._lock:
            self._served.clear()

    def __repr__(self) -> str:
        return f"<Cassette {self.path!r}: {len(self.exchanges)} exchanges, {len(self.unplayed)} not played>"


def _no_recording_message(path: str, method: str, target: str, served: list[Exchange], waiting: list[Exchange]) -> str:
    message = f"No recording of {method} {target} left in the cassette {path}: "
    if served:
        numbers = ", ".join(str(e.number) for e in served)
        message += f"its recordings of this request (exchanges {numbers}) were all served already"
    else:
        message += "it never recorded this request"
    if waiting:
        shown = "; ".join(f"{e.number}: {e.method} {e.target}" for e in waiting[:5])
        more = f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
        message += f". Not served yet: {shown}{more}."
    else:
        message += ". Every exchange it holds has been served."
    return message


_LINE_TYPES: tuple[Literal["request", "response", "chunk", "end", "closed", "error"], ...] = (
    "request",
    "response",
    "chunk",
    "end",
    "closed",
    "error",
)


def _parse(text: str, path: str) -> list[Exchange]:
    exchanges: dict[int, Exchange] = {}
    seen_header = False
    for index, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue

        def fail(what: str, index: int = index) -> CassetteFormatError:
            return CassetteFormatError(f"{path} line {index}: {what}")

        try:
            line: object = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise fail(f"not JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(line, dict):
            raise fail("each line must be a JSON object")
        item: dict[str, Any] = line  # pyright: ignore[reportUnknownVariableType]
        kind = item.get("type")
        if kind == "cassette":
            if item.get("format", FORMAT) != FORMAT or item.get("version") != VERSION:
                raise fail(
                    f"format {item.get('format')!r} version {item.get('version')!r}; "
                    f"this oai reads {FORMAT!r} version {VERSION}"
                )
            seen_header = True
            continue
        if not seen_header:
            raise fail('the first line must be the cassette line ({"type": "cassette", "version": 1, ...})')
        if kind not in _LINE_TYPES:
            raise fail(f"unknown line type {kind!r} ({', '.join(_LINE_TYPES)})")
        number = item.get("exchange")
        if not isinstance(number, int):
            raise fail(f"a {kind!r} line needs an integer 'exchange'")
        if kind == "request":
            method, url = item.get("method"), item.get("url")
            if not isinstance(method, str) or not isinstance(url, str):
                raise fail("a request needs 'method' and 'url' (text)")
            if number in exchanges:
                raise fail(f"exchange {number} has a second request line")
            try:
                target = _target(httpx.URL(url))
            except httpx.InvalidURL as exc:
                raise fail(f"the url {url!r} is not valid: {exc}") from None
            exchanges[number] = Exchange(number, method.upper(), url, index, target)
            continue
        exchange = exchanges.get(number)
        if exchange is None:
            raise fail(f"a {kind!r} line for exchange {number}, which has no request line before it")
        t = _time(item, exchange, fail)
        if kind == "response":
            status = item.get("status")
            if not isinstance(status, int) or not 100 <= status <= 999:
                raise fail("a response needs an HTTP 'status' (100-999)")
            exchange.status = status
            exchange.response_t = t
            exchange.http_version = str(item.get("http_version", "HTTP/1.1"))
            exchange.reason = str(item.get("reason", ""))
            exchange.headers = _headers(item.get("headers", []), fail)
        elif kind == "chunk":
            if exchange.status is None:
                raise fail(f"a chunk for exchange {number} before its response line")
            exchange.chunks.append((t, _chunk_bytes(item, fail)))
        else:
            exchange.ending = kind
            exchange.ending_t = t
            exchange.error = str(item.get("error", "")) if kind == "error" else ""
            exchange.message = str(item.get("message", "")) if kind == "error" else ""
    if not seen_header:
        raise CassetteFormatError(f"{path}: empty; a cassette starts with its cassette line")
    return sorted(exchanges.values(), key=lambda e: e.number)


def _time(item: Mapping[str, Any], exchange: Exchange, fail: Any) -> float:
    """A line's ``t``; a line without one (a hand-written cassette) happens when the one before it did."""
    value = item.get("t")
    if value is None:
        return exchange.chunks[-1][0] if exchange.chunks else exchange.response_t
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise fail(f"'t' must be seconds (a number of 0 or more), got {value!r}")
    return float(value)


def _headers(value: object, fail: Any) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        raise fail("'headers' must be a list of [name, value] pairs")
    out: list[tuple[str, str]] = []
    for pair in value:  # pyright: ignore[reportUnknownVariableType]
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)):  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
            raise fail(f"a header must be a [name, value] pair of texts, got {pair!r}")
        out.append((pair[0], pair[1]))  # pyright: ignore[reportUnknownArgumentType]
    return out


def _chunk_bytes(item: Mapping[str, Any], fail: Any) -> bytes:
    if isinstance(item.get("text"), str):
        return str(item["text"]).encode("utf-8")
    if isinstance(item.get("base64"), str):
        try:
            return base64.b64decode(str(item["base64"]), validate=True)
        except binascii.Error:
            raise fail("'base64' is not valid base64") from None
    raise fail("a chunk needs 'text' or 'base64'")


# -- playing back -------------------------------------------------------------------------------------------------


class Pacer:
    """When each recorded moment of one exchange falls due in a replay, and where a read timeout ends the wait.

    A replay behaves like a server that sends each chunk at its recorded
    time (divided by ``speed``): a reader slower than the recording waits for
    nothing, and a wait longer than the request's read timeout ends in
    ``httpx.ReadTimeout`` after that timeout, as a silent server's would.
    """

    __slots__ = ("read_timeout", "speed", "start")

    def __init__(self, speed: float, request: httpx.Request) -> None:
        self.start = time.monotonic()
        self.speed = speed
        self.read_timeout = read_timeout(request)

    def wait(self, t: float) -> tuple[float, bool]:
        """Seconds to wait for what was recorded at ``t``, and whether the read timeout ends that wait first."""
        left = self.start + t / self.speed - time.monotonic()
        if left <= 0:
            return 0.0, False
        if self.read_timeout is not None and left > self.read_timeout:
            return self.read_timeout, True
        return left, False


def timed_out(request: httpx.Request, waited: float) -> httpx.ReadTimeout:
    return httpx.ReadTimeout(f"Replayed: nothing arrived within the read timeout ({waited:g} s).", request=request)


def read_on_error(exchange: Exchange, cassette: str) -> CassetteError:
    return CassetteError(
        f"The recording of {exchange.label} in {cassette} ends where the recording client stopped reading "
        f"(after {sum(len(c) for _, c in exchange.chunks)} bytes); this client read on, and nothing is known "
        "of what the server sent next."
    )


# -- which cassette a client uses ---------------------------------------------------------------------------------


def _check_speed(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or value <= 0:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"{name} must be a number above 0 (1: recorded speed; inf: no waiting), got {value!r}")
    return float(value)


def replay_speed() -> float:
    """``OAI_REPLAY_SPEED`` (a number above 0, or ``inf``), else 1: the recorded timing."""
    text = os.environ.get(SPEED_ENV, "").strip()
    if not text:
        return 1.0
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{SPEED_ENV} must be a number above 0 or 'inf', got {text!r}") from None
    return _check_speed(value, SPEED_ENV)


_shared: dict[Path, Cassette] = {}
_shared_lock = threading.Lock()


def shared_cassette(path: PathLike) -> Cassette:
    """The process's playback of ``path`` (``OAI_REPLAY``): every client of the process takes from it."""
    key = Path(path).resolve()
    with _shared_lock:
        cassette = _shared.get(key)
        if cassette is None:
            cassette = _shared[key] = Cassette.load(key)
        return cassette


def share(cassette: Cassette) -> None:
    """Make ``cassette`` the process's playback of its path (the pytest plugin's fresh one for each test)."""
    with _shared_lock:
        _shared[Path(cassette.path).resolve()] = cassette


def forget(path: PathLike) -> None:
    """Drop the process's playback and writer of ``path``: the next client starts afresh (a new test)."""
    key = Path(path).resolve()
    with _shared_lock:
        _shared.pop(key, None)
    with _writers_lock:
        writer = _writers.pop(key, None)
    if writer is not None:
        writer.close()


@dataclass
class CassettePlan:
    """What a new client does: record to ``writer``, or replay ``cassette``."""

    writer: CassetteWriter | None = None
    cassette: Cassette | None = None


def cassette_plan(record: PathLike | None, replay: PathLike | Cassette | None) -> CassettePlan | None:
    """From a client's ``record=`` / ``replay=`` (else ``OAI_RECORD`` / ``OAI_REPLAY``): ``None`` for neither.

    ``replay=PATH`` plays the file from its start for this client (and its
    ``with_options`` copies); ``OAI_REPLAY`` is one playback shared by every
    client of the process, as ``OAI_RECORD`` is one recording.
    """
    if record is None and replay is None:
        record_env = os.environ.get(RECORD_ENV) or None
        replay_env = os.environ.get(REPLAY_ENV) or None
        if record_env is None and replay_env is None:
            return None
        if record_env is not None and replay_env is not None:
            raise ValueError(f"{RECORD_ENV} and {REPLAY_ENV} are both set: a client records or replays, not both.")
        if record_env is not None:
            return CassettePlan(writer=writer_for(record_env))
        return CassettePlan(cassette=shared_cassette(str(replay_env)))
    if record is not None and replay is not None:
        raise ValueError("record= and replay= are both given: a client records or replays, not both.")
    if record is not None:
        return CassettePlan(writer=writer_for(record))
    if isinstance(replay, Cassette):
        return CassettePlan(cassette=replay)
    return CassettePlan(cassette=Cassette.load(str(replay)))
