"""List results: one page (``SyncPage``) or cursor pages fetched on demand (``SyncCursorPage``).

A page is a model of one response body plus a way to fetch the next page,
which the client attaches when it builds the page (``_fetch_next``: the same
request with the next page's query merged in). Iterating a page iterates its
items and then those of every following page::

    for model in client.models.list(): ...
    async for job in client.fine_tuning.jobs.list(limit=10): ...
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from typing import Any, Generic, TypeVar, cast

from pydantic import PrivateAttr
from typing_extensions import Self

from ._models import BaseModel

__all__ = [
    "AsyncCursorPage",
    "AsyncNextCursorPage",
    "AsyncNextPage",
    "AsyncPage",
    "AsyncPaginator",
    "SyncCursorPage",
    "SyncNextCursorPage",
    "SyncNextPage",
    "SyncPage",
]

_T = TypeVar("_T")
_PageT = TypeVar("_PageT")

NextPageQuery = Mapping[str, object]


def _cursor_query(data: list[Any] | None, has_more: bool | None) -> NextPageQuery | None:
    """``{"after": <id of the last item>}``, or ``None`` when this is the last page."""
    if has_more is False or not data:
        return None
    last: object = data[-1]
    item_id: object = cast("dict[str, object]", last).get("id") if isinstance(last, dict) else getattr(last, "id", None)
    if not isinstance(item_id, str) or not item_id:
        return None
    return {"after": item_id}


def _token_query(has_more: bool | None, token: str | None, param: str) -> NextPageQuery | None:
    """``{param: token}`` for the next page, ``None`` when this is the last one."""
    if has_more is False or not token:
        return None
    return {param: token}


class _BaseSyncPage(BaseModel, Generic[_T]):
    _fetch_next: Callable[[NextPageQuery], Any] | None = PrivateAttr(default=None)

    def _page_items(self) -> list[_T]:
        return cast("list[_T]", getattr(self, "data", None) or [])

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

    def __iter__(self) -> Iterator[_T]:  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]
        for page in self.iter_pages():
            yield from page._page_items()


class _BaseAsyncPage(BaseModel, Generic[_T]):
    _fetch_next: Callable[[NextPageQuery], Awaitable[Any]] | None = PrivateAttr(default=None)

    def _page_items(self) -> list[_T]:
        return cast("list[_T]", getattr(self, "data", None) or [])

    def next_page_query(self) -> NextPageQuery | None:
        return None

    def has_next_page(self) -> bool:
        return self._fetch_next is not None and self.next_page_query() is not None

    async def get_next_page(self) -> Self:
        query = self.next_page_query()
        if query is None or self._fetch_next is None:
            raise RuntimeError("No next page; check has_next_page() first.")
        return cast(Self, await self._fetch_next(query))

    async def iter_pages(self) -> AsyncIterator[Self]:
        page = self
        while True:
            yield page
            query = page.next_page_query() if page.has_next_page() else None
            if query is None:
                return
            page = await page.get_next_page()
            if page.next_page_query() == query:  # the server ignored the cursor: same page again
                return

    async def __aiter__(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page._page_items():
                yield item


# -- shapes: the fields of each kind of list response, and how the next page is asked for -----------------------
# Each page class below is one shape plus the sync or async way of fetching (shape first, so its
# next_page_query wins over the base's "no next page").


class _WholeList(BaseModel, Generic[_T]):
    data: list[_T]
    object: str | None = None


class _Cursor(BaseModel, Generic[_T]):
    data: list[_T]
    has_more: bool | None = None

    def next_page_query(self) -> NextPageQuery | None:
        return _cursor_query(self.data, self.has_more)


class _NextCursor(BaseModel, Generic[_T]):
    data: list[_T]
    has_more: bool | None = None
    next: str | None = None

    def next_page_query(self) -> NextPageQuery | None:
        return _token_query(self.has_more, self.next, "after")


class _NextToken(BaseModel, Generic[_T]):
    data: list[_T]
    has_more: bool | None = None
    next_page: str | None = None

    def next_page_query(self) -> NextPageQuery | None:
        return _token_query(self.has_more, self.next_page, "page")


class SyncPage(_WholeList[_T], _BaseSyncPage[_T], Generic[_T]):
    """A list returned whole (``models.list``): ``data``, no further pages."""


class AsyncPage(_WholeList[_T], _BaseAsyncPage[_T], Generic[_T]):
    """The async :class:`SyncPage`."""


class SyncCursorPage(_Cursor[_T], _BaseSyncPage[_T], Generic[_T]):
    """A page of a cursor list: the next one is asked for with ``after=<last item id>``."""


class AsyncCursorPage(_Cursor[_T], _BaseAsyncPage[_T], Generic[_T]):
    """The async :class:`SyncCursorPage`."""


class SyncNextCursorPage(_NextCursor[_T], _BaseSyncPage[_T], Generic[_T]):
    """A page that names the cursor of the next one in ``next``, asked for with ``after=<next>``
    (the organization's groups and roles)."""


class AsyncNextCursorPage(_NextCursor[_T], _BaseAsyncPage[_T], Generic[_T]):
    """The async :class:`SyncNextCursorPage`."""


class SyncNextPage(_NextToken[_T], _BaseSyncPage[_T], Generic[_T]):
    """A page that names the next one with a token in ``next_page``, asked for with ``page=<next_page>``
    (the organization's usage and costs)."""


class AsyncNextPage(_NextToken[_T], _BaseAsyncPage[_T], Generic[_T]):
    """The async :class:`SyncNextPage`."""


class AsyncPaginator(Generic[_T, _PageT]):
    """What an async list method returns: ``await`` it for the first page, or ``async for`` over all items."""

    def __init__(self, fetch: Callable[[], Awaitable[_PageT]]) -> None:
        self._fetch = fetch

    def __await__(self) -> Generator[Any, None, _PageT]:
        return self._fetch().__await__()

    async def __aiter__(self) -> AsyncIterator[_T]:
        page = cast("_BaseAsyncPage[_T]", await self)
        async for item in page:
            yield item
