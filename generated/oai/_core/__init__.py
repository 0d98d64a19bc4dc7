"""oai's handwritten core: everything that is not specific to one endpoint.

Generated code imports from here; nothing here imports generated code. The
module map is in ``docs/architecture.md``: shared, I/O-free modules at this
level; the async half in ``_async/`` and the sync half in ``_sync/``, written
from it by ``scripts/unasync.py``. ``__all__`` below is the core's public
surface: the generator reads it (without importing) to know what it may
re-export. The names in ``_LAZY`` load their modules on first use; the
generator reads that table too, and generated code imports them only where
it runs them (a list method imports its page class).
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._async._client import AsyncAPIClient
from ._async._resource import AsyncAPIResource
from ._async._response import (
    AsyncAPIResponse,
    AsyncResponseContextManager,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
)
from ._async._streaming import AsyncStream
from ._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._encoding import form_body, raw_body
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    RateLimiterUnavailableError,
    RateLimitQueueError,
    RateLimitQueueFullError,
    RateLimitQueueTimeoutError,
    StreamIncomplete,
    StreamInterrupted,
    UnprocessableEntityError,
)
from ._files import file_from_path
from ._http_clients import DEFAULT_CONNECTION_LIMITS, DefaultAioHttpClient, DefaultAsyncHttpxClient, DefaultHttpxClient
from ._models import BaseModel
from ._module_client import module_resource
from ._options import RequestOptions, make_request_options
from ._paths import path_param
from ._ratelimit import InProcessRateLimiter, RateLimiter
from ._response import BinaryAPIResponse, LegacyAPIResponse
from ._sse import ServerSentEvent, SSEDecoder, SSEEventTooLarge
from ._stats import StreamPartial, StreamStats
from ._streaming import EVENT_ENVELOPE, EventEnvelope, UnknownStreamEvent
from ._sync._client import SyncAPIClient
from ._sync._resource import SyncAPIResource
from ._sync._response import (
    APIResponse,
    ResponseContextManager,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)
from ._sync._streaming import Stream
from ._types import (
    NOT_GIVEN,
    Body,
    FileContent,
    FileTypes,
    Headers,
    NoneType,
    NotGiven,
    Omit,
    ProxiesTypes,
    Query,
    Timeout,
    TimeoutTypes,
    Transport,
    not_given,
    omit,
)

# The official SDK's name for a class oai has under its own: same behaviour, so code that names it runs.
HttpxBinaryResponseContent = BinaryAPIResponse

if TYPE_CHECKING:
    from ._async._pagination import (
        AsyncConversationCursorPage,
        AsyncCursorPage,
        AsyncNextCursorPage,
        AsyncNextPage,
        AsyncPage,
        AsyncPaginator,
    )
    from ._async._realtime import (
        AsyncRealtimeConnectionBase,
        AsyncRealtimeConnectionManagerBase,
        AsyncRealtimeConnectionResource,
    )
    from ._realtime import (
        RealtimeAPIError,
        RealtimeConnectionClosedError,
        RealtimeProtocolError,
        RealtimeReconnect,
        RealtimeReconnected,
        RealtimeSendQueueFullError,
        SyncWebSocketConnectionOptions,
        UnknownRealtimeEvent,
        WebSocketConnectionOptions,
        WebsocketConnectionOptions,
    )
    from ._realtime import RealtimeConnectionClosedError as WebSocketConnectionClosedError
    from ._realtime import RealtimeSendQueueFullError as WebSocketQueueFullError
    from ._redis import RedisRateLimiter
    from ._sync._pagination import (
        SyncConversationCursorPage,
        SyncCursorPage,
        SyncNextCursorPage,
        SyncNextPage,
        SyncPage,
    )
    from ._sync._realtime import RealtimeConnectionBase, RealtimeConnectionManagerBase, RealtimeConnectionResource

_LAZY: dict[str, tuple[str, str]] = {
    "AsyncConversationCursorPage": ("._async._pagination", "AsyncConversationCursorPage"),
    "AsyncCursorPage": ("._async._pagination", "AsyncCursorPage"),
    "AsyncNextCursorPage": ("._async._pagination", "AsyncNextCursorPage"),
    "AsyncNextPage": ("._async._pagination", "AsyncNextPage"),
    "AsyncPage": ("._async._pagination", "AsyncPage"),
    "AsyncPaginator": ("._async._pagination", "AsyncPaginator"),
    "SyncConversationCursorPage": ("._sync._pagination", "SyncConversationCursorPage"),
    "SyncCursorPage": ("._sync._pagination", "SyncCursorPage"),
    "SyncNextCursorPage": ("._sync._pagination", "SyncNextCursorPage"),
    "SyncNextPage": ("._sync._pagination", "SyncNextPage"),
    "SyncPage": ("._sync._pagination", "SyncPage"),
    "AsyncRealtimeConnectionBase": ("._async._realtime", "AsyncRealtimeConnectionBase"),
    "AsyncRealtimeConnectionManagerBase": ("._async._realtime", "AsyncRealtimeConnectionManagerBase"),
    "AsyncRealtimeConnectionResource": ("._async._realtime", "AsyncRealtimeConnectionResource"),
    "RealtimeConnectionBase": ("._sync._realtime", "RealtimeConnectionBase"),
    "RealtimeConnectionManagerBase": ("._sync._realtime", "RealtimeConnectionManagerBase"),
    "RealtimeConnectionResource": ("._sync._realtime", "RealtimeConnectionResource"),
    "RealtimeAPIError": ("._realtime", "RealtimeAPIError"),
    "RealtimeConnectionClosedError": ("._realtime", "RealtimeConnectionClosedError"),
    "RealtimeProtocolError": ("._realtime", "RealtimeProtocolError"),
    "RealtimeReconnect": ("._realtime", "RealtimeReconnect"),
    "RealtimeReconnected": ("._realtime", "RealtimeReconnected"),
    "RealtimeSendQueueFullError": ("._realtime", "RealtimeSendQueueFullError"),
    "UnknownRealtimeEvent": ("._realtime", "UnknownRealtimeEvent"),
    "SyncWebSocketConnectionOptions": ("._realtime", "SyncWebSocketConnectionOptions"),
    "WebSocketConnectionOptions": ("._realtime", "WebSocketConnectionOptions"),
    "WebsocketConnectionOptions": ("._realtime", "WebsocketConnectionOptions"),
    "WebSocketConnectionClosedError": ("._realtime", "RealtimeConnectionClosedError"),
    "WebSocketQueueFullError": ("._realtime", "RealtimeSendQueueFullError"),
    "RedisRateLimiter": ("._redis", "RedisRateLimiter"),
}
"""Names whose modules load on first use (PEP 562): the page classes (~15 pydantic generic classes, the
largest import of the core), realtime and the Redis limiter are not needed by a process that only
streams a completion, and ``import oai`` plus one call is what every short-lived program pays."""


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "AsyncRealtimeConnectionBase",
    "AsyncRealtimeConnectionManagerBase",
    "AsyncRealtimeConnectionResource",
    "RealtimeAPIError",
    "RealtimeConnectionClosedError",
    "RealtimeProtocolError",
    "RealtimeReconnect",
    "RealtimeReconnected",
    "RealtimeSendQueueFullError",
    "UnknownRealtimeEvent",
    "SyncWebSocketConnectionOptions",
    "WebSocketConnectionOptions",
    "WebsocketConnectionOptions",
    "RealtimeConnectionBase",
    "RealtimeConnectionManagerBase",
    "RealtimeConnectionResource",
    "DEFAULT_CONNECTION_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "EVENT_ENVELOPE",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "BaseModel",
    "HttpxBinaryResponseContent",
    "WebSocketConnectionClosedError",
    "WebSocketQueueFullError",
    "LegacyAPIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "AsyncAPIResponse",
    "AsyncConversationCursorPage",
    "AsyncCursorPage",
    "AsyncNextCursorPage",
    "AsyncNextPage",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncResponseContextManager",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "BinaryAPIResponse",
    "EventEnvelope",
    "Body",
    "ConflictError",
    "DefaultAioHttpClient",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "FileContent",
    "FileTypes",
    "Headers",
    "InternalServerError",
    "NotFoundError",
    "NotGiven",
    "Omit",
    "OpenAIError",
    "PermissionDeniedError",
    "Query",
    "RateLimitError",
    "RateLimiter",
    "RateLimiterUnavailableError",
    "RateLimitQueueError",
    "RateLimitQueueFullError",
    "RateLimitQueueTimeoutError",
    "InProcessRateLimiter",
    "RedisRateLimiter",
    "RequestOptions",
    "ResponseContextManager",
    "SSEDecoder",
    "SSEEventTooLarge",
    "Stream",
    "StreamIncomplete",
    "StreamInterrupted",
    "StreamPartial",
    "StreamStats",
    "ServerSentEvent",
    "SyncAPIClient",
    "SyncAPIResource",
    "SyncConversationCursorPage",
    "SyncCursorPage",
    "SyncNextCursorPage",
    "SyncNextPage",
    "SyncPage",
    "Timeout",
    "TimeoutTypes",
    "Transport",
    "NoneType",
    "ProxiesTypes",
    "UnknownStreamEvent",
    "UnprocessableEntityError",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "file_from_path",
    "form_body",
    "make_request_options",
    "module_resource",
    "not_given",
    "omit",
    "path_param",
    "raw_body",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

# Lowercase names of __all__ that users import from the package root (the official SDK's sentinels and
# helper), not plumbing for generated code; the generator re-exports them with the classes.
__reexported_values__ = ["file_from_path", "not_given", "omit"]
