# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""End-to-end tests of oai against real third-party servers (run with ``make e2e``).

Four tiers, one session fixture per server:

* ``llama``  — llama.cpp's ``llama-server`` with SmolLM2-135M (tier 1, a real model);
* ``llmock`` — the ``llmock`` mock with injected faults (tier 2);
* ``steady`` — Steady serving the official OpenAPI spec, validating every request (tier 3);
* ``aimock`` — aimock serving the fixtures in ``e2e/fixtures/aimock/`` (tier 4, fixture-driven helper streams).

Each server is started once per session on 127.0.0.1 and a free port, and is
stopped by its pid when the session ends, also when tests fail or the run is
interrupted (``scripts/e2e/servers.py``). When a server cannot be set up or
started, every test that needs it errors with the step that broke: these
tests never skip because a server is missing.

Every test is bounded: clients get short timeouts, and a watchdog
(``E2E_TEST_TIMEOUT`` seconds, SIGALRM) fails a test that hangs anyway.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # `generator` (tier 3) and `e2e._*` helpers

_spec = importlib.util.spec_from_file_location("oai_e2e_servers", REPO / "scripts" / "e2e" / "servers.py")
assert _spec is not None and _spec.loader is not None
servers = importlib.util.module_from_spec(_spec)
sys.modules["oai_e2e_servers"] = servers
_spec.loader.exec_module(servers)

from oai import AsyncOpenAI, OpenAI  # noqa: E402

from e2e._support import AsyncRecordingTransport, Exchange, Made, RecordingTransport  # noqa: E402

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEST_TIMEOUT = float(os.environ.get("E2E_TEST_TIMEOUT", "180"))
CLIENT_TIMEOUT = 60.0


# ---------------------------------------------------------------------------------------------------------------------
# Watchdog: a hung test fails instead of hanging the run


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    marker = item.get_closest_marker("timeout")
    limit = float(marker.args[0]) if marker else TEST_TIMEOUT

    def on_alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"e2e watchdog: {item.nodeid} ran longer than {limit:.0f} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return (yield)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "timeout(seconds): e2e watchdog limit for one test")
    config.addinivalue_line("markers", "tier1: llama-server with a real model")
    config.addinivalue_line("markers", "tier2: llmock, deterministic shapes and injected faults")
    config.addinivalue_line("markers", "tier3: Steady, request contract against the official spec")
    config.addinivalue_line("markers", "tier4: aimock, fixture-driven streams for the helpers")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        name = Path(str(item.fspath)).name
        for tier in ("tier1", "tier2", "tier3", "tier4"):
            if name.startswith(f"test_{tier}"):
                item.add_marker(getattr(pytest.mark, tier))


# ---------------------------------------------------------------------------------------------------------------------
# Servers


def _start(name: str, starter: Callable[[], Any]) -> Any:
    try:
        return starter()
    except servers.SetupError as exc:
        pytest.fail(f"[e2e] {name}: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def llama() -> Iterator[Any]:
    server = _start("tier 1 (llama-server)", servers.start_llama)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def llmock() -> Iterator[Any]:
    server = _start("tier 2 (llmock)", servers.start_llmock)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def aimock() -> Iterator[Any]:
    server = _start("tier 4 (aimock)", servers.start_aimock)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def reference_spec() -> Path:
    path = servers.REFERENCE_SPEC
    if not path.exists():
        message = f"[e2e] tier 3 needs the official spec at {path} (shared/ beside the repository); it is not there"
        if CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def steady(reference_spec: Path) -> Iterator[Any]:
    server = _start("tier 3 (steady)", lambda: servers.start_steady(reference_spec))
    yield server
    server.stop()


@pytest.fixture
async def make_client() -> AsyncIterator[Callable[..., Made]]:
    """``make_client(mode, base_url, api_key, **client_kwargs)``; ``pool=1`` limits the pool to one connection.

    A one-connection pool with a short pool timeout turns a leaked connection into an
    error on the next call instead of a silently opened second connection.
    """
    made: list[Made] = []

    def make(mode: str, base_url: str, api_key: str = "e2e", *, pool: int | None = None, **kwargs: Any) -> Made:
        log: list[Exchange] = []
        limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool) if pool else httpx.Limits()
        timeout = httpx.Timeout(CLIENT_TIMEOUT, pool=5.0)
        kwargs.setdefault("timeout", timeout)
        if mode == "sync":
            transport: Any = RecordingTransport(log, limits=limits)
            http = httpx.Client(transport=transport, timeout=timeout)
            client: Any = OpenAI(base_url=base_url, api_key=api_key, http_client=http, **kwargs)
        elif mode == "async":
            transport = AsyncRecordingTransport(log, limits=limits)
            ahttp = httpx.AsyncClient(transport=transport, timeout=timeout)
            client = AsyncOpenAI(base_url=base_url, api_key=api_key, http_client=ahttp, **kwargs)
        else:
            raise ValueError(mode)
        m = Made(client, log, transport)
        made.append(m)
        return m

    yield make
    for m in made:
        with contextlib.suppress(Exception):
            if m.is_async:
                await m.client._http.aclose()
            else:
                m.client._http.close()


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from e2e._support import CONTRACT

    summary = CONTRACT.summary()
    if summary:
        terminalreporter.write_sep("=", "e2e contract summary")
        terminalreporter.write_line(summary)
