"""The base class of the generated resources (``client.chat.completions`` and the like)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._client import AsyncAPIClient

__all__ = ["AsyncAPIResource"]


class AsyncAPIResource:
    """A group of operations; each calls ``self._client.request(...)`` once."""

    _client: AsyncAPIClient

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
