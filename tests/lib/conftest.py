"""Fixtures for the helper tests: one scripted server per module, clients sync and async."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from oai import AsyncOpenAI, OpenAI

from ._server import ScriptedServer, serve


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    with serve() as running:
        yield running


@pytest.fixture
def scripted(server: ScriptedServer) -> Iterator[ScriptedServer]:
    server.reset()
    yield server
    server.reset()


@pytest.fixture
def client(scripted: ScriptedServer) -> Iterator[OpenAI]:
    with OpenAI(api_key="sk-test", base_url=scripted.url, max_retries=0, timeout=10) as made:
        yield made


@pytest.fixture
async def aclient(scripted: ScriptedServer) -> AsyncIterator[AsyncOpenAI]:
    async with AsyncOpenAI(api_key="sk-test", base_url=scripted.url, max_retries=0, timeout=10) as made:
        yield made
