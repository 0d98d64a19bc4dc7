"""``SyncAPIClient`` and ``AsyncAPIClient``: configuration, request building, retries, dispatch.

Every generated method ends in one ``self._client.request(...)`` call (see
``docs/architecture.md``). That call:

1. builds the request: JSON body without ``NOT_GIVEN`` values (or multipart
   form fields and files), query, cached default headers plus per-call ones;
2. sends it, retrying connection errors, timeouts, 408/409/429/5xx (or what
   an ``x-should-retry`` header says) with exponential backoff or the
   server's ``retry-after``; a retried non-GET request carries the same
   ``Idempotency-Key`` on every attempt;
3. raises the status error for any other status of 400 or more;
4. returns the parsed model (``_request_id`` set), a page, a stream, a binary
   response, or, under ``with_raw_response`` / ``with_streaming_response``,
   an ``APIResponse`` that parses on demand.

The per-request path is kept short on purpose (no deep copies, no schema
walks over params, headers computed once per client): it is what a
high-throughput caller pays on every call.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import time
import typing
import uuid
from collections.abc import Callable, Coroutine, Mapping
from datetime import date, datetime
from types import TracebackType
from typing import Any, ClassVar, Literal, TypeVar, cast, overload

import httpx
import pydantic
from typing_extensions import Self

from ._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    IDEMPOTENCY_KEY_PREFIX,
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
)
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
    OpenAIError,
    make_status_error,
    server_message,
)
from ._files import async_to_httpx_files, fieldless_parts, flatten_fields, flatten_form, to_httpx_files
from ._logging import logger, mask, redact, redact_headers, register_secret, setup_logging
from ._models import BaseModel, parse_model_json
from ._options import RequestOptions
from ._pagination import AsyncPaginator
from ._response import APIResponse, AsyncAPIResponse, BinaryAPIResponse, ResponseMode, response_mode
from ._streaming import stream_read_timeout
from ._throttle import AsyncThrottle, SyncThrottle, release_on_close
from ._tls import default_ssl_context
from ._types import NOT_GIVEN, Body, NotGiven, Omit, Query, Timeout

__all__ = ["AsyncAPIClient", "SyncAPIClient"]

_T = TypeVar("_T")
_ItemT = TypeVar("_ItemT")
_PageT = TypeVar("_PageT")
_StreamT = TypeVar("_StreamT")

_EMPTY_OPTIONS: RequestOptions = {}
_RETRY_STATUSES = frozenset({408, 409, 429})
_NoneType = type(None)
_URL_CACHE_SIZE = 512

setup_logging()


# ---------------------------------------------------------------------------------------------------------------------
# Small helpers of the request path


def _json_default(value: object) -> object:
    """What ``json.dumps`` cannot encode by itself: models (as sent by the caller), dates, ``NOT_GIVEN``."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", exclude_unset=True, by_alias=True)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (NotGiven, Omit)):
        raise _NestedNotGiven  # dropped by _encode_json, which then encodes again without it
    if isinstance(value, (set, frozenset, tuple)):
        return list(cast("set[Any]", value))
    if isinstance(value, bytes):
        return value.decode()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class _NestedNotGiven(Exception):
    """A ``NOT_GIVEN`` (or ``Omit()``) inside a body value: the key that holds it must be left out."""


def _without_not_given(value: object) -> object:
    if isinstance(value, dict):
        return {
            k: _without_not_given(v)
            for k, v in cast("dict[Any, Any]", value).items()
            if not isinstance(v, (NotGiven, Omit))
        }
    if isinstance(value, (list, tuple)):
        return [_without_not_given(v) for v in cast("list[Any]", value) if not isinstance(v, (NotGiven, Omit))]
    return value


def _encode_json(body: object) -> bytes:
    """The body as compact UTF-8 JSON. ``NOT_GIVEN`` values nested in it are left out, as at the top level:
    found while encoding (so a body without any costs nothing extra), then encoded again without them."""
    try:
        return json.dumps(body, default=_json_default, ensure_ascii=False, separators=(",", ":")).encode()
    except _NestedNotGiven:
        body = _without_not_given(body)
    return json.dumps(body, default=_json_default, ensure_ascii=False, separators=(",", ":")).encode()


def _to_httpx_timeout(timeout: Timeout) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(timeout)


def _cap_timeout(timeout: httpx.Timeout, remaining: float) -> httpx.Timeout:
    """``timeout`` with no part longer than ``remaining`` seconds (for a total deadline)."""

    def cap(value: float | None) -> float:
        return remaining if value is None else min(value, remaining)

    return httpx.Timeout(
        connect=cap(timeout.connect), read=cap(timeout.read), write=cap(timeout.write), pool=cap(timeout.pool)
    )


def _parse_retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asks to wait: ``retry-after-ms``, else ``retry-after`` (seconds or an HTTP date)."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return float(value) / 1000.0
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return email.utils.mktime_tz(parsed) - time.time()


def _should_retry_response(response: httpx.Response) -> bool:
    """Whether a response of 400 or more is worth retrying; ``x-should-retry`` has the last word."""
    override = response.headers.get("x-should-retry")
    if override == "true":
        return True
    if override == "false":
        return False
    status = response.status_code
    return status in _RETRY_STATUSES or status >= 500


def _stream_parts(stream_cls: object) -> tuple[Any, Any]:
    """``Stream[Chunk]`` → ``(Stream, Chunk)``."""
    origin = typing.get_origin(stream_cls) or stream_cls
    args = typing.get_args(stream_cls)
    return origin, (args[0] if args else Any)


def _read_timeout_for_stream(timeout: httpx.Timeout, idle: float | None, deadline: float | None) -> httpx.Timeout:
    """The httpx timeout of a streaming request, given the stream's idle timeout and deadline (monotonic)."""
    return stream_read_timeout(timeout, idle, deadline)


_OFFICIAL_OPTION_KEYS = {"headers": "extra_headers", "params": "extra_query", "extra_json": "extra_body"}


def _request_options(options: Mapping[str, Any] | None) -> RequestOptions | None:
    """Per-call options given to the verbs: ours, or the official SDK's names (``headers``, ``params``, ...)."""
    if not options:
        return None
    out: dict[str, Any] = {}
    for key, value in options.items():
        if value is NOT_GIVEN or (value is None and key in _OFFICIAL_OPTION_KEYS):
            continue
        out[_OFFICIAL_OPTION_KEYS.get(key, key)] = value
    return cast(RequestOptions, out)


class _Call:
    """Everything about one call that does not change between its attempts."""

    __slots__ = (
        "method",
        "url",
        "params",
        "headers",
        "content",
        "data",
        "files",
        "timeout_ext",
        "max_retries",
        "deadline",
        "retries_taken",
        "stream",
        "idle_timeout",
        "stream_deadline",
        "base_timeout",
        "dynamic_timeout",
    )

    def __init__(self) -> None:
        self.params: list[tuple[str, str]] | None = None
        self.content: bytes | None = None
        self.data: dict[str, Any] | None = None
        self.files: list[tuple[str, Any]] | None = None
        self.deadline: float | None = None
        self.retries_taken = 0
        self.stream = False
        self.idle_timeout: float | None = None
        self.stream_deadline: float | None = None
        self.method = "GET"
        self.url = httpx.URL()
        self.headers = httpx.Headers()
        self.timeout_ext: dict[str, Any] = {}
        self.base_timeout = DEFAULT_TIMEOUT
        self.dynamic_timeout = False
        self.max_retries = 0

    def build(self) -> httpx.Request:
        return httpx.Request(
            self.method,
            self.url,
            params=cast(Any, self.params),
            headers=self.headers,
            content=self.content,
            data=self.data,
            files=self.files,
            extensions={"timeout": self.timeout_ext},
        )


# ---------------------------------------------------------------------------------------------------------------------
# Configuration shared by both clients


class _BaseClient:
    """Configuration and everything of a call that does not do I/O."""

    # Set by the generated subclass (``OpenAI``); these defaults are OpenAI's own.
    _api_key_env: ClassVar[str] = "OPENAI_API_KEY"
    _base_url_env: ClassVar[str | None] = "OPENAI_BASE_URL"
    _default_base_url: ClassVar[str] = "https://api.openai.com/v1"
    _sdk_version: ClassVar[str] = "0.0.0"
    """For the User-Agent; the generated clients set it from oai/_version.py (the core imports nothing generated)."""
    _organization_env: ClassVar[str | None] = "OPENAI_ORG_ID"
    _project_env: ClassVar[str | None] = "OPENAI_PROJECT_ID"
    _api_key_required: ClassVar[bool] = True
    """False for APIs that can be called without a key (a generated client says so): no key means none is sent."""

    # Backoff knobs (instance attributes override them; tests shrink them).
    _initial_retry_delay: float = INITIAL_RETRY_DELAY
    _max_retry_delay: float = MAX_RETRY_DELAY
    _max_retry_after: float = MAX_RETRY_AFTER

    api_key: str
    organization: str | None
    project: str | None
    max_retries: int
    timeout: Timeout
    total_timeout: float | None
    stream_idle_timeout: float | None
    stream_deadline: float | None
    webhook_secret: str | None
    websocket_base_url: str | httpx.URL | None

    _base_url: httpx.URL
    _base_url_str: str
    _custom_headers: Mapping[str, str | Omit]
    _custom_query: Mapping[str, object]
    _headers: dict[str, str]
    _hx_headers: httpx.Headers
    _hx_stream_headers: httpx.Headers
    _urls: dict[str, httpx.URL]
    _default_timeout: httpx.Timeout
    _timeout_ext: dict[str, Any]
    _owns_http_client: bool
    _http: Any  # httpx.Client or httpx.AsyncClient (narrowed by the subclasses)
    _throttle: Any  # SyncThrottle or AsyncThrottle or None

    def _configure(
        self,
        *,
        api_key: str | None,
        organization: str | None,
        project: str | None,
        base_url: str | httpx.URL | None,
        timeout: Timeout | NotGiven,
        max_retries: int,
        default_headers: Mapping[str, str | Omit] | None,
        default_query: Mapping[str, object] | None,
        total_timeout: float | None,
        stream_idle_timeout: float | None,
        stream_deadline: float | None,
        webhook_secret: str | None,
        websocket_base_url: str | httpx.URL | None,
    ) -> None:
        if api_key is None:
            api_key = os.environ.get(self._api_key_env)
        if api_key is None and not self._api_key_required:
            api_key = ""
        if api_key is None:
            raise OpenAIError(
                f"No API key: pass api_key= to the client or set the {self._api_key_env} environment variable."
            )
        register_secret(api_key)
        self.api_key = api_key
        if organization is None and self._organization_env:
            organization = os.environ.get(self._organization_env) or None
        if project is None and self._project_env:
            project = os.environ.get(self._project_env) or None
        self.organization = organization
        self.project = project
        if base_url is None and self._base_url_env:
            base_url = os.environ.get(self._base_url_env) or None
        if base_url is None:
            base_url = self._default_base_url
        if max_retries is None or max_retries < 0:  # pyright: ignore[reportUnnecessaryComparison]
            raise ValueError(f"max_retries must be 0 or more, got {max_retries!r}")
        self.max_retries = max_retries
        self.timeout = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        self.total_timeout = total_timeout
        self.stream_idle_timeout = stream_idle_timeout
        self.stream_deadline = stream_deadline
        self.webhook_secret = webhook_secret
        self.websocket_base_url = websocket_base_url
        self._custom_headers = dict(default_headers or {})
        self._custom_query = dict(default_query or {})
        self._default_timeout = _to_httpx_timeout(self.timeout)
        self._timeout_ext = self._default_timeout.as_dict()
        self._set_base_url(base_url)

    # -- configuration views ------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> httpx.URL:
        return self._base_url

    @base_url.setter
    def base_url(self, url: str | httpx.URL) -> None:
        self._set_base_url(url)

    def _set_base_url(self, url: str | httpx.URL) -> None:
        text = str(url).rstrip("/")
        self._base_url = httpx.URL(text + "/")
        self._base_url_str = text
        self._urls = {}

    @property
    def user_agent(self) -> str:
        return f"oai-python/{self._sdk_version}"

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

    @property
    def auth_query(self) -> dict[str, str]:
        """Query parameters that carry the key, for APIs that take it in the URL (a generated client says
        which); the logger redacts the key from URLs like any registered secret."""
        return {}

    @property
    def default_headers(self) -> dict[str, str]:
        """The headers sent with every request (before per-call ones)."""
        return dict(self._headers)

    @property
    def default_query(self) -> dict[str, object]:
        return dict(self._custom_query)

    def _build_headers(self, transport_defaults: Mapping[str, str]) -> None:
        headers: dict[str, str] = dict(transport_defaults)
        ours: dict[str, str] = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": self.user_agent,
            **self.auth_headers,
        }
        if self.organization:
            ours["OpenAI-Organization"] = self.organization
        if self.project:
            ours["OpenAI-Project"] = self.project
        _merge_headers(headers, ours)
        _merge_headers(headers, self._custom_headers)
        self._headers = headers
        # httpx copies an httpx.Headers cheaply (no re-encoding): built once here, copied per request.
        self._hx_headers = httpx.Headers(headers)
        stream_headers = httpx.Headers(headers)
        stream_headers["Accept"] = "text/event-stream"
        self._hx_stream_headers = stream_headers

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_url={self._base_url_str!r} api_key={mask(self.api_key)!r}>"

    def _copy_with(
        self,
        *,
        api_key: str | None,
        organization: str | None,
        project: str | None,
        base_url: str | httpx.URL | None,
        timeout: Timeout | NotGiven,
        max_retries: int | NotGiven,
        default_headers: Mapping[str, str | Omit] | None,
        set_default_headers: Mapping[str, str | Omit] | None,
        default_query: Mapping[str, object] | None,
        set_default_query: Mapping[str, object] | None,
        http_client: httpx.Client | httpx.AsyncClient | None,
        total_timeout: float | None | NotGiven,
        stream_idle_timeout: float | None | NotGiven,
        stream_deadline: float | None | NotGiven,
        max_concurrent_requests: int | None | NotGiven,
        max_requests_per_minute: int | None | NotGiven,
    ) -> Self:
        """``self.with_options(...)``: a new client of the same class sharing the pool (and the throttle)."""
        if default_headers is not None and set_default_headers is not None:
            raise ValueError("Pass default_headers or set_default_headers, not both.")
        if default_query is not None and set_default_query is not None:
            raise ValueError("Pass default_query or set_default_query, not both.")
        headers = dict(self._custom_headers)
        if set_default_headers is not None:
            headers = dict(set_default_headers)
        elif default_headers is not None:
            headers.update(default_headers)
        query = dict(self._custom_query)
        if set_default_query is not None:
            query = dict(set_default_query)
        elif default_query is not None:
            query.update(default_query)
        share_throttle = isinstance(max_concurrent_requests, NotGiven) and isinstance(max_requests_per_minute, NotGiven)

        def pick(value: _T | NotGiven, current: _T) -> _T:
            return current if isinstance(value, NotGiven) else value

        kwargs: dict[str, Any] = {
            "api_key": api_key or self.api_key,
            "organization": organization or self.organization,
            "project": project or self.project,
            "base_url": base_url or self._base_url_str,
            "timeout": pick(timeout, self.timeout),
            "max_retries": pick(max_retries, self.max_retries),
            "default_headers": headers,
            "default_query": query,
            "http_client": http_client or self._http,
            "total_timeout": pick(total_timeout, self.total_timeout),
            "stream_idle_timeout": pick(stream_idle_timeout, self.stream_idle_timeout),
            "stream_deadline": pick(stream_deadline, self.stream_deadline),
            "webhook_secret": self.webhook_secret,
            "websocket_base_url": self.websocket_base_url,
        }
        if not share_throttle:
            kwargs["max_concurrent_requests"] = pick(
                max_concurrent_requests, self._throttle.max_concurrent if self._throttle is not None else None
            )
            kwargs["max_requests_per_minute"] = pick(
                max_requests_per_minute, self._throttle.max_per_minute if self._throttle is not None else None
            )
        client = type(self)(**kwargs)
        if share_throttle:
            client._throttle = self._throttle
        for name in ("_initial_retry_delay", "_max_retry_delay", "_max_retry_after"):
            if name in vars(self):  # instance-level backoff overrides (tests)
                setattr(client, name, getattr(self, name))
        return client

    # -- building a call ---------------------------------------------------------------------------------------------

    def _prepare(
        self,
        method: str,
        path: str,
        body: Body | None,
        query: Query | None,
        options: RequestOptions,
        stream: bool,
    ) -> _Call:
        call = _Call()
        method = method.upper()
        call.method = method
        call.stream = stream
        url = self._urls.get(path)
        if url is None:
            url = httpx.URL(path if "://" in path else self._base_url_str + path)
            if len(self._urls) >= _URL_CACHE_SIZE:
                self._urls.clear()
            self._urls[path] = url
        call.url = url

        # Query: client defaults, the operation's parameters, then extra_query.
        extra_query = options.get("extra_query")
        auth_query = self.auth_query
        if query or extra_query or self._custom_query or auth_query:
            merged: dict[str, object] = {**auth_query, **self._custom_query}
            if query:
                merged.update(query)
            if extra_query:
                merged.update(extra_query)
            call.params = flatten_fields(merged) or None

        # Body: NOT_GIVEN dropped (top level), extra_body merged in.
        extra_body = options.get("extra_body")
        if isinstance(body, dict):
            json_dict = {k: v for k, v in cast("dict[str, object]", body).items() if v is not NOT_GIVEN}
            if extra_body:
                json_dict.update(extra_body)
            json_body: object = json_dict
        elif body is None and extra_body:
            json_body = dict(extra_body)
        else:
            json_body = body
        if json_body is not None:
            call.content = _encode_json(json_body)

        # Headers: cached defaults, per-call extras, the idempotency key.
        headers = self._hx_stream_headers if stream else self._hx_headers
        extra_headers = options.get("extra_headers")
        max_retries = options.get("max_retries", self.max_retries)
        key = options.get("idempotency_key")
        if key is None and method != "GET" and max_retries > 0:
            key = IDEMPOTENCY_KEY_PREFIX + str(uuid.uuid4())
        if extra_headers or key is not None:
            headers = httpx.Headers(headers)
            if key is not None:
                headers["Idempotency-Key"] = key
            if extra_headers:
                for name, value in extra_headers.items():
                    if isinstance(value, (Omit, NotGiven)):
                        headers.pop(name, None)
                    else:
                        headers[name] = value
        call.headers = headers
        call.max_retries = max_retries

        # Timeouts: per attempt (httpx), plus the optional deadlines, which make each attempt's timeout shrink.
        if "timeout" in options:
            call.base_timeout = _to_httpx_timeout(options["timeout"])
            call.timeout_ext = call.base_timeout.as_dict()
        else:
            call.base_timeout = self._default_timeout
            call.timeout_ext = self._timeout_ext
        total = options.get("total_timeout", self.total_timeout)
        if total is not None:
            call.deadline = time.monotonic() + total
            call.dynamic_timeout = True
        if stream:
            call.idle_timeout = options.get("stream_idle_timeout", self.stream_idle_timeout)
            stream_deadline = options.get("stream_deadline", self.stream_deadline)
            if stream_deadline is not None:
                call.stream_deadline = time.monotonic() + stream_deadline
            if call.idle_timeout is not None or stream_deadline is not None:
                call.dynamic_timeout = True
        return call

    def _attach_form(self, call: _Call, body: Body | None, options: RequestOptions, files: Any) -> None:
        """Turn a prepared JSON call into a multipart one: body → form fields, plus ``files``."""
        call.content = None
        form: dict[str, object] = {}
        if isinstance(body, Mapping):
            form.update(cast("Mapping[str, object]", body))  # pyright: ignore[reportUnnecessaryCast]
        extra_body = options.get("extra_body")
        if extra_body:
            form.update(extra_body)
        call.data = flatten_form(form)
        call.files = files
        if not files:  # still multipart/form-data, as the operation wants
            call.files = fieldless_parts(call.data)
            call.data = None
        headers = httpx.Headers(call.headers)
        headers.pop("Content-Type", None)
        call.headers = headers

    def _attempt_timeout(self, call: _Call) -> None:
        """The timeout of the next attempt, given what is left of the call's deadlines."""
        if not call.dynamic_timeout:
            return
        now = time.monotonic()
        timeout = call.base_timeout
        if call.stream_deadline is not None and now >= call.stream_deadline:
            raise APITimeoutError(message="The stream exceeded its stream_deadline.")
        if call.idle_timeout is not None or call.stream_deadline is not None:
            timeout = _read_timeout_for_stream(timeout, call.idle_timeout, call.stream_deadline)
        if call.deadline is not None:
            remaining = call.deadline - now
            if remaining <= 0:
                raise APITimeoutError(message="Request exceeded its total_timeout.")
            timeout = _cap_timeout(timeout, remaining)
        call.timeout_ext = timeout.as_dict()

    def _retry_delay(self, call: _Call, response: httpx.Response | None) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` when no retry is left."""
        if call.retries_taken >= call.max_retries:
            return None
        delay: float | None = None
        if response is not None:
            after = _parse_retry_after(response.headers)
            if after is not None and after >= 0:
                delay = min(after, self._max_retry_after)
        if delay is None:
            backoff = min(self._initial_retry_delay * (2.0**call.retries_taken), self._max_retry_delay)
            delay = backoff * (1.0 - 0.25 * random.random())
        if call.deadline is not None or call.stream_deadline is not None:
            until = time.monotonic() + delay
            if (call.deadline is not None and until >= call.deadline) or (
                call.stream_deadline is not None and until >= call.stream_deadline
            ):
                return None
        return delay

    def _log_request(self, call: _Call, request: httpx.Request) -> None:
        logger.debug(
            "Request %s %s (attempt %d) headers=%s",
            request.method,
            request.url,
            call.retries_taken + 1,
            redact_headers(request.headers),
        )

    def _log_retry(self, call: _Call, delay: float, reason: str) -> None:
        logger.info("Retrying %s %s in %.2f seconds (%s)", call.method, call.url, delay, reason)

    def _make_status_error(self, response: httpx.Response) -> APIStatusError:
        """The error for a response of 400 or more whose body has been read."""
        return make_status_error(response, redact=redact)

    def _make_stream_error(
        self,
        body: object,
        *,
        response: httpx.Response | None = None,
        message: str | None = None,
    ) -> APIError:
        """The error raised for an error reported inside an event stream (``body`` is the event's data)."""
        if message is None:
            found = server_message(body)
            message = found if found else "An error occurred during streaming"
        request_id = response.headers.get("x-request-id") if response is not None else None
        request = response.request if response is not None else None
        return APIStreamError(redact(message), request, body=body, request_id=request_id)

    # -- turning a response into the result --------------------------------------------------------------------------

    def _parse(self, response: httpx.Response, cast_to: Any, page: Any, fetch_next: Any) -> Any:
        """The result of a non-streaming call from its (read) response."""
        if page is not None:
            result = self._parse_json(page, response)
            result._fetch_next = fetch_next
            return result
        if cast_to is httpx.Response:
            return response
        if isinstance(cast_to, type) and issubclass(cast_to, BinaryAPIResponse):
            return cast_to(response)
        if cast_to is str:
            return response.text
        if cast_to is bytes:
            return response.content
        if cast_to is None or cast_to is _NoneType:
            return None
        return self._parse_json(cast_to, response)

    def _parse_json(self, cast_to: Any, response: httpx.Response) -> Any:
        content = response.content
        try:
            result = parse_model_json(cast_to, content)
        except ValueError as exc:  # not JSON at all
            if not content:
                return None
            raise APIResponseValidationError(
                response,
                response.text,
                message=f"Expected a JSON body ({response.headers.get('content-type', 'no content type')}): {exc}",
            ) from exc
        if isinstance(result, BaseModel):
            request_id = response.headers.get("x-request-id")
            if request_id is not None:
                result._request_id = request_id  # pyright: ignore[reportPrivateUsage]
        return result

    def _make_stream(self, stream_cls: Any, response: httpx.Response, call: _Call, terminator: Any, retry: Any) -> Any:
        origin, chunk = _stream_parts(stream_cls)
        if isinstance(terminator, NotGiven):
            terminator = getattr(origin, "terminator", "[DONE]")
        return origin(
            cast_to=chunk,
            response=response,
            client=self,
            terminator=terminator,
            idle_timeout=call.idle_timeout,
            deadline=call.stream_deadline,
            retry=retry,
        )


def _merge_headers(headers: dict[str, str], extra: Mapping[str, str | Omit]) -> None:
    """Apply ``extra`` to ``headers`` case-insensitively; an ``Omit()`` value removes the header."""
    for key, value in extra.items():
        lower = key.lower()
        for existing in [k for k in headers if k.lower() == lower]:
            del headers[existing]
        if not isinstance(value, Omit) and not isinstance(value, NotGiven):  # pyright: ignore[reportUnnecessaryIsInstance]
            headers[key] = value


# ---------------------------------------------------------------------------------------------------------------------
# The sync client


class SyncAPIClient(_BaseClient):
    """The synchronous client core; ``oai.OpenAI`` subclasses it and adds the resources."""

    _http: httpx.Client
    _throttle: SyncThrottle | None

    def __init__(
        self,
        *,
        api_key: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str | Omit] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.Client | None = None,
        total_timeout: float | None = None,
        stream_idle_timeout: float | None = None,
        stream_deadline: float | None = None,
        max_concurrent_requests: int | None = None,
        max_requests_per_minute: int | None = None,
        webhook_secret: str | None = None,
        websocket_base_url: str | httpx.URL | None = None,
    ) -> None:
        """Configure a client.

        ``api_key``, ``organization``, ``project`` and ``base_url`` default to
        the environment (``OPENAI_API_KEY``, ``OPENAI_ORG_ID``,
        ``OPENAI_PROJECT_ID``, ``OPENAI_BASE_URL``). ``timeout`` is per
        attempt; ``total_timeout`` bounds a whole call including retries.
        ``max_concurrent_requests`` / ``max_requests_per_minute`` turn on
        client-side throttling, shared with every ``with_options()`` copy.
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
        )
        if http_client is not None and not isinstance(http_client, httpx.Client):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"http_client must be an httpx.Client, got {type(http_client).__name__}")
        self._owns_http_client = http_client is None
        self._http = http_client or httpx.Client(
            verify=default_ssl_context(),  # trust anchors read on the first TLS handshake, not here
            timeout=self._default_timeout,
            limits=httpx.Limits(max_connections=1000, max_keepalive_connections=100),
            follow_redirects=True,
        )
        self._build_headers(self._http.headers)
        self._throttle = (
            SyncThrottle(max_concurrent_requests, max_requests_per_minute)
            if max_concurrent_requests or max_requests_per_minute
            else None
        )

    # -- lifecycle ---------------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool (not when it was passed in, or belongs to the client this one was copied from)."""
        if self._owns_http_client:
            self._http.close()

    def is_closed(self) -> bool:
        return self._http.is_closed

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def with_options(
        self,
        *,
        api_key: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str | Omit] | None = None,
        set_default_headers: Mapping[str, str | Omit] | None = None,
        default_query: Mapping[str, object] | None = None,
        set_default_query: Mapping[str, object] | None = None,
        http_client: httpx.Client | None = None,
        total_timeout: float | None | NotGiven = NOT_GIVEN,
        stream_idle_timeout: float | None | NotGiven = NOT_GIVEN,
        stream_deadline: float | None | NotGiven = NOT_GIVEN,
        max_concurrent_requests: int | None | NotGiven = NOT_GIVEN,
        max_requests_per_minute: int | None | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A copy of this client with some options changed; it shares the connection pool and throttle.

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
        )

    copy = with_options

    # -- the official SDK's low-level verbs (for endpoints oai does not generate) -----------------------------------

    @overload
    def get(
        self,
        path: str,
        *,
        cast_to: type[_T],
        options: Mapping[str, Any] | None = None,
        stream: Literal[False] = False,
        stream_cls: type[_StreamT] | None = None,
    ) -> _T: ...
    @overload
    def get(
        self,
        path: str,
        *,
        cast_to: type[_T],
        options: Mapping[str, Any] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    def get(
        self,
        path: str,
        *,
        cast_to: Any,
        options: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """``GET path``; ``options`` takes the keys of :func:`make_request_options` or the official SDK's."""
        return self.request(
            "get", path, cast_to=cast_to, stream=stream, stream_cls=stream_cls, options=_request_options(options)
        )

    @overload
    def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        files: Mapping[str, object] | None = None,
        stream: Literal[False] = False,
        stream_cls: type[_StreamT] | None = None,
    ) -> _T: ...
    @overload
    def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        files: Mapping[str, object] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    def post(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        files: Mapping[str, object] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """``POST path`` with a JSON body (or multipart with ``files``)."""
        return self.request(
            "post",
            path,
            cast_to=cast_to,
            body=body,
            files=files,
            stream=stream,
            stream_cls=stream_cls,
            options=_request_options(options),
        )

    def patch(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, options: Mapping[str, Any] | None = None
    ) -> _T:
        return self.request("patch", path, cast_to=cast_to, body=body, options=_request_options(options))

    def put(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        files: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return self.request("put", path, cast_to=cast_to, body=body, files=files, options=_request_options(options))

    def delete(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, options: Mapping[str, Any] | None = None
    ) -> _T:
        return self.request("delete", path, cast_to=cast_to, body=body, options=_request_options(options))

    def get_api_list(
        self,
        path: str,
        *,
        model: type[object],
        page: type[_PageT],
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        method: str = "get",
    ) -> _PageT:
        """A list endpoint as a page of ``model`` items (``page``: e.g. ``SyncCursorPage[Model]``)."""
        return self.request(method, path, cast_to=model, page=page, body=body, options=_request_options(options))

    # -- the request -------------------------------------------------------------------------------------------------

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any,
        page: type[_PageT],
        body: Body | None = None,
        query: Query | None = None,
        files: Mapping[str, object] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        options: RequestOptions | None = None,
    ) -> _PageT: ...

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
        stream: Literal[False] = False,
        stream_cls: type[_StreamT] | None = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: None = None,
        options: RequestOptions | None = None,
    ) -> _T: ...

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
        stream: Literal[True],
        stream_cls: type[_StreamT],
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: None = None,
        options: RequestOptions | None = None,
    ) -> _StreamT: ...

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
        stream: bool,
        stream_cls: type[_StreamT] | None = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: None = None,
        options: RequestOptions | None = None,
    ) -> _T | _StreamT: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any,
        body: Body | None = None,
        query: Query | None = None,
        files: Mapping[str, object] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: Any = None,
        options: RequestOptions | None = None,
    ) -> Any:
        """Send one API request and return what the operation returns (see the module docstring)."""
        opts = options or _EMPTY_OPTIONS
        mode = response_mode.get()
        is_stream = stream and stream_cls is not None
        call = self._prepare(method, path, body, query, opts, is_stream or mode == "stream")
        if files is not None:
            self._attach_form(call, body, opts, to_httpx_files(files))

        fetch_next: Callable[[Mapping[str, object]], Any] | None = None
        if page is not None:

            def _fetch_next(params: Mapping[str, object]) -> Any:
                return self.request(
                    method,
                    path,
                    cast_to=cast_to,
                    body=body,
                    query={**(query or {}), **params},
                    page=page,
                    options=options,
                )

            fetch_next = _fetch_next

        response = self._send(call)

        if mode is not None:
            return self._wrap_raw(
                response, call, mode, cast_to, page, fetch_next, is_stream, stream_cls, stream_terminator
            )
        if is_stream:
            return self._make_stream(stream_cls, response, call, stream_terminator, self._stream_retry(call))
        return self._parse(response, cast_to, page, fetch_next)

    def _wrap_raw(
        self,
        response: httpx.Response,
        call: _Call,
        mode: ResponseMode,
        cast_to: Any,
        page: Any,
        fetch_next: Any,
        is_stream: bool,
        stream_cls: Any,
        stream_terminator: Any,
    ) -> APIResponse[Any]:
        def parser(resp: httpx.Response) -> Any:
            if is_stream:
                return self._make_stream(stream_cls, resp, call, stream_terminator, self._stream_retry(call))
            resp.read()
            return self._parse(resp, cast_to, page, fetch_next)

        return APIResponse(raw=response, parser=parser, retries_taken=call.retries_taken)

    def _stream_retry(self, call: _Call) -> Callable[..., httpx.Response]:
        """The ``retry`` callable handed to a stream: resend within the call's remaining retry budget."""

        def retry(error: BaseException | None = None, *_: object) -> httpx.Response:
            delay = self._retry_delay(call, None)
            if delay is None:
                if error is not None:
                    raise error
                raise APIConnectionError(message="The stream failed and no retry is left.")
            self._log_retry(call, delay, f"stream interrupted: {error!r}")
            self._sleep(delay)
            call.retries_taken += 1
            return self._send(call)

        return retry

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _send(self, call: _Call) -> httpx.Response:
        """Send ``call``, retrying what may be retried; returns a response with a status below 400."""
        http = self._http
        throttle = self._throttle
        debug = logger.isEnabledFor(logging.DEBUG)
        while True:
            self._attempt_timeout(call)
            request = call.build()
            if debug:
                self._log_request(call, request)
            if throttle is not None:
                throttle.acquire()
            try:
                response = http.send(request, stream=call.stream)
            except httpx.TransportError as exc:
                if throttle is not None:
                    throttle.release()
                delay = self._retry_delay(call, None)
                if delay is None:
                    if isinstance(exc, httpx.TimeoutException):
                        raise APITimeoutError(request) from exc
                    raise APIConnectionError(message=f"Connection error: {exc!r}", request=request) from exc
                self._log_retry(call, delay, repr(exc))
                self._sleep(delay)
                call.retries_taken += 1
                continue
            except BaseException:
                if throttle is not None:
                    throttle.release()
                raise

            if debug:
                logger.debug("Response %s %s: %d", request.method, request.url, response.status_code)
            if response.status_code >= 400:
                try:
                    if call.stream:
                        response.read()
                finally:
                    response.close()
                    if throttle is not None:
                        throttle.release()
                delay = self._retry_delay(call, response) if _should_retry_response(response) else None
                if delay is not None:
                    self._log_retry(call, delay, f"status {response.status_code}")
                    self._sleep(delay)
                    call.retries_taken += 1
                    continue
                raise self._make_status_error(response)
            if throttle is not None:
                if call.stream:
                    release_on_close(response, throttle.release, is_async=False)
                else:
                    throttle.release()
            return response


# ---------------------------------------------------------------------------------------------------------------------
# The async client


class AsyncAPIClient(_BaseClient):
    """The asynchronous client core; ``oai.AsyncOpenAI`` subclasses it and adds the resources."""

    _http: httpx.AsyncClient
    _throttle: AsyncThrottle | None

    def __init__(
        self,
        *,
        api_key: str | None = None,
        organization: str | None = None,
        project: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str | Omit] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
        total_timeout: float | None = None,
        stream_idle_timeout: float | None = None,
        stream_deadline: float | None = None,
        max_concurrent_requests: int | None = None,
        max_requests_per_minute: int | None = None,
        webhook_secret: str | None = None,
        websocket_base_url: str | httpx.URL | None = None,
    ) -> None:
        """Configure a client; the options are those of :class:`SyncAPIClient`."""
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
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}")
        self._owns_http_client = http_client is None
        self._http = http_client or httpx.AsyncClient(
            verify=default_ssl_context(),  # trust anchors read on the first TLS handshake, not here
            timeout=self._default_timeout,
            limits=httpx.Limits(max_connections=1000, max_keepalive_connections=100),
            follow_redirects=True,
        )
        self._build_headers(self._http.headers)
        self._throttle = (
            AsyncThrottle(max_concurrent_requests, max_requests_per_minute)
            if max_concurrent_requests or max_requests_per_minute
            else None
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
        timeout: Timeout | NotGiven = NOT_GIVEN,
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
    ) -> Self:
        """A copy of this client with some options changed; it shares the connection pool and throttle."""
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
        )

    copy = with_options

    # -- the official SDK's low-level verbs (for endpoints oai does not generate) -----------------------------------

    @overload
    async def get(
        self,
        path: str,
        *,
        cast_to: type[_T],
        options: Mapping[str, Any] | None = None,
        stream: Literal[False] = False,
        stream_cls: type[_StreamT] | None = None,
    ) -> _T: ...
    @overload
    async def get(
        self,
        path: str,
        *,
        cast_to: type[_T],
        options: Mapping[str, Any] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    async def get(
        self,
        path: str,
        *,
        cast_to: Any,
        options: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """``GET path``; ``options`` takes the keys of :func:`make_request_options` or the official SDK's."""
        return await self.request(
            "get", path, cast_to=cast_to, stream=stream, stream_cls=stream_cls, options=_request_options(options)
        )

    @overload
    async def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        files: Mapping[str, object] | None = None,
        stream: Literal[False] = False,
        stream_cls: type[_StreamT] | None = None,
    ) -> _T: ...
    @overload
    async def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        files: Mapping[str, object] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    async def post(
        self,
        path: str,
        *,
        cast_to: Any,
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        files: Mapping[str, object] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """``POST path`` with a JSON body (or multipart with ``files``)."""
        return await self.request(
            "post",
            path,
            cast_to=cast_to,
            body=body,
            files=files,
            stream=stream,
            stream_cls=stream_cls,
            options=_request_options(options),
        )

    async def patch(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, options: Mapping[str, Any] | None = None
    ) -> _T:
        return await self.request("patch", path, cast_to=cast_to, body=body, options=_request_options(options))

    async def put(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        files: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return await self.request(
            "put", path, cast_to=cast_to, body=body, files=files, options=_request_options(options)
        )

    async def delete(
        self, path: str, *, cast_to: type[_T], body: Body | None = None, options: Mapping[str, Any] | None = None
    ) -> _T:
        return await self.request("delete", path, cast_to=cast_to, body=body, options=_request_options(options))

    def get_api_list(
        self,
        path: str,
        *,
        model: type[_ItemT],
        page: type[_PageT],
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        method: str = "get",
    ) -> AsyncPaginator[_ItemT, _PageT]:
        """A list endpoint: ``await`` it for the first page, ``async for`` over every item."""
        return self.request(method, path, cast_to=model, page=page, body=body, options=_request_options(options))

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
        stream: bool = False,
        stream_cls: Any = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        options: RequestOptions | None = None,
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
        stream: Literal[False] = False,
        stream_cls: type[_StreamT] | None = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: None = None,
        options: RequestOptions | None = None,
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
        stream: Literal[True],
        stream_cls: type[_StreamT],
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: None = None,
        options: RequestOptions | None = None,
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
        stream: bool,
        stream_cls: type[_StreamT] | None = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: None = None,
        options: RequestOptions | None = None,
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
        stream: bool = False,
        stream_cls: Any = None,
        stream_terminator: str | None | NotGiven = NOT_GIVEN,
        page: Any = None,
        options: RequestOptions | None = None,
    ) -> Any:
        """Like :meth:`SyncAPIClient.request`, awaitable.

        For a list operation (``page=``) the result is an :class:`AsyncPaginator`:
        ``await`` it for the first page or ``async for`` over every item.
        """
        mode = response_mode.get()
        if page is not None:

            async def fetch_first() -> Any:
                return await self._request(
                    method,
                    path,
                    cast_to,
                    body,
                    query,
                    files,
                    stream,
                    stream_cls,
                    stream_terminator,
                    page,
                    options,
                    mode,
                )

            return AsyncPaginator[Any, Any](fetch_first)
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
        call = self._prepare(method, path, body, query, opts, is_stream or mode == "stream")
        if files is not None:
            self._attach_form(call, body, opts, await async_to_httpx_files(files))

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

        if mode is not None:

            async def parser(resp: httpx.Response) -> Any:
                if is_stream:
                    return self._make_stream(stream_cls, resp, call, stream_terminator, self._stream_retry(call))
                await resp.aread()
                return self._parse(resp, cast_to, page, fetch_next)

            return AsyncAPIResponse(raw=response, parser=parser, retries_taken=call.retries_taken)
        if is_stream:
            return self._make_stream(stream_cls, response, call, stream_terminator, self._stream_retry(call))
        return self._parse(response, cast_to, page, fetch_next)

    def _stream_retry(self, call: _Call) -> Callable[..., Coroutine[Any, Any, httpx.Response]]:
        """The async ``retry`` callable handed to a stream."""

        async def retry(error: BaseException | None = None, *_: object) -> httpx.Response:
            delay = self._retry_delay(call, None)
            if delay is None:
                if error is not None:
                    raise error
                raise APIConnectionError(message="The stream failed and no retry is left.")
            self._log_retry(call, delay, f"stream interrupted: {error!r}")
            await self._sleep(delay)
            call.retries_taken += 1
            return await self._send(call)

        return retry

    async def _sleep(self, seconds: float) -> None:
        import anyio  # async-only; kept out of `import oai`

        await anyio.sleep(seconds)

    async def _send(self, call: _Call) -> httpx.Response:
        """Send ``call``, retrying what may be retried; returns a response with a status below 400."""
        http = self._http
        throttle = self._throttle
        debug = logger.isEnabledFor(logging.DEBUG)
        while True:
            self._attempt_timeout(call)
            request = call.build()
            if debug:
                self._log_request(call, request)
            if throttle is not None:
                await throttle.acquire()
            try:
                response = await http.send(request, stream=call.stream)
            except httpx.TransportError as exc:
                if throttle is not None:
                    throttle.release()
                delay = self._retry_delay(call, None)
                if delay is None:
                    if isinstance(exc, httpx.TimeoutException):
                        raise APITimeoutError(request) from exc
                    raise APIConnectionError(message=f"Connection error: {exc!r}", request=request) from exc
                self._log_retry(call, delay, repr(exc))
                await self._sleep(delay)
                call.retries_taken += 1
                continue
            except BaseException:
                if throttle is not None:
                    throttle.release()
                raise

            if debug:
                logger.debug("Response %s %s: %d", request.method, request.url, response.status_code)
            if response.status_code >= 400:
                try:
                    if call.stream:
                        await response.aread()
                finally:
                    await response.aclose()
                    if throttle is not None:
                        throttle.release()
                delay = self._retry_delay(call, response) if _should_retry_response(response) else None
                if delay is not None:
                    self._log_retry(call, delay, f"status {response.status_code}")
                    await self._sleep(delay)
                    call.retries_taken += 1
                    continue
                raise self._make_status_error(response)
            if throttle is not None:
                if call.stream:
                    release_on_close(response, throttle.release, is_async=True)
                else:
                    throttle.release()
            return response
