"""Raw and streamed access to responses: ``.with_raw_response`` / ``.with_streaming_response``.

How it works: the wrapper functions set a context variable around the call
of the generated method; the client's ``request()`` reads it once and, when
it is set, returns an :class:`APIResponse` (body read, ``raw``) or an unread
one (``stream``) instead of the parsed object. ``parse()`` then turns it
into exactly what the plain call would have returned.

Also here: :class:`BinaryAPIResponse`, what a binary endpoint (audio, file
content) returns.
"""

from __future__ import annotations

import functools
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Generic, Literal, TypeVar, cast, overload

import httpx
from typing_extensions import ParamSpec

from ._models import parse_model_json

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncResponseContextManager",
    "BinaryAPIResponse",
    "ResponseContextManager",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

P = ParamSpec("P")
R = TypeVar("R")
_T = TypeVar("_T")
_ResponseT = TypeVar("_ResponseT")

ResponseMode = Literal["raw", "stream"]
response_mode: ContextVar[ResponseMode | None] = ContextVar("oai_response_mode", default=None)
"""Set by the wrappers below around one call; read by the client's ``request()``."""


class _ResponseInfo:
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


class APIResponse(_ResponseInfo, Generic[R]):
    """The HTTP response of a call, with :meth:`parse` to get what the call returns."""

    retries_taken: int
    """How many times the request was retried before this response."""

    def __init__(self, *, raw: httpx.Response, parser: Callable[[httpx.Response], R], retries_taken: int = 0) -> None:
        self.http_response = raw
        self.retries_taken = retries_taken
        self._parser = parser
        self._parsed: R | None = None
        self._is_parsed = False

    @overload
    def parse(self, *, to: type[_T]) -> _T: ...
    @overload
    def parse(self) -> R: ...
    def parse(self, *, to: type[_T] | None = None) -> R | _T:
        """What the call returns (a model, a page, a ``Stream`` for ``stream=True``, ...).

        ``to=`` parses the JSON body into another type instead.
        """
        if to is not None:
            return parse_model_json(to, self.read())
        if not self._is_parsed:
            self._parsed = self._parser(self.http_response)
            self._is_parsed = True
        return cast(R, self._parsed)

    def read(self) -> bytes:
        """The whole body (read now if it was not yet)."""
        return self.http_response.read()

    @property
    def content(self) -> bytes:
        return self.read()

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks as it arrives (decompressed)."""
        yield from self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        yield from self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        yield from self.http_response.iter_lines()

    def stream_to_file(self, file: str | os.PathLike[str], *, chunk_size: int | None = None) -> None:
        """Write the body to ``file`` chunk by chunk, never holding all of it in memory."""
        with open(file, "wb") as f:
            for chunk in self.http_response.iter_bytes(chunk_size):
                f.write(chunk)

    write_to_file = stream_to_file

    def close(self) -> None:
        """Release the connection (needed only for an unread, streamed response)."""
        self.http_response.close()


class AsyncAPIResponse(_ResponseInfo, Generic[R]):
    """The async counterpart of :class:`APIResponse`: ``await response.parse()``."""

    retries_taken: int

    def __init__(
        self,
        *,
        raw: httpx.Response,
        parser: Callable[[httpx.Response], Awaitable[R]],
        retries_taken: int = 0,
    ) -> None:
        self.http_response = raw
        self.retries_taken = retries_taken
        self._parser = parser
        self._parsed: R | None = None
        self._is_parsed = False

    @overload
    async def parse(self, *, to: type[_T]) -> _T: ...
    @overload
    async def parse(self) -> R: ...
    async def parse(self, *, to: type[_T] | None = None) -> R | _T:
        """What the call returns (a model, a page, an ``AsyncStream`` for ``stream=True``, ...)."""
        if to is not None:
            return parse_model_json(to, await self.read())
        if not self._is_parsed:
            self._parsed = await self._parser(self.http_response)
            self._is_parsed = True
        return cast(R, self._parsed)

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        await self.read()
        return self.http_response.json()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        async for chunk in self.http_response.aiter_bytes(chunk_size):
            yield chunk

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        async for chunk in self.http_response.aiter_text(chunk_size):
            yield chunk

    async def iter_lines(self) -> AsyncIterator[str]:
        async for line in self.http_response.aiter_lines():
            yield line

    async def stream_to_file(self, file: str | os.PathLike[str], *, chunk_size: int | None = None) -> None:
        """Write the body to ``file`` chunk by chunk, never holding all of it in memory."""
        import anyio  # async-only; kept out of `import oai`

        async with await anyio.open_file(file, "wb") as f:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                await f.write(chunk)

    write_to_file = stream_to_file

    async def close(self) -> None:
        await self.http_response.aclose()


class BinaryAPIResponse(_ResponseInfo):
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


class ResponseContextManager(Generic[_ResponseT]):
    """``with ...with_streaming_response.create(...) as response:`` (the request starts on enter)."""

    def __init__(self, request: Callable[[], _ResponseT]) -> None:
        self._request = request
        self._response: _ResponseT | None = None

    def __enter__(self) -> _ResponseT:
        self._response = self._request()
        return self._response

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        response = self._response
        if response is not None:
            cast(Any, response).close()


class AsyncResponseContextManager(Generic[_ResponseT]):
    """``async with ...with_streaming_response.create(...) as response:``."""

    def __init__(self, request: Awaitable[_ResponseT]) -> None:
        self._request = request
        self._response: _ResponseT | None = None

    async def __aenter__(self) -> _ResponseT:
        self._response = await self._request
        return self._response

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        response = self._response
        if response is not None:
            await cast(Any, response).close()


def to_raw_response_wrapper(func: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """``func`` made to return the :class:`APIResponse` (body read) instead of the parsed value."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        token = response_mode.set("raw")
        try:
            return cast("APIResponse[R]", func(*args, **kwargs))
        finally:
            response_mode.reset(token)

    return wrapped


def async_to_raw_response_wrapper(func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[AsyncAPIResponse[R]]]:
    """The async :func:`to_raw_response_wrapper`."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncAPIResponse[R]:
        token = response_mode.set("raw")
        try:
            return cast("AsyncAPIResponse[R]", await func(*args, **kwargs))
        finally:
            response_mode.reset(token)

    return wrapped


def to_streamed_response_wrapper(func: Callable[P, R]) -> Callable[P, ResponseContextManager[APIResponse[R]]]:
    """``func`` made to return a context manager around the unread :class:`APIResponse`."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseContextManager[APIResponse[R]]:
        def call() -> APIResponse[R]:
            token = response_mode.set("stream")
            try:
                return cast("APIResponse[R]", func(*args, **kwargs))
            finally:
                response_mode.reset(token)

        return ResponseContextManager(call)

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, AsyncResponseContextManager[AsyncAPIResponse[R]]]:
    """The async :func:`to_streamed_response_wrapper`."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[AsyncAPIResponse[R]]:
        async def call() -> AsyncAPIResponse[R]:
            token = response_mode.set("stream")
            try:
                return cast("AsyncAPIResponse[R]", await func(*args, **kwargs))
            finally:
                response_mode.reset(token)

        return AsyncResponseContextManager(call())

    return wrapped
