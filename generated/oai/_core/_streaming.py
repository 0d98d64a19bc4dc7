"""What ``Stream`` and ``AsyncStream`` share: turning one server-sent event into a typed chunk or an error.

The two stream classes live in ``_async/_streaming.py`` (the source) and
``_sync/_streaming.py`` (written from it by ``scripts/unasync.py``); the timed
read that differs for real between them is in ``_async/_backend.py`` /
``_sync/_backend.py``. What a stream guarantees (each point is tested in
``tests/core/test_stream*.py`` and, over real TCP, in ``tests/faults/``):

* **No leaks.** The response is closed, and its connection returned to the
  pool, when the stream ends, raises, is closed (``close()`` / ``aclose()`` /
  ``with`` / ``async with``), or is garbage-collected -- also when it was
  never iterated. The iterator holds no reference back to the ``Stream``, so
  plain reference counting frees an abandoned stream at once.
* **Errors are typed and never lost.** An error the server reports inside
  the stream (a ``data`` object with an ``error`` member, an event typed
  ``error``, a Responses-style ``{"type": "error", ...}``) raises
  :class:`~oai.APIStreamError`; a body that ends before the stream's
  terminator (``[DONE]`` for chat completions) raises
  :class:`~oai.APIConnectionError` instead of ending quietly; transport
  failures become ``APIConnectionError`` and read timeouts
  ``APITimeoutError``; data that is not JSON raises
  :class:`~oai.APIResponseValidationError` quoting it; a 200 response that
  is not ``text/event-stream`` raises ``APIResponseValidationError`` with
  its body (a response without any content type is read as a stream).
* **Forward compatible.** Unknown fields are kept (``extra="allow"``), a
  chunk missing a "required" field still parses (``parse_model_json``), and
  an event whose tag the chunk union does not know is yielded as
  :class:`UnknownStreamEvent` with all its fields.
* **It ends at its terminator.** Once the terminator (``[DONE]``) arrives the
  caller's loop ends: the rest of the body is read (and dropped) for at most
  ``DRAIN_GRACE`` seconds so that the connection can go back to the pool,
  and whatever the server does after the terminator -- keep-alives,
  silence, more data -- is cut off then.
* **Wall-clock deadlines.** ``idle_timeout`` bounds the time spent waiting
  for the next event (comments and keep-alives do not reset it; time the
  caller spends on a chunk, or before it starts iterating, is not waiting;
  the client passes its read timeout unless ``stream_idle_timeout`` is set)
  and ``deadline`` (an absolute ``time.monotonic()`` value) the whole stream;
  both raise ``APITimeoutError``, exactly on time in sync and async streams
  alike: a :class:`~oai._core._watchdog.Watch` shuts the connection down when
  ``StreamState.due()`` passes, which ends a read already waiting (a blocking
  one included) at no cost per read. Without a socket to watch (HTTP/2, a
  transport of its own) async reads run in a cancel scope and sync reads are
  checked as they return.
* **No silent resend.** A stream whose 200 response fails before its first
  event raises, unless the caller opted in to sending it again
  (``retry_stream_before_first_event``): the server may already be
  generating (and billing) the first answer.
* **Fast.** Events come from :meth:`SSEDecoder.feed_raw` as bytes, which go
  straight to pydantic-core's ``validate_json``; the JSON is decoded with
  Python's ``json`` only to look at an error, or for the lenient fallback
  when strict validation fails.
"""

from __future__ import annotations

import json
import time
import typing
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, TypeVar, cast

import httpx
import pydantic

from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStreamError,
    APITimeoutError,
    StreamIncomplete,
    StreamInterrupted,
    make_stream_error,
)
from ._logging import redact
from ._models import UnknownVariant, _adapter, _is_model_class, construct_lenient  # pyright: ignore[reportPrivateUsage]
from ._sse import SSEEventTooLarge
from ._stats import Progress, StreamStats, snapshot
from ._watchdog import Watch, response_socket

__all__ = ["DRAIN_GRACE", "EVENT_ENVELOPE", "EventEnvelope", "UnknownStreamEvent"]

_E = TypeVar("_E", bound=BaseException)

DRAIN_GRACE = 0.25
"""Seconds the rest of a body is read after the terminator, so that its connection can be reused.

A server that ends its body right after ``[DONE]`` (every one we know) needs
microseconds of it; one that keeps the body open is cut off at this bound
instead of holding the caller for a read timeout (or, sending keep-alives,
for ever), and its connection is closed instead of reused.
"""

DRAIN_LIMIT = 64 * 1024
"""Bytes read and dropped after the terminator at most, before the connection is closed instead."""

_DATA_IN_MESSAGE = 500
"""At most this many characters of an event's data are quoted in an error message."""

_BODY_IN_MESSAGE = 2000
"""At most this many characters of a non-stream body are quoted in an error message."""


class UnknownStreamEvent(UnknownVariant):
    """An event whose ``type`` the SDK does not know yet, with every field the server sent.

    Yielded instead of raising when the chunk type is a tagged union (the
    Responses API's events, for instance) and a server sends a type added
    after this SDK was generated. ``event.type`` is the new type's name;
    the other fields are attributes (``event.model_extra`` lists them).
    """


class EventEnvelope:
    """Marks a chunk type that describes the whole SSE event, not just its data.

    Some APIs put an event's kind on the SSE ``event:`` line and the object in
    ``data:`` (the Assistants API: ``event: thread.message.delta``). Their specs
    model one chunk as ``{"event": <that line>, "data": <the object>}``, and so
    do the official SDK's types: ``Stream[Annotated[T, EVENT_ENVELOPE]]`` makes
    the stream build each ``T`` from exactly that object.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "EVENT_ENVELOPE"


EVENT_ENVELOPE = EventEnvelope()


_STREAM_KINDS = {
    "ChatCompletionChunk": "chat",
    "ResponseStreamEvent": "responses",
    "BetaResponseStreamEvent": "responses",
    "AssistantStreamEvent": "assistants",
}
"""Chunk types (by name: the core imports no generated module) whose streams have a kind of their own."""


# -- parsing -------------------------------------------------------------------------------------------------------


class ChunkParser:
    """How one chunk type is built from an event's data; one per type, cached."""

    __slots__ = ("envelope", "fallback_type", "kind", "unwrap", "validate")

    def __init__(self, cast_to: Any) -> None:
        self.unwrap = False
        self.envelope = False
        if typing.get_origin(cast_to) is Annotated and any(
            isinstance(mark, EventEnvelope) for mark in cast_to.__metadata__
        ):
            self.envelope = True
            cast_to = cast_to.__origin__
        self.fallback_type = cast_to
        self.kind = _STREAM_KINDS.get(getattr(cast_to, "__name__", ""), "sse")
        """Which kind of stream this chunk type makes (``_stats``): its terminal signal and content events."""
        if _is_model_class(cast_to):
            # The validator's own method, not ``model_validate_json`` (a Python wrapper that costs
            # a call per chunk); reading it builds a deferred validator once.
            self.validate: Callable[[bytes | str], Any] = cast_to.__pydantic_validator__.validate_json
            # A RootModel (how a generated union may be wrapped) yields its content, as the official SDK does.
            self.unwrap = issubclass(cast_to, pydantic.RootModel)
        else:
            self.validate = _adapter(cast_to).validate_json

    def lenient(self, data: bytes | str) -> Any:
        """The strict validation failed: build leniently (raises ``ValueError`` when ``data`` is not JSON)."""
        return construct_lenient(self.fallback_type, json.loads(data), unknown=UnknownStreamEvent)


@cache
def _parser_for(cast_to: Any) -> ChunkParser:
    return ChunkParser(cast_to)


def get_parser(cast_to: Any) -> ChunkParser:
    """The (cached) parser of a chunk type."""
    try:
        return _parser_for(cast_to)
    except TypeError:  # an unhashable annotation
        return ChunkParser(cast_to)


def _quote(data: bytes | str, limit: int = _DATA_IN_MESSAGE) -> str:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} characters)"


def parse_leniently(parser: ChunkParser, data: bytes, response: httpx.Response) -> Any:
    """Strict validation failed for ``data``: the lenient result, or a typed error when it is not JSON."""
    try:
        return parser.lenient(data)
    except ValueError:
        pass
    # 9.2.6 makes the data text decoded with U+FFFD for invalid UTF-8; the bytes
    # were handed on undecoded, so try that text before calling it malformed.
    text = data.decode("utf-8", "replace")
    try:
        return parser.lenient(text)
    except ValueError as exc:
        raise APIResponseValidationError(
            response,
            text,
            message=f"A stream event's data is not valid JSON ({exc}): {_quote(text)}",
        ) from exc


def enveloped(event_type: str, data: bytes) -> bytes:
    """The JSON object ``{"event": event_type, "data": data}`` (``data`` is already JSON)."""
    return b'{"event":' + json.dumps(event_type).encode() + b',"data":' + data + b"}"


# -- errors --------------------------------------------------------------------------------------------------------


def error_body(data: bytes) -> object:
    """An ``error`` event's data, decoded: JSON when it parses, else the text."""
    try:
        return json.loads(data)
    except ValueError:
        return data.decode("utf-8", "replace")


def reported_error(data: bytes) -> object | None:
    """The decoded data when it reports an error: ``{"error": {...}}`` or ``{"type": "error", ...}``."""
    try:
        obj = json.loads(data)
    except ValueError:
        return None  # not JSON: the parser says so
    if isinstance(obj, dict):
        body = cast("dict[str, Any]", obj)
        if body.get("error") or body.get("type") == "error":
            return body
    return None


def is_event_stream(response: httpx.Response) -> bool:
    """Whether the response says it is an event stream (or says nothing, which is read as one)."""
    content_type = response.headers.get("content-type")
    return content_type is None or content_type.split(";", 1)[0].strip().lower() == "text/event-stream"


def content_type_error(response: httpx.Response, body: bytes) -> APIResponseValidationError:
    """The error for a 200 answer to a streaming request that is not an event stream (``body``: all of it)."""
    content_type = response.headers.get("content-type")
    text = body.decode("utf-8", "replace")
    try:
        decoded: object = json.loads(text)
    except ValueError:
        decoded = text
    quoted = text if len(text) <= _BODY_IN_MESSAGE else text[:_BODY_IN_MESSAGE] + "..."
    return APIResponseValidationError(
        response,
        decoded,
        message=f"Expected a text/event-stream response to a streaming request, got {content_type!r}: {quoted}",
    )


def transport_error(exc: Exception, request: httpx.Request | None) -> APIConnectionError:
    """A transport failure while reading the stream, as the SDK's error."""
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request, message=f"Timed out reading the stream: {exc!r}")
    return APIConnectionError(message=f"The stream broke off: {exc!r}", request=request)


class StreamTimeout(Exception):
    """The idle timeout or the deadline passed (raised by the timed reads of ``_backend``)."""


def read_timeout_message(idle: float | None, deadline: float | None, exc: Exception) -> str:
    """What to say when a read timed out under a stream bound."""
    limits: list[str] = []
    if idle is not None:
        limits.append(f"at most {idle} s between events: the read timeout, or stream_idle_timeout")
    if deadline is not None:
        limits.append(f"stream_deadline in {deadline - time.monotonic():.3g} s")
    if not limits:
        return f"Timed out reading the stream: {exc!r}"
    return f"Timed out waiting for the next stream event ({'; '.join(limits)}): {exc!r}"


def event_too_large(error: SSEEventTooLarge, response: httpx.Response) -> SSEEventTooLarge:
    """``error`` with the request and its id, like every other error of a response."""
    error.request = request_of(response)
    error.request_id = response.headers.get("x-request-id")
    return error


def timeout_error(reason: str, response: httpx.Response) -> APITimeoutError:
    return APITimeoutError(response.request, message=reason)


def ended_early(terminator: str, response: httpx.Response) -> APIConnectionError:
    """The error for a body that ended before the stream's terminator."""
    return APIConnectionError(
        message=f"The stream ended before its terminator {terminator!r}: the connection was closed early.",
        request=response.request,
    )


# -- state ---------------------------------------------------------------------------------------------------------


CALLER_HAS_IT = float("inf")
"""``StreamState.last_event`` while the caller holds a chunk: the idle clock does not run."""


class StreamState:
    """What the stream object and its iterator share (the iterator must not hold the stream itself).

    ``due()`` is the deadline in force for the next read, which the stream's
    :class:`~oai._core._watchdog.Watch` reads when it wakes: the nearest of the
    stream's deadline, ``idle`` seconds after the last event (not while the
    caller holds a chunk), and the end of the grace after the terminator.
    The reading loop only writes ``last_event``.
    """

    __slots__ = (
        "deadline",
        "drain_until",
        "explicit",
        "first_content_by",
        "first_token_timeout",
        "idle",
        "idle_timeout",
        "last_event",
        "response",
    )

    def __init__(
        self,
        response: httpx.Response,
        idle_timeout: float | None = None,
        deadline: float | None = None,
        first_content_by: float | None = None,
        first_token_timeout: float | None = None,
    ) -> None:
        self.response = response
        self.idle_timeout = idle_timeout
        self.deadline = deadline
        self.first_content_by = first_content_by
        """Until the first content-bearing event: the ``first_token_timeout``'s deadline (then ``None``)."""
        self.first_token_timeout = first_token_timeout
        self.explicit = idle_timeout is not None or deadline is not None or first_content_by is not None
        """Whether the caller set a stream bound (then enforced per read even without a socket to watch)."""
        self.idle = idle_timeout
        self.drain_until: float | None = None
        self.last_event = time.monotonic()

    def begin(self, response: httpx.Response) -> None:
        """Start reading ``response`` (the first, or the one a resend brought).

        Comments and keep-alives are not events, so without ``stream_idle_timeout``
        the request's own read timeout bounds the gap between events: a stream
        kept alive by comments alone ends after it.
        """
        self.response = response
        self.idle = self.idle_timeout
        if self.idle is None:
            request = request_of(response)
            timeouts = request.extensions.get("timeout") if request is not None else None
            if isinstance(timeouts, dict):
                read = cast("dict[str, Any]", timeouts).get("read")
                self.idle = read if isinstance(read, (int, float)) else None
        self.last_event = time.monotonic()

    def due(self) -> float | None:
        due = self.deadline
        first_content_by = self.first_content_by
        if first_content_by is not None:
            # Before the first content the first_token_timeout bounds the wait, not the gap between events.
            if due is None or first_content_by < due:
                due = first_content_by
        elif self.idle is not None:
            last_event = self.last_event
            if last_event == CALLER_HAS_IT:
                # The caller holds a chunk: no idle deadline runs, but the watch must look again within one
                # bound. Nothing tells it when the caller asks for the next chunk, so a watch sent to sleep
                # until "never" here would never cut the stream again (a slow consumer lost the idle bound).
                # Woken at most ``idle`` after the caller is back, it still cuts exactly on time.
                quiet_until = time.monotonic() + self.idle
            else:
                quiet_until = last_event + self.idle
            if due is None or quiet_until < due:
                due = quiet_until
        drain_until = self.drain_until
        if drain_until is not None and (due is None or drain_until < due):
            due = drain_until
        return due

    def expired_kind(self) -> str:
        """Which bound passed: ``"deadline"``, ``"first_token"`` or ``"idle"`` (only the last may be resumed)."""
        now = time.monotonic()
        if self.deadline is not None and now >= self.deadline - 0.005:
            return "deadline"
        if self.first_content_by is not None and now >= self.first_content_by - 0.005:
            return "first_token"
        return "idle"

    def expired_reason(self) -> str:
        """Which bound passed, for the error message."""
        kind = self.expired_kind()
        if kind == "deadline":
            return "The stream passed its deadline (stream_deadline)."
        if kind == "first_token":
            return (
                f"No content-bearing event (text, reasoning or tool-call delta) within {self.first_token_timeout} s "
                "of sending the request (first_token_timeout)."
            )
        return (
            f"No stream event for more than {self.idle} s; comments and keep-alives do not count "
            "(the read timeout bounds the gap between events, or stream_idle_timeout when set)."
        )


def watch_response(state: StreamState, trace_hook: Callable[[Callable[[str, Any], None]], Any]) -> Watch:
    """A watch on the socket of ``state.response``, disarmed by httpcore before the connection is released.

    ``trace_hook`` adapts a callback to the response's ``trace`` extension
    (``_backend.trace_hook``: a coroutine function for an async client).
    """
    response = state.response
    watch = Watch(state.due, response_socket(response))
    if watch.socket is not None:
        request = request_of(response)
        if request is not None:

            def on_trace(name: str, info: Any) -> None:
                if name.endswith("response_closed.started"):
                    watch.disarm()

            request.extensions["trace"] = trace_hook(on_trace)
    return watch


def request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:  # a Response built by hand, without a request
        return None


def raw_reads(response: httpx.Response) -> bool:
    """Whether the raw reads are the body: no content encoding, and not already read into memory.

    Then the stream skips httpx's decoding layer and reads the transport's stream itself.
    """
    if response.is_stream_consumed:
        return False
    encoding = response.headers.get("content-encoding")
    return encoding is None or encoding.strip().lower() in ("", "identity")


# -- resume, completeness, telemetry -------------------------------------------------------------------------------

MAX_RESUME_ATTEMPTS = 5
"""Reconnects in a row without a new event before a resumable stream gives up (``resume=True``)."""


class Resumption:
    """Where a dropped stream picks up again; handed to the client's ``reconnect`` callable.

    ``kind`` is ``"responses"`` (``GET /responses/{response_id}?stream=true&starting_after=N``)
    or ``"sse"`` (the same request again, with ``Last-Event-ID: last_event_id``).
    ``retry_after`` is the server's ``retry:`` field in seconds (``None`` when it sent none);
    ``attempt`` counts the reconnects in a row without a new event (from 0).
    """

    __slots__ = ("attempt", "kind", "last_event_id", "response_id", "retry_after", "starting_after")

    def __init__(
        self,
        kind: str,
        *,
        attempt: int,
        response_id: str | None = None,
        starting_after: int | None = None,
        last_event_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.kind = kind
        self.attempt = attempt
        self.response_id = response_id
        self.starting_after = starting_after
        self.last_event_id = last_event_id
        self.retry_after = retry_after

    def __repr__(self) -> str:
        where = (
            f"response_id={self.response_id!r}, starting_after={self.starting_after!r}"
            if self.kind == "responses"
            else f"last_event_id={self.last_event_id!r}"
        )
        return f"Resumption({self.kind!r}, {where}, attempt={self.attempt})"


def resumption(progress: Progress, last_event_id: str, retry_ms: int | None, attempt: int) -> Resumption | None:
    """How this stream can be resumed now, or ``None`` (a chat stream; a Responses stream before its id)."""
    partial = progress.partial
    if progress.resumable:
        if partial.response_id is None:
            return None
        return Resumption(
            "responses",
            attempt=attempt,
            response_id=partial.response_id,
            starting_after=partial.sequence_number,
        )
    if progress.kind == "chat" or not last_event_id:
        return None
    return Resumption(
        "sse",
        attempt=attempt,
        last_event_id=last_event_id,
        retry_after=retry_ms / 1000.0 if retry_ms is not None else None,
    )


class StreamConfig:
    """What the client tells a stream beyond the official constructor's arguments (``make_stream``)."""

    __slots__ = ("first_token_timeout", "model", "reconnect", "require_terminal", "server", "stats")

    def __init__(
        self,
        *,
        stats: StreamStats | None = None,
        first_token_timeout: float | None = None,
        reconnect: Callable[..., Any] | None = None,
        require_terminal: bool = True,
        model: object = None,
        server: tuple[str, int | None] | None = None,
    ) -> None:
        self.stats = stats if stats is not None else StreamStats()
        self.first_token_timeout = first_token_timeout
        self.reconnect = reconnect
        """``reconnect(resumption, error)`` returns the response to read on (``resume=True``); else ``None``."""
        self.require_terminal = require_terminal
        self.model = model
        self.server = server


def interrupted(error: BaseException, progress: Progress, request: httpx.Request | None) -> StreamInterrupted:
    """The error of a stream that broke off after delivering events: what broke, and what arrived."""
    partial = snapshot(progress)
    what = f"{partial.events} event{'s' if partial.events != 1 else ''}"
    if progress.kind == "chat":
        hint = "chat completions cannot be resumed; .partial holds what arrived"
    else:
        hint = ".partial holds what arrived"
    return StreamInterrupted(
        message=f"The stream broke off after {what} ({hint}): {error}", request=request, partial=partial
    )


def incomplete(progress: Progress, terminator: str | None, request: httpx.Request | None) -> StreamIncomplete:
    """The error of a body that ended without the stream's terminal signal."""
    if progress.kind == "responses":
        signal = "a response.completed, response.incomplete or response.failed event"
    elif progress.kind == "chat":
        signal = f"{terminator or '[DONE]'} or a finish_reason on every choice"
    else:
        signal = repr(terminator or "[DONE]")
    partial = snapshot(progress)
    return StreamIncomplete(
        message=(
            f"The stream ended without its terminal signal ({signal}) after {partial.events} events: "
            "the connection was closed early (require_terminal_event=False accepts this from a server "
            "that never sends one)."
        ),
        request=request,
        partial=partial,
    )


def with_partial(error: _E, progress: Progress) -> _E:
    """``error`` carrying what the stream delivered before it (``error.partial``)."""
    if isinstance(error, APIError) and error.partial is None:
        error.partial = snapshot(progress)
    return error


def reported_failure(progress: Progress, response: httpx.Response) -> APIStreamError:
    """The error for a failure the stream reported in a chunk (``finish_reason: "error"``, ``response.failed``)."""
    message, body = progress.failure() or ("The stream reported a failure.", None)
    error = make_stream_error(body, response)
    error.message = redact(f"{message} {error.message}" if error.message and error.message != message else message)
    error.args = (error.message,)
    error.partial = snapshot(progress)
    return error
