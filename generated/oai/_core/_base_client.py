"""``BaseClient``: a client's configuration, and everything about a call that happens before I/O.

The clients themselves are ``SyncAPIClient`` (``_sync/_client.py``) and
``AsyncAPIClient`` (``_async/_client.py``, the source the sync one is written
from). Both inherit from :class:`BaseClient`, which holds what does no I/O:

* configuration: the key, organization and project (from arguments or the
  environment), the base URL, timeouts and retry settings, and the default
  headers, computed once per client;
* preparation: :meth:`BaseClient._prepare` turns one call (method, path,
  body, query, per-call options) into a :class:`Call` -- URL, encoded body,
  headers with the ``Idempotency-Key``, the timeouts and deadlines -- that
  the send loop can send as many times as it retries;
* the arithmetic between attempts: the next attempt's timeout
  (``_timeouts``) and how long to wait before it (``_retry``).

The per-request path is kept short on purpose (no deep copies, no schema
walks over params, headers computed once per client): it is what a
high-throughput caller pays on every call.
"""

from __future__ import annotations

import copy
import functools
import os
import platform
import time
import urllib.parse
import uuid
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar, cast, overload

import httpx
from typing_extensions import Self

from ._constants import DEFAULT_TIMEOUT, IDEMPOTENCY_KEY_PREFIX
from ._encoding import EncodedBody, encode_body, encode_json
from ._errors import APIConnectionError, APIStatusError, APITimeoutError, OpenAIError
from ._files import fieldless_parts, flatten_fields, flatten_form
from ._logging import logger, mask, redact, redact_headers, register_secret, safe_url, setup_logging
from ._options import RequestOptions, check_first_token_timeout
from ._ratelimit import estimate_tokens
from ._retry import RetryPolicy
from ._sse import DEFAULT_MAX_EVENT_SIZE
from ._streaming import Resumption
from ._timeouts import bounded_timeout, nearest, to_httpx_timeout
from ._types import NOT_GIVEN, Body, NotGiven, Omit, Query, TimeoutTypes
from ._watchdog import AttemptGuard

__all__ = ["BaseClient", "Call", "platform_headers", "request_options"]

_T = TypeVar("_T")

_URL_CACHE_SIZE = 512

setup_logging()


_OFFICIAL_OPTION_KEYS = {"headers": "extra_headers", "params": "extra_query", "extra_json": "extra_body"}


def request_options(options: Mapping[str, Any] | None) -> RequestOptions | None:
    """Per-call options given to the verbs: ours, or the official SDK's names (``headers``, ``params``, ...)."""
    if not options:
        return None
    out: dict[str, Any] = {}
    for key, value in options.items():
        if value is NOT_GIVEN or (value is None and key in _OFFICIAL_OPTION_KEYS):
            continue
        out[_OFFICIAL_OPTION_KEYS.get(key, key)] = value
    return cast(RequestOptions, out)


class Call:
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
        "last_status_error",
        "retry_stream",
        "max_event_size",
        "resume",
        "first_token_timeout",
        "require_terminal",
        "started",
        "model",
        "token_cost",
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
        self.last_status_error: APIStatusError | None = None
        """The error of the last retried status, raised instead of a timeout when the total_timeout runs out."""
        self.retry_stream = False
        self.max_event_size = DEFAULT_MAX_EVENT_SIZE
        self.resume = False
        self.first_token_timeout: float | None = None
        self.require_terminal = True
        self.started = 0.0
        """``time.monotonic()`` when the call was prepared: a stream's timings count from it."""
        self.model: object = None
        """The request's ``model``, for telemetry."""
        self.token_cost = 0
        """The tokens the rate limiter takes for each attempt (0 when no client-side token budget applies)."""

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


class BaseClient:
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
    _async_label: ClassVar[str] = "false"
    """``X-Stainless-Async``: ``false``, or ``async:<library>`` for the async client."""
    _admin_api_key_env: ClassVar[str | None] = None
    """Where ``admin_api_key`` comes from when not passed (a generated client whose API has one says it)."""
    """False for APIs that can be called without a key (a generated client says so): no key means none is sent."""

    _retry_policy: RetryPolicy = RetryPolicy()
    """When to retry and how long to wait; an instance attribute overrides it (tests shrink the delays)."""

    api_key: str
    admin_api_key: str | None
    """The key of the admin endpoints (``client.admin``); without one they are sent with ``api_key``."""
    _strict_response_validation: bool
    """Raise ``APIResponseValidationError`` when a response does not fit its model, instead of keeping it leniently."""
    organization: str | None
    project: str | None
    max_retries: int
    timeout: TimeoutTypes
    total_timeout: float | None
    stream_idle_timeout: float | None
    stream_deadline: float | None
    max_event_size: int | None
    retry_stream_before_first_event: bool
    resume: bool
    first_token_timeout: float | None
    require_terminal_event: bool
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
    priority: int
    """The place in the rate limiter's queue of this client's calls: higher goes first (``with_options(priority=)``)."""

    def _configure(
        self,
        *,
        api_key: str | None,
        organization: str | None,
        project: str | None,
        base_url: str | httpx.URL | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int,
        default_headers: Mapping[str, str | Omit] | None,
        default_query: Mapping[str, object] | None,
        total_timeout: float | None,
        stream_idle_timeout: float | None,
        stream_deadline: float | None,
        webhook_secret: str | None,
        websocket_base_url: str | httpx.URL | None,
        max_event_size: int | None = None,
        retry_stream_before_first_event: bool = False,
        resume: bool = False,
        first_token_timeout: float | None = None,
        require_terminal_event: bool = True,
        admin_api_key: str | None = None,
        strict_response_validation: bool = False,
    ) -> None:
        if admin_api_key is None and self._admin_api_key_env:
            admin_api_key = os.environ.get(self._admin_api_key_env) or None
        if admin_api_key is not None:
            admin_api_key = header_credential("admin_api_key", admin_api_key)
            register_secret(admin_api_key)
        self.admin_api_key = admin_api_key or None
        if api_key is None:
            api_key = os.environ.get(self._api_key_env)
        if api_key is None and (not self._api_key_required or self.admin_api_key):
            api_key = ""  # an admin key alone is enough for the admin endpoints
        if api_key is None:
            hint = f" (or admin_api_key= / {self._admin_api_key_env})" if self._admin_api_key_env else ""
            raise OpenAIError(
                f"No API key: pass api_key= to the client or set the {self._api_key_env} environment variable{hint}."
            )
        api_key = header_credential("api_key", api_key)
        register_secret(api_key)
        self.api_key = api_key
        self._strict_response_validation = strict_response_validation
        if organization is None and self._organization_env:
            organization = os.environ.get(self._organization_env) or None
        if project is None and self._project_env:
            project = os.environ.get(self._project_env) or None
        self.organization = header_credential("organization", organization) or None
        self.project = header_credential("project", project) or None
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
        if max_event_size is not None and max_event_size < 1:
            raise ValueError(f"max_event_size must be at least 1 byte, got {max_event_size!r}")
        self.max_event_size = max_event_size
        self.retry_stream_before_first_event = retry_stream_before_first_event
        if not isinstance(resume, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"resume must be True or False, got {resume!r}")
        self.resume = resume
        self.first_token_timeout = check_first_token_timeout(first_token_timeout)
        self.require_terminal_event = require_terminal_event
        # As in the official SDK: the secret client.webhooks checks signatures with, else OPENAI_WEBHOOK_SECRET.
        self.webhook_secret = webhook_secret if webhook_secret is not None else os.environ.get("OPENAI_WEBHOOK_SECRET")
        self.websocket_base_url = websocket_base_url
        self._custom_headers = dict(default_headers or {})
        self._custom_query = dict(default_query or {})
        self._default_timeout = to_httpx_timeout(self.timeout)
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
            **platform_headers(self._sdk_version, self._async_label),
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
        return f"<{type(self).__name__} base_url={safe_url(self._base_url_str)!r} api_key={mask(self.api_key)!r}>"

    def _copy_with(
        self,
        *,
        api_key: str | None,
        organization: str | None,
        project: str | None,
        base_url: str | httpx.URL | None,
        timeout: TimeoutTypes | NotGiven,
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
        max_tokens_per_minute: int | None | NotGiven = NOT_GIVEN,
        rate_limiter: Any = NOT_GIVEN,
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
        throttle_options: dict[str, Any] = {
            "max_concurrent_requests": max_concurrent_requests,
            "max_requests_per_minute": max_requests_per_minute,
            "max_tokens_per_minute": max_tokens_per_minute,
            "rate_limiter": rate_limiter,
            "adaptive_limits": adaptive_limits,
            "max_queued_requests": max_queued_requests,
            "queue_timeout": queue_timeout,
        }
        share_throttle = all(isinstance(value, NotGiven) for value in throttle_options.values())

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
            "max_event_size": pick(max_event_size, self.max_event_size),
            "retry_stream_before_first_event": pick(
                retry_stream_before_first_event, self.retry_stream_before_first_event
            ),
            "resume": pick(resume, self.resume),
            "first_token_timeout": pick(first_token_timeout, self.first_token_timeout),
            "require_terminal_event": pick(require_terminal_event, self.require_terminal_event),
            "webhook_secret": self.webhook_secret,
            "websocket_base_url": self.websocket_base_url,
            "admin_api_key": admin_api_key or self.admin_api_key,
            "_strict_response_validation": self._strict_response_validation,
        }
        kwargs["priority"] = pick(priority, self.priority)
        if not share_throttle:
            throttle = self._throttle
            current: dict[str, Any] = {
                "max_concurrent_requests": throttle.max_concurrent if throttle is not None else None,
                "max_requests_per_minute": throttle.max_per_minute if throttle is not None else None,
                "max_tokens_per_minute": throttle.max_tokens_per_minute if throttle is not None else None,
                "rate_limiter": throttle.limiter if throttle is not None else None,
                "adaptive_limits": throttle.adaptive if throttle is not None else False,
                "max_queued_requests": throttle.max_queued if throttle is not None else None,
                "queue_timeout": throttle.queue_timeout if throttle is not None else None,
            }
            for name, value in throttle_options.items():
                kwargs[name] = pick(value, current[name])
        client = type(self)(**kwargs, **self._copy_settings())
        if share_throttle:
            client._throttle = self._throttle
        if "_retry_policy" in vars(self):  # an instance-level policy (tests) carries over
            client._retry_policy = self._retry_policy
        return client

    def _copy_settings(self) -> dict[str, Any]:
        """Constructor arguments of a subclass that ``with_options()`` copies as they are (Azure's api_version...)."""
        return {}

    # -- building a call ---------------------------------------------------------------------------------------------

    def _prepare(
        self,
        method: str,
        path: str,
        body: Body | None,
        query: Query | None,
        options: RequestOptions,
        stream: bool,
        sse: bool | None = None,
    ) -> Call:
        """``stream``: the body is read as it comes (a stream, or ``with_streaming_response``); ``sse``: the call
        asks for server-sent events (``Accept: text/event-stream``), by default when ``stream``."""
        call = Call()
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
        content_type: str | None = None
        if isinstance(body, EncodedBody):  # raw content or a urlencoded form, with its own content type
            call.content = encode_body(body, extra_body)
            content_type = body.content_type
            body = None
            extra_body = None
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
            call.content = encode_json(json_body)
            throttle = self._throttle
            if throttle is not None and throttle.counts_tokens and isinstance(json_body, dict):
                call.token_cost = estimate_tokens(cast("dict[str, Any]", json_body), len(call.content))

        # Headers: cached defaults, per-call extras, the idempotency key.
        headers = self._hx_stream_headers if (stream if sse is None else sse) else self._hx_headers
        extra_headers = options.get("extra_headers")
        max_retries = options.get("max_retries", self.max_retries)
        key = options.get("idempotency_key")
        if key is None and method != "GET" and max_retries > 0:
            key = IDEMPOTENCY_KEY_PREFIX + str(uuid.uuid4())
        admin_auth = self.admin_api_key is not None and options.get("security") == "admin"
        if extra_headers or key is not None or content_type is not None or admin_auth:
            headers = httpx.Headers(headers)
            if admin_auth:
                headers["Authorization"] = f"Bearer {self.admin_api_key}"
            if content_type is not None:
                headers["Content-Type"] = content_type
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
            call.base_timeout = to_httpx_timeout(options["timeout"])
            call.timeout_ext = call.base_timeout.as_dict()
        else:
            call.base_timeout = self._default_timeout
            call.timeout_ext = self._timeout_ext
        total = options.get("total_timeout", self.total_timeout)
        if total is not None:
            call.deadline = time.monotonic() + total
            call.dynamic_timeout = True
        if stream:
            # None: the stream bounds the gap between events by the request's read timeout (see _streaming).
            call.idle_timeout = idle = options.get("stream_idle_timeout", self.stream_idle_timeout)
            stream_deadline = options.get("stream_deadline", self.stream_deadline)
            if stream_deadline is not None:
                call.stream_deadline = time.monotonic() + stream_deadline
            if idle is not None or stream_deadline is not None:
                call.dynamic_timeout = True
            call.retry_stream = options.get("retry_stream_before_first_event", self.retry_stream_before_first_event)
            max_event_size = options.get("max_event_size", self.max_event_size)
            if max_event_size is not None:
                call.max_event_size = max_event_size
            call.resume = options.get("resume", self.resume)
            call.require_terminal = options.get("require_terminal_event", self.require_terminal_event)
            first_token = options.get("first_token_timeout", self.first_token_timeout)
            if first_token is not None:
                call.first_token_timeout = first_token
                call.dynamic_timeout = True
                if idle is None:
                    # The read timeout bounds the gaps after the first content; before it, first_token_timeout.
                    call.idle_timeout = call.base_timeout.read
            call.started = time.monotonic()
            if isinstance(body, dict):
                call.model = cast("dict[str, object]", body).get("model")
        return call

    def _attach_form(self, call: Call, body: Body | None, options: RequestOptions, files: Any) -> None:
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

    def _attempt_timeout(self, call: Call) -> None:
        """The timeout of the next attempt, given what is left of the call's deadlines."""
        if not call.dynamic_timeout:
            return
        now = time.monotonic()
        if call.stream_deadline is not None and now >= call.stream_deadline:
            raise APITimeoutError(message="The stream exceeded its stream_deadline before it began.")
        if call.deadline is not None and now >= call.deadline:
            raise self._out_of_time(call, APITimeoutError(message="Request exceeded its total_timeout."))
        if call.stream:
            base, idle = call.base_timeout, call.idle_timeout
            if call.first_token_timeout is not None:
                # A single read may wait up to the first token; the stream's watch applies the idle bound after it.
                base, idle = _read_at_least(base, call.first_token_timeout), None
            timeout = bounded_timeout(
                base,
                idle=idle,
                until=nearest(call.deadline, call.stream_deadline),
                read_until=call.stream_deadline,
                now=now,
            )
        else:
            timeout = bounded_timeout(call.base_timeout, until=call.deadline, read_until=call.deadline, now=now)
        call.timeout_ext = timeout.as_dict()

    def _attempt_guard(self, call: Call, request: httpx.Request) -> AttemptGuard:
        """The wall-clock bounds of one attempt: the response head within the read timeout, all by the deadlines."""
        until = nearest(call.deadline, call.stream_deadline) if call.stream else call.deadline
        head_timeout = call.base_timeout.read
        if call.first_token_timeout is not None and head_timeout is not None:
            head_timeout = max(head_timeout, call.first_token_timeout)  # the head may wait for the first token
        return AttemptGuard(request.extensions, head_timeout=head_timeout, until=until)

    def _resume_call(self, call: Call, plan: Resumption) -> Call:
        """The request that resumes a dropped stream (``resume=True``), from the call that made it.

        A Responses stream: ``GET {the response's URL}?stream=true&starting_after=N``;
        any other stream that sent event ids: the same request with ``Last-Event-ID``.
        """
        resumed = copy.copy(call)
        resumed.retries_taken = 0
        resumed.last_status_error = None
        headers = httpx.Headers(call.headers)
        if plan.kind == "responses" and plan.response_id is not None:
            resumed.method = "GET"
            path = call.url.path.rstrip("/")
            quoted = urllib.parse.quote(plan.response_id, safe="")
            if not path.endswith("/" + quoted):
                path += "/" + quoted
            resumed.url = call.url.copy_with(path=path, query=None)
            params = [(k, v) for k, v in call.params or () if k not in ("stream", "starting_after")]
            params.append(("stream", "true"))
            if plan.starting_after is not None:
                params.append(("starting_after", str(plan.starting_after)))
            resumed.params = params
            resumed.content = resumed.data = resumed.files = None
            headers.pop("Content-Type", None)
            headers.pop("Idempotency-Key", None)
        elif plan.last_event_id is not None:
            headers["Last-Event-ID"] = plan.last_event_id
        resumed.headers = headers
        return resumed

    def _retry_delay(self, call: Call, response: httpx.Response | None) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` when no retry is left (or fits the deadlines)."""
        if call.retries_taken >= call.max_retries:
            return None
        delay = self._retry_policy.delay(call.retries_taken, response)
        if delay is None:
            return None
        until = nearest(call.deadline, call.stream_deadline)
        if until is not None and time.monotonic() + delay >= until:
            return None
        return delay

    def _out_of_time(self, call: Call, error: APIConnectionError) -> APIConnectionError | APIStatusError:
        """What a call raises when ``error`` ends it: the last status error instead, if the total_timeout ran out.

        A call that kept getting a retryable status (503, 429, ...) until its
        ``total_timeout`` ran out failed because of that status: its error is
        raised, whether the time ran out while waiting to retry or during the
        attempt that was cut short by it. The same call always raises the same
        type, however loaded the machine.
        """
        last = call.last_status_error
        if last is None or call.deadline is None or time.monotonic() < call.deadline - _DEADLINE_SLACK:
            return error
        return last

    def _log_request(self, call: Call, request: httpx.Request) -> None:
        logger.debug(
            "Request %s %s (attempt %d) headers=%s",
            request.method,
            safe_url(request.url),
            call.retries_taken + 1,
            redact_headers(request.headers),
        )

    def _log_retry(self, call: Call, delay: float, reason: str) -> None:
        logger.info("Retrying %s %s in %.2f seconds (%s)", call.method, safe_url(call.url), delay, redact(reason))


def _read_at_least(timeout: httpx.Timeout, seconds: float) -> httpx.Timeout:
    """``timeout`` with a read part of at least ``seconds`` (``None``, no limit, stays)."""
    if timeout.read is None or timeout.read >= seconds:
        return timeout
    return httpx.Timeout(connect=timeout.connect, read=seconds, write=timeout.write, pool=timeout.pool)


_DEADLINE_SLACK = 0.005
"""Seconds before a deadline at which a timeout counts as the deadline's (timers may fire a hair early)."""


_CONTROL_NAMES = {"\r": "a carriage return (CR)", "\n": "a line feed (LF)"}


@overload
def header_credential(name: str, value: str) -> str: ...
@overload
def header_credential(name: str, value: str | None) -> str | None: ...
def header_credential(name: str, value: str | None) -> str | None:
    """``value`` without surrounding whitespace, refused when it cannot be an HTTP header value.

    A key read from a file often ends in a newline. Stripped, it works; left
    in, the transport refuses the header and quotes it in its error (which is
    how a key leaks). Any other control character, or a character outside
    ASCII, cannot be sent either (RFC 9110 section 5.5): it is refused here,
    with its position, never with the value itself.
    """
    if value is None:
        return None
    value = value.strip()
    for index, char in enumerate(value):
        if not (" " <= char <= "~" or char == "\t"):
            what = _CONTROL_NAMES.get(char, f"the character U+{ord(char):04X}")
            raise ValueError(
                f"{name} contains {what} at position {index} (of {len(value)} characters): an HTTP header "
                f"cannot carry it, so the {name} cannot be sent. Check where it was read from."
            )
    return value


@functools.cache
def _platform() -> tuple[str, str, str, str]:
    """OS, architecture, Python implementation and version, spelled as the official SDK reports them."""
    system = platform.system()
    os_name = {"Darwin": "MacOS", "Linux": "Linux", "Windows": "Windows", "FreeBSD": "FreeBSD"}.get(system)
    if os_name is None:
        os_name = "Android" if "android" in platform.platform().lower() else f"Other:{system.lower() or 'unknown'}"
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "arm64": "arm64", "aarch64": "arm64", "i386": "x32", "i686": "x32"}
    arch_name = arch.get(machine) or ("arm" if machine.startswith("arm") else f"other:{machine or 'unknown'}")
    return os_name, arch_name, platform.python_implementation(), platform.python_version()


def platform_headers(version: str, async_label: str) -> dict[str, str]:
    """The ``X-Stainless-*`` headers the official SDK sends with every request (language, package version, OS,
    architecture, runtime), with oai's version: servers that read them see the same kind of client.
    ``default_headers={"X-Stainless-OS": Omit()}`` leaves one out."""
    os_name, arch, runtime, runtime_version = _platform()
    return {
        "X-Stainless-Lang": "python",
        "X-Stainless-Package-Version": version,
        "X-Stainless-OS": os_name,
        "X-Stainless-Arch": arch,
        "X-Stainless-Runtime": runtime,
        "X-Stainless-Runtime-Version": runtime_version,
        "X-Stainless-Async": async_label,
    }


def _merge_headers(headers: dict[str, str], extra: Mapping[str, str | Omit]) -> None:
    """Apply ``extra`` to ``headers`` case-insensitively; an ``Omit()`` value removes the header."""
    for key, value in extra.items():
        lower = key.lower()
        for existing in [k for k in headers if k.lower() == lower]:
            del headers[existing]
        if not isinstance(value, Omit) and not isinstance(value, NotGiven):  # pyright: ignore[reportUnnecessaryIsInstance]
            headers[key] = value
