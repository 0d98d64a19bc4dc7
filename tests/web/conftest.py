from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._servers import Upstream, run_app, run_upstream

KEEPALIVE = 0.2
"""Seconds between keep-alive comments in the example app under test (15 in real use)."""


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with run_upstream() as running:
        yield running


@pytest.fixture(scope="module")
def app(upstream: Upstream) -> Iterator[str]:
    """The example app (examples/web/app.py) under uvicorn, in front of ``upstream``."""
    with run_app(upstream, OAI_KEEPALIVE=KEEPALIVE) as url:
        yield url
