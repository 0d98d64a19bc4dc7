"""httpx's transport interface over httpcore2's connection pool, to measure that pool under oai.

httpcore2 is the fork of httpcore that httpx2 (the official SDK's HTTP
library) runs on; its pool keeps its bookkeeping linear in the number of
connections. httpx cannot be pointed at it directly (``httpx.AsyncHTTPTransport``
builds an ``httpcore`` pool), so this adapter turns an ``httpx.Request`` into an
``httpcore2.Request``, hands it to the pool and wraps the answer back, mapping
httpcore2's errors to httpx's. It is a benchmark candidate, not part of oai:
the HTTP/1.1 work is all httpcore2's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from contextlib import contextmanager
from typing import Any, cast

import httpcore2  # pyright: ignore[reportMissingImports]
import httpx

# Most specific first: the first isinstance match wins.
_ERRORS: list[tuple[type[BaseException], type[httpx.TransportError]]] = [
    (httpcore2.PoolTimeout, httpx.PoolTimeout),
    (httpcore2.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore2.ReadTimeout, httpx.ReadTimeout),
    (httpcore2.WriteTimeout, httpx.WriteTimeout),
    (httpcore2.TimeoutException, httpx.TimeoutException),
    (httpcore2.ConnectError, httpx.ConnectError),
    (httpcore2.ReadError, httpx.ReadError),
    (httpcore2.WriteError, httpx.WriteError),
    (httpcore2.NetworkError, httpx.NetworkError),
    (httpcore2.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore2.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore2.ProtocolError, httpx.ProtocolError),
    (httpcore2.UnsupportedProtocol, httpx.UnsupportedProtocol),
]


@contextmanager
def _httpx_errors() -> Generator[None, None, None]:
    try:
        yield
    except Exception as exc:
        for theirs, ours in _ERRORS:
            if isinstance(exc, theirs):
                raise ours(str(exc)) from exc
        raise


class _Body(httpx.AsyncByteStream):
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors():
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        await self._stream.aclose()


class Httpcore2Transport(httpx.AsyncBaseTransport):
    def __init__(self, *, limits: httpx.Limits) -> None:
        self._pool = httpcore2.AsyncConnectionPool(
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = httpcore2.URL(
            scheme=request.url.raw_scheme,
            host=request.url.raw_host,
            port=request.url.port,
            target=request.url.raw_path,
        )
        extensions: dict[str, Any] = request.extensions  # pyright: ignore[reportUnknownMemberType]
        theirs = httpcore2.Request(
            request.method, url, headers=request.headers.raw, content=request.stream, extensions=extensions
        )
        with _httpx_errors():
            answer = await self._pool.handle_async_request(theirs)
        answer_extensions = cast(dict[str, Any], answer.extensions)  # pyright: ignore[reportUnknownMemberType]
        return httpx.Response(
            answer.status, headers=answer.headers, stream=_Body(answer.stream), extensions=answer_extensions
        )

    async def aclose(self) -> None:
        await self._pool.aclose()
