# Written by scripts/unasync.py from generated/oai/_core/_async/_streaming.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""``Stream[T]``: typed chunks out of a server-sent event response (see ``oai._core._streaming``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx
from pydantic import ValidationError

from .._errors import APIConnectionError, make_stream_error, safe_cause
from .._sse import DEFAULT_MAX_EVENT_SIZE, SSEDecoder, SSEEventTooLarge
from .._streaming import (
    DRAIN_GRACE,
    DRAIN_LIMIT,
    ChunkParser,
    StreamState,
    StreamTimeout,
    content_type_error,
    ended_early,
    enveloped,
    error_body,
    event_too_large,
    get_parser,
    is_event_stream,
    parse_leniently,
    raw_reads,
    read_timeout_message,
    reported_error,
    request_of,
    timeout_error,
    transport_error,
    watch_response,
)
from .._watchdog import Watch
from ._backend import close_when_collected, timed_reads, trace_hook

__all__ = ["Stream"]

_T = TypeVar("_T")


def _iterate(
    state: StreamState,
    parser: ChunkParser,
    terminator: str | None,
    retry: Callable[..., httpx.Response] | None,
    max_event_size: int,
) -> Iterator[Any]:
    response = state.response
    term = terminator.encode() if terminator is not None else None
    validate = parser.validate
    unwrap = parser.unwrap
    envelope = parser.envelope
    monotonic = time.monotonic
    yielded = False
    done = False
    watch: Watch | None = None
    state.begin(response)  # waiting starts when iterating does, not when the stream was made
    try:
        while True:
            try:
                if not is_event_stream(response):
                    raise content_type_error(response, response.read())
                decoder = SSEDecoder(max_event_size=max_event_size)
                feed = decoder.feed_raw
                watch = watch_response(state, trace_hook)
                # Without a content encoding, the raw reads are the body: skip httpx's decoding layer.
                reads: Iterator[bytes] = response.iter_raw() if raw_reads(response) else response.iter_bytes()
                drained = 0
                for read in timed_reads(reads, state, watch):
                    if done:
                        # After the terminator: read on only to let the connection be reused.
                        drained += len(read)
                        if drained > DRAIN_LIMIT:
                            return
                        continue
                    for event_type, data in feed(read):
                        if not data:
                            continue
                        if term is not None:
                            if data.startswith(term):
                                done = True
                                break
                        elif data == b"[DONE]":  # sent by some servers even where the body's end is the end
                            done = True
                            break
                        if event_type == "error":
                            raise make_stream_error(error_body(data), response)
                        if b'"error"' in data:
                            body = reported_error(data)
                            if body is not None:
                                raise make_stream_error(body, response)
                        if envelope:
                            data = enveloped(event_type, data)
                        try:
                            chunk = validate(data)
                        except ValidationError:
                            chunk = parse_leniently(parser, data, response)
                        else:
                            if unwrap:
                                chunk = chunk.root
                        yielded = True
                        state.hand_over()
                        yield chunk
                        # Idle time is time spent waiting for the server: a slow consumer is not idle.
                        state.last_event = monotonic()
                    if done:
                        state.drain_until = monotonic() + DRAIN_GRACE
                        watch.schedule()  # the grace may end before the bound the watch waits for
                if done:
                    return
                decoder.end()
                if term is not None:
                    raise ended_early(terminator or "", response)
                return
            except SSEEventTooLarge as exc:
                raise event_too_large(exc, response) from None
            except StreamTimeout as exc:
                if done:
                    return
                error = timeout_error(str(exc), response)
                if yielded or retry is None:
                    raise error from None
            except httpx.RequestError as exc:
                if done:
                    return
                cut = watch is not None and watch.expired  # the watchdog cut the connection: a bound passed
                if cut:
                    error = timeout_error(state.expired_reason(), response)
                elif isinstance(exc, httpx.TimeoutException):
                    error = timeout_error(read_timeout_message(state.idle, state.deadline, exc), response)
                else:
                    error = transport_error(exc, request_of(response))
                if yielded or retry is None:
                    raise error from (None if cut else safe_cause(exc))
            except APIConnectionError as exc:
                # The body ended before the terminator.
                if yielded or retry is None:
                    raise
                error = exc
            # The stream failed before the caller saw any event, and the caller opted in: send it again.
            if watch is not None:
                watch.disarm()
            response.close()
            response = retry(error)
            state.begin(response)
    finally:
        if watch is not None:
            watch.disarm()
        response.close()


class Stream(Generic[_T]):
    """The chunks of a streamed response, typed ``_T``; iterate it once.

    ``for chunk in stream`` yields the chunks; ``stream.close()`` or
    ``with stream:`` end it early. The stream owns ``response`` and always
    closes it (see ``oai._core._streaming`` for when). ``terminator`` is the data
    that ends the stream (``"[DONE]"``; ``None`` for streams that end with the
    body, like the Responses API's).
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
        self._client = client  # the client that made the stream (the official SDK's signature)
        self.terminator = terminator
        self._state = StreamState(response, idle_timeout, deadline)
        parser = get_parser(cast_to)
        self._iterator: Iterator[_T] = _iterate(self._state, parser, terminator, retry, max_event_size)
        # Closes the response if the stream is dropped before it was ever iterated.
        close_when_collected(self._iterator, response)

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
        return self._iterator.__next__()

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
