"""Per-call options: what ``extra_headers=``, ``timeout=`` and friends turn into.

Every generated method ends with ``options=make_request_options(...)``; the
result is a small dict holding only what the caller actually passed, so the
common case (nothing passed) costs one empty dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, cast

from typing_extensions import TypedDict

from ._types import NOT_GIVEN, Body, Headers, NotGiven, Query, Timeout, TimeoutTypes

__all__ = ["RequestOptions", "check_first_token_timeout", "make_request_options"]


class RequestOptions(TypedDict, total=False):
    """Options for one call; every key is optional and absent means "client default"."""

    extra_headers: Headers
    """Added to (and overriding) the client's headers; an ``Omit()`` value removes one."""
    extra_query: Query
    """Added to the query string."""
    extra_body: Mapping[str, object]
    """Merged into the JSON body (or the form fields of a multipart upload)."""
    timeout: TimeoutTypes
    """Each wait: connecting, the response head, the gap between events or body reads; ``None`` disables it."""
    total_timeout: float | None
    """Seconds for the whole call: all attempts, backoff, the response head and a non-streaming body."""
    max_retries: int
    """How many times this call may be retried, instead of the client's ``max_retries``."""
    idempotency_key: str
    """Sent as ``Idempotency-Key`` instead of a generated one."""
    stream_idle_timeout: float | None
    """Seconds a stream may go without an event (comments do not count); default: the read timeout."""
    stream_deadline: float | None
    """Seconds a stream may last in total, from the call to its last event."""
    max_event_size: int
    """Bytes one server-sent event may take before the stream raises ``SSEEventTooLarge``."""
    retry_stream_before_first_event: bool
    """Send a stream's request again when its 200 response fails before the first event (off by default)."""
    resume: bool
    """Resume a dropped stream: Responses by ``starting_after``, SSE with ids by ``Last-Event-ID`` (docs/streams.md)."""
    first_token_timeout: float | None
    """Seconds from sending a stream's request to its first content (a text, reasoning or tool-argument delta)."""
    require_terminal_event: bool
    """Raise ``StreamIncomplete`` when a stream ends without its terminal signal (on by default)."""
    security: Literal["admin"]
    """Set by the generated method, not the caller: the call authenticates with the client's ``admin_api_key``."""


def make_request_options(
    *,
    extra_headers: Headers | None = None,
    extra_query: Query | None = None,
    extra_body: Body | None = None,
    timeout: float | Timeout | None | NotGiven = NOT_GIVEN,
    total_timeout: float | None | NotGiven = NOT_GIVEN,
    max_retries: int | NotGiven = NOT_GIVEN,
    idempotency_key: str | None = None,
    stream_idle_timeout: float | None | NotGiven = NOT_GIVEN,
    stream_deadline: float | None | NotGiven = NOT_GIVEN,
    max_event_size: int | NotGiven = NOT_GIVEN,
    retry_stream_before_first_event: bool | NotGiven = NOT_GIVEN,
    resume: bool | NotGiven = NOT_GIVEN,
    first_token_timeout: float | None | NotGiven = NOT_GIVEN,
    require_terminal_event: bool | NotGiven = NOT_GIVEN,
) -> RequestOptions:
    """Collect the per-call options a generated method received (only those given)."""
    options: RequestOptions = {}
    if extra_headers:
        options["extra_headers"] = extra_headers
    if extra_query:
        options["extra_query"] = extra_query
    if extra_body is not None:
        if not isinstance(extra_body, Mapping):
            raise TypeError(f"extra_body must be a mapping of JSON properties, got {type(extra_body).__name__}")
        if extra_body:
            options["extra_body"] = cast("Mapping[str, object]", extra_body)
    if not isinstance(timeout, NotGiven):
        options["timeout"] = timeout
    if not isinstance(total_timeout, NotGiven):
        options["total_timeout"] = total_timeout
    if not isinstance(max_retries, NotGiven):
        options["max_retries"] = max_retries
    if idempotency_key is not None:
        options["idempotency_key"] = idempotency_key
    if not isinstance(stream_idle_timeout, NotGiven):
        options["stream_idle_timeout"] = stream_idle_timeout
    if not isinstance(stream_deadline, NotGiven):
        options["stream_deadline"] = stream_deadline
    if not isinstance(max_event_size, NotGiven):
        options["max_event_size"] = max_event_size
    if not isinstance(retry_stream_before_first_event, NotGiven):
        options["retry_stream_before_first_event"] = retry_stream_before_first_event
    if not isinstance(resume, NotGiven):
        if not isinstance(resume, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"resume must be True or False, got {resume!r}")
        options["resume"] = resume
    if not isinstance(first_token_timeout, NotGiven):
        options["first_token_timeout"] = check_first_token_timeout(first_token_timeout)
    if not isinstance(require_terminal_event, NotGiven):
        options["require_terminal_event"] = require_terminal_event
    return options


def check_first_token_timeout(value: float | None) -> float | None:
    """``value`` when it is a usable ``first_token_timeout`` (``None`` or seconds above 0), else a clear error."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"first_token_timeout must be seconds (a number) or None, got {value!r}")
    if not value > 0:
        raise ValueError(f"first_token_timeout must be more than 0 seconds, got {value!r}")
    return float(value)
