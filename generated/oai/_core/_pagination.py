"""List results: what each kind of list response looks like, and how its next page is asked for.

A page is a model of one response body plus a way to fetch the next page,
which the client attaches when it builds the page (``_fetch_next``: the same
request with the next page's query merged in). Iterating a page iterates its
items and then those of every following page::

    for model in client.models.list(): ...
    async for job in client.fine_tuning.jobs.list(limit=10): ...

The API pages in five ways, each a *shape* class here (its fields and
``next_page_query``); a page class combines a shape with the sync or the async
way of fetching (``_sync/_pagination.py``, ``_async/_pagination.py``):

* ``SyncPage``: a whole list (``models.list``), no further pages;
* ``SyncCursorPage``: ``has_more``, next page by ``after=<id of the last item>``;
* ``SyncConversationCursorPage``: ``has_more`` + ``last_id``, next page by ``after=<last_id>``
  (conversation items, the organization's lists, videos: where the official SDK uses this class);
* ``SyncNextCursorPage``: ``has_more`` + ``next``, asked for with ``after=<next>``
  (the organization's groups and roles);
* ``SyncNextPage``: ``has_more`` + ``next_page``, asked for with ``page=<next_page>``
  (the organization's usage and costs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar, cast

from ._models import BaseModel

__all__ = ["ConversationCursor", "Cursor", "ItemT", "NextCursor", "NextPageQuery", "NextToken", "WholeList"]

ItemT = TypeVar("ItemT")
"""The item type of every page class. One TypeVar object for the shapes and the page classes: pydantic
treats ``Shape[ItemT]`` as the shape itself only when it is the shape's own parameter; another TypeVar
would make it build (and validate) a parametrized copy of the shape at import."""

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


# Each page class is one shape plus the sync or async way of fetching (shape first in the bases, so
# its next_page_query wins over the fetching base's "no next page").


class WholeList(BaseModel, Generic[ItemT]):
    data: list[ItemT]
    object: str | None = None


class Cursor(BaseModel, Generic[ItemT]):
    data: list[ItemT]
    has_more: bool | None = None

    def next_page_query(self) -> NextPageQuery | None:
        return _cursor_query(self.data, self.has_more)


class ConversationCursor(BaseModel, Generic[ItemT]):
    data: list[ItemT]
    has_more: bool | None = None
    last_id: str | None = None

    def next_page_query(self) -> NextPageQuery | None:
        return _token_query(self.has_more, self.last_id, "after")


class NextCursor(BaseModel, Generic[ItemT]):
    data: list[ItemT]
    has_more: bool | None = None
    next: str | None = None

    def next_page_query(self) -> NextPageQuery | None:
        return _token_query(self.has_more, self.next, "after")


class NextToken(BaseModel, Generic[ItemT]):
    data: list[ItemT]
    has_more: bool | None = None
    next_page: str | None = None

    def next_page_query(self) -> NextPageQuery | None:
        return _token_query(self.has_more, self.next_page, "page")
