"""Record and replay at the transport: every exchange of a client written to a cassette, or served from one.

:class:`AsyncRecordingTransport` wraps the transport a client already has
(httpx's pool, aiohttp's, or one of the caller's) and changes nothing of what
passes through it: the response it returns is the inner one, with a body
stream that writes each chunk to the cassette as the reader receives it.
:class:`AsyncReplayTransport` answers from a cassette instead, chunk by
chunk at the recorded times, and ends each body the way the recording
ended, a transport error included. The format, matching and pacing are in
``_cassette``, the writing in ``_recorder``.

:func:`install` is the client's hook: it costs two environment look-ups when
neither is asked for, and nothing per request.

``_sync/_record.py`` is written from this file by ``scripts/unasync.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, NoReturn

import httpx

from .._cassette import Cassette, Exchange, Pacer, PathLike, read_on_error, timed_out
from .._cassette_plan import cassette_plan
from .._recorder import CassetteWriter, ExchangeRecorder, writer_for
from ._backend import sleep

__all__ = ["AsyncRecordingTransport", "AsyncReplayTransport", "install"]


class AsyncRecordingTransport(httpx.AsyncBaseTransport):
    """Sends every request through ``transport`` and writes each exchange to the cassette at ``path``."""

    def __init__(self, transport: httpx.AsyncBaseTransport, path: PathLike | CassetteWriter) -> None:
        self.transport = transport
        self.writer = path if isinstance(path, CassetteWriter) else writer_for(path)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()  # the body, for the cassette (the inner transport sends the same bytes)
        exchange = self.writer.begin(request)
        try:
            response = await self.transport.handle_async_request(request)
        except Exception as exc:
            exchange.failed(exc)
            raise
        except BaseException:  # cancelled while waiting for the head
            exchange.closed()
            raise
        exchange.responded(response)
        if response.is_stream_consumed:  # a body given whole (httpx.Response(content=...)) is read already
            exchange.chunk(response.content)
            exchange.ended()
        else:
            response.stream = _AsyncRecordedBody(response.stream, exchange)  # pyright: ignore[reportArgumentType]
        return response

    async def aclose(self) -> None:
        await self.transport.aclose()


class _AsyncRecordedBody(httpx.AsyncByteStream):
    def __init__(self, inner: Any, exchange: ExchangeRecorder) -> None:
        self._inner: httpx.AsyncByteStream = inner
        self._exchange = exchange

    async def __aiter__(self) -> AsyncIterator[bytes]:
        exchange = self._exchange
        try:
            async for chunk in self._inner:
                exchange.chunk(chunk)
                yield chunk
        except Exception as exc:
            exchange.failed(exc)
            raise
        except BaseException:  # the reader stopped: closed the generator, or was cancelled mid-read
            exchange.closed()
            raise
        exchange.ended()

    async def aclose(self) -> None:
        self._exchange.closed()  # nothing when the body already ended or failed
        await self._inner.aclose()


class AsyncReplayTransport(httpx.AsyncBaseTransport):
    """Answers every request from ``cassette`` (see :class:`~oai._core._cassette.Cassette` for the matching)."""

    def __init__(self, cassette: Cassette | PathLike) -> None:
        self.cassette = cassette if isinstance(cassette, Cassette) else Cassette.load(cassette)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self.cassette.take(request)
        pacer = Pacer(self.cassette.speed, request)
        status = exchange.status
        if status is None:  # no response was recorded: the same failure, at the same moment
            await _pace(pacer, exchange.end_t, request)
            if exchange.ending == "error":
                raise exchange.transport_error(request)
            await _silence(pacer, exchange, self.cassette.path, request)
        await _pace(pacer, exchange.response_t, request)
        return httpx.Response(
            status,
            headers=exchange.headers,
            stream=_AsyncReplayedBody(exchange, pacer, self.cassette.path, request),
            extensions={
                "http_version": exchange.http_version.encode("ascii", "replace"),
                "reason_phrase": exchange.reason.encode("latin-1", "replace"),
            },
        )


class _AsyncReplayedBody(httpx.AsyncByteStream):
    def __init__(self, exchange: Exchange, pacer: Pacer, cassette: str, request: httpx.Request) -> None:
        self._exchange = exchange
        self._pacer = pacer
        self._cassette = cassette
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        exchange, pacer, request = self._exchange, self._pacer, self._request
        for t, chunk in exchange.chunks:
            await _pace(pacer, t, request)
            yield chunk
        await _pace(pacer, exchange.end_t, request)
        if exchange.ending == "error":
            raise exchange.transport_error(request)
        if exchange.ending == "closed":
            await _silence(pacer, exchange, self._cassette, request)


async def _pace(pacer: Pacer, t: float, request: httpx.Request) -> None:
    """Wait until recorded time ``t`` falls due, or raise the read timeout that ends the wait first."""
    seconds, expired = pacer.wait(t)
    if seconds > 0:
        await sleep(seconds)
    if expired:
        raise timed_out(request, seconds)


async def _silence(pacer: Pacer, exchange: Exchange, cassette: str, request: httpx.Request) -> NoReturn:
    """Past the end of a recording whose reader stopped early: a server that sends nothing more."""
    if pacer.read_timeout is None:
        raise read_on_error(exchange, cassette)
    await sleep(pacer.read_timeout)
    raise timed_out(request, pacer.read_timeout)


def install(http: httpx.AsyncClient, record: PathLike | None, replay: PathLike | Cassette | None) -> None:
    """Record or replay the exchanges of ``http`` when asked (``record=`` / ``replay=``, else ``OAI_RECORD`` /
    ``OAI_REPLAY``), by wrapping or replacing its transports, mounted proxies included.

    httpx offers no public way to change a client's transport, so this sets
    its ``_transport`` and ``_mounts``. A client that already records or
    replays (a ``with_options`` copy shares its parent's pool) is left as it is.
    """
    plan = cassette_plan(record, replay)
    if plan is None:
        return
    transport: httpx.AsyncBaseTransport = http._transport  # pyright: ignore[reportPrivateUsage]
    if isinstance(transport, (AsyncRecordingTransport, AsyncReplayTransport)):
        return
    mounts: dict[Any, httpx.AsyncBaseTransport | None] = http._mounts  # pyright: ignore[reportPrivateUsage]
    if plan.cassette is not None:
        replayer = AsyncReplayTransport(plan.cassette)
        http._transport = replayer  # pyright: ignore[reportPrivateUsage]
        for pattern, mounted in mounts.items():
            if mounted is not None:
                mounts[pattern] = replayer
    elif plan.writer is not None:
        writer = plan.writer
        http._transport = AsyncRecordingTransport(transport, writer)  # pyright: ignore[reportPrivateUsage]
        for pattern, mounted in mounts.items():
            if mounted is not None:
                mounts[pattern] = AsyncRecordingTransport(mounted, writer)
