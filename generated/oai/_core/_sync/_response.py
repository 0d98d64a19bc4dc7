# Written by scripts/unasync.py from generated/oai/_core/_async/_response.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""``APIResponse`` and the wrappers behind ``.with_raw_response`` / ``.with_streaming_response``.

``with_raw_response`` returns a :class:`~oai._core._response.LegacyAPIResponse` (body read, ``parse()``
a plain method, as in the official SDK); ``with_streaming_response`` an :class:`APIResponse`.

See ``oai._core._response`` for how the wrappers and ``request()`` cooperate.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar, cast, overload

import httpx
from typing_extensions import ParamSpec

from .._models import parse_model_json
from .._response import BinaryAPIResponse, LegacyAPIResponse, ResponseInfo, response_mode
from ._backend import close_when_collected, open_file

__all__ = [
    "APIResponse",
    "ResponseContextManager",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

P = ParamSpec("P")
R = TypeVar("R")
_T = TypeVar("_T")
_ResponseT = TypeVar("_ResponseT")


class APIResponse(ResponseInfo, Generic[R]):
    """The response of a ``with_streaming_response`` call, body unread; :meth:`parse` gets what the call returns."""

    retries_taken: int
    """How many times the request was retried before this response."""

    def __init__(
        self,
        *,
        raw: httpx.Response,
        parser: Callable[[httpx.Response], R],
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
    def parse(self, *, to: type[_T]) -> _T: ...
    @overload
    def parse(self) -> R: ...
    def parse(self, *, to: type[_T] | None = None) -> R | _T:
        """What the call returns (a model, a page, a stream for ``stream=True``, ...).

        ``to=`` parses the JSON body into another type instead.
        """
        if to is not None:
            return parse_model_json(to, self.read())
        if not self._is_parsed:
            self._parsed = self._parser(self.http_response)
            self._is_parsed = True
            if self._release is not None and not self.http_response.is_closed:
                self._release.detach()  # the stream parse() returned owns the response now
        return cast(R, self._parsed)

    def _then(self, post: Callable[[R], _T]) -> APIResponse[_T]:
        """This response, made to parse to ``post`` of what it parsed to (a helper's result: ``parse()``'s)."""
        parser = self._parser

        def parse(raw: httpx.Response) -> _T:
            return post(parser(raw))

        then = cast("APIResponse[_T]", self)
        then._parser = parse
        return then

    def read(self) -> bytes:
        """The whole body (read now if it was not yet)."""
        return self.http_response.read()

    @property
    def content(self) -> bytes:
        """The body, once read (``read()`` first when the response was streamed)."""
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
        with open_file(file, "wb") as f:
            for chunk in self.http_response.iter_bytes(chunk_size):
                f.write(chunk)

    write_to_file = stream_to_file

    def close(self) -> None:
        """Release the connection (needed only for an unread, streamed response)."""
        self.http_response.close()


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


def to_raw_response_wrapper(func: Callable[P, R]) -> Callable[P, LegacyAPIResponse[R]]:
    """``func`` made to return the :class:`LegacyAPIResponse` (body read) instead of the parsed value."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> LegacyAPIResponse[R]:
        token = response_mode.set("raw")
        try:
            return cast("LegacyAPIResponse[R]", func(*args, **kwargs))
        finally:
            response_mode.reset(token)

    return wrapped


@overload
def to_streamed_response_wrapper(
    func: Callable[P, BinaryAPIResponse],
) -> Callable[P, ResponseContextManager[APIResponse[bytes]]]: ...
@overload
def to_streamed_response_wrapper(
    func: Callable[P, R],
) -> Callable[P, ResponseContextManager[APIResponse[R]]]: ...
def to_streamed_response_wrapper(
    func: Callable[P, R],
) -> Callable[P, ResponseContextManager[APIResponse[Any]]]:
    """``func`` made to return a context manager around the unread :class:`APIResponse`.

    A binary body (files' content, speech...) parses to its ``bytes`` there, as in the official SDK.
    """

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
