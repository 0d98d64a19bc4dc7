"""oai's handwritten core: everything that is not specific to one endpoint.

Generated code imports from here; nothing here imports generated code. The
module map is in ``docs/architecture.md``: shared, I/O-free modules at this
level; the async half in ``_async/`` and the sync half in ``_sync/``, written
from it by ``scripts/unasync.py``. ``__all__`` below is the core's public
surface: the generator reads it (without importing) to know what it may
re-export.
"""

from ._async._client import AsyncAPIClient
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
from ._realtime import (
    RealtimeAPIError,
    RealtimeConnectionClosedError,
    RealtimeProtocolError,
    RealtimeReconnect,
    RealtimeReconnected,
    RealtimeSendQueueFullError,
    UnknownRealtimeEvent,
    WebSocketConnectionOptions,
    WebsocketConnectionOptions,
)
from ._redis import RedisRateLimiter
from ._response import BinaryAPIResponse, LegacyAPIResponse
from ._sse import ServerSentEvent, SSEDecoder, SSEEventTooLarge
from ._stats import StreamPartial, StreamStats
from ._streaming import EVENT_ENVELOPE, EventEnvelope, UnknownStreamEvent
from ._sync._client import SyncAPIClient
from ._sync._pagination import SyncConversationCursorPage, SyncCursorPage, SyncNextCursorPage, SyncNextPage, SyncPage
from ._sync._realtime import RealtimeConnectionBase, RealtimeConnectionManagerBase, RealtimeConnectionResource
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

# The official SDK's names for classes oai has under its own: same behaviour, so code that names them runs.
HttpxBinaryResponseContent = BinaryAPIResponse
WebSocketConnectionClosedError = RealtimeConnectionClosedError
WebSocketQueueFullError = RealtimeSendQueueFullError

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
