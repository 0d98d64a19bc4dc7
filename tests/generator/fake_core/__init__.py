"""A stand-in for oai's handwritten core, used only by the generator's tests.

It provides every name the generated code imports from ``oai._core`` with the
call shapes of docs/architecture.md, and records each ``request(...)`` call
instead of sending it, so the tests can check what generated methods pass to
the core without depending on the core's progress.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar, cast

import httpx

from ._models import BaseModel

_T = TypeVar("_T")


class NotGiven:
    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
Headers = Mapping[str, str]
Query = Mapping[str, object]
Body = object
Timeout = float | httpx.Timeout | None
FileTypes = Any


class OpenAIError(Exception):
    pass


class APIError(OpenAIError):
    pass


class APIStatusError(APIError):
    pass


class APIConnectionError(APIError):
    pass


class APITimeoutError(APIConnectionError):
    pass


class APIResponseValidationError(APIError):
    pass


class APIStreamError(APIError):
    pass


class SSEEventTooLarge(APIError):
    pass


class Omit:
    pass


class UnknownStreamEvent:
    pass


BadRequestError = AuthenticationError = PermissionDeniedError = NotFoundError = APIStatusError
ConflictError = UnprocessableEntityError = RateLimitError = InternalServerError = APIStatusError


class SSEDecoder:
    pass


class ServerSentEvent:
    pass


class Stream(Generic[_T]):
    pass


class AsyncStream(Generic[_T]):
    pass


class SyncPage(BaseModel, Generic[_T]):
    data: list[_T]


class AsyncPage(SyncPage[_T], Generic[_T]):
    pass


class SyncCursorPage(SyncPage[_T], Generic[_T]):
    pass


class AsyncCursorPage(SyncPage[_T], Generic[_T]):
    pass


def make_request_options(**kwargs: Any) -> dict[str, Any]:
    return kwargs


def module_resource(load: Callable[[], object], name: str) -> Any:
    """The module-level client's stand-in for a resource: here, what ``load().<name>`` is when read."""
    return types.SimpleNamespace(load=load, name=name)


def path_param(value: object, name: str | None = None) -> str:
    text = str(value)
    if not text:
        raise ValueError(f"empty path parameter {name}")
    return text.replace("/", "%2F")


class _Recorder:
    def __init__(self, api_key: str | None = None, base_url: str | None = None, **_: Any) -> None:
        self.api_key = api_key
        self.base_url = base_url
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []


class SyncAPIClient(_Recorder):
    def request(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((args, kwargs))
        return ("response", args, kwargs)


class AsyncAPIClient(_Recorder):
    async def request(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((args, kwargs))
        return ("response", args, kwargs)


class SyncAPIResource:
    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client


def to_raw_response_wrapper(func: Callable[..., Any]) -> Callable[..., Any]:
    return func


to_streamed_response_wrapper = async_to_raw_response_wrapper = async_to_streamed_response_wrapper = (
    to_raw_response_wrapper
)


_P = TypeVar("_P")


class AsyncPaginator(Generic[_T, _P]):
    pass


_GENERIC_BASE: Any = cast(Any, Generic)[_T]


def __getattr__(name: str) -> Any:
    """Any other name the real core exports (the package root re-exports them all): a generic placeholder
    class, enough for these tests, which only record the calls generated methods make."""
    if name.startswith("__"):
        raise AttributeError(name)
    placeholder = types.new_class(name, (_GENERIC_BASE,))
    globals()[name] = placeholder
    return placeholder
