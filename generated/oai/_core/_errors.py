"""The exception hierarchy, under the same names as the official SDK.

Code written against ``openai`` catches these by name, so the names and the
attributes (``status_code``, ``body``, ``code``, ``type``, ``param``,
``request_id``, ``response``) are part of the public contract.

::

    OpenAIError
    ├── RateLimitQueueError                (a call the client-side rate limiter let go unsent)
    │   ├── RateLimitQueueFullError        its waiting queue was full
    │   └── RateLimitQueueTimeoutError     it waited longer than queue_timeout
    ├── RateLimiterUnavailableError        the shared limiter's store (Redis) did not answer, failing closed
    └── APIError
        ├── APIStatusError                 (an HTTP status >= 400)
        │   ├── BadRequestError            400
        │   ├── AuthenticationError        401
        │   ├── PermissionDeniedError      403
        │   ├── NotFoundError              404
        │   ├── ConflictError              409
        │   ├── UnprocessableEntityError   422
        │   ├── RateLimitError             429
        │   └── InternalServerError        >= 500
        ├── APIConnectionError             (no usable response: refused, reset, dropped mid-stream)
        │   ├── APITimeoutError
        │   ├── StreamInterrupted          (a stream broke off after its first event and was not resumed)
        │   └── StreamIncomplete           (a stream ended without its terminal signal)
        ├── APIResponseValidationError     (a response that does not fit what was expected)
        ├── APIStreamError                 (an error reported inside a 200 event stream)
        └── SSEEventTooLarge               (one server-sent event over the size cap; in ``_sse``)

Every message is passed through :func:`~oai._core._logging.redact` when the
error is built, so no registered key and no URL password ever appears in
``str(error)``, whatever text the message quotes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, cast

import httpx

from ._logging import redact

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "OpenAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitQueueError",
    "RateLimitQueueFullError",
    "RateLimitQueueTimeoutError",
    "RateLimiterUnavailableError",
    "StreamIncomplete",
    "StreamInterrupted",
    "UnprocessableEntityError",
    "make_status_error",
    "make_stream_error",
    "safe_cause",
    "server_message",
    "status_error_class",
]


class OpenAIError(Exception):
    """Base of every error oai raises on purpose (also a missing API key)."""


class RateLimitQueueError(OpenAIError):
    """The client-side rate limiter did not let a call go; nothing was sent (docs/rate-limits.md)."""


class RateLimitQueueFullError(RateLimitQueueError):
    """``max_queued_requests`` calls were already waiting for the rate limiter; this one was refused at once."""


class RateLimitQueueTimeoutError(RateLimitQueueError):
    """A call waited ``queue_timeout`` seconds for the rate limiter (queue, concurrency slot and budget) in vain."""


class RateLimiterUnavailableError(OpenAIError):
    """The shared rate limiter's store did not answer, and the limiter fails closed (``on_unavailable="closed"``)."""


def _error_object(body: object) -> Mapping[str, Any] | None:
    """The ``{"message", "type", "code", "param"}`` object of an error body.

    OpenAI nests it under ``"error"``; some compatible servers put the fields
    at the top level (Responses-style ``{"type": "error", "message": ...}``).
    """
    if not isinstance(body, Mapping):
        return None
    mapping = cast("Mapping[str, Any]", body)
    nested: object = mapping.get("error")
    if isinstance(nested, Mapping):
        return cast("Mapping[str, Any]", nested)
    return mapping


def _str_or_none(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


class APIError(OpenAIError):
    """An error that concerns one API request.

    ``code``, ``type`` and ``param`` come from the server's error object when
    it sent one; ``body`` is the decoded body (or the raw text when it was not
    JSON), ``None`` when there was no body.
    """

    message: str
    request: httpx.Request | None
    body: object | None
    code: str | None
    param: str | None
    type: str | None
    request_id: str | None
    partial: Any = None
    """For an error raised by a stream: what it delivered before (an ``oai._core._stats.StreamPartial``)."""

    def __init__(
        self,
        message: str,
        request: httpx.Request | None = None,
        *,
        body: object | None = None,
        request_id: str | None = None,
    ) -> None:
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body
        self.request_id = request_id
        err = _error_object(body)
        if err is not None:
            self.code = _str_or_none(err.get("code"))
            self.param = _str_or_none(err.get("param"))
            self.type = _str_or_none(err.get("type"))
        else:
            self.code = self.param = self.type = None

    def __str__(self) -> str:
        return self.message


class APIStatusError(APIError):
    """The server answered with a status of 400 or more."""

    response: httpx.Response
    status_code: int

    def __init__(self, message: str, *, response: httpx.Response, body: object | None) -> None:
        super().__init__(
            message,
            response.request,
            body=body,
            request_id=response.headers.get("x-request-id"),
        )
        self.response = response
        self.status_code = response.status_code


class BadRequestError(APIStatusError):
    """400: the request was malformed or failed validation."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but not allowed to do this."""


class NotFoundError(APIStatusError):
    """404: no such resource (or no such path on this server)."""


class ConflictError(APIStatusError):
    """409: the resource is in a state that conflicts with the request."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well-formed but could not be processed."""


class RateLimitError(APIStatusError):
    """429: too many requests or tokens; retried automatically by default."""


class InternalServerError(APIStatusError):
    """A status of 500 or more: the server failed."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The most specific :class:`APIStatusError` subclass for a status code."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)


class APIConnectionError(APIError):
    """No usable response: the connection failed, was reset, or dropped mid-stream."""

    def __init__(self, *, message: str = "Connection error.", request: httpx.Request | None = None) -> None:
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    """The request (or a stream's idle or total deadline) timed out."""

    def __init__(self, request: httpx.Request | None = None, *, message: str = "Request timed out.") -> None:
        super().__init__(message=message, request=request)


class StreamInterrupted(APIConnectionError):
    """A stream broke off after it had delivered events, and could not be resumed.

    Raised for a chat completions stream (the server keeps nothing to resume
    from) and for any stream once ``resume=True`` ran out of attempts (or was
    not set). ``partial`` holds everything that arrived -- ``text``,
    ``reasoning``, ``tool_calls``, ``usage``, ``finish_reasons`` -- so that a
    drop is never mistaken for a short answer. ``__cause__`` is the transport
    error.
    """

    def __init__(self, *, message: str, request: httpx.Request | None = None, partial: Any = None) -> None:
        super().__init__(message=message, request=request)
        self.partial = partial


class StreamIncomplete(APIConnectionError):
    """A stream's body ended without the stream's terminal signal.

    Chat completions end with ``[DONE]`` (or a ``finish_reason`` on every
    choice), Responses with ``response.completed`` / ``incomplete`` /
    ``failed``, Assistants with ``done``: a body that ends before it was cut
    short, whatever the server meant. ``partial`` holds what arrived. A server
    that never sends a terminal signal can be accepted with
    ``require_terminal_event=False``.
    """

    def __init__(self, *, message: str, request: httpx.Request | None = None, partial: Any = None) -> None:
        super().__init__(message=message, request=request)
        self.partial = partial


class APIResponseValidationError(APIError):
    """A response whose body does not fit what the operation returns."""

    response: httpx.Response
    status_code: int

    def __init__(self, response: httpx.Response, body: object | None, *, message: str | None = None) -> None:
        super().__init__(
            message or "The server's response did not match the expected schema.",
            response.request,
            body=body,
            request_id=response.headers.get("x-request-id"),
        )
        self.response = response
        self.status_code = response.status_code


class APIStreamError(APIError):
    """The server reported an error inside an event stream that began with 200.

    Raised for a ``data:`` object with an ``error`` member and for an event
    typed ``error`` (including Responses-style ``{"type": "error", ...}``).
    """


_SUMMARY_CHARS = 200
"""At most this many characters of a body that carries no message of its own are quoted in an error's message."""


def decode_error_body(response: httpx.Response) -> object | None:
    """The decoded error body: JSON when it parses, else the text, ``None`` when empty."""
    content = response.content
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return response.text


def server_message(body: object) -> str | None:
    """The server's own message in an error body, if it has one."""
    err = _error_object(body)
    if err is None:
        return None
    for key in ("message", "detail"):  # "detail": FastAPI-style servers
        message = err.get(key)
        if isinstance(message, str) and message:
            return message
    return None


def make_status_error(response: httpx.Response, *, body: object | None = None) -> APIStatusError:
    """The error for a response with a status of 400 or more (its body must be read).

    The message is the official SDK's ``"Error code: 401 - <the server's message>"``; the body is on
    ``.body`` (as there: the ``error`` member of a JSON object that has one, else the decoded body or its
    text), never pasted whole into the message. A body without a message is summarised: an HTML page by
    its title and size, other text by its first line, JSON by its first characters. Registered secrets are
    masked in the message (as in every ``APIError``).
    """
    if body is None:
        body = decode_error_body(response)
    summary = server_message(body) or _summary(body) or response.reason_phrase
    message = f"Error code: {response.status_code}" + (f" - {summary}" if summary else "")
    data: object = body
    if isinstance(body, Mapping) and "error" in body:
        data = cast("Mapping[str, object]", body)["error"]
    return status_error_class(response.status_code)(message, response=response, body=data)


_HTML = re.compile(r"^\s*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _summary(body: object) -> str | None:
    """A short description of an error body that has no ``message``: never the whole of it."""
    if body is None:
        return None
    if not isinstance(body, str):
        text = json.dumps(body, ensure_ascii=False, default=str)
        return text if len(text) <= _SUMMARY_CHARS else text[:_SUMMARY_CHARS] + "..."
    size = len(body.encode())
    if _HTML.match(body):
        title = _TITLE.search(body)
        found = title.group(1) if title else _TAG.sub(" ", body)
        line = " ".join(found.split())[:_SUMMARY_CHARS]
        return f"{line} (HTML page, {size} bytes)" if line else f"HTML page, {size} bytes"
    lines = [line.strip() for line in body.strip().splitlines() if line.strip()]
    if not lines:
        return None
    first = lines[0][:_SUMMARY_CHARS]
    return first if first == body.strip() else f"{first}... ({size} bytes)"


def make_stream_error(body: object, response: httpx.Response) -> APIStreamError:
    """The error for an error the server reported inside an event stream (``body``: the event's data).

    The message is the server's own (``error.message``, or the data itself when
    it is plain text), with registered secrets masked (as in every ``APIError``).
    """
    message = server_message(body) or (body if isinstance(body, str) and body else None)
    try:
        request: httpx.Request | None = response.request
    except RuntimeError:  # a Response built by hand, without a request
        request = None
    data: object = body
    if isinstance(body, Mapping) and isinstance(cast("Mapping[str, object]", body).get("error"), Mapping):
        data = cast("Mapping[str, object]", body)["error"]
    return APIStreamError(
        message or "An error occurred during streaming",
        request,
        body=data,
        request_id=response.headers.get("x-request-id"),
    )


def safe_cause(error: BaseException) -> BaseException | None:
    """``error`` as the cause of one of ours, or ``None`` when its text quotes a secret.

    oai redacts the messages it builds; a transport's own exception is not
    ours to rewrite, and a traceback prints it. One that quotes a registered
    key (an ``httpx.LocalProtocolError`` quoting a header, say) or a URL's
    userinfo is left out of the chain: the error raised instead already
    says, redacted, what it said.
    """
    text = f"{error!s} {error!r}"
    return error if redact(text) == text else None
