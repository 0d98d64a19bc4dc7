# Written by scripts/unasync.py from generated/oai/_core/_async/_resource.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""The base class of the generated resources (``client.chat.completions`` and the like)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._client import SyncAPIClient

__all__ = ["SyncAPIResource"]


class SyncAPIResource:
    """A group of operations; each calls ``self._client.request(...)`` once."""

    _client: SyncAPIClient

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client
