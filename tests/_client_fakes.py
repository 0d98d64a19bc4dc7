"""A tiny client built on the core the way the generator builds ``oai.OpenAI``.

The resource methods below follow ``docs/architecture.md`` exactly (one
``self._client.request(...)`` call each), so that the core is tested through
the same seam the generated code uses, without depending on the generator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from typing import Any, Generic, Literal, TypeVar, overload

import httpx
from oai._core import (
    NOT_GIVEN,
    APIResponse,
    AsyncAPIClient,
    AsyncAPIResource,
    AsyncCursorPage,
    AsyncPage,
    AsyncPaginator,
    BinaryAPIResponse,
    FileTypes,
    Headers,
    LegacyAPIResponse,
    NotGiven,
    Query,
    ResponseContextManager,
    SyncAPIClient,
    SyncAPIResource,
    SyncCursorPage,
    SyncPage,
    TimeoutTypes,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    make_request_options,
    path_param,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)
from oai._core._models import BaseModel

API_KEY = "sk-test-0123456789abcdefSECRET"
BASE_URL = "http://fake.test/v1"

_T = TypeVar("_T")


class Item(BaseModel):
    id: str
    object: str | None = None
    value: int | None = None


class Chunk(BaseModel):
    id: str
    delta: str | None = None


class FakeStream(Generic[_T]):
    """Stands in for the streaming core's ``Stream``: records what the client passed, reads lines."""

    terminator = "[DONE]"
    made: list[FakeStream[Any]] = []

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.response: httpx.Response = kwargs["response"]
        FakeStream.made.append(self)

    def __iter__(self) -> Iterator[str]:
        try:
            yield from self.response.iter_lines()
        finally:
            self.response.close()

    def close(self) -> None:
        self.response.close()


class AsyncFakeStream(FakeStream[_T]):
    async def aclose(self) -> None:
        await self.response.aclose()


class Items(SyncAPIResource):
    @overload
    def create(
        self,
        *,
        name: str,
        value: int | None | NotGiven = NOT_GIVEN,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> Item: ...
    @overload
    def create(
        self,
        *,
        name: str,
        value: int | None | NotGiven = NOT_GIVEN,
        stream: Literal[True],
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> FakeStream[Chunk]: ...
    def create(
        self,
        *,
        name: str,
        value: int | None | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> Item | FakeStream[Chunk]:
        return self._client.request(
            "post",
            "/items",
            body={"name": name, "value": value, "stream": stream},
            cast_to=Item,
            stream=stream is True,
            stream_cls=FakeStream[Chunk],
            options=make_request_options(
                extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout
            ),
        )

    def retrieve(self, item_id: str, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN) -> Item:
        return self._client.request(
            "get", f"/items/{path_param(item_id)}", cast_to=Item, options=make_request_options(timeout=timeout)
        )

    def list(
        self,
        *,
        after: str | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        tags: list[str] | NotGiven = NOT_GIVEN,
        extra_query: Query | None = None,
    ) -> SyncCursorPage[Item]:
        return self._client.request(
            "get",
            "/items",
            query={"after": after, "limit": limit, "tags": tags},
            cast_to=Item,
            page=SyncCursorPage[Item],
            options=make_request_options(extra_query=extra_query),
        )

    def list_all(self) -> SyncPage[Item]:
        return self._client.request("get", "/all-items", cast_to=Item, page=SyncPage[Item])

    def upload(
        self,
        *,
        file: FileTypes,
        purpose: str,
        expires_after: Mapping[str, object] | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
    ) -> Item:
        return self._client.request(
            "post",
            "/files",
            body={"purpose": purpose, "expires_after": expires_after},
            files={"file": file},
            cast_to=Item,
            options=make_request_options(extra_headers=extra_headers),
        )

    def content(self, item_id: str) -> BinaryAPIResponse:
        return self._client.request("get", f"/items/{path_param(item_id)}/content", cast_to=BinaryAPIResponse)

    def content_raw(self, item_id: str) -> httpx.Response:
        return self._client.request("get", f"/items/{path_param(item_id)}/content", cast_to=httpx.Response)

    @cached_property
    def with_raw_response(self) -> ItemsWithRawResponse:
        return ItemsWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> ItemsWithStreamingResponse:
        return ItemsWithStreamingResponse(self)


class ItemsWithRawResponse:
    def __init__(self, items: Items) -> None:
        self.create = to_raw_response_wrapper(items.create)
        self.retrieve: Callable[..., LegacyAPIResponse[Item]] = to_raw_response_wrapper(items.retrieve)
        self.list = to_raw_response_wrapper(items.list)
        self.content = to_raw_response_wrapper(items.content)


class ItemsWithStreamingResponse:
    def __init__(self, items: Items) -> None:
        self.create = to_streamed_response_wrapper(items.create)
        self.retrieve: Callable[..., ResponseContextManager[APIResponse[Item]]] = to_streamed_response_wrapper(
            items.retrieve
        )
        self.list = to_streamed_response_wrapper(items.list)
        self.content = to_streamed_response_wrapper(items.content)


class AsyncItems(AsyncAPIResource):
    async def create(
        self,
        *,
        name: str,
        value: int | None | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> Item | AsyncFakeStream[Chunk]:
        return await self._client.request(
            "post",
            "/items",
            body={"name": name, "value": value, "stream": stream},
            cast_to=Item,
            stream=stream is True,
            stream_cls=AsyncFakeStream[Chunk],
            options=make_request_options(extra_headers=extra_headers, timeout=timeout),
        )

    async def retrieve(self, item_id: str) -> Item:
        return await self._client.request("get", f"/items/{path_param(item_id)}", cast_to=Item)

    def list(
        self, *, after: str | NotGiven = NOT_GIVEN, limit: int | NotGiven = NOT_GIVEN
    ) -> AsyncPaginator[Item, AsyncCursorPage[Item]]:
        return self._client.request(
            "get", "/items", query={"after": after, "limit": limit}, cast_to=Item, page=AsyncCursorPage[Item]
        )

    def list_all(self) -> AsyncPaginator[Item, AsyncPage[Item]]:
        return self._client.request("get", "/all-items", cast_to=Item, page=AsyncPage[Item])

    async def upload(self, *, file: FileTypes, purpose: str) -> Item:
        return await self._client.request(
            "post", "/files", body={"purpose": purpose}, files={"file": file}, cast_to=Item
        )

    async def content(self, item_id: str) -> BinaryAPIResponse:
        return await self._client.request("get", f"/items/{path_param(item_id)}/content", cast_to=BinaryAPIResponse)

    @cached_property
    def with_raw_response(self) -> AsyncItemsWithRawResponse:
        return AsyncItemsWithRawResponse(self)

    @cached_property
    def with_streaming_response(self) -> AsyncItemsWithStreamingResponse:
        return AsyncItemsWithStreamingResponse(self)


class AsyncItemsWithRawResponse:
    def __init__(self, items: AsyncItems) -> None:
        self.create = async_to_raw_response_wrapper(items.create)
        self.retrieve = async_to_raw_response_wrapper(items.retrieve)
        self.list = async_to_raw_response_wrapper(items.list)


class AsyncItemsWithStreamingResponse:
    def __init__(self, items: AsyncItems) -> None:
        self.create = async_to_streamed_response_wrapper(items.create)
        self.retrieve = async_to_streamed_response_wrapper(items.retrieve)
        self.content = async_to_streamed_response_wrapper(items.content)


class Client(SyncAPIClient):
    _api_key_env = "OAI_TEST_API_KEY"
    _base_url_env = "OAI_TEST_BASE_URL"
    _default_base_url = "http://default.test/v1"

    sleeps: list[float]

    @cached_property
    def items(self) -> Items:
        return Items(self)

    def _sleep(self, seconds: float) -> None:
        if "sleeps" not in vars(self):
            self.sleeps = []
        self.sleeps.append(seconds)


class AsyncClient(AsyncAPIClient):
    _api_key_env = "OAI_TEST_API_KEY"
    _base_url_env = "OAI_TEST_BASE_URL"
    _default_base_url = "http://default.test/v1"

    sleeps: list[float]

    @cached_property
    def items(self) -> AsyncItems:
        return AsyncItems(self)

    async def _sleep(self, seconds: float) -> None:
        if "sleeps" not in vars(self):
            self.sleeps = []
        self.sleeps.append(seconds)


Handler = Callable[[httpx.Request], httpx.Response]


def make_client(handler: Handler, **kwargs: Any) -> Client:
    """A client whose requests go to ``handler`` (an in-memory transport); retry sleeps are recorded, not slept."""
    kwargs.setdefault("api_key", API_KEY)
    kwargs.setdefault("base_url", BASE_URL)
    return Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kwargs)


def make_async_client(handler: Handler, **kwargs: Any) -> AsyncClient:
    kwargs.setdefault("api_key", API_KEY)
    kwargs.setdefault("base_url", BASE_URL)
    return AsyncClient(http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **kwargs)


def sleeps(client: Client | AsyncClient) -> list[float]:
    return list(vars(client).get("sleeps", []))


def item_json(item_id: str = "item_1", **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "object": "item", **extra}


class Recorder:
    """An in-memory handler that answers from a script and keeps every request."""

    def __init__(self, *replies: httpx.Response | Callable[[httpx.Request], httpx.Response] | Exception) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        request.read()
        index = min(len(self.requests), len(self.replies)) - 1
        reply = self.replies[index] if self.replies else httpx.Response(200, json=item_json())
        if isinstance(reply, Exception):
            raise reply
        if callable(reply):
            return reply(request)
        return httpx.Response(
            reply.status_code, headers=reply.headers, content=reply.content, extensions=reply.extensions
        )
