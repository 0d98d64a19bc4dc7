"""``AsyncAPIResponse`` and the wrappers behind ``.with_raw_response`` / ``.with_streaming_response``.

``with_raw_response`` returns a :class:`~oai._core._response.LegacyAPIResponse` (body read, ``parse()``
a plain method, as in the official SDK); ``with_streaming_response`` an :class:`AsyncAPIResponse`.

See ``oai._core._response`` for how the wrappers and ``request()`` cooperate.
"""

from __future__ import annotations

import functools
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any, Generic, TypeVar, cast, overload

import httpx
from typing_extensions import ParamSpec

from .._models import parse_model_json
from .._response import BinaryAPIResponse, LegacyAPIResponse, ResponseInfo, response_mode
from ._backend import close_when_collected, open_file

__all__ = [
    "AsyncAPIResponse",
    "AsyncResponseContextManager",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
]

P = ParamSpec("P")
R = TypeVar("R")
_T = TypeVar("_T")
_ResponseT = TypeVar("_ResponseT")


class AsyncAPIResponse(ResponseInfo, Generic[R]):
    """The response of a ``with_streaming_response`` call, body unread; :meth:`parse` gets what the call returns."""

    retries_taken: int
    """How many times the request was retried before this response."""

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
        # An unread body (a stream, or a streamed response) holds a connection: dropped unread, it gives it back.
        self._release = None if raw.is_closed else close_when_collected(self, raw)

    @overload
    async def parse(self, *, to: type[_T]) -> _T: ...
    @overload
    async def parse(self) -> R: ...
    async def parse(self, *, to: type[_T] | None = None) -> R | _T:
        """What the call returns (a model, a page, a stream for ``stream=True``, ...).

        ``to=`` parses the JSON body into another type instead.
        """
        if to is not None:
            return parse_model_json(to, await self.read())
        if not self._is_parsed:
            self._parsed = await self._parser(self.http_response)
            self._is_parsed = True
            if self._release is not None and not self.http_response.is_closed:
                self._release.detach()  # the stream parse() returned owns the response now
        return cast(R, self._parsed)

    def _then(self, post: Callable[[R], _T]) -> AsyncAPIResponse[_T]:
        """This response, made to parse to ``post`` of what it parsed to (a helper's result: ``parse()``'s)."""
        parser = self._parser

        async def parse(raw: httpx.Response) -> _T:
            return post(await parser(raw))

        then = cast("AsyncAPIResponse[_T]", self)
        then._parser = parse
        return then

    async def read(self) -> bytes:
        """The whole body (read now if it was not yet)."""
        return await self.http_response.aread()

    @property
    def content(self) -> bytes:
        """The body, once read (``await read()`` first when the response was streamed)."""
        return self.http_response.content  # unasync: sync=return self.read()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        await self.read()
        return self.http_response.json()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks as it arrives (decompressed)."""
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
        async with await open_file(file, "wb") as f:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                await f.write(chunk)

    write_to_file = stream_to_file

    async def close(self) -> None:
        """Release the connection (needed only for an unread, streamed response)."""
        await self.http_response.aclose()


class AsyncResponseContextManager(Generic[_ResponseT]):
    """``async with ...with_streaming_response.create(...) as response:`` (the request starts on enter)."""

    def __init__(self, request: Callable[[], Awaitable[_ResponseT]]) -> None:
        self._request = request
        self._response: _ResponseT | None = None

    async def __aenter__(self) -> _ResponseT:
        self._response = await self._request()
        return self._response

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        response = self._response
        if response is not None:
            await cast(Any, response).close()


def async_to_raw_response_wrapper(func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[LegacyAPIResponse[R]]]:
    """``func`` made to return the :class:`LegacyAPIResponse` (body read) instead of the parsed value."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> LegacyAPIResponse[R]:
        token = response_mode.set("raw")
        try:
            return cast("LegacyAPIResponse[R]", await func(*args, **kwargs))
        finally:
            response_mode.reset(token)

    return wrapped


@overload
def async_to_streamed_response_wrapper(
    func: Callable[P, Awaitable[BinaryAPIResponse]],
) -> Callable[P, AsyncResponseContextManager[AsyncAPIResponse[bytes]]]: ...
@overload
def async_to_streamed_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, AsyncResponseContextManager[AsyncAPIResponse[R]]]: ...
def async_to_streamed_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, AsyncResponseContextManager[AsyncAPIResponse[Any]]]:
    """``func`` made to return a context manager around the unread :class:`AsyncAPIResponse`.

    A binary body (files' content, speech...) parses to its ``bytes`` there, as in the official SDK.
    """

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[AsyncAPIResponse[R]]:
        async def call() -> AsyncAPIResponse[R]:
            token = response_mode.set("stream")
            try:
                return cast("AsyncAPIResponse[R]", await func(*args, **kwargs))
            finally:
                response_mode.reset(token)

        return AsyncResponseContextManager(call)

    return wrapped
