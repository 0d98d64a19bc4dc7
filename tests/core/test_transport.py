"""The HTTP clients oai builds, and every guarantee of the core on both async pools, over real TCP.

``AsyncOpenAI()`` runs on aiohttp's pool when the ``aiohttp`` extra is installed
(``oai._core._http_clients``); each guarantee below is checked on it and on
httpx's own pool (``DefaultAsyncHttpxClient``, what users without the extra
get): errors classified as httpx classifies them, connect failures retried,
every timeout of the timeout model a wall-clock bound, cancellation and
abandoned streams giving their connection back, TLS through the SDK's lazy
context, proxies from the environment. The sync client keeps httpx's pool;
where a default of its own is involved (TLS, proxies) it is checked too.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import oai
import pytest
from oai._core import _http_clients
from oai._core._aiohttp import AiohttpTransport, _httpx_error_class
from oai._core._errors import APIConnectionError, APITimeoutError
from oai._core._retry import RetryPolicy
from oai._core._tls import DeferredCAContext

from tests._servers import DROP, Reply, Request, serve
from tests.core import test_tls
from tests.faults._server import CHUNKS, FaultServer

MESSAGES: list[Any] = [{"role": "user", "content": "hi"}]
KEY = "sk-transport"
TRANSPORTS = ["aiohttp", "httpx"]
SLACK = 1.5
"""Seconds a bound may be overrun on a loaded machine before a case fails (bounds here are 0.5 s)."""

# The TLS test's fixtures: a self-signed certificate, an HTTPS server with it, the CA loads made.
certificate = test_tls.certificate
https_url = test_tls.https_url
loads = test_tls.loads


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


def http_client(kind: str, **kwargs: Any) -> httpx.AsyncClient:
    return oai.DefaultAioHttpClient(**kwargs) if kind == "aiohttp" else oai.DefaultAsyncHttpxClient(**kwargs)


def client(kind: str, base_url: str, *, limits: httpx.Limits | None = None, **options: Any) -> oai.AsyncOpenAI:
    """An ``AsyncOpenAI`` on pool ``kind`` with a quick retry policy; ``options`` go to the client."""
    http = http_client(kind, limits=limits) if limits is not None else http_client(kind)
    options.setdefault("max_retries", 0)
    made = oai.AsyncOpenAI(api_key=KEY, base_url=base_url, http_client=http, **options)
    made._owns_http_client = True  # close() closes the pool made here too
    made._retry_policy = RetryPolicy(initial_delay=0.01, max_delay=0.02)
    return made


def checked_out(made: oai.AsyncOpenAI) -> int:
    """Connections of ``made``'s pool that belong to a request right now."""
    transport: Any = made._http._transport
    if isinstance(transport, AiohttpTransport):
        session: Any = transport.client
        return 0 if session is None else len(session.connector._acquired)
    return sum(1 for conn in transport._pool.connections if not (conn.is_idle() or conn.is_closed()))


async def settled(made: oai.AsyncOpenAI) -> int:
    """``checked_out(made)`` once the loop has run the closes it was handed."""
    for _ in range(100):
        if checked_out(made) == 0:
            break
        await asyncio.sleep(0.01)
    return checked_out(made)


async def stream_text(made: oai.AsyncOpenAI, fault: str = "ok", **extra: Any) -> str:
    stream = await made.chat.completions.create(
        model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": fault}, **extra
    )
    return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])


async def still_serves(made: oai.AsyncOpenAI) -> None:
    """Nothing left checked out, and the pool serves a normal stream afterwards."""
    assert await settled(made) == 0
    assert await stream_text(made) == "".join(f"w{i} " for i in range(CHUNKS))
    assert await settled(made) == 0


# -- which client, with which defaults ---------------------------------------------------------------------------------


def test_async_openai_uses_aiohttp_when_the_extra_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_http_clients.ASYNC_TRANSPORT_ENV, raising=False)
    made = oai.AsyncOpenAI(api_key=KEY)
    assert isinstance(made._http._transport, AiohttpTransport)
    monkeypatch.setenv(_http_clients.ASYNC_TRANSPORT_ENV, "httpx")
    assert isinstance(oai.AsyncOpenAI(api_key=KEY)._http._transport, httpx.AsyncHTTPTransport)
    monkeypatch.setenv(_http_clients.ASYNC_TRANSPORT_ENV, "curl")
    with pytest.raises(ValueError, match="OAI_ASYNC_TRANSPORT must be 'httpx' or 'aiohttp'"):
        oai.AsyncOpenAI(api_key=KEY)
    own = httpx.AsyncClient()
    assert oai.AsyncOpenAI(api_key=KEY, http_client=own)._http is own
    assert isinstance(oai.OpenAI(api_key=KEY)._http._transport, httpx.HTTPTransport)


def test_without_the_extra_httpx_is_used_and_asking_for_aiohttp_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_http_clients, "aiohttp_installed", lambda: False)
    monkeypatch.delenv(_http_clients.ASYNC_TRANSPORT_ENV, raising=False)
    made = oai.AsyncOpenAI(api_key=KEY)
    assert isinstance(made._http._transport, httpx.AsyncHTTPTransport)
    with pytest.raises(RuntimeError, match=r"pip install 'oai\[aiohttp\]'"):
        oai.DefaultAioHttpClient()
    monkeypatch.setenv(_http_clients.ASYNC_TRANSPORT_ENV, "aiohttp")
    with pytest.raises(RuntimeError, match=r"oai\[aiohttp\]"):
        oai.AsyncOpenAI(api_key=KEY)


@pytest.mark.parametrize("cls", [oai.DefaultHttpxClient, oai.DefaultAsyncHttpxClient, oai.DefaultAioHttpClient])
def test_default_clients_carry_the_sdk_defaults_and_take_overrides(cls: Any) -> None:
    made = cls()
    assert made.timeout == oai.DEFAULT_TIMEOUT
    assert made.follow_redirects is True
    transport: Any = made._transport
    if isinstance(transport, AiohttpTransport):
        assert transport.limits == oai.DEFAULT_CONNECTION_LIMITS
        assert isinstance(transport.ssl_context, DeferredCAContext)
    else:
        assert (transport._pool._max_connections, transport._pool._max_keepalive_connections) == (1000, 100)
        assert isinstance(transport._pool._ssl_context, DeferredCAContext)
    other = cls(timeout=3.0, follow_redirects=False, verify=False)
    assert other.timeout == httpx.Timeout(3.0)
    assert other.follow_redirects is False


async def test_aiohttp_pool_takes_httpx_limits_as_httpx_means_them(server: FaultServer) -> None:
    sized = client("aiohttp", server.base_url)
    unlimited = client("aiohttp", server.base_url, limits=httpx.Limits(max_connections=None))
    try:
        for made, limit in ((sized, 1000), (unlimited, 0)):  # aiohttp's 0 is no limit (its own default is 100)
            await stream_text(made)
            transport: Any = made._http._transport
            assert transport.client.connector.limit == limit
    finally:
        await sized.close()
        await unlimited.close()


# -- error classes and retries ---------------------------------------------------------------------------------------


def _bare(cls: type[BaseException]) -> BaseException:
    return cls.__new__(cls)  # the mapping looks at the class only; some constructors want a live connection


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
        (aiohttp.SocketTimeoutError, httpx.ReadTimeout),
        (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
        (aiohttp.ClientConnectorError, httpx.ConnectError),
        (aiohttp.ClientConnectorCertificateError, httpx.ConnectError),
        (aiohttp.ClientProxyConnectionError, httpx.ProxyError),
        (aiohttp.ClientHttpProxyError, httpx.ProxyError),
        (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
        (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),
        (aiohttp.ClientResponseError, httpx.RemoteProtocolError),
        (aiohttp.ClientOSError, httpx.ReadError),
        (aiohttp.ClientConnectionResetError, httpx.ReadError),
    ],
)
def test_aiohttp_errors_are_classified_as_httpx_would(error: type[BaseException], expected: type[Exception]) -> None:
    assert _httpx_error_class(_bare(error)) is expected


@pytest.mark.parametrize("kind", TRANSPORTS)
@pytest.mark.parametrize("fault", ["reset", "truncate"])
async def test_a_connection_dropped_mid_stream_is_a_connection_error_not_a_timeout(
    server: FaultServer, kind: str, fault: str
) -> None:
    made = client(kind, server.base_url)
    try:
        with pytest.raises(APIConnectionError) as caught:
            await stream_text(made, fault)
        assert not isinstance(caught.value, APITimeoutError)
        assert not isinstance(caught.value.__cause__, httpx.TimeoutException)
        await still_serves(made)
    finally:
        await made.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_a_refused_connection_is_retried_then_raised_as_a_connection_error(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    made = client(kind, f"http://127.0.0.1:{_free_port()}/v1", max_retries=2)
    try:
        with caplog.at_level(logging.INFO, logger="oai"), pytest.raises(APIConnectionError) as caught:
            await made.models.list()
        assert not isinstance(caught.value, APITimeoutError)
        assert isinstance(caught.value.__cause__, httpx.ConnectError)
        assert caplog.text.count("Retrying") == 2
    finally:
        await made.close()


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_a_connection_dropped_before_the_head_is_retried(kind: str) -> None:
    answers = iter([DROP, Reply(body={"object": "list", "data": []})])

    def handler(request: Request) -> Reply:
        return next(answers)

    with serve(handler) as running:
        made = client(kind, running.url, max_retries=1)
        try:
            page = await made.models.list()
            assert page.data == []
            assert await settled(made) == 0
        finally:
            await made.close()


# -- every timeout of the timeout model, on the wall clock -----------------------------------------------------------


@pytest.fixture
def unanswered_port() -> Iterator[int]:
    """A port whose accept queue is full: a connection attempt waits for ever (until its timeout)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))
    try:
        yield port
    finally:
        filler.close()
        listener.close()


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_connect_timeout(kind: str, unanswered_port: int) -> None:
    made = client(kind, f"http://127.0.0.1:{unanswered_port}/v1", timeout=httpx.Timeout(5.0, connect=0.5))
    started = time.monotonic()
    try:
        with pytest.raises(APITimeoutError):
            await made.models.list()
        assert 0.4 < time.monotonic() - started < 0.5 + SLACK
    finally:
        await made.close()


# (fault, client options, call options, stream?, what the error says): each bound is 0.5 s; every fault would go on
# for 30 s or more.
BOUNDS: dict[str, tuple[str, dict[str, Any], dict[str, Any], bool, str]] = {
    "response head (read timeout)": ("header-trickle", {"timeout": 0.5}, {}, True, "response head"),
    "gap between events (read timeout)": ("comments-forever", {"timeout": 0.5}, {}, True, "No stream event"),
    "gap between events (stream_idle_timeout)": (
        "stall",
        {"timeout": 5.0, "stream_idle_timeout": 0.5},
        {},
        True,
        "stream_idle_timeout",  # named whether the watchdog or the read's own timeout ends the wait
    ),
    "total_timeout (trickled body)": ("body-trickle", {"timeout": 5.0, "total_timeout": 0.5}, {}, False, "deadline"),
    "stream_deadline": ("comments-forever", {"timeout": 5.0, "stream_deadline": 0.5}, {}, True, "stream_deadline"),
}


@pytest.mark.parametrize("kind", TRANSPORTS)
@pytest.mark.parametrize("case", list(BOUNDS))
async def test_every_bound_is_a_wall_clock_bound(server: FaultServer, kind: str, case: str) -> None:
    fault, options, call, is_stream, says = BOUNDS[case]
    made = client(kind, server.base_url, limits=httpx.Limits(max_connections=1), **options)
    started = time.monotonic()
    try:
        with pytest.raises(APITimeoutError, match=says):
            if is_stream:
                await stream_text(made, fault, **call)
            else:
                await made.chat.completions.create(model="m", messages=MESSAGES, extra_headers={"x-fault": fault})
        assert time.monotonic() - started < 0.5 + SLACK, case
        await still_serves(made)
    finally:
        await made.close()


# -- cancellation and abandoned streams ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_a_task_cancelled_mid_stream_gives_its_connection_back(server: FaultServer, kind: str) -> None:
    made = client(kind, server.base_url, limits=httpx.Limits(max_connections=1), timeout=httpx.Timeout(5, pool=2))
    first = asyncio.Event()

    async def read() -> None:
        stream = await made.chat.completions.create(
            model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": "stall"}
        )
        async for _ in stream:
            first.set()

    try:
        task = asyncio.create_task(read())
        await asyncio.wait_for(first.wait(), timeout=5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await still_serves(made)  # one connection: a stream still holding it would wait for the pool and fail
    finally:
        await made.close()


async def test_abandoned_streams_on_aiohttp_give_their_connections_back(server: FaultServer) -> None:
    """1,000 streams dropped after their first chunk (no close, no ``async with``) on a pool of 10."""
    made = client("aiohttp", server.base_url, limits=httpx.Limits(max_connections=10), timeout=httpx.Timeout(5, pool=3))
    gc.disable()  # reference counting alone must do it
    try:
        firsts = 0
        for _ in range(1000):
            stream = await made.chat.completions.create(
                model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": "many"}
            )
            async for _chunk in stream:
                firsts += 1
                break
        assert firsts == 1000
        assert await settled(made) == 0
    finally:
        gc.enable()
        await made.close()


# -- TLS and proxies -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", TRANSPORTS)
async def test_tls_reads_the_ca_on_first_use_and_honours_ssl_cert_file(
    kind: str,
    https_url: str,
    certificate: tuple[Path, Path],
    loads: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = client(kind, https_url)
    try:
        assert loads == []
        with pytest.raises(APIConnectionError) as caught:  # certifi does not know the test's own CA
            await made.models.list()
        assert "CERTIFICATE_VERIFY_FAILED" in repr(caught.value.__cause__)
    finally:
        await made.close()
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    made = client(kind, https_url)
    try:
        assert [m.id for m in (await made.models.list()).data] == ["m"]
        assert [m.id for m in (await made.models.list()).data] == ["m"]
    finally:
        await made.close()
    assert [load["cafile"] for load in loads][1:] == [str(certificate[0])]  # once per client, on its first handshake


@pytest.mark.parametrize("kind", ["sync", *TRANSPORTS])
def test_proxies_come_from_the_environment(server: FaultServer, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.port}")
    upstream = "http://upstream.invalid/v1"  # never resolved: the proxy (the fault server) answers
    expected = "".join(f"w{i} " for i in range(CHUNKS))
    if kind == "sync":
        with oai.OpenAI(api_key=KEY, base_url=upstream, max_retries=0) as sync:
            stream = sync.chat.completions.create(model="m", messages=MESSAGES, stream=True)
            assert "".join(c.choices[0].delta.content or "" for c in stream) == expected
    else:

        async def run() -> str:
            async with (
                http_client(kind) as http,
                oai.AsyncOpenAI(api_key=KEY, base_url=upstream, http_client=http) as made,
            ):
                return await stream_text(made)

        assert asyncio.run(run()) == expected
    _, target, headers = server.seen[-1][0], server.seen[-1][1], server.seen[-1][2]
    assert target == "http://upstream.invalid/v1/chat/completions"  # the absolute form a proxy is sent
    assert headers["host"] == "upstream.invalid"


def test_the_tls_context_of_the_aiohttp_pool_is_the_lazy_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    transport: Any = oai.DefaultAioHttpClient()._transport
    context: ssl.SSLContext = transport.ssl_context
    assert isinstance(context, DeferredCAContext)
    assert context.cert_store_stats()["x509_ca"] == 0  # nothing read at construction
