from __future__ import annotations

from collections.abc import Iterator

import pytest

from .chat_server import ChatServer, serve


@pytest.fixture(scope="module")
def chat_server() -> Iterator[tuple[str, ChatServer]]:
    with serve() as (base_url, app):
        yield base_url, app
