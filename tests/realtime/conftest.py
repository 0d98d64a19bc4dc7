# pyright: standard
# (the bridge hands out attributes of either connection class: untyped by design)
"""Fixtures for the Realtime tests: the loopback server, and one connection API for both worlds.

Every behaviour is tested sync and async. The ``mode`` fixture runs a test twice; the
test opens its connection with ``open_connection(...)``, which returns the sync
connection as it is, or the async one behind :class:`AsyncBridge`: the same calls,
each coroutine run to completion on a loop of the bridge's own. So one test body
drives ``RealtimeConnection`` and, for real, ``AsyncRealtimeConnection``.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from oai import AsyncOpenAI, OpenAI

from ._server import RealtimeServer

API_KEY = "sk-realtime-test-0123456789"


@pytest.fixture(scope="module")
def server() -> Iterator[RealtimeServer]:
    with RealtimeServer() as running:
        yield running


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class AsyncBridge:
    """An async object seen through sync calls: coroutines are run on ``loop``, nested objects bridged too."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if callable(value):

            def call(*args: Any, **kwargs: Any) -> Any:
                result = value(*args, **kwargs)
                if inspect.isawaitable(result):
                    return self._loop.run_until_complete(result)
                return self if result is self._target else result

            return call
        if hasattr(value, "_connection"):  # a group of send helpers
            return AsyncBridge(value, self._loop)
        return value

    def __iter__(self) -> Iterator[Any]:
        iterator = self._target.__aiter__()
        while True:
            try:
                yield self._loop.run_until_complete(iterator.__anext__())
            except StopAsyncIteration:
                return


@pytest.fixture
def open_connection(mode: str) -> Iterator[Callable[..., Any]]:
    """``open_connection(base_url, client_kwargs=None, **connect_kwargs)``: a connection in the test's mode."""
    stack = contextlib.ExitStack()
    loop = asyncio.new_event_loop()

    def open_(base_url: str, client_kwargs: dict[str, Any] | None = None, **connect: Any) -> Any:
        kwargs = {"api_key": API_KEY, "base_url": base_url, **(client_kwargs or {})}
        connect.setdefault("model", "gpt-realtime")
        connect.setdefault("timeout", 10.0)  # a test that goes wrong fails instead of waiting forever
        if mode == "sync":
            client = stack.enter_context(OpenAI(**kwargs))
            return stack.enter_context(client.realtime.connect(**connect))
        aclient = AsyncOpenAI(**kwargs)
        manager = aclient.realtime.connect(**connect)
        connection = loop.run_until_complete(manager.__aenter__())
        stack.callback(lambda: loop.run_until_complete(aclient.close()))
        stack.callback(lambda: loop.run_until_complete(manager.__aexit__(None, None, None)))
        return AsyncBridge(connection, loop)

    try:
        yield open_
    finally:
        stack.close()
        loop.close()
