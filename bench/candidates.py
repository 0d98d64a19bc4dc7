# pyright: standard
# (the candidate transports are optional packages, absent from the default venv)
"""The async HTTP stacks the concurrency scenario can drive, by name.

Two kinds:

* an SDK on an HTTP client -- ``oai`` and ``openai`` with their default
  clients, and oai on other httpx transports, built the way a user would:
  ``oai.AsyncOpenAI(http_client=httpx.AsyncClient(transport=...))``; each
  stream is ``chat.completions.create(stream=True)`` and yields the chunks'
  text;
* a bare HTTP client without any SDK (a floor: what the connection handling
  alone costs), which POSTs and yields the body's reads.

Every candidate gets the limits both SDKs use by default (1,000 connections,
100 kept alive) and the SDKs' default timeouts (600 s, 5 s to connect) unless
its name says otherwise, and no retries, so a failure is counted, not hidden.
Importing this module imports no HTTP library: each candidate imports its own
when the client process opens it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.data import REQUEST_MESSAGES, REQUEST_MODEL

MAX_CONNECTIONS = 1000
MAX_KEEPALIVE = 100
CONNECT_TIMEOUT = 5.0
TIMEOUT = 600.0
API_KEY = "sk-bench"
_BODY = {"model": REQUEST_MODEL, "messages": REQUEST_MESSAGES, "stream": True}


def _httpx_limits(unlimited: bool = False, connections: int = MAX_CONNECTIONS, keepalive: int = MAX_KEEPALIVE) -> Any:
    import httpx

    if unlimited:
        return httpx.Limits(max_connections=None, max_keepalive_connections=None)
    return httpx.Limits(max_connections=connections, max_keepalive_connections=keepalive)


def _httpx_timeout() -> Any:
    import httpx

    return httpx.Timeout(TIMEOUT, connect=CONNECT_TIMEOUT)


# -- oai's http_client= for each transport -----------------------------------------------------------------------


def _httpx_no_limits() -> Any:
    import httpx

    return httpx.AsyncClient(limits=_httpx_limits(unlimited=True), timeout=_httpx_timeout())


def _httpx_keepalive(keepalive: int) -> Any:
    import httpx

    return httpx.AsyncClient(limits=_httpx_limits(keepalive=keepalive), timeout=_httpx_timeout())


def _httpx_aiohttp(unlimited: bool = False, connections: int = MAX_CONNECTIONS) -> Any:
    import httpx
    from httpx_aiohttp import AiohttpTransport  # pyright: ignore[reportMissingImports]

    transport = AiohttpTransport(limits=_httpx_limits(unlimited, connections))
    return httpx.AsyncClient(transport=transport, timeout=_httpx_timeout())


def _httpcore2() -> Any:
    import httpx

    from bench.httpcore2_transport import Httpcore2Transport

    return httpx.AsyncClient(transport=Httpcore2Transport(limits=_httpx_limits()), timeout=_httpx_timeout())


def _pyreqwest() -> Any:
    import httpx
    from pyreqwest.client import ClientBuilder  # pyright: ignore[reportMissingImports]
    from pyreqwest.compatibility.httpx import HttpxTransport  # pyright: ignore[reportMissingImports]

    builder: Any = ClientBuilder()
    client: Any = builder.max_connections(MAX_CONNECTIONS).pool_max_idle_per_host(MAX_KEEPALIVE).build()
    return httpx.AsyncClient(transport=HttpxTransport(client), timeout=_httpx_timeout())


def _curl_cffi() -> Any:
    import httpx
    from httpx_curl_cffi import AsyncCurlTransport  # pyright: ignore[reportMissingImports]

    return httpx.AsyncClient(transport=AsyncCurlTransport(max_connections=MAX_CONNECTIONS), timeout=_httpx_timeout())


def _openai_aiohttp() -> Any:
    import openai

    return openai.DefaultAioHttpClient()


# -- the two kinds of candidate ----------------------------------------------------------------------------------


@dataclass
class SdkCandidate:
    """An SDK's ``AsyncOpenAI``; ``http_client`` builds what is passed as ``http_client=`` (None: its default)."""

    name: str
    package: str
    description: str
    http_client: Callable[[], Any] | None = None
    options: dict[str, Any] = field(default_factory=dict[str, Any])
    """More arguments of ``AsyncOpenAI(...)``."""
    client: Any = field(default=None, init=False)

    async def open(self, base_url: str) -> None:
        import importlib

        sdk = importlib.import_module(self.package)
        http_client = self.http_client() if self.http_client else None
        self.client = sdk.AsyncOpenAI(
            api_key=API_KEY, base_url=base_url, max_retries=0, http_client=http_client, **self.options
        )

    async def stream(self) -> AsyncIterator[Any]:
        chunks = await self.client.chat.completions.create(model=REQUEST_MODEL, messages=REQUEST_MESSAGES, stream=True)
        async for chunk in chunks:
            if chunk.choices:
                yield chunk.choices[0].delta.content or ""

    async def close(self) -> None:
        await self.client.close()


@dataclass
class BareCandidate:
    """A bare HTTP client: POST the request, yield the body's reads as they come."""

    name: str
    library: str  # "httpx", "httpx2" or "aiohttp"
    description: str
    client: Any = field(default=None, init=False)
    url: str = field(default="", init=False)

    async def open(self, base_url: str) -> None:
        import importlib

        self.url = base_url + "/chat/completions"
        if self.library == "aiohttp":
            import aiohttp

            connector = aiohttp.TCPConnector(limit=MAX_CONNECTIONS)
            timeout = aiohttp.ClientTimeout(total=TIMEOUT, connect=CONNECT_TIMEOUT)
            self.client = aiohttp.ClientSession(connector=connector, timeout=timeout)
        else:
            http = importlib.import_module(self.library)
            limits = http.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_KEEPALIVE)
            self.client = http.AsyncClient(limits=limits, timeout=http.Timeout(TIMEOUT, connect=CONNECT_TIMEOUT))

    async def stream(self) -> AsyncIterator[Any]:
        body = json.dumps(_BODY).encode()
        headers = {"content-type": "application/json", "authorization": f"Bearer {API_KEY}"}
        if self.library == "aiohttp":
            async with self.client.post(self.url, data=body, headers=headers) as response:
                response.raise_for_status()
                async for read in response.content.iter_any():
                    yield read
        else:
            async with self.client.stream("POST", self.url, content=body, headers=headers) as response:
                response.raise_for_status()
                async for read in response.aiter_raw():
                    yield read

    async def close(self) -> None:
        await self.client.close() if self.library == "aiohttp" else await self.client.aclose()


Candidate = SdkCandidate | BareCandidate


def candidates() -> dict[str, Candidate]:
    """Every candidate by name; ``make bench`` runs the first two, ``scripts/bench_transports.py`` any."""
    entries: list[Candidate] = [
        SdkCandidate("oai", "oai", "oai.AsyncOpenAI() as shipped: httpx 0.28 + httpcore 1.0 pool"),
        SdkCandidate("openai", "openai", "openai.AsyncOpenAI() as shipped: httpx2 + httpcore2 pool"),
        SdkCandidate(
            "oai+httpx-nolimit", "oai", "oai on httpx's own transport without a connection limit", _httpx_no_limits
        ),
        SdkCandidate(
            "oai+httpx-keepalive20",
            "oai",
            "oai on httpx's own transport keeping at most 20 idle connections (1,000 in all)",
            lambda: _httpx_keepalive(20),
        ),
        SdkCandidate("oai+httpcore2", "oai", "oai on httpx over httpcore2's connection pool", _httpcore2),
        SdkCandidate("oai+httpx-aiohttp", "oai", "oai on httpx + httpx-aiohttp's AiohttpTransport", _httpx_aiohttp),
        SdkCandidate(
            "oai+httpx-aiohttp-nolimit",
            "oai",
            "the same with max_connections=None, which httpx-aiohttp leaves to aiohttp's default limit of 100",
            lambda: _httpx_aiohttp(unlimited=True),
        ),
        SdkCandidate(
            "oai+httpx-aiohttp-4096",
            "oai",
            "the same with max_connections=4096",
            lambda: _httpx_aiohttp(connections=4096),
        ),
        SdkCandidate("oai+pyreqwest", "oai", "oai on httpx + pyreqwest's HttpxTransport (Rust, hyper)", _pyreqwest),
        SdkCandidate("oai+curl-cffi", "oai", "oai on httpx + httpx-curl-cffi's AsyncCurlTransport", _curl_cffi),
        SdkCandidate(
            "oai+limiter",
            "oai",
            "oai as shipped with its in-process rate limiter on: request and token budgets too large to bind "
            "(every call estimated, taken from both buckets and settled from its stream's usage), adaptive_limits",
            options={"max_requests_per_minute": 10**9, "max_tokens_per_minute": 10**12, "adaptive_limits": True},
        ),
        SdkCandidate("openai+aiohttp", "openai", "openai with http_client=DefaultAioHttpClient()", _openai_aiohttp),
        BareCandidate("bare-httpx", "httpx", "httpx.AsyncClient alone, no SDK"),
        BareCandidate("bare-httpx2", "httpx2", "httpx2.AsyncClient alone, no SDK"),
        BareCandidate("bare-aiohttp", "aiohttp", "aiohttp.ClientSession alone, no SDK (the floor)"),
    ]
    return {candidate.name: candidate for candidate in entries}
