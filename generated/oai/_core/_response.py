"""Turning an HTTP response into what a call returns, and what raw responses share.

:func:`build_result` is the one place that decides what a non-streaming call
returns (a model with ``_request_id``, a page, a binary response, text,
``None``); :func:`make_stream` builds the stream of a streaming call. Both run
for plain calls and, later and on demand, for ``with_raw_response`` /
``with_streaming_response`` (whose response classes are in
``_sync/_response.py`` / ``_async/_response.py``).

How the raw and streamed variants work: the wrapper functions set
:data:`response_mode` around the call of the generated method; the client's
``request()`` reads it once and, when it is set, returns an ``APIResponse``
(body read, ``raw``) or an unread one (``stream``) instead of the parsed
object. ``parse()`` then turns it into exactly what the plain call would have
returned.
"""

from __future__ import annotations

import json
import os
import typing
from collections.abc import AsyncIterator, Callable, Iterator
from contextvars import ContextVar
from typing import Any, Literal, cast

import httpx
from pydantic import ValidationError

from ._errors import APIResponseValidationError, make_status_error
from ._models import BaseModel, parse_model_json
from ._types import NotGiven

__all__ = [
    "BinaryAPIResponse",
    "LegacyAPIResponse",
    "ResponseInfo",
    "build_result",
    "make_stream",
    "parse_json",
    "response_mode",
    "then_parse",
]

_NoneType = type(None)
_R = typing.TypeVar("_R")
_T = typing.TypeVar("_T")

ResponseMode = Literal["raw", "stream"]
response_mode: ContextVar[ResponseMode | None] = ContextVar("oai_response_mode", default=None)
"""Set by the ``with_raw_response`` / ``with_streaming_response`` wrappers around one call; read by ``request()``."""


class ResponseInfo:
    """What a raw response and a binary response tell about the HTTP exchange."""

    http_response: httpx.Response

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def http_request(self) -> httpx.Request:
        """The request as it was sent (the last attempt's, after retries)."""
        return self.http_response.request

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> Any:
        """How long the exchange took (a ``datetime.timedelta``; known once the body is read)."""
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    @property
    def request_id(self) -> str | None:
        """The server's ``x-request-id``, to quote when reporting a problem."""
        return self.http_response.headers.get("x-request-id")

    def __repr__(self) -> str:
        r = self.http_response
        return f"<{type(self).__name__} [{r.status_code} {r.reason_phrase}] {r.request.method} {r.url}>"


class BinaryAPIResponse(ResponseInfo):
    """A binary body (speech audio, file content), already read.

    For a body too large to hold in memory, use the method's
    ``with_streaming_response`` and ``stream_to_file()`` instead.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def response(self) -> httpx.Response:
        return self.http_response

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    @property
    def encoding(self) -> str | None:
        return self.http_response.encoding

    def read(self) -> bytes:
        return self.http_response.content

    async def aread(self) -> bytes:
        return self.http_response.content

    def json(self) -> Any:
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        content = self.http_response.content
        step = chunk_size or max(len(content), 1)
        for start in range(0, len(content), step):
            yield content[start : start + step]

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        for chunk in self.iter_bytes(chunk_size):
            yield chunk

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        with open(file, "wb") as f:
            f.write(self.http_response.content)

    stream_to_file = write_to_file

    async def awrite_to_file(self, file: str | os.PathLike[str]) -> None:
        import anyio  # async-only; kept out of `import oai`

        async with await anyio.open_file(file, "wb") as f:
            await f.write(self.http_response.content)

    astream_to_file = awrite_to_file

    def close(self) -> None:
        self.http_response.close()

    async def aclose(self) -> None:
        await self.http_response.aclose()


class LegacyAPIResponse(ResponseInfo, typing.Generic[_R]):
    """What ``with_raw_response`` returns, sync and async alike: the response, its body already read.

    As in the official SDK, ``text`` and ``content`` are properties and :meth:`parse` is a plain method
    even on the async client (nothing is left to wait for: the body is read, and a stream is built
    without I/O). ``with_streaming_response`` returns :class:`~oai.APIResponse` /
    :class:`~oai.AsyncAPIResponse` instead, whose ``text()``, ``json()`` and ``parse()`` read the body.
    """

    retries_taken: int
    """How many times the request was retried before this response."""

    def __init__(
        self,
        *,
        raw: httpx.Response,
        parser: Callable[[httpx.Response], _R],
        retries_taken: int = 0,
        release: Callable[[object, httpx.Response], Any] | None = None,
    ) -> None:
        self.http_response = raw
        self.retries_taken = retries_taken
        self._parser = parser
        self._parsed: _R | None = None
        self._is_parsed = False
        # A stream's body is left unread for parse() to hand over; dropped unparsed, it gives its connection back.
        self._release = release(self, raw) if release is not None and not raw.is_closed else None

    @typing.overload
    def parse(self, *, to: type[_T]) -> _T: ...
    @typing.overload
    def parse(self) -> _R: ...
    def parse(self, *, to: type[_T] | None = None) -> _R | _T:
        """What the call returns (a model, a page, a stream for ``stream=True``, ...), built once.

        ``to=`` parses the JSON body into another type instead (a pydantic model, ``dict``, ...).
        """
        if to is not None:
            return parse_model_json(to, self.http_response.content)
        if not self._is_parsed:
            self._parsed = self._parser(self.http_response)
            self._is_parsed = True
            if self._release is not None:
                self._release.detach()  # the stream parse() returned owns the response now
        return cast("_R", self._parsed)

    def _then(self, post: Callable[[_R], _T]) -> LegacyAPIResponse[_T]:
        """This response, made to parse to ``post`` of what it parsed to (a helper's result: ``parse()``'s)."""
        parser = self._parser

        def parse(raw: httpx.Response) -> _T:
            return post(parser(raw))

        then = cast("LegacyAPIResponse[_T]", self)
        then._parser = parse
        return then

    @property
    def content(self) -> bytes:
        """The body."""
        return self.http_response.content

    @property
    def text(self) -> str:
        """The body, decoded."""
        return self.http_response.text

    def json(self) -> Any:
        """The body, decoded as JSON."""
        return self.http_response.json()


def then_parse(result: Any, post: Callable[[Any], _T]) -> Any:
    """What a helper built on a generated method returns: ``post(result)``.

    Under ``with_raw_response`` / ``with_streaming_response`` the generated method returned the response
    instead of its value: the helper then returns that response, whose ``parse()`` gives ``post`` of the
    value (``client.chat.completions.with_raw_response.parse(...).parse()`` is the parsed completion).
    """
    if response_mode.get() is None:
        return post(result)
    return result._then(post)


# -- building results ------------------------------------------------------------------------------------------------


def error_envelope(content: bytes) -> object | None:
    """The decoded body when a 2xx JSON body is an error report rather than a result, else ``None``.

    Some servers (proxies, gateways, compatible servers under load) answer 200
    with ``{"error": {...}}`` or ``{"object": "error", ...}``. A result that
    merely *has* an ``error`` field (a failed Response or fine-tuning job, which
    carry an ``id``) is a result. Only bodies that mention ``"error"`` at all are
    decoded twice.
    """
    if b'"error"' not in content:
        return None
    try:
        body = json.loads(content)
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    fields = cast("dict[str, object]", body)
    if fields.get("object") == "error":
        return fields
    if fields.get("error") and "id" not in fields and "object" not in fields:
        return fields
    return None


def parse_json(cast_to: Any, response: httpx.Response, *, strict: bool = False) -> Any:
    """The (read) JSON body as ``cast_to``; a model gets the response's ``x-request-id`` as ``_request_id``.

    A body that reports an error instead (see :func:`error_envelope`) raises
    the :class:`~oai.APIStatusError` the same body would with an error status.
    With ``strict``, a body that does not fit ``cast_to`` raises
    :class:`~oai.APIResponseValidationError` (else it is kept as it came).
    """
    content = response.content
    reported = error_envelope(content)
    if reported is not None:
        raise make_status_error(response, body=reported)
    try:
        result = parse_model_json(cast_to, content, strict=strict)
    except ValidationError as exc:  # strict only
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        name = getattr(cast_to, "__name__", cast_to)
        message = f"The response does not fit {name}: {exc.error_count()} error(s), first at {where}: {first['msg']}"
        raise APIResponseValidationError(response, response.text, message=message) from exc
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


def build_result(
    response: httpx.Response,
    cast_to: Any,
    page: Any,
    fetch_next: Callable[..., Any] | None,
    *,
    strict: bool = False,
) -> Any:
    """The result of a non-streaming call from its (read) response (``strict``: see :func:`parse_json`)."""
    if page is not None:
        result = parse_json(page, response, strict=strict)
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
    return parse_json(cast_to, response, strict=strict)


def make_stream(
    stream_cls: Any,
    response: httpx.Response,
    *,
    client: object,
    terminator: str | None | NotGiven,
    idle_timeout: float | None,
    deadline: float | None,
    retry: Callable[..., Any] | None,
    max_event_size: int,
    config: Any = None,
) -> Any:
    """The stream of a streaming call: ``stream_cls`` is ``Stream[Chunk]`` (or ``AsyncStream[Chunk]``).

    Called as the official SDK's stream classes are, so that a custom ``stream_cls`` works too.
    """
    origin = typing.get_origin(stream_cls) or stream_cls
    args = typing.get_args(stream_cls)
    if isinstance(terminator, NotGiven):
        terminator = getattr(origin, "terminator", "[DONE]")
    extra: dict[str, Any] = (
        {"config": config} if config is not None and getattr(origin, "_accepts_config", False) else {}
    )
    return origin(
        cast_to=args[0] if args else Any,
        response=response,
        client=client,
        terminator=terminator,
        idle_timeout=idle_timeout,
        deadline=deadline,
        retry=retry,
        max_event_size=max_event_size,
        **extra,
    )
