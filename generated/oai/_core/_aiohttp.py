"""aiohttp's connection pool behind httpx's API, keeping every guarantee of the core.

``httpx-aiohttp``'s ``AiohttpTransport`` does the translation (an
``httpx.Request`` in, an ``httpx.Response`` out). Its pool keeps the client's
CPU per stream flat up to thousands of concurrent streams, where httpcore's
grows with them (docs/benchmarks.md). This subclass adds what the core relies
on and the package leaves out:

* **Error classes as httpx raises them.** The package reports any
  ``aiohttp.ClientConnectionError`` -- a server dropping the connection in
  the middle of a body included -- as ``httpx.ConnectTimeout``, which the core
  would call a timeout. Errors are classified again from aiohttp's own
  exception (:func:`_httpx_error_class`): a connect failure is
  ``ConnectError`` (retried as before), a dropped connection
  ``RemoteProtocolError`` or ``ReadError`` (``APIConnectionError``), a slow
  read ``ReadTimeout``.
* **Wall-clock bounds.** The core's watchdog (``_watchdog``) ends a read that
  is already waiting by shutting its connection down, and learns the
  connection from httpcore's ``trace`` events. This transport sends the same
  events (``http11.send_request_headers.started`` once it has a connection,
  ``http11.receive_response_headers.started`` / ``.complete``,
  ``http11.response_closed.started`` before the connection goes back) and
  names an :class:`_Exchange` as the connection (the events' and the
  response's ``network_stream``). When a bound passes, the watchdog calls
  its ``shutdown()``, which cuts the exchange on the event loop's thread:
  before the response head it cancels the anyio cancel scope the request runs
  in (aiohttp then closes the connection; the transport raises
  ``httpx.ReadTimeout``); after it, it aborts the connection if this response
  still holds it, and the pending read fails. So the head's bound, the idle
  gap between a stream's events, ``total_timeout`` and ``stream_deadline``
  are kept exactly as on httpcore, at no cost per read. The head's bound
  starts once the connection is ready, when the request is written (aiohttp
  writes a body while it waits for the head, so a large upload counts
  towards the read timeout).
* **Limits as httpx means them.** ``max_connections=None`` is no limit (the
  package would leave aiohttp's default of 100); aiohttp has no cap on idle
  connections, it closes them after ``keepalive_expiry`` seconds.
* **Cookies are httpx's.** The aiohttp session keeps none
  (``DummyCookieJar``), so they are not sent twice.

Importing this module imports aiohttp: ``_http_clients`` does it only when a
``DefaultAioHttpClient`` is built.
"""

from __future__ import annotations

import asyncio
import contextvars
import socket
import weakref
from collections.abc import AsyncIterator
from typing import Any, cast

import aiohttp
import anyio
import httpx
from aiohttp.client_reqrep import ClientRequest
from aiohttp.connector import Connection
from aiohttp.tracing import Trace
from httpx_aiohttp import AiohttpTransport as _PackageTransport

__all__ = ["AiohttpTransport"]

_current: contextvars.ContextVar[_Exchange | None] = contextvars.ContextVar("oai_aiohttp_exchange", default=None)
"""The exchange of the request being sent in this task, for the connector's hook."""


class _Exchange:
    """One request on this transport, as the core's watchdog sees it: what to cut when a bound passes.

    It stands for the connection in httpcore's ``network_stream`` interface
    (``get_extra_info("socket")`` is itself), and its :meth:`shutdown`, called
    from the watchdog's thread, cuts on the loop's thread. That is also what
    makes it safe: aiohttp gives a connection back to its pool the moment a
    body's last byte arrives, before the reader has seen it, and another
    request may take it at once; checked on the loop, a connection that moved
    on is never cut.
    """

    __slots__ = ("connection", "loop", "request", "scope")

    def __init__(self, loop: asyncio.AbstractEventLoop, request: httpx.Request) -> None:
        self.loop = loop
        self.request = request
        self.scope: anyio.CancelScope | None = None
        """The cancel scope the request runs in until its response head has arrived."""
        self.connection: Connection | None = None

    async def trace(self, name: str) -> None:
        """Send httpcore's event ``name`` to the request's ``trace`` extension (the core's watches listen)."""
        hook = self.request.extensions.get("trace")
        if hook is not None:
            await hook(name, {"request": self.request, "network_stream": self})

    async def connected(self, connection: Connection) -> None:
        """aiohttp has a connection for the request and is about to write it."""
        self.connection = connection
        await self.trace("http11.send_request_headers.started")
        await self.trace("http11.receive_response_headers.started")

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        if name == "socket":
            return self
        transport = self.connection.transport if self.connection is not None else None
        return transport.get_extra_info(name, default) if transport is not None else default

    def shutdown(self, how: int = socket.SHUT_RDWR) -> None:
        """Cut the exchange (from any thread): the watchdog's way to end a read that is waiting."""
        try:
            self.loop.call_soon_threadsafe(self._cut)
        except RuntimeError:  # the loop is closed: nothing is waiting any more
            pass

    def _cut(self) -> None:
        if self.scope is not None:
            self.scope.cancel()
            return
        # None once aiohttp has released the connection: it may be another request's by now.
        transport = self.connection.transport if self.connection is not None else None
        if transport is not None:
            transport.abort()


class _HookedConnector(aiohttp.BaseConnector):
    """Tells the request's :class:`_Exchange` which connection it got."""

    async def connect(self, req: ClientRequest, traces: list[Trace], timeout: aiohttp.ClientTimeout) -> Connection:
        connection = await super().connect(req, traces, timeout)
        exchange = _current.get()
        if exchange is not None:
            try:
                await exchange.connected(connection)
            except BaseException:
                connection.close()
                raise
        return connection

    def __del__(self, *args: Any) -> None:
        # aiohttp logs "Unclosed connector" at ERROR level when a pool is dropped without being closed;
        # httpx's pool says nothing then. A client dropped unclosed closes its connections quietly here.
        if not self.closed:
            self._close()


class _TCPConnector(_HookedConnector, aiohttp.TCPConnector):
    pass


class _UnixConnector(_HookedConnector, aiohttp.UnixConnector):
    pass


class _Body(httpx.AsyncByteStream):
    """The package's response body, with errors classified and the close announced first."""

    __slots__ = ("_exchange", "_inner")

    def __init__(self, inner: httpx.AsyncByteStream, exchange: _Exchange) -> None:
        self._inner = inner
        self._exchange = exchange

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                yield chunk
        except httpx.TransportError as exc:
            raise _classified(exc, self._exchange.request) from exc.__cause__

    async def aclose(self) -> None:
        try:
            await self._exchange.trace("http11.response_closed.started")  # watches are disarmed first
        finally:
            await self._inner.aclose()  # gives the connection back, or closes it when the body is unfinished


class AiohttpTransport(_PackageTransport):
    """``httpx_aiohttp.AiohttpTransport`` with the core's error classes, bounds and limits (module docstring)."""

    def get_client(self) -> aiohttp.ClientSession:
        if self.client is not None:  # the caller's own session (or factory): used as given
            return super().get_client()
        limits: dict[str, Any] = {
            "limit": self.limits.max_connections or 0,  # aiohttp's 0 is no limit, as httpx's None
            "keepalive_timeout": self.limits.keepalive_expiry,
        }
        connector: aiohttp.BaseConnector
        if self.uds:
            connector = _UnixConnector(path=self.uds, **limits)
        else:
            local_addr = (self.local_address, 0) if self.local_address else None
            connector = _TCPConnector(ssl=self.ssl_context, local_addr=local_addr, **limits)
        session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())
        # Dropped without aclose() (a client never closed), the session would log "Unclosed client session";
        # detached, it counts as closed, and the connector closes its connections quietly when collected.
        weakref.finalize(self, session.detach)
        return session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = _Exchange(asyncio.get_running_loop(), request)
        token = _current.set(exchange)
        url = request.url
        if url.userinfo:
            # httpx has already turned it into the Authorization header, and it never goes on the wire
            # (httpcore leaves it out too); aiohttp refuses a URL with credentials beside that header.
            request.url = url.copy_with(userinfo=b"")
        response: httpx.Response | None = None
        try:
            with anyio.CancelScope() as scope:
                exchange.scope = scope
                try:
                    response = await super().handle_async_request(request)
                except httpx.TransportError as exc:
                    raise _classified(exc, request) from exc.__cause__
                except ValueError as exc:  # aiohttp refuses to write the request (a header with a line break)
                    raise httpx.LocalProtocolError(str(exc), request=request) from exc
                finally:
                    exchange.scope = None
        finally:
            _current.reset(token)
            request.url = url
        if response is None:  # the watchdog cut it: a bound passed before the head arrived
            raise httpx.ReadTimeout("A bound passed before the response head arrived.", request=request)
        response.stream = _Body(cast(httpx.AsyncByteStream, response.stream), exchange)
        response.extensions["network_stream"] = exchange
        await exchange.trace("http11.receive_response_headers.complete")
        return response


def _httpx_error_class(error: BaseException) -> type[httpx.TransportError] | None:
    """The httpx error that stands for aiohttp's ``error``, as httpx's own transport would raise it."""
    if isinstance(error, aiohttp.ConnectionTimeoutError):  # connecting, or waiting for a free connection
        return httpx.ConnectTimeout
    if isinstance(error, aiohttp.ServerTimeoutError):  # a read waited longer than the read timeout
        return httpx.ReadTimeout
    if isinstance(error, (aiohttp.ClientProxyConnectionError, aiohttp.ClientHttpProxyError)):
        return httpx.ProxyError
    if isinstance(error, aiohttp.ClientConnectorError):  # refused, unreachable, DNS, TLS handshake or certificate
        return httpx.ConnectError
    if isinstance(error, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, aiohttp.ClientResponseError)):
        return httpx.RemoteProtocolError  # the server closed early, or sent what is not HTTP
    if isinstance(error, aiohttp.ClientConnectionError):  # reset, or another socket error
        return httpx.ReadError
    return None


def _classified(exc: httpx.TransportError, request: httpx.Request) -> httpx.TransportError:
    """``exc`` (the package's translation) as the class :func:`_httpx_error_class` gives its cause."""
    cause = exc.__cause__
    kind = _httpx_error_class(cause) if cause is not None else None
    if kind is None or type(exc) is kind:
        return exc
    return kind(str(exc), request=request)
