# Written by scripts/unasync.py from generated/oai/_core/_async/_pagination.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""The page classes: a shape from ``oai._core._pagination`` plus the way this half of the core fetches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, cast

from pydantic import PrivateAttr
from typing_extensions import Self

from .._models import BaseModel
from .._pagination import ConversationCursor, Cursor, ItemT, NextCursor, NextPageQuery, NextToken, WholeList

__all__ = [
    "SyncConversationCursorPage",
    "SyncCursorPage",
    "SyncNextCursorPage",
    "SyncNextPage",
    "SyncPage",
]


class _BaseSyncPage(BaseModel, Generic[ItemT]):
    _fetch_next: Callable[[NextPageQuery], Any] | None = PrivateAttr(default=None)

    def _page_items(self) -> list[ItemT]:
        return cast("list[ItemT]", getattr(self, "data", None) or [])

    def next_page_query(self) -> NextPageQuery | None:
        """The query that fetches the next page, ``None`` on the last page."""
        return None

    def has_next_page(self) -> bool:
        return self._fetch_next is not None and self.next_page_query() is not None

    def get_next_page(self) -> Self:
        query = self.next_page_query()
        if query is None or self._fetch_next is None:
            raise RuntimeError("No next page; check has_next_page() first.")
        return cast(Self, self._fetch_next(query))

    def iter_pages(self) -> Iterator[Self]:
        """This page, then each following page (fetched as the loop reaches it)."""
        page = self
        while True:
            yield page
            query = page.next_page_query() if page.has_next_page() else None
            if query is None:
                return
            page = page.get_next_page()
            if page.next_page_query() == query:  # the server ignored the cursor: same page again
                return

    def __iter__(self) -> Iterator[ItemT]:  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]
        for page in self.iter_pages():
            yield from page._page_items()


class SyncPage(WholeList[ItemT], _BaseSyncPage[ItemT], Generic[ItemT]):
    """A list returned whole (``models.list``): ``data``, no further pages."""


class SyncCursorPage(Cursor[ItemT], _BaseSyncPage[ItemT], Generic[ItemT]):
    """A page of a cursor list: the next one is asked for with ``after=<last item id>``."""


class SyncConversationCursorPage(ConversationCursor[ItemT], _BaseSyncPage[ItemT], Generic[ItemT]):
    """A page that names its last item in ``last_id``; the next one is asked for with ``after=<last_id>``."""


class SyncNextCursorPage(NextCursor[ItemT], _BaseSyncPage[ItemT], Generic[ItemT]):
    """A page that names the cursor of the next one in ``next``, asked for with ``after=<next>``
    (the organization's groups and roles)."""


class SyncNextPage(NextToken[ItemT], _BaseSyncPage[ItemT], Generic[ItemT]):
    """A page that names the next one with a token in ``next_page``, asked for with ``page=<next_page>``
    (the organization's usage and costs)."""
