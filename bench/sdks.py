"""The two SDKs side by side: oai (on httpx) and the official ``openai`` (on httpx2, its fork of httpx).

Each is driven the way a user drives it -- ``chat.completions.create`` on an
``OpenAI`` / ``AsyncOpenAI`` client -- with the HTTP library's own
``MockTransport`` underneath, so the bytes come from memory and what is timed
is the SDK and its HTTP client, not a network.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bench.data import REQUEST_MESSAGES, REQUEST_MODEL

SSE_HEADERS = {"content-type": "text/event-stream; charset=utf-8", "x-request-id": "req_bench"}
JSON_HEADERS = {"content-type": "application/json", "x-request-id": "req_bench"}
MEMORY_BASE_URL = "http://memory.invalid/v1"
API_KEY = "sk-bench"


@dataclass(frozen=True)
class Sdk:
    name: str
    package: str
    http_package: str  # the httpx flavour its http_client= must be built from

    def load(self) -> tuple[Any, Any]:
        """(the SDK module, its HTTP library); openai before 3.x (Python 3.10) still runs on httpx."""
        sdk = importlib.import_module(self.package)
        http = self.http_package if self.http_package in sys.modules else "httpx"
        return sdk, importlib.import_module(http)

    def memory_client(self, *, is_async: bool, stream: list[bytes] | None = None, json_body: bytes = b"") -> Any:
        """A client whose every request is answered from memory: the reads of ``stream``, or ``json_body``."""
        sdk, http = self.load()

        def handler(request: Any) -> Any:
            if stream is None:
                return http.Response(200, headers=JSON_HEADERS, content=json_body)
            content = _areplay(stream) if is_async else iter(stream)
            return http.Response(200, headers=SSE_HEADERS, content=content)

        transport = http.MockTransport(handler)
        http_client = http.AsyncClient(transport=transport) if is_async else http.Client(transport=transport)
        cls = sdk.AsyncOpenAI if is_async else sdk.OpenAI
        return cls(api_key=API_KEY, base_url=MEMORY_BASE_URL, http_client=http_client, max_retries=0)


OAI = Sdk("oai", "oai", "httpx")
OPENAI = Sdk("openai", "openai", "httpx2")
SDKS = (OAI, OPENAI)


async def _areplay(reads: list[bytes]) -> AsyncIterator[bytes]:
    for read in reads:
        yield read


def create_stream(client: Any) -> Iterable[Any]:
    return client.chat.completions.create(model=REQUEST_MODEL, messages=REQUEST_MESSAGES, stream=True)


async def acreate_stream(client: Any) -> Any:
    return await client.chat.completions.create(model=REQUEST_MODEL, messages=REQUEST_MESSAGES, stream=True)


def create(client: Any) -> Any:
    return client.chat.completions.create(model=REQUEST_MODEL, messages=REQUEST_MESSAGES)


async def acreate(client: Any) -> Any:
    return await client.chat.completions.create(model=REQUEST_MODEL, messages=REQUEST_MESSAGES)


def text_of(chunks: Iterator[Any] | Iterable[Any]) -> str:
    """What an application does with a chat stream: read each chunk's ``choices[0].delta.content``."""
    return "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)


async def atext_of(chunks: Any) -> str:
    parts: list[str] = []
    async for chunk in chunks:
        if chunk.choices:
            parts.append(chunk.choices[0].delta.content or "")
    return "".join(parts)


def close_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Finish the async generators the trials left suspended (the streams' iterators), then close."""
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
