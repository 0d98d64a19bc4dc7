"""The page classes: a shape from ``oai._core._pagination`` plus the way this half of the core fetches."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from typing import Any, Generic, TypeVar, cast

from pydantic import PrivateAttr
from typing_extensions import Self

from .._models import BaseModel
from .._pagination import ConversationCursor, Cursor, ItemT, NextCursor, NextPageQuery, NextToken, WholeList

__all__ = [
    "AsyncConversationCursorPage",
    "AsyncCursorPage",
    "AsyncNextCursorPage",
    "AsyncNextPage",
    "AsyncPage",
    # unasync: async-only
    "AsyncPaginator",
    # unasync: end
]

# unasync: async-only
_PageT = TypeVar("_PageT")
# unasync: end


class _BaseAsyncPage(BaseModel, Generic[ItemT]):
    _fetch_next: Callable[[NextPageQuery], Awaitable[Any]] | None = PrivateAttr(default=None)

    def _page_items(self) -> list[ItemT]:
        return cast("list[ItemT]", getattr(self, "data", None) or [])

    def next_page_query(self) -> NextPageQuery | None:
        """The query that fetches the next page, ``None`` on the last page."""
        return None

    def has_next_page(self) -> bool:
        return self._fetch_next is not None and self.next_page_query() is not None

    async def get_next_page(self) -> Self:
        query = self.next_page_query()
        if query is None or self._fetch_next is None:
            raise RuntimeError("No next page; check has_next_page() first.")
        return cast(Self, await self._fetch_next(query))

    async def iter_pages(self) -> AsyncIterator[Self]:
        """This page, then each following page (fetched as the loop reaches it)."""
        page = self
        while True:
            yield page
            query = page.next_page_query() if page.has_next_page() else None
            if query is None:
                return
            page = await page.get_next_page()
            if page.next_page_query() == query:  # the server ignored the cursor: same page again
                return

    async def __aiter__(self) -> AsyncIterator[ItemT]:  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]
        async for page in self.iter_pages():
            for item in page._page_items():
                yield item


class AsyncPage(WholeList[ItemT], _BaseAsyncPage[ItemT], Generic[ItemT]):
    """A list returned whole (``models.list``): ``data``, no further pages."""


class AsyncCursorPage(Cursor[ItemT], _BaseAsyncPage[ItemT], Generic[ItemT]):
    """A page of a cursor list: the next one is asked for with ``after=<last item id>``."""


class AsyncConversationCursorPage(ConversationCursor[ItemT], _BaseAsyncPage[ItemT], Generic[ItemT]):
    """A page that names its last item in ``last_id``; the next one is asked for with ``after=<last_id>``."""


class AsyncNextCursorPage(NextCursor[ItemT], _BaseAsyncPage[ItemT], Generic[ItemT]):
    """A page that names the cursor of the next one in ``next``, asked for with ``after=<next>``
    (the organization's groups and roles)."""


class AsyncNextPage(NextToken[ItemT], _BaseAsyncPage[ItemT], Generic[ItemT]):
    """A page that names the next one with a token in ``next_page``, asked for with ``page=<next_page>``
    (the organization's usage and costs)."""


# unasync: async-only
class AsyncPaginator(Generic[ItemT, _PageT]):
    """What an async list method returns: ``await`` it for the first page, or ``async for`` over all items."""

    def __init__(self, fetch: Callable[[], Awaitable[_PageT]]) -> None:
        self._fetch = fetch

    def __await__(self) -> Generator[Any, None, _PageT]:
        return self._fetch().__await__()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        page = cast("_BaseAsyncPage[ItemT]", await self)
        async for item in page:
            yield item


# unasync: end
