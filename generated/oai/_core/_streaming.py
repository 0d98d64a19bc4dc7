"""``Stream[T]`` and ``AsyncStream[T]``: typed chunks out of a server-sent event response.

What a stream guarantees (each point is tested in ``tests/core/test_stream*.py``
and, over real TCP, in ``tests/faults/``):

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
* **Deadlines.** ``idle_timeout`` bounds the time spent waiting for the next
  event (comments and keep-alives do not reset it; time the caller spends
  on a chunk, or before it starts iterating, is not waiting) and
  ``deadline`` (an absolute ``time.monotonic()`` value) the whole stream;
  both raise ``APITimeoutError``. Async streams enforce them per read with an
  ``anyio`` cancel scope, exactly. A sync read cannot be interrupted, so
  sync streams rely on the httpx read timeout, which the client derives with
  :func:`stream_read_timeout`, plus a check after every read: a silent
  server times out after ``idle_timeout``; one that sends only keep-alives
  after at most twice that.
* **Fast.** Events come from :meth:`SSEDecoder.iter_raw` as bytes, which go
  straight to pydantic-core's ``model_validate_json``; the JSON is decoded
  with Python's ``json`` only to look at an error, or for the lenient
  fallback when strict validation fails.
"""

from __future__ import annotations

import json
import time
import typing
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from functools import cache
from types import TracebackType
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar, cast

import httpx
import pydantic
from pydantic import ValidationError

if TYPE_CHECKING:
    import asyncio

from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStreamError,
    APITimeoutError,
)
from ._models import UnknownVariant, _adapter, _is_model_class, construct_lenient  # pyright: ignore[reportPrivateUsage]
from ._sse import DEFAULT_MAX_EVENT_SIZE, SSEDecoder, SSEEventTooLarge

__all__ = [
    "EVENT_ENVELOPE",
    "AsyncStream",
    "EventEnvelope",
    "SSEEventTooLarge",
    "Stream",
    "UnknownStreamEvent",
    "stream_read_timeout",
]

_T = TypeVar("_T")

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


def stream_read_timeout(
    timeout: httpx.Timeout,
    idle_timeout: float | None,
    deadline: float | None,
) -> httpx.Timeout:
    """The httpx timeout for a streaming request with an idle timeout and/or a deadline.

    A sync read cannot be interrupted from outside, so the read timeout is
    what makes a silent server fail on time: it becomes at most
    ``idle_timeout``, and every part becomes at most the time left until
    ``deadline`` (an absolute ``time.monotonic()`` value).
    """
    read = timeout.read
    if idle_timeout is not None:
        read = idle_timeout if read is None else min(read, idle_timeout)
    connect, write, pool = timeout.connect, timeout.write, timeout.pool
    if deadline is not None:
        left = max(deadline - time.monotonic(), 0.001)
        read = left if read is None else min(read, left)
        connect = left if connect is None else min(connect, left)
        write = left if write is None else min(write, left)
        pool = left if pool is None else min(pool, left)
    return httpx.Timeout(connect=connect, read=read, write=write, pool=pool)


# -- parsing -------------------------------------------------------------------------------------------------------


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


class _Parser:
    """How one chunk type is built from an event's data; one per type, cached."""

    __slots__ = ("envelope", "fallback_type", "unwrap", "validate")

    def __init__(self, cast_to: Any) -> None:
        self.unwrap = False
        self.envelope = False
        if typing.get_origin(cast_to) is Annotated and any(
            isinstance(mark, EventEnvelope) for mark in cast_to.__metadata__
        ):
            self.envelope = True
            cast_to = cast_to.__origin__
        self.fallback_type = cast_to
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
def _parser_for(cast_to: Any) -> _Parser:
    return _Parser(cast_to)


def _get_parser(cast_to: Any) -> _Parser:
    try:
        return _parser_for(cast_to)
    except TypeError:  # an unhashable annotation
        return _Parser(cast_to)


def _quote(data: bytes | str, limit: int = _DATA_IN_MESSAGE) -> str:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} characters)"


def _parse_event(parser: _Parser, data: bytes, response: httpx.Response) -> Any:
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


def _enveloped(event_type: str, data: bytes) -> bytes:
    """The JSON object ``{"event": event_type, "data": data}`` (``data`` is already JSON)."""
    return b'{"event":' + json.dumps(event_type).encode() + b',"data":' + data + b"}"


def _error_body(data: bytes) -> object:
    try:
        return json.loads(data)
    except ValueError:
        return data.decode("utf-8", "replace")


def _server_message(body: object) -> str | None:
    if not isinstance(body, Mapping):
        return None
    obj = cast("Mapping[str, Any]", body)
    nested = obj.get("error")
    if isinstance(nested, Mapping):
        obj = cast("Mapping[str, Any]", nested)
    elif isinstance(nested, str) and nested:
        return nested
    message = obj.get("message")
    return message if isinstance(message, str) and message else None


def _stream_error(client: Any, response: httpx.Response, body: object) -> APIError:
    """The error for an error the server reported inside the stream (``body``: the event's data)."""
    make = getattr(client, "_make_stream_error", None)
    if make is not None:
        return cast("APIError", make(body, response=response))
    message = _server_message(body) or (body if isinstance(body, str) and body else "")
    return APIStreamError(
        message or "An error occurred during streaming",
        response.request,
        body=body,
        request_id=response.headers.get("x-request-id"),
    )


def _reported_error(data: bytes) -> object | None:
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


def _content_type_error(response: httpx.Response, body: bytes) -> APIResponseValidationError | None:
    content_type = response.headers.get("content-type")
    if content_type is None or content_type.split(";", 1)[0].strip().lower() == "text/event-stream":
        return None
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


def _is_event_stream(response: httpx.Response) -> bool:
    content_type = response.headers.get("content-type")
    return content_type is None or content_type.split(";", 1)[0].strip().lower() == "text/event-stream"


def _transport_error(exc: Exception, request: httpx.Request | None) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request, message=f"Timed out reading the stream: {exc!r}")
    return APIConnectionError(message=f"The stream broke off: {exc!r}", request=request)


class _StreamTimeout(Exception):
    """The idle timeout or the deadline passed (raised by the timed read wrappers)."""


def _read_timeout_message(idle: float | None, deadline: float | None, exc: Exception) -> str:
    limits: list[str] = []
    if idle is not None:
        limits.append(f"stream_idle_timeout={idle} s")
    if deadline is not None:
        limits.append(f"stream_deadline in {deadline - time.monotonic():.3g} s")
    return f"Timed out waiting for the next stream event ({', '.join(limits)}): {exc!r}"


def _timeout_error(reason: str, response: httpx.Response) -> APITimeoutError:
    return APITimeoutError(response.request, message=reason)


def _ended_early(terminator: str, response: httpx.Response) -> APIConnectionError:
    return APIConnectionError(
        message=f"The stream ended before its terminator {terminator!r}: the connection was closed early.",
        request=response.request,
    )


class _State:
    """What the stream object and its iterator share (the iterator must not hold the stream itself)."""

    __slots__ = ("last_event", "response")

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.last_event = time.monotonic()


def _request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:  # a Response built by hand, without a request
        return None


# -- sync ----------------------------------------------------------------------------------------------------------


def _identity(response: httpx.Response) -> bool:
    """Whether the raw reads are the body: no content encoding, and not already read into memory."""
    if response.is_stream_consumed:
        return False
    encoding = response.headers.get("content-encoding")
    return encoding is None or encoding.strip().lower() in ("", "identity")


def _body(response: httpx.Response) -> Iterator[bytes]:
    # Without a content encoding, the raw reads are the body: skip httpx's decoding layer.
    return response.iter_raw() if _identity(response) else response.iter_bytes()


def _abody(response: httpx.Response) -> AsyncIterator[bytes]:
    return response.aiter_raw() if _identity(response) else response.aiter_bytes()


def _timed_reads(reads: Iterator[bytes], state: _State, idle: float | None, deadline: float | None) -> Iterator[bytes]:
    # The read itself is bounded by the httpx read timeout (stream_read_timeout); this catches
    # the gaps that reads of keep-alive comments hide.
    monotonic = time.monotonic
    for chunk in reads:
        now = monotonic()
        if deadline is not None and now >= deadline:
            raise _StreamTimeout("The stream passed its deadline (stream_deadline).")
        if idle is not None and now - state.last_event > idle:
            raise _StreamTimeout(f"No stream event for more than {idle} s (stream_idle_timeout).")
        yield chunk


def _iterate(
    state: _State,
    parser: _Parser,
    terminator: str | None,
    client: Any,
    retry: Callable[..., httpx.Response] | None,
    idle: float | None,
    deadline: float | None,
    max_event_size: int,
) -> Iterator[Any]:
    response = state.response
    term = terminator.encode() if terminator is not None else None
    validate = parser.validate
    unwrap = parser.unwrap
    envelope = parser.envelope
    timed = idle is not None or deadline is not None
    monotonic = time.monotonic
    yielded = False
    done = False
    state.last_event = monotonic()  # waiting starts when iterating does, not when the stream was made
    try:
        while True:
            try:
                if not _is_event_stream(response):
                    error = _content_type_error(response, response.read())
                    if error is not None:
                        raise error
                decoder = SSEDecoder(max_event_size=max_event_size)
                feed = decoder.feed_raw
                reads: Iterator[bytes] = _body(response)
                if timed:
                    reads = _timed_reads(reads, state, idle, deadline)
                for read in reads:
                    for event_type, data in feed(read):
                        if done or not data:
                            continue
                        if term is not None:
                            if data.startswith(term):
                                done = True  # read on to the end of the body so the connection can be reused
                                continue
                        elif data == b"[DONE]":  # sent by some servers even where the body's end is the end
                            done = True
                            continue
                        if event_type == "error":
                            raise _stream_error(client, response, _error_body(data))
                        if b'"error"' in data:
                            body = _reported_error(data)
                            if body is not None:
                                raise _stream_error(client, response, body)
                        if envelope:
                            data = _enveloped(event_type, data)
                        try:
                            chunk = validate(data)
                        except ValidationError:
                            chunk = _parse_event(parser, data, response)
                        else:
                            if unwrap:
                                chunk = chunk.root
                        yielded = True
                        yield chunk
                        if timed:
                            # Idle time is time spent waiting for the server: a slow consumer is not idle.
                            state.last_event = monotonic()
                decoder.end()
                if term is not None and not done:
                    raise _ended_early(terminator or "", response)
                return
            except _StreamTimeout as exc:
                if done:
                    return
                raise _timeout_error(str(exc), response) from None
            except httpx.TimeoutException as exc:
                if done:
                    return
                error = _transport_error(exc, _request_of(response))
                if idle is not None or deadline is not None:
                    error = _timeout_error(_read_timeout_message(idle, deadline, exc), response)
                if yielded or retry is None:
                    raise error from exc
            except httpx.RequestError as exc:
                if done:
                    return
                error = _transport_error(exc, _request_of(response))
                if yielded or retry is None:
                    raise error from exc
            except APIConnectionError as exc:
                # The body ended before the terminator.
                if yielded or retry is None:
                    raise
                error = exc
            # The transport failed before the caller saw any event: ask the client for a new response.
            response.close()
            response = retry(error)
            state.response = response
            state.last_event = monotonic()
    finally:
        response.close()


class Stream(Generic[_T]):
    """The chunks of a streamed response, typed ``_T``; iterate it once.

    ``for chunk in stream`` yields the chunks; ``close()`` or ``with stream:``
    end it early. The stream owns ``response`` and always closes it (see the
    module docstring for when). ``terminator`` is the data that ends the
    stream (``"[DONE]"``; ``None`` for streams that end with the body, like
    the Responses API's).
    """

    terminator: str | None = "[DONE]"

    def __init__(
        self,
        *,
        cast_to: Any,
        response: httpx.Response,
        client: Any = None,
        terminator: str | None = "[DONE]",
        idle_timeout: float | None = None,
        deadline: float | None = None,
        retry: Callable[..., httpx.Response] | None = None,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None:
        self.terminator = terminator
        self._state = _State(response)
        self._iterator: Iterator[_T] = _iterate(
            self._state, _get_parser(cast_to), terminator, client, retry, idle_timeout, deadline, max_event_size
        )
        # Closes the response if the stream is dropped before it was ever iterated (a generator
        # that never started has no ``finally`` to run).
        weakref.finalize(self._iterator, response.close)

    @property
    def response(self) -> httpx.Response:
        """The HTTP response being read (a new one after a retry before the first event)."""
        return self._state.response

    @property
    def request_id(self) -> str | None:
        """The server's ``x-request-id`` for this stream, for support requests and logs."""
        return self._state.response.headers.get("x-request-id")

    def __iter__(self) -> Iterator[_T]:
        return self._iterator

    def __next__(self) -> _T:
        return next(self._iterator)

    def close(self) -> None:
        """Stop reading and release the connection; safe to call more than once."""
        close = getattr(self._iterator, "close", None)
        if close is not None:
            close()
        self._state.response.close()

    def __enter__(self) -> Stream[_T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# -- async ---------------------------------------------------------------------------------------------------------


async def _atimed_reads(
    reads: AsyncIterator[bytes], state: _State, idle: float | None, deadline: float | None
) -> AsyncIterator[bytes]:
    # Each read runs in a cancel scope that ends when the idle timeout or the deadline does.
    monotonic = time.monotonic
    while True:
        now = monotonic()
        left = float("inf")
        reason = ""
        if deadline is not None:
            left = deadline - now
            reason = "The stream passed its deadline (stream_deadline)."
        if idle is not None and state.last_event + idle - now < left:
            left = state.last_event + idle - now
            reason = f"No stream event for more than {idle} s (stream_idle_timeout)."
        if left <= 0:
            raise _StreamTimeout(reason)
        try:
            import anyio  # only async users pay for it (import oai stays light)

            with anyio.fail_after(left):
                chunk = await reads.__anext__()
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise _StreamTimeout(reason) from None
        yield chunk


async def _aiterate(
    state: _State,
    parser: _Parser,
    terminator: str | None,
    client: Any,
    retry: Callable[..., Awaitable[httpx.Response]] | None,
    idle: float | None,
    deadline: float | None,
    max_event_size: int,
) -> AsyncIterator[Any]:
    response = state.response
    term = terminator.encode() if terminator is not None else None
    validate = parser.validate
    unwrap = parser.unwrap
    envelope = parser.envelope
    timed = idle is not None or deadline is not None
    monotonic = time.monotonic
    yielded = False
    done = False
    state.last_event = monotonic()  # waiting starts when iterating does, not when the stream was made
    try:
        while True:
            try:
                if not _is_event_stream(response):
                    error = _content_type_error(response, await response.aread())
                    if error is not None:
                        raise error
                decoder = SSEDecoder(max_event_size=max_event_size)
                feed = decoder.feed_raw
                reads: AsyncIterator[bytes] = _abody(response)
                if timed:
                    reads = _atimed_reads(reads, state, idle, deadline)
                async for read in reads:
                    for event_type, data in feed(read):
                        if done or not data:
                            continue
                        if term is not None:
                            if data.startswith(term):
                                done = True
                                continue
                        elif data == b"[DONE]":
                            done = True
                            continue
                        if event_type == "error":
                            raise _stream_error(client, response, _error_body(data))
                        if b'"error"' in data:
                            body = _reported_error(data)
                            if body is not None:
                                raise _stream_error(client, response, body)
                        if envelope:
                            data = _enveloped(event_type, data)
                        try:
                            chunk = validate(data)
                        except ValidationError:
                            chunk = _parse_event(parser, data, response)
                        else:
                            if unwrap:
                                chunk = chunk.root
                        yielded = True
                        yield chunk
                        if timed:
                            # Idle time is time spent waiting for the server: a slow consumer is not idle.
                            state.last_event = monotonic()
                decoder.end()
                if term is not None and not done:
                    raise _ended_early(terminator or "", response)
                return
            except _StreamTimeout as exc:
                if done:
                    return
                raise _timeout_error(str(exc), response) from None
            except httpx.TimeoutException as exc:
                if done:
                    return
                error = _transport_error(exc, _request_of(response))
                if idle is not None or deadline is not None:
                    error = _timeout_error(_read_timeout_message(idle, deadline, exc), response)
                if yielded or retry is None:
                    raise error from exc
            except httpx.RequestError as exc:
                if done:
                    return
                error = _transport_error(exc, _request_of(response))
                if yielded or retry is None:
                    raise error from exc
            except APIConnectionError as exc:
                if yielded or retry is None:
                    raise
                error = exc
            await response.aclose()
            response = await retry(error)
            state.response = response
            state.last_event = monotonic()
    finally:
        await response.aclose()


_pending_closes: set[asyncio.Task[None]] = set()


def _aclose_later(loop: asyncio.AbstractEventLoop | None, response: httpx.Response) -> None:
    """Close ``response`` on its event loop; for an async stream dropped before it was iterated."""
    if loop is None or loop.is_closed() or response.is_closed:
        return

    def spawn() -> None:
        task = loop.create_task(response.aclose())
        _pending_closes.add(task)
        task.add_done_callback(_pending_closes.discard)

    try:
        loop.call_soon_threadsafe(spawn)
    except RuntimeError:  # the loop closed meanwhile
        pass


class AsyncStream(Generic[_T]):
    """The async twin of :class:`Stream`: ``async for chunk in stream``; ``await stream.close()``."""

    terminator: str | None = "[DONE]"

    def __init__(
        self,
        *,
        cast_to: Any,
        response: httpx.Response,
        client: Any = None,
        terminator: str | None = "[DONE]",
        idle_timeout: float | None = None,
        deadline: float | None = None,
        retry: Callable[..., Awaitable[httpx.Response]] | None = None,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None:
        self.terminator = terminator
        self._state = _State(response)
        self._iterator: AsyncIterator[_T] = _aiterate(
            self._state, _get_parser(cast_to), terminator, client, retry, idle_timeout, deadline, max_event_size
        )
        import asyncio  # an async stream exists only under a running loop

        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # not under asyncio (trio): an abandoned stream is closed by iterating or close()
            loop = None
        weakref.finalize(self._iterator, _aclose_later, loop, response)

    @property
    def response(self) -> httpx.Response:
        """The HTTP response being read (a new one after a retry before the first event)."""
        return self._state.response

    @property
    def request_id(self) -> str | None:
        """The server's ``x-request-id`` for this stream."""
        return self._state.response.headers.get("x-request-id")

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterator

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        """Stop reading and release the connection; safe to call more than once."""
        aclose = getattr(self._iterator, "aclose", None)
        if aclose is not None:
            await aclose()
        await self._state.response.aclose()

    async def aclose(self) -> None:
        """Same as :meth:`close` (the name ``contextlib.aclosing`` expects)."""
        await self.close()

    async def __aenter__(self) -> AsyncStream[_T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
