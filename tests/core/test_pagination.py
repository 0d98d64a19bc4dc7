"""Pages: plain lists and cursor pages that fetch the next page by themselves."""

from __future__ import annotations

import httpx
import pytest
from oai._core import AsyncCursorPage, AsyncPage, SyncCursorPage, SyncPage

from tests._client_fakes import Item, Recorder, make_async_client, make_client

PAGES = {
    None: {"object": "list", "data": [{"id": "a"}, {"id": "b"}], "has_more": True},
    "b": {"object": "list", "data": [{"id": "c"}, {"id": "d"}], "has_more": True},
    "d": {"object": "list", "data": [{"id": "e"}], "has_more": False},
}


def cursor_server(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=PAGES[request.url.params.get("after")])


def test_cursor_page_iterates_across_pages() -> None:
    rec = Recorder(cursor_server)
    page = make_client(rec).items.list(limit=2)
    assert isinstance(page, SyncCursorPage)
    assert [item.id for item in page.data] == ["a", "b"]
    assert all(isinstance(item, Item) for item in page.data)
    assert [item.id for item in page] == ["a", "b", "c", "d", "e"]
    assert [r.url.params.get("after") for r in rec.requests] == [None, "b", "d"]
    assert all(r.url.params["limit"] == "2" for r in rec.requests)  # the query is kept


def test_cursor_page_manual_paging() -> None:
    rec = Recorder(cursor_server)
    page = make_client(rec).items.list()
    assert page.has_next_page()
    second = page.get_next_page()
    assert isinstance(second, SyncCursorPage)
    assert [i.id for i in second.data] == ["c", "d"]
    assert [[i.id for i in p.data] for p in page.iter_pages()] == [["a", "b"], ["c", "d"], ["e"]]
    last = second.get_next_page()
    assert not last.has_next_page()
    with pytest.raises(RuntimeError):
        last.get_next_page()


def test_cursor_page_stops_on_empty_data_or_missing_ids() -> None:
    rec = Recorder(httpx.Response(200, json={"data": [], "has_more": True}))
    page = make_client(rec).items.list()
    assert not page.has_next_page() and list(page) == []

    rec = Recorder(httpx.Response(200, json={"data": [{"name": "no id"}], "has_more": True}))
    page = make_client(rec).items.list()
    assert not page.has_next_page()


def test_plain_page_has_no_next_page() -> None:
    rec = Recorder(httpx.Response(200, json={"object": "list", "data": [{"id": "m1"}, {"id": "m2"}]}))
    page = make_client(rec).items.list_all()
    assert isinstance(page, SyncPage)
    assert [m.id for m in page] == ["m1", "m2"]
    assert not page.has_next_page()
    assert page.object == "list"
    assert len(rec.requests) == 1


def test_page_request_id_and_retries() -> None:
    rec = Recorder(httpx.Response(500), cursor_server)
    page = make_client(rec).items.list()
    assert [i.id for i in page] == ["a", "b", "c", "d", "e"]


async def test_async_cursor_pages() -> None:
    rec = Recorder(cursor_server)
    client = make_async_client(rec)
    assert [item.id async for item in client.items.list()] == ["a", "b", "c", "d", "e"]

    page = await client.items.list()
    assert isinstance(page, AsyncCursorPage)
    assert [i.id for i in page.data] == ["a", "b"]
    assert page.has_next_page()
    second = await page.get_next_page()
    assert [i.id for i in second.data] == ["c", "d"]
    assert [[i.id for i in p.data] async for p in page.iter_pages()] == [["a", "b"], ["c", "d"], ["e"]]
    assert [item.id async for item in page] == ["a", "b", "c", "d", "e"]


async def test_async_plain_page() -> None:
    rec = Recorder(httpx.Response(200, json={"data": [{"id": "m1"}]}))
    client = make_async_client(rec)
    page = await client.items.list_all()
    assert isinstance(page, AsyncPage) and not page.has_next_page()
    assert [m.id async for m in client.items.list_all()] == ["m1"]


def test_a_server_that_ignores_the_cursor_does_not_loop_forever() -> None:
    rec = Recorder(httpx.Response(200, json={"data": [{"id": "x"}, {"id": "y"}]}))  # no has_more, same page always
    assert [i.id for i in make_client(rec).items.list()] == ["x", "y"]
    assert len(rec.requests) == 2


async def test_async_server_that_ignores_the_cursor() -> None:
    rec = Recorder(httpx.Response(200, json={"data": [{"id": "x"}]}))
    assert [i.id async for i in make_async_client(rec).items.list()] == ["x"]
