"""``AsyncAPIClient``: the send loop, with throttling, retries and the retry of a stream before its first event.

Every generated method ends in one ``self._client.request(...)`` call (see
``docs/architecture.md``). That call:

1. prepares the request (``BaseClient._prepare``): JSON body without
   ``NOT_GIVEN`` values (or multipart form fields and files), query, cached
   default headers plus per-call ones, the ``Idempotency-Key``;
2. sends it (:meth:`AsyncAPIClient._send`), retrying what the retry policy
   (``_retry``) says may be retried, each attempt's timeout shrunk to what is
   left of the call's deadlines (``_timeouts``) and its response head and
   body bounded on the wall clock (``_watchdog.AttemptGuard``);
3. raises the status error for any other status of 400 or more;
4. returns the parsed model (``_request_id`` set), a page, a stream, a binary
   response, or, under ``with_raw_response`` / ``with_streaming_response``,
   an ``APIResponse`` that parses on demand (``_response``).

``_sync/_client.py`` is written from this file by ``scripts/unasync.py``.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable, Coroutine, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import httpx
from typing_extensions import Self

from .._base_client import BaseClient, Call
from .._constants import DEFAULT_MAX_RETRIES, RECORD_ENV, REPLAY_ENV
from .._errors import APIConnectionError, APITimeoutError, make_status_error, safe_cause
from .._files import async_to_httpx_files, has_parts
from .._http_clients import async_default_http_client
from .._logging import logger, safe_url
from .._options import RequestOptions
from .._ratelimit import RateLimiter, check_throttle_options, usage_tokens
from .._response import (
    BinaryAPIResponse,
    LegacyAPIResponse,
    ResponseMode,
    build_result,
    make_stream,
    response_mode,
)
from .._stats import StreamStats
from .._streaming import Resumption, StreamConfig
from .._types import NOT_GIVEN, Body, NotGiven, Omit, Query, TimeoutTypes
from ._backend import close_when_collected, paginate, sleep, trace_hook
from ._response import AsyncAPIResponse
from ._verbs import AsyncVerbs

if TYPE_CHECKING:  # annotations only: pages, recording, replay and throttling load when a client uses them
    from .._cassette import Cassette, PathLike
    from ._pagination import AsyncPaginator
    from ._throttle import AsyncThrottle

__all__ = ["AsyncAPIClient"]

_T = TypeVar("_T")
_ItemT = TypeVar("_ItemT")
_PageT = TypeVar("_PageT")
_StreamT = TypeVar("_StreamT")

_EMPTY_OPTIONS: RequestOptions = {}


class AsyncAPIClient(AsyncVerbs, BaseClient):
    """The client core; ``oai.AsyncOpenAI`` subclasses it and adds the resources."""

    _http: httpx.AsyncClient
    _throttle: AsyncThrottle | None
    _async_label = "async:asyncio"  # unasync: sync=_async_label = "false"

    def __init__(
        self,
        *,
        api_key: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str | Omit] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
        total_timeout: float | None = None,
        stream_idle_timeout: float | None = None,
        stream_deadline: float | None = None,
        max_concurrent_requests: int | None = None,
        max_requests_per_minute: int | None = None,
        max_tokens_per_minute: int | None = None,
        rate_limiter: RateLimiter | None = None,
        adaptive_limits: bool = False,
        max_queued_requests: int | None = None,
        queue_timeout: float | None = None,
        priority: int = 0,
        webhook_secret: str | None = None,
        websocket_base_url: str | httpx.URL | None = None,
        max_event_size: int | None = None,
        retry_stream_before_first_event: bool = False,
        record: PathLike | None = None,
        replay: PathLike | Cassette | None = None,
        resume: bool = False,
        first_token_timeout: float | None = None,
        require_terminal_event: bool = True,
        admin_api_key: str | None = None,
        _strict_response_validation: bool = False,
    ) -> None:
        """Configure a client.

        ``api_key``, ``organization``, ``project`` and ``base_url`` default to
        the environment (``OPENAI_API_KEY``, ``OPENAI_ORG_ID``,
        ``OPENAI_PROJECT_ID``, ``OPENAI_BASE_URL``); the first three are
        stripped of surrounding whitespace and refused if they hold a line
        break. ``timeout`` bounds each wait (connecting, the response head, the
        gap between a stream's events); ``total_timeout`` a whole call with
        its retries; ``stream_deadline`` a whole stream (docs/client.md).
        ``max_event_size`` caps one server-sent event (32 MiB by default);
        ``retry_stream_before_first_event=True`` lets a stream that fails after
        its 200 but before its first event be sent again.
        ``max_concurrent_requests``, ``max_requests_per_minute``,
        ``max_tokens_per_minute`` and ``adaptive_limits`` turn on client-side
        rate limiting, shared with every ``with_options()`` copy; ``rate_limiter``
        says where the budgets live (``RedisRateLimiter`` to share them between
        processes), ``max_queued_requests`` / ``queue_timeout`` bound the wait and
        ``priority`` orders it (docs/rate-limits.md).
        ``record=PATH`` writes every exchange to a cassette, ``replay=PATH``
        answers from one (else ``OAI_RECORD`` / ``OAI_REPLAY``; docs/record-replay.md).
        ``resume=True`` resumes streams that drop, ``first_token_timeout`` bounds the wait for a stream's
        first content, ``require_terminal_event=False`` accepts streams that end without their terminal
        signal (docs/streams.md).
        ``admin_api_key`` (else ``OPENAI_ADMIN_KEY``) is sent to the admin endpoints (``client.admin``) instead
        of ``api_key``; a client with only an admin key can call those. ``_strict_response_validation=True``
        raises ``APIResponseValidationError`` for a response that does not fit its model, instead of keeping
        it as it came (the official SDK's name for the same switch).
        """
        self._configure(
            api_key=api_key,
            organization=organization,
            project=project,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            total_timeout=total_timeout,
            stream_idle_timeout=stream_idle_timeout,
            stream_deadline=stream_deadline,
            webhook_secret=webhook_secret,
            websocket_base_url=websocket_base_url,
            max_event_size=max_event_size,
            retry_stream_before_first_event=retry_stream_before_first_event,
            resume=resume,
            first_token_timeout=first_token_timeout,
            require_terminal_event=require_terminal_event,
            admin_api_key=admin_api_key,
            strict_response_validation=_strict_response_validation,
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}")
        self._owns_http_client = http_client is None
        # Without one: the SDK's defaults, on aiohttp's pool when the aiohttp extra is installed (_http_clients).
        self._http = http_client or async_default_http_client(self._default_timeout)
        if record is not None or replay is not None or os.environ.get(RECORD_ENV) or os.environ.get(REPLAY_ENV):
            from ._record import install as install_cassette

            install_cassette(self._http, record, replay)
        self._build_headers(self._http.headers)
        check_throttle_options(None, None, None, priority)
        self.priority = priority
        self._throttle = None
        if (
            max_concurrent_requests is not None
            or max_requests_per_minute is not None
            or max_tokens_per_minute is not None
            or rate_limiter is not None
            or adaptive_limits
            or max_queued_requests is not None
            or queue_timeout is not None
        ):
            from ._throttle import AsyncThrottle

            self._throttle = AsyncThrottle(
                max_concurrent=max_concurrent_requests,
                max_per_minute=max_requests_per_minute,
                max_tokens_per_minute=max_tokens_per_minute,
                limiter=rate_limiter,
                adaptive=adaptive_limits,
                max_queued=max_queued_requests,
                queue_timeout=queue_timeout,
            )

    # -- lifecycle ---------------------------------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the connection pool (not when it was passed in, or belongs to the client this one was copied from)."""
        if self._owns_http_client:
            await self._http.aclose()

    def is_closed(self) -> bool:
        return self._http.is_closed

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def with_options(
        self,
        *,
        api_key: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str | Omit] | None = None,
        set_default_headers: Mapping[str, str | Omit] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
        total_timeout: float | None | NotGiven = NOT_GIVEN,
        stream_idle_timeout: float | None | NotGiven = NOT_GIVEN,
        stream_deadline: float | None | NotGiven = NOT_GIVEN,
        max_concurrent_requests: int | None | NotGiven = NOT_GIVEN,
        max_requests_per_minute: int | None | NotGiven = NOT_GIVEN,
        max_tokens_per_minute: int | None | NotGiven = NOT_GIVEN,
        rate_limiter: RateLimiter | None | NotGiven = NOT_GIVEN,
        adaptive_limits: bool | NotGiven = NOT_GIVEN,
        max_queued_requests: int | None | NotGiven = NOT_GIVEN,
        queue_timeout: float | None | NotGiven = NOT_GIVEN,
        priority: int | NotGiven = NOT_GIVEN,
        max_event_size: int | None | NotGiven = NOT_GIVEN,
        retry_stream_before_first_event: bool | NotGiven = NOT_GIVEN,
        resume: bool | NotGiven = NOT_GIVEN,
        first_token_timeout: float | None | NotGiven = NOT_GIVEN,
        require_terminal_event: bool | NotGiven = NOT_GIVEN,
        admin_api_key: str | None = None,
    ) -> Self:
        """A copy of this client with some options changed; it shares the connection pool and throttle.

        ``priority`` alone keeps the shared throttle: ``client.with_options(priority=10)`` makes calls that
        go ahead of the original client's in its queue. Any other limiter option gives the copy its own.

        ``default_headers`` / ``default_query`` are merged into this client's;
        ``set_default_headers`` / ``set_default_query`` replace them.
        """
        return self._copy_with(
            api_key=api_key,
            organization=organization,
            project=project,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            set_default_headers=set_default_headers,
            default_query=default_query,
            set_default_query=set_default_query,
            http_client=http_client,
            total_timeout=total_timeout,
            stream_idle_timeout=stream_idle_timeout,
            stream_deadline=stream_deadline,
            max_concurrent_requests=max_concurrent_requests,
            max_requests_per_minute=max_requests_per_minute,
            max_tokens_per_minute=max_tokens_per_minute,
            rate_limiter=rate_limiter,
            adaptive_limits=adaptive_limits,
            max_queued_requests=max_queued_requests,
            queue_timeout=queue_timeout,
            priority=priority,
            max_event_size=max_event_size,
            retry_stream_before_first_event=retry_stream_before_first_event,
            resume=resume,
            first_token_timeout=first_token_timeout,
            require_terminal_event=require_terminal_event,
            admin_api_key=admin_api_key,
        )

    copy = with_options

    # -- the request -------------------------------------------------------------------------------------------------

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[_ItemT],
        page: type[_PageT],
        body: Body | None = None,
        query: Query | None = None,
        files: Mapping[str, object] | None = None,
        json_without_files: bool = False,
        stream: bool = False,
        stream_cls: Any = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        options: RequestOptions | None = None,
        security: Literal["admin"] | None = None,
    ) -> AsyncPaginator[_ItemT, _PageT]: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        query: Query | None = None,
        files: Mapping[str, object] | None = None,
        json_without_files: bool = False,
        stream: Literal[False] = False,
        stream_cls: type[_StreamT] | None = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: None = None,
        options: RequestOptions | None = None,
        security: Literal["admin"] | None = None,
    ) -> Coroutine[Any, Any, _T]: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        query: Query | None = None,
        files: Mapping[str, object] | None = None,
        json_without_files: bool = False,
        stream: Literal[True],
        stream_cls: type[_StreamT],
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: None = None,
        options: RequestOptions | None = None,
        security: Literal["admin"] | None = None,
    ) -> Coroutine[Any, Any, _StreamT]: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        query: Query | None = None,
        files: Mapping[str, object] | None = None,
        json_without_files: bool = False,
        stream: bool,
        stream_cls: type[_StreamT] | None = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: None = None,
        options: RequestOptions | None = None,
        security: Literal["admin"] | None = None,
    ) -> Coroutine[Any, Any, _T | _StreamT]: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any,
        body: Body | None = None,
        query: Query | None = None,
        files: Mapping[str, object] | None = None,
        json_without_files: bool = False,
        stream: bool = False,
        stream_cls: Any = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: Any = None,
        options: RequestOptions | None = None,
        security: Literal["admin"] | None = None,
    ) -> Any:
        """Send one API request and return what the operation returns (see the module docstring).

        For a list operation (``page=``) an async client returns an ``AsyncPaginator``:
        ``await`` it for the first page or ``async for`` over every item.

        ``files`` makes the body a multipart form; with ``json_without_files`` (an operation that takes
        JSON too) a call given no file sends the body as JSON instead, as the official SDK does.
        """
        # Read here, while the raw/streaming wrapper's context is certainly current.
        mode = response_mode.get()
        if files is not None and json_without_files and not has_parts(files):
            files = None  # the operation also takes JSON: with no file given, the body goes as JSON
        if security is not None:  # the operation's key is not the client's api_key (the admin endpoints)
            options = {**(options or _EMPTY_OPTIONS), "security": security}
        if page is not None:
            args = (method, path, cast_to, body, query, files, False, None, NOT_GIVEN, page, options, mode)
            return paginate(functools.partial(self._request, *args))
        return self._request(
            method, path, cast_to, body, query, files, stream, stream_cls, stream_terminator, page, options, mode
        )

    async def _request(
        self,
        method: str,
        path: str,
        cast_to: Any,
        body: Body | None,
        query: Query | None,
        files: Mapping[str, object] | None,
        stream: bool,
        stream_cls: Any,
        stream_terminator: Any,
        page: Any,
        options: RequestOptions | None,
        mode: ResponseMode | None,
    ) -> Any:
        opts = options or _EMPTY_OPTIONS
        is_stream = stream and stream_cls is not None
        # with_streaming_response reads any body as it comes, but asks for events only when the call streams.
        call = self._prepare(method, path, body, query, opts, is_stream or mode == "stream", sse=is_stream)
        if files is not None:
            self._attach_form(call, body, opts, await async_to_httpx_files(files))
        await self._prepare_call(call)

        fetch_next: Callable[[Mapping[str, object]], Any] | None = None
        if page is not None:

            async def _fetch_next(params: Mapping[str, object]) -> Any:
                return await self._request(
                    method,
                    path,
                    cast_to,
                    body,
                    {**(query or {}), **params},
                    files,
                    stream,
                    stream_cls,
                    stream_terminator,
                    page,
                    options,
                    None,
                )

            fetch_next = _fetch_next

        response = await self._send(call)

        if mode == "raw":  # body read by _send (a stream's is left for parse(), which does no I/O)

            def raw_parser(resp: httpx.Response) -> Any:
                if is_stream:
                    return self._make_stream(stream_cls, resp, call, stream_terminator)
                return build_result(resp, cast_to, page, fetch_next, strict=self._strict_response_validation)

            return LegacyAPIResponse(
                raw=response, parser=raw_parser, retries_taken=call.retries_taken, release=close_when_collected
            )
        if mode == "stream":

            async def parser(resp: httpx.Response) -> Any:
                if is_stream:
                    return self._make_stream(stream_cls, resp, call, stream_terminator)
                await resp.aread()
                if isinstance(cast_to, type) and issubclass(cast_to, BinaryAPIResponse):
                    return resp.content  # a streamed binary body parses to its bytes, as in the official SDK
                return build_result(resp, cast_to, page, fetch_next, strict=self._strict_response_validation)

            return AsyncAPIResponse(raw=response, parser=parser, retries_taken=call.retries_taken)
        if is_stream:
            return self._make_stream(stream_cls, response, call, stream_terminator)
        return build_result(response, cast_to, page, fetch_next, strict=self._strict_response_validation)

    async def _prepare_call(self, call: Call) -> None:
        """A subclass's last word on a prepared call, once per call before it is sent (Azure: the AD token)."""

    def _make_stream(self, stream_cls: Any, response: httpx.Response, call: Call, terminator: Any) -> Any:
        stats = StreamStats(call.started or None)
        stats.head()
        config = StreamConfig(
            stats=stats,
            first_token_timeout=call.first_token_timeout,
            reconnect=self._stream_reconnect(call) if call.resume else None,
            require_terminal=call.require_terminal,
            model=call.model,
        )
        return make_stream(
            stream_cls,
            response,
            client=self,
            terminator=terminator,
            idle_timeout=call.idle_timeout,
            deadline=call.stream_deadline,
            retry=self._stream_retry(call) if call.retry_stream else None,
            max_event_size=call.max_event_size,
            config=config,
        )

    def _stream_reconnect(self, call: Call) -> Callable[..., Coroutine[Any, Any, httpx.Response]]:
        """The ``reconnect`` callable of a stream with ``resume=True``: wait (the server's ``retry:``, else the
        backoff), then send the request that resumes the stream (``_resume_call``) with the call's retry budget."""

        async def reconnect(plan: Resumption, error: BaseException) -> httpx.Response:
            delay = plan.retry_after
            if delay is None:
                delay = self._retry_policy.delay(plan.attempt, None) or 0.0
            if call.stream_deadline is not None and time.monotonic() + delay >= call.stream_deadline:
                raise error
            self._log_retry(call, delay, f"resuming the stream ({plan!r}) after: {error!r}")
            await self._sleep(delay)
            return await self._send(self._resume_call(call, plan))

        return reconnect

    def _stream_retry(self, call: Call) -> Callable[..., Coroutine[Any, Any, httpx.Response]]:
        """The ``retry`` callable handed to a stream when the caller opted in (``retry_stream_before_first_event``):
        send the request again, within the call's remaining retry budget, when its 200 response failed before
        the first event."""

        async def retry(error: BaseException | None = None, *_: object) -> httpx.Response:
            delay = self._retry_delay(call, None)
            if delay is None:
                if error is not None:
                    raise error
                raise APIConnectionError(message="The stream failed and no retry is left.")
            self._log_retry(call, delay, f"the stream failed before its first event: {error!r}")
            await self._sleep(delay)
            call.retries_taken += 1
            return await self._send(call)

        return retry

    async def _sleep(self, seconds: float) -> None:
        await sleep(seconds)

    async def _send(self, call: Call) -> httpx.Response:
        """Send ``call``, retrying what may be retried; returns a response with a status below 400."""
        http = self._http
        throttle = self._throttle
        policy = self._retry_policy
        debug = logger.isEnabledFor(logging.DEBUG)
        while True:
            self._attempt_timeout(call)
            request = call.build()
            guard = self._attempt_guard(call, request)
            request.extensions["trace"] = trace_hook(guard.on_trace)
            if debug:
                self._log_request(call, request)
            if throttle is not None:
                await throttle.acquire(self.priority, call.token_cost)
            try:
                response = None
                with guard:
                    response = await http.send(request, stream=call.stream)
                    if call.stream and response.status_code >= 400:
                        await response.aread()  # the error body, under the same bounds
                if guard.expired or response is None:  # a bound passed: the guard cut the connection
                    if response is not None:
                        await response.aclose()
                    raise guard.timeout(request)
            except httpx.TransportError as exc:
                if throttle is not None:
                    throttle.release()
                    await throttle.refund(call.token_cost)
                delay = self._retry_delay(call, None) if policy.should_retry_error(exc) else None
                if delay is None:
                    if isinstance(exc, httpx.TimeoutException):
                        error: APIConnectionError = APITimeoutError(request, message=f"Request timed out: {exc}")
                    else:
                        error = APIConnectionError(message=f"Connection error: {exc!r}", request=request)
                    final = self._out_of_time(call, error)
                    raise final from (safe_cause(exc) if final is error else error)
                self._log_retry(call, delay, repr(exc))
                await self._sleep(delay)
                call.retries_taken += 1
                continue
            except BaseException:
                if throttle is not None:
                    throttle.release()
                raise

            if debug:
                logger.debug("Response %s %s: %d", request.method, safe_url(request.url), response.status_code)
            if response.status_code >= 400:
                await response.aclose()
                if throttle is not None:
                    throttle.release()
                    if throttle.adaptive:
                        await throttle.observe(response)
                    await throttle.refund(call.token_cost)
                error_status = make_status_error(response)
                delay = self._retry_delay(call, response) if policy.should_retry(response) else None
                if delay is not None:
                    call.last_status_error = error_status
                    self._log_retry(call, delay, f"status {response.status_code}")
                    await self._sleep(delay)
                    call.retries_taken += 1
                    continue
                raise error_status
            if throttle is not None:
                if call.stream:
                    throttle.release_on_close(response, call.token_cost)
                else:
                    throttle.release()
                if throttle.adaptive:
                    await throttle.observe(response)
                if call.token_cost and not call.stream:
                    await throttle.settle(call.token_cost, usage_tokens(response.content))
            return response
