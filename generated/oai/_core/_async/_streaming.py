"""``AsyncStream[T]``: typed chunks out of a server-sent event response (see ``oai._core._streaming``)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx
from pydantic import ValidationError

from .. import _telemetry as telemetry
from .._errors import (
    APIConnectionError,
    APIError,
    APIStreamError,
    APITimeoutError,
    StreamIncomplete,
    make_stream_error,
    safe_cause,
)
from .._sse import DEFAULT_MAX_EVENT_SIZE, OfficialServerSentEvent, SSEDecoder, SSEEventTooLarge
from .._stats import Progress, StreamPartial, StreamStats, progress_for, snapshot
from .._streaming import (
    CALLER_HAS_IT,
    DRAIN_GRACE,
    DRAIN_LIMIT,
    MAX_RESUME_ATTEMPTS,
    ChunkParser,
    StreamConfig,
    StreamState,
    StreamTimeout,
    content_type_error,
    enveloped,
    error_body,
    event_too_large,
    get_parser,
    incomplete,
    interrupted,
    is_event_stream,
    parse_leniently,
    raw_reads,
    read_timeout_message,
    reported_error,
    reported_failure,
    request_of,
    resumption,
    timeout_error,
    transport_error,
    watch_response,
    with_partial,
)
from .._watchdog import Watch
from ._backend import close_when_collected, timed_reads, trace_hook

__all__ = ["AsyncStream"]

_T = TypeVar("_T")


def _body_reads(response: httpx.Response) -> AsyncIterator[bytes]:
    """The reads of the body: the transport's own when they are the body (``raw_reads``), else httpx's decoded ones.

    The transport's stream is what ``aiter_raw()`` reads too; reading it directly saves a
    generator and a chunker per read (about 4 % of a chat chunk's cost, what stream.stats adds).
    ``response.num_bytes_downloaded`` is not kept up: ``stream.stats.bytes`` counts them.
    """
    stream = response.stream
    if raw_reads(response) and not response.is_closed and isinstance(stream, httpx.AsyncByteStream):
        response.is_stream_consumed = True  # as aiter_raw() would: reading the body again raises StreamConsumed
        return aiter(stream)
    return response.aiter_bytes()


async def _iterate(
    state: StreamState,
    parser: ChunkParser,
    terminator: str | None,
    retry: Callable[..., Awaitable[httpx.Response]] | None,
    max_event_size: int,
    config: StreamConfig,
    progress: Progress,
) -> AsyncIterator[Any]:
    response = state.response
    term = terminator.encode() if terminator is not None else None
    validate = parser.validate
    unwrap = parser.unwrap
    envelope = parser.envelope
    monotonic = time.monotonic
    stats = config.stats
    record_wait = stats._gaps.append  # pyright: ignore[reportPrivateUsage]
    see = progress.see
    see_loose = progress.see_loose
    reconnect: Callable[..., Awaitable[httpx.Response]] | None = config.reconnect
    yielded = False
    done = False
    completed = False
    first_event = True
    awaiting_content = True
    failure: BaseException | None = None
    watch: Watch | None = None
    decoder: SSEDecoder | None = None
    last_event_id = ""
    skip_through: int | None = None  # after a resume: events numbered up to this one were delivered already
    attempts = 0  # reconnects in a row without a new event
    events_at_reconnect = 0
    state.begin(response)  # waiting starts when iterating does, not when the stream was made
    stats.head()
    span = telemetry.start(config, parser.kind, response)
    try:
        while True:
            try:
                if not is_event_stream(response):
                    raise content_type_error(response, await response.aread())
                decoder = SSEDecoder(max_event_size=max_event_size)
                if last_event_id:
                    decoder.last_event_id = last_event_id
                feed = decoder.feed_raw
                watch = watch_response(state, trace_hook)
                reads = _body_reads(response)
                drained = 0
                # The bookkeeping below is all that stream.stats costs per event: a clock read per read
                # (``now``) besides the one the idle bound needs after each event, one append and two
                # counters; the quantiles are worked out when read.
                asked = monotonic()
                waited = 0.0
                async for read in timed_reads(reads, state, watch):
                    now = monotonic()
                    stats.bytes += len(read)
                    if done:
                        # After the terminator: read on only to let the connection be reused.
                        drained += len(read)
                        if drained > DRAIN_LIMIT:
                            break
                        continue
                    waited += now - asked
                    asked = now
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
                            look = see_loose
                        else:
                            look = see
                            if unwrap:
                                chunk = chunk.root
                        if skip_through is not None:
                            number = getattr(chunk, "sequence_number", None)
                            if isinstance(number, int):
                                if number <= skip_through:
                                    continue  # sent again by the resumed stream: delivered already
                                skip_through = None
                        if first_event:
                            first_event = False
                            stats._first_event_at = now  # pyright: ignore[reportPrivateUsage]
                            progress.begin(chunk)
                        record_wait(waited)  # this counts the event (stats.events)
                        waited = 0.0
                        if look(chunk):
                            stats.content_events += 1
                            if awaiting_content:
                                awaiting_content = False
                                stats._first_content_at = now  # pyright: ignore[reportPrivateUsage]
                                if state.first_content_by is not None:
                                    state.first_content_by = None
                                    watch.schedule()  # the idle bound may come before the first-token one did
                        if progress.failed:
                            raise reported_failure(progress, response)
                        yielded = True
                        state.last_event = CALLER_HAS_IT  # the caller's time with a chunk is not idle time
                        yield chunk
                        # Idle time is time spent waiting for the server: a slow consumer is not idle.
                        state.last_event = asked = monotonic()
                    if done:
                        state.drain_until = monotonic() + DRAIN_GRACE
                        watch.schedule()  # the grace may end before the bound the watch waits for
                last_event_id = decoder.last_event_id
                if done:
                    completed = True
                    return
                decoder.end()
                if progress.ended():
                    completed = True
                    return
                if term is None and progress.kind == "sse":
                    completed = True  # a stream that ends with its body
                    return
                if not config.require_terminal:
                    return
                raise incomplete(progress, terminator, request_of(response))
            except SSEEventTooLarge as exc:
                raise with_partial(event_too_large(exc, response), progress) from None
            except APIStreamError as exc:
                with_partial(exc, progress)
                raise
            except StreamTimeout as exc:
                if done:
                    return
                error: APIConnectionError = timeout_error(str(exc), response)
                cause: BaseException | None = None
                resumable = state.expired_kind() == "idle"
            except httpx.RequestError as exc:
                if done:
                    return
                cut = watch is not None and watch.expired  # the watchdog cut the connection: a bound passed
                resumable = True
                if cut:
                    error = timeout_error(state.expired_reason(), response)
                    resumable = state.expired_kind() == "idle"
                    cause = None
                elif isinstance(exc, httpx.TimeoutException):
                    error = timeout_error(read_timeout_message(state.idle, state.deadline, exc), response)
                    cause = safe_cause(exc)
                else:
                    error = transport_error(exc, request_of(response))
                    cause = safe_cause(exc)
            except StreamIncomplete as exc:
                error = exc
                cause = None
                resumable = True
            except APIConnectionError as exc:
                error = exc
                cause = None
                resumable = False
            if decoder is not None and decoder.last_event_id:
                last_event_id = decoder.last_event_id
            if watch is not None:
                watch.disarm()
            plan = None
            if stats.events > events_at_reconnect:
                attempts = 0  # the last reconnect brought new events: a new run of attempts
            if reconnect is not None and resumable and attempts < MAX_RESUME_ATTEMPTS:
                plan = resumption(progress, last_event_id, decoder.retry if decoder is not None else None, attempts)
            if plan is not None and reconnect is not None:
                # resume=True and the server can pick up where the stream broke off: reconnect.
                await response.aclose()
                attempts += 1
                events_at_reconnect = stats.events
                stats.reconnects += 1
                try:
                    response = await reconnect(plan, error)
                except APIError as exc:
                    raise with_partial(interrupted(exc, progress, request_of(response)), progress) from exc
                if plan.kind == "responses":
                    skip_through = plan.starting_after
                state.begin(response)
                continue
            if yielded or retry is None:
                if yielded and not isinstance(error, (APITimeoutError, StreamIncomplete)):
                    raise interrupted(error, progress, error.request) from (cause or error)
                raise with_partial(error, progress) from cause
            # The stream failed before the caller saw any event, and the caller opted in: send it again.
            await response.aclose()
            response = await retry(error)
            state.begin(response)
    except BaseException as exc:
        failure = exc
        raise
    finally:
        if watch is not None:
            watch.disarm()
        await response.aclose()
        stats.finish(completed)
        if span is not None:
            telemetry.end(span, stats, progress, failure)


class AsyncStream(Generic[_T]):
    """The chunks of a streamed response, typed ``_T``; iterate it once.

    ``async for chunk in stream`` yields the chunks; ``await stream.close()`` or
    ``async with stream:`` end it early. The stream owns ``response`` and always
    closes it (see ``oai._core._streaming`` for when). ``terminator`` is the data
    that ends the stream (``"[DONE]"``; ``None`` for streams that end with the
    body, like the Responses API's).
    """

    terminator: str | None = "[DONE]"
    _accepts_config = True  # make_stream passes ``config=`` (a subclass of the official signature may not)

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
        config: StreamConfig | None = None,
    ) -> None:
        self._client = client  # the client that made the stream (the official SDK's signature)
        self.terminator = terminator
        if config is None:
            config = StreamConfig()
        first_token = config.first_token_timeout
        self._state = StreamState(
            response,
            idle_timeout,
            deadline,
            first_content_by=config.stats.started + first_token if first_token is not None else None,
            first_token_timeout=first_token,
        )
        self._stats = config.stats
        parser = get_parser(cast_to)
        self._progress = progress = progress_for(parser.kind, config.stats)
        self._iterator: AsyncIterator[_T] = _iterate(
            self._state, parser, terminator, retry, max_event_size, config, progress
        )
        # Closes the response if the stream is dropped before it was ever iterated.
        close_when_collected(self._iterator, response)

    @property
    def response(self) -> httpx.Response:
        """The HTTP response being read (a new one after a retry before the first event)."""
        return self._state.response

    @property
    def stats(self) -> StreamStats:
        """Timings and counts of this stream, live while it runs (``oai.StreamStats``; docs/streams.md)."""
        return self._stats

    @property
    def partial(self) -> StreamPartial:
        """What the stream delivered so far: text, reasoning, tool calls, usage (``oai.StreamPartial``)."""
        return snapshot(self._progress)

    @property
    def request_id(self) -> str | None:
        """The server's ``x-request-id`` for this stream, for support requests and logs."""
        return self._state.response.headers.get("x-request-id")

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterator

    async def _iter_events(self) -> AsyncIterator[OfficialServerSentEvent]:
        """The body's server-sent events as the official SDK's private ``_iter_events()`` gives them.

        For code written against ``openai._streaming`` (see ``oai._streaming``). It reads the response
        itself: use it instead of iterating the stream, not as well. (A generator, so that it keeps the
        stream -- which closes the response when collected -- alive while it runs.)
        """
        async for event in SSEDecoder().aiter_official(self._state.response.aiter_bytes()):
            yield event

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        """Stop reading and release the connection; safe to call more than once."""
        aclose = getattr(self._iterator, "aclose", None)
        if aclose is not None:
            await aclose()
        await self._state.response.aclose()

    # unasync: async-only
    async def aclose(self) -> None:
        """Same as :meth:`close` (the name ``contextlib.aclosing`` expects)."""
        await self.close()

    # unasync: end
    async def __aenter__(self) -> AsyncStream[_T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
