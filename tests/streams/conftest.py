from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._server import ResumeServer


@pytest.fixture(scope="module")
def server() -> Iterator[ResumeServer]:
    with ResumeServer() as running:
        yield running
