"""The official SDK's low-level verbs, for endpoints that have no generated method.

``client.get("/models", cast_to=httpx.Response)``, ``client.post(path, body=..., cast_to=Model)``,
``client.get_api_list(path, model=Item, page=AsyncCursorPage[Item])``: the
same calls the official SDK's clients offer, with its option names
(``headers``, ``params``, ``extra_json``) as well as ours.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, overload

from .._base_client import request_options
from .._types import Body

if TYPE_CHECKING:  # annotations only: the page classes load on first use
    from ._pagination import AsyncPaginator

__all__ = ["AsyncVerbs"]

_T = TypeVar("_T")
_ItemT = TypeVar("_ItemT")
_PageT = TypeVar("_PageT")
_StreamT = TypeVar("_StreamT")


class _Requester(Protocol):
    request: Callable[..., Any]


class AsyncVerbs:
    """A mixin of the client: each verb is one ``self.request(...)`` call."""

    @overload
    async def get(
        self: _Requester,
        path: str,
        *,
        cast_to: type[_T],
        options: Mapping[str, Any] | None = None,
        stream: Literal[False] = False,
        stream_cls: type[_StreamT] | None = None,
    ) -> _T: ...
    @overload
    async def get(
        self: _Requester,
        path: str,
        *,
        cast_to: type[_T],
        options: Mapping[str, Any] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    async def get(
        self: _Requester,
        path: str,
        *,
        cast_to: Any,
        options: Mapping[str, Any] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """``GET path``; ``options`` takes the keys of :func:`make_request_options` or the official SDK's."""
        return await self.request(
            "get", path, cast_to=cast_to, stream=stream, stream_cls=stream_cls, options=request_options(options)
        )

    @overload
    async def post(
        self: _Requester,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        files: Mapping[str, object] | None = None,
        stream: Literal[False] = False,
        stream_cls: type[_StreamT] | None = None,
    ) -> _T: ...
    @overload
    async def post(
        self: _Requester,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        files: Mapping[str, object] | None = None,
        stream: Literal[True],
        stream_cls: type[_StreamT],
    ) -> _StreamT: ...
    async def post(
        self: _Requester,
        path: str,
        *,
        cast_to: Any,
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        files: Mapping[str, object] | None = None,
        stream: bool = False,
        stream_cls: Any = None,
    ) -> Any:
        """``POST path`` with a JSON body (or multipart with ``files``)."""
        return await self.request(
            "post",
            path,
            cast_to=cast_to,
            body=body,
            files=files,
            stream=stream,
            stream_cls=stream_cls,
            options=request_options(options),
        )

    async def patch(
        self: _Requester,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return await self.request("patch", path, cast_to=cast_to, body=body, options=request_options(options))

    async def put(
        self: _Requester,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        files: Mapping[str, object] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return await self.request(
            "put", path, cast_to=cast_to, body=body, files=files, options=request_options(options)
        )

    async def delete(
        self: _Requester,
        path: str,
        *,
        cast_to: type[_T],
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> _T:
        return await self.request("delete", path, cast_to=cast_to, body=body, options=request_options(options))

    def get_api_list(
        self: _Requester,
        path: str,
        *,
        model: type[_ItemT],
        page: type[_PageT],
        body: Body | None = None,
        options: Mapping[str, Any] | None = None,
        method: str = "get",
    ) -> AsyncPaginator[_ItemT, _PageT]:
        """A list endpoint: the first page, which iterates across the following ones."""
        return self.request(method, path, cast_to=model, page=page, body=body, options=request_options(options))
