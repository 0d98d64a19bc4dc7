"""oai's handwritten core: everything that is not specific to one endpoint.

Generated code imports from here; nothing here imports generated code.
"""

from ._base_client import AsyncAPIClient, SyncAPIClient
from ._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
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
    UnprocessableEntityError,
)
from ._options import RequestOptions, make_request_options
from ._pagination import (
    AsyncCursorPage,
    AsyncNextCursorPage,
    AsyncNextPage,
    AsyncPage,
    AsyncPaginator,
    SyncCursorPage,
    SyncNextCursorPage,
    SyncNextPage,
    SyncPage,
)
from ._paths import path_param
from ._resource import AsyncAPIResource, SyncAPIResource
from ._response import (
    APIResponse,
    AsyncAPIResponse,
    AsyncResponseContextManager,
    BinaryAPIResponse,
    ResponseContextManager,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)
from ._sse import ServerSentEvent, SSEDecoder, SSEEventTooLarge
from ._streaming import EVENT_ENVELOPE, AsyncStream, EventEnvelope, Stream, UnknownStreamEvent
from ._types import NOT_GIVEN, Body, FileTypes, Headers, NotGiven, Omit, Query, Timeout

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "EVENT_ENVELOPE",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "AsyncAPIResponse",
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
    "RequestOptions",
    "ResponseContextManager",
    "SSEDecoder",
    "SSEEventTooLarge",
    "Stream",
    "ServerSentEvent",
    "SyncAPIClient",
    "SyncAPIResource",
    "SyncCursorPage",
    "SyncNextCursorPage",
    "SyncNextPage",
    "SyncPage",
    "Timeout",
    "UnknownStreamEvent",
    "UnprocessableEntityError",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "make_request_options",
    "path_param",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]
