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

This module reads a cassette and decides what a replay sends when; it does
no network I/O. Writing is ``_recorder``'s job, masking ``_scrub``'s, and
choosing a client's cassette ``_cassette_plan``'s; the transports are in
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, cast

import httpx

from ._errors import OpenAIError
from ._logging import redact

__all__ = [
    "FORMAT",
    "SPEED_ENV",
    "VERSION",
    "Cassette",
    "CassetteError",
    "CassetteFormatError",
    "Exchange",
    "NoRecordingError",
    "Pacer",
    "PathLike",
    "read_on_error",
    "read_timeout",
    "replay_speed",
    "timed_out",
]

SPEED_ENV = "OAI_REPLAY_SPEED"
FORMAT = "oai-cassette"
VERSION = 1

PathLike = Union[str, "os.PathLike[str]"]


class CassetteError(OpenAIError):
    """A cassette cannot be used as asked: unreadable, or it holds no recording for a request."""


class CassetteFormatError(CassetteError, ValueError):
    """A cassette file that is not valid: the message names the file, the line and what is wrong."""


class NoRecordingError(CassetteError, LookupError):
    """A replayed client sent a request the cassette has no (more) recording of; the message names it."""


def _target(url: httpx.URL) -> str:
    """What a replayed request is matched on besides its method: the path and query, as a secret-free text."""
    return redact(url.raw_path.decode("ascii"))


def read_timeout(request: httpx.Request) -> float | None:
    """The longest the request's reads may wait for data (its ``timeout`` extension's read part)."""
    timeout: object = request.extensions.get("timeout")
    read = cast("Mapping[str, object]", timeout).get("read") if isinstance(timeout, Mapping) else None
    return float(read) if isinstance(read, (int, float)) else None


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


# -- speed ---------------------------------------------------------------------------------------------------------


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
