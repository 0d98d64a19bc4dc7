"""Placeholders for ``Stream`` / ``AsyncStream`` until the streaming core (``_streaming.py``) lands.

Only imported when ``_streaming`` is missing; they accept what the client
passes and refuse to iterate, so a non-streaming SDK keeps working.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, Generic, TypeVar

import httpx

__all__ = ["AsyncStream", "Stream"]

_T = TypeVar("_T")


class Stream(Generic[_T]):
    terminator: str | None = "[DONE]"

    def __init__(self, *, response: httpx.Response, **kwargs: Any) -> None:
        self.response = response
        self.kwargs = kwargs

    def __iter__(self) -> Iterator[_T]:
        raise NotImplementedError("oai's streaming core is not installed")

    def close(self) -> None:
        self.response.close()


class AsyncStream(Generic[_T]):
    terminator: str | None = "[DONE]"

    def __init__(self, *, response: httpx.Response, **kwargs: Any) -> None:
        self.response = response
        self.kwargs = kwargs

    def __aiter__(self) -> AsyncIterator[_T]:
        raise NotImplementedError("oai's streaming core is not installed")

    async def close(self) -> None:
        await self.response.aclose()
