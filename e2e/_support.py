"""Helpers shared by the e2e tests: a recording transport and sync/async-neutral stream helpers."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from oai import AsyncOpenAI

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------------------------------
# Clients with a recording transport: every exchange's status, headers and exact body bytes


@dataclass
class Exchange:
    request: httpx.Request
    status: int
    headers: httpx.Headers
    body: bytearray = field(default_factory=bytearray)
    closed: bool = False


class _TeeStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, exchange: Exchange) -> None:
        self._inner = inner
        self._exchange = exchange

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._exchange.body += chunk
            yield chunk

    def close(self) -> None:
        self._exchange.closed = True
        self._inner.close()


class _ATeeStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, exchange: Exchange) -> None:
        self._inner = inner
        self._exchange = exchange

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._exchange.body += chunk
            yield chunk

    async def aclose(self) -> None:
        self._exchange.closed = True
        await self._inner.aclose()


class RecordingTransport(httpx.BaseTransport):
    def __init__(self, log: list[Exchange], **kwargs: Any) -> None:
        self.inner = httpx.HTTPTransport(**kwargs)
        self.log = log

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        exchange = Exchange(request, response.status_code, response.headers)
        self.log.append(exchange)
        assert isinstance(response.stream, httpx.SyncByteStream)
        response.stream = _TeeStream(response.stream, exchange)
        return response

    def close(self) -> None:
        self.inner.close()

    def connections(self) -> list[Any]:
        return list(self.inner._pool.connections)  # pyright: ignore[reportPrivateUsage]


class AsyncRecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, log: list[Exchange], **kwargs: Any) -> None:
        self.inner = httpx.AsyncHTTPTransport(**kwargs)
        self.log = log

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        exchange = Exchange(request, response.status_code, response.headers)
        self.log.append(exchange)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _ATeeStream(response.stream, exchange)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()

    def connections(self) -> list[Any]:
        return list(self.inner._pool.connections)  # pyright: ignore[reportPrivateUsage]


@dataclass
class Made:
    """A client plus what its transport saw."""

    client: Any  # OpenAI | AsyncOpenAI
    log: list[Exchange]
    transport: Any

    @property
    def is_async(self) -> bool:
        return isinstance(self.client, AsyncOpenAI)

    @property
    def last(self) -> Exchange:
        assert self.log, "no request reached the transport"
        return self.log[-1]

    def connections_released(self) -> bool:
        """Every pooled connection is idle or closed: nothing is held by a stream that ended."""
        return all(c.is_idle() or c.is_closed() for c in self.transport.connections())


# ---------------------------------------------------------------------------------------------------------------------
# Helpers that let one test body drive a sync or an async client


async def resolve(value: T | Awaitable[T]) -> T:
    """Await ``value`` when the call was made on an async client."""
    if inspect.isawaitable(value):
        return await value
    return value  # type: ignore[return-value]


async def collect(stream: Any, limit: int = 10_000) -> list[Any]:
    """Every item of a sync or async stream (bounded)."""
    out: list[Any] = []
    if hasattr(stream, "__aiter__"):
        async for item in stream:
            out.append(item)
            assert len(out) <= limit, "stream did not end"
    else:
        for item in stream:
            out.append(item)
            assert len(out) <= limit, "stream did not end"
    return out


async def take(stream: Any, n: int) -> list[Any]:
    """The first ``n`` items of a stream, leaving the rest unread."""
    out: list[Any] = []
    if hasattr(stream, "__aiter__"):
        async for item in stream:
            out.append(item)
            if len(out) >= n:
                break
    else:
        for item in stream:
            out.append(item)
            if len(out) >= n:
                break
    return out


def low_level_post(client: Any, path: str, body: Any, cast_to: Any) -> Any:
    """The official low-level ``client.post(path, body=, cast_to=)``; the core's ``request`` when it is absent."""
    if hasattr(client, "post"):
        return client.post(path, body=body, cast_to=cast_to)
    return client.request("post", path, body=body, cast_to=cast_to)


async def close_stream(stream: Any) -> None:
    result = stream.close()
    if inspect.isawaitable(result):
        await result


def sse_events(body: bytes) -> list[dict[str, str]]:
    """Raw SSE events of a body (for asserting wire facts such as ``event:`` lines and ``[DONE]``)."""
    events: list[dict[str, str]] = []
    for block in body.replace(b"\r\n", b"\n").split(b"\n\n"):
        fields: dict[str, str] = {}
        for line in block.decode("utf-8", errors="replace").split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            fields[name] = fields[name] + "\n" + value if name in fields else value
        if fields:
            events.append(fields)
    return events


# ---------------------------------------------------------------------------------------------------------------------
# Tier 3 bookkeeping, printed at the end of the run


@dataclass
class ContractLog:
    operations: int = 0
    requests: list[tuple[str, str, str, str, bool]] = field(default_factory=lambda: [])

    failures: dict[tuple[str, str], str] = field(default_factory=lambda: {})

    def record(self, case: str, mode: str, method: str, path: str, valid: bool) -> None:
        self.requests.append((case, mode, method, path, valid))

    def outcome(self, case: str, mode: str, error: str | None) -> None:
        if error is not None:
            self.failures[(case, mode)] = error

    def summary(self) -> str | None:
        if not self.requests:
            return None
        called = {case.rsplit("[", 1)[0] for case, *_ in self.requests}
        invalid = [r for r in self.requests if not r[4]]
        bad_ops = {case.rsplit("[", 1)[0] for case, *_ in invalid}
        failed_after = {
            (case, mode): error
            for (case, mode), error in self.failures.items()
            if not any(r[0] == case and r[1] == mode and not r[4] for r in self.requests)
        }
        return (
            f"contract (Steady): {len(called)} of {self.operations} generated operations called, "
            f"{len(self.requests)} requests, {len(invalid)} invalid (in {len(bad_ops)} operations); "
            f"{len(called - bad_ops)} operations with only valid requests"
            + "".join(f"\n  invalid: {case} [{mode}] {method} {path}" for case, mode, method, path, _ in invalid)
            + "".join(
                f"\n  valid for Steady, yet failed: {case} [{mode}]: {error}"
                for (case, mode), error in sorted(failed_after.items())
            )
        )


CONTRACT = ContractLog()
