"""What the sync and async Realtime connections share; no I/O here.

The Realtime API is a WebSocket session (RFC 6455) in which both sides send JSON
objects, one per text frame, each tagged by its ``type``. The connections in
``_async/_realtime.py`` (the source) and ``_sync/_realtime.py`` (written from it
by ``scripts/unasync.py``) do the I/O through ``_async/_websocket.py`` /
``_sync/_websocket.py``; this module holds what needs none:

* the handshake: the URL (``base_url`` with ``http`` -> ``ws``, ``https`` ->
  ``wss``, or the client's ``websocket_base_url``, plus ``/realtime`` and the
  query), the headers (the client's key, organization, project and default
  headers, then the caller's), the client's TLS context, the three timeouts;
* events: encoding what the caller sends (a model or a dict, ``NOT_GIVEN``
  left out) and parsing what the server sends into the event union the
  generated code hands over (lenient, ``UnknownRealtimeEvent`` for a type this
  SDK does not know yet);
* the handlers registered with ``on`` / ``once``;
* what a reconnect needs to know (:class:`SessionMemory`): the session settings
  sent so far, the conversation items the server reported, the responses in
  progress;
* the errors, all under :class:`~oai.OpenAIError`.

Nothing here imports ``websockets`` (the ``oai[realtime]`` extra) at import
time, and nothing imports generated code.
"""

from __future__ import annotations

import functools
import json
import random
import ssl
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, cast

import httpx
from typing_extensions import TypedDict

from ._encoding import encode_json
from ._errors import APIConnectionError, APIError, APITimeoutError, OpenAIError, make_status_error, server_message
from ._files import flatten_fields
from ._logging import redact
from ._models import UnknownVariant, parse_model_json
from ._timeouts import to_httpx_timeout
from ._tls import default_ssl_context
from ._types import NotGiven, Omit, TimeoutTypes

if TYPE_CHECKING:
    from ._base_client import BaseClient

__all__ = [
    "DEFAULT_MAX_MESSAGE_SIZE",
    "ConnectTarget",
    "EventHandlers",
    "RealtimeAPIError",
    "RealtimeConnectionClosedError",
    "RealtimeProtocolError",
    "RealtimeReconnect",
    "RealtimeReconnected",
    "RealtimeSendQueueFullError",
    "SessionMemory",
    "UnknownRealtimeEvent",
    "WebSocketClosed",
    "SyncWebSocketConnectionOptions",
    "WebSocketConnectionOptions",
    "WebsocketConnectionOptions",
    "closed_error",
    "closed_from",
    "connect_error",
    "connect_target",
    "encode_event",
    "event_type_of",
    "is_reconnectable",
    "parse_event",
    "require_websockets",
]

EXTRA = "oai[realtime]"
"""The extra that installs ``websockets``."""

DEFAULT_MAX_MESSAGE_SIZE = 16 * 2**20
"""Largest server message accepted (websockets' own default is 1 MiB, less than an item with a few
seconds of audio, as ``conversation.item.retrieved`` sends it); ``max_size`` in
``websocket_connection_options`` overrides it."""

ERROR_EVENT = "error"
"""The ``type`` of the server's error events."""

RECONNECTED_EVENT = "connection.reconnected"
"""What handlers register for to hear about a reconnect (:class:`RealtimeReconnected`); no server sends it."""

_RECONNECTABLE_CODES = frozenset({1001, 1006, 1011, 1012, 1013, 1014})
"""Close codes (RFC 6455 section 7.4.1, and the IANA registry for 1012-1014) after which the same request
may succeed again: going away, no close frame (the connection dropped), server error, service restart,
try again later, bad gateway. A normal close (1000), a policy or protocol violation and the
application codes (3000-4999) are the server's decision and end the session."""

_DATA_IN_MESSAGE = 300
"""At most this many characters of a bad frame are quoted in an error message."""


# -- errors ---------------------------------------------------------------------------------------------------------


class RealtimeAPIError(APIError):
    """The server sent an ``error`` event (a client event it could not process, a rate limit...).

    The session stays open: catch this and keep receiving. ``event`` is the typed event,
    ``event_id`` the id of the client event that caused it when the server says so; ``code``,
    ``type``, ``param`` and ``message`` come from its ``error`` object. Raised by ``recv()``
    and iteration unless a handler is registered with ``connection.on("error", ...)``.
    """

    event: Any
    event_id: str | None

    def __init__(self, event: Any, body: Mapping[str, Any]) -> None:
        message = server_message(body) or "The Realtime server reported an error without a message."
        super().__init__(redact(message), None, body=body)
        error = body.get("error")
        event_id = cast("Mapping[str, Any]", error).get("event_id") if isinstance(error, Mapping) else None
        self.event = event
        self.event_id = event_id if isinstance(event_id, str) else None


class RealtimeConnectionClosedError(APIConnectionError):
    """The WebSocket closed: by the server, because the connection dropped, or after ``close()``.

    ``close_code`` and ``close_reason`` are the close frame's (1006: none arrived, the connection dropped).
    ``interrupted_response_ids`` lists responses the server had started and not finished.
    ``unsent`` holds the events (as JSON text) that were queued for a reconnect that did not
    happen, so nothing the caller sent is lost silently.
    """

    close_code: int | None
    close_reason: str
    interrupted_response_ids: list[str]
    unsent: list[str]

    def __init__(
        self,
        *,
        code: int | None,
        reason: str = "",
        interrupted_response_ids: Sequence[str] = (),
        unsent: Sequence[str] = (),
        message: str | None = None,
    ) -> None:
        if message is None:
            message = f"The Realtime connection closed (code {code}{': ' + reason if reason else ''})."
            if interrupted_response_ids:
                message += f" Responses in progress: {', '.join(interrupted_response_ids)}."
        super().__init__(message=redact(message))
        self.close_code = code
        self.close_reason = reason
        self.interrupted_response_ids = list(interrupted_response_ids)
        self.unsent = list(unsent)


@functools.cache
def _websockets_closed_classes() -> tuple[type[RealtimeConnectionClosedError], type[RealtimeConnectionClosedError]]:
    """:class:`RealtimeConnectionClosedError` that is also ``websockets``' ``ConnectionClosedOK`` /
    ``ConnectionClosedError``, which the official SDK lets through: code written for it catches those around its loop.

    ``websockets``' class comes first so that its ``rcvd`` / ``sent`` are there, but the error is
    ours: its ``__init__`` and ``__str__``, and ``code`` as ``APIError`` has it (``websockets``' own
    is a deprecated read-only property). Made with ``type()``, on first use: ``websockets`` is optional."""
    from websockets.exceptions import ConnectionClosedError, ConnectionClosedOK

    namespace: dict[str, object] = {
        "__init__": RealtimeConnectionClosedError.__init__,
        "__str__": APIError.__str__,
        "__module__": RealtimeConnectionClosedError.__module__,
        "code": None,
    }
    clean = type("RealtimeConnectionClosedOK", (ConnectionClosedOK, RealtimeConnectionClosedError), dict(namespace))
    abnormal = type(
        "RealtimeConnectionClosedAbnormally", (ConnectionClosedError, RealtimeConnectionClosedError), namespace
    )
    return cast("type[RealtimeConnectionClosedError]", clean), cast("type[RealtimeConnectionClosedError]", abnormal)


def closed_error(
    closed: WebSocketClosed | None,
    *,
    interrupted_response_ids: Sequence[str] = (),
    unsent: Sequence[str] = (),
    message: str | None = None,
) -> RealtimeConnectionClosedError:
    """The error for a closed connection (``closed``: the close frames; None: closed before, by this side)."""
    code = closed.code if closed is not None else None
    reason = closed.reason if closed is not None else ""
    arguments: dict[str, Any] = {
        "code": code,
        "reason": reason,
        "interrupted_response_ids": interrupted_response_ids,
        "unsent": unsent,
        "message": message,
    }
    try:
        clean, abnormal = _websockets_closed_classes()
    except ImportError:
        return RealtimeConnectionClosedError(**arguments)
    cls = clean if code in (1000, 1001) and not interrupted_response_ids else abnormal
    error = cls(**arguments)
    rcvd, sent = (closed.rcvd, closed.sent) if closed is not None else (None, None)
    error.__dict__.update(rcvd=rcvd, sent=sent, rcvd_then_sent=None if rcvd is None or sent is None else True)
    return error


class RealtimeProtocolError(APIError):
    """The server sent a frame that is not a JSON object; ``data`` holds it as received.

    The connection stays open: the next ``recv()`` returns the next event.
    """

    data: bytes

    def __init__(self, data: bytes, problem: str) -> None:
        text = data.decode("utf-8", "replace")
        quoted = text if len(text) <= _DATA_IN_MESSAGE else text[:_DATA_IN_MESSAGE] + "..."
        super().__init__(redact(f"The Realtime server sent {problem}: {quoted!r}"), None, body=text)
        self.data = data


class RealtimeSendQueueFullError(OpenAIError):
    """A send while reconnecting found the queue full (``RealtimeReconnect.max_queued_sends``); it was not sent."""


# -- events ---------------------------------------------------------------------------------------------------------


class UnknownRealtimeEvent(UnknownVariant):
    """A server event whose ``type`` this SDK does not know yet, with every field the server sent.

    Returned instead of raising when a server sends an event added after this SDK was generated
    (or one of its own): ``event.type`` is its name, the other fields are attributes.
    """


class RealtimeReconnected:
    """What a reconnect restored and what it could not (handlers registered for
    ``"connection.reconnected"`` receive it; ``connection.reconnects`` keeps them all).

    A new WebSocket is a new server session: the session settings are sent again (every
    ``session.update`` sent so far, merged), and the events sent while reconnecting follow in
    order. The conversation does not survive: ``lost_items`` are the items the server had
    reported (as it last reported them, so they can be created again), and
    ``interrupted_response_ids`` the responses that never finished.
    """

    __slots__ = (
        "attempts",
        "close_code",
        "close_reason",
        "interrupted_response_ids",
        "lost_items",
        "resent",
        "session",
    )
    type: Literal["connection.reconnected"] = "connection.reconnected"

    def __init__(
        self,
        *,
        attempts: int,
        close_code: int | None,
        close_reason: str,
        session: Mapping[str, object] | None,
        lost_items: list[Mapping[str, object]],
        interrupted_response_ids: list[str],
        resent: int,
    ) -> None:
        self.attempts = attempts
        self.close_code = close_code
        self.close_reason = close_reason
        self.session = session
        self.lost_items = lost_items
        self.interrupted_response_ids = interrupted_response_ids
        self.resent = resent

    @property
    def lost_item_ids(self) -> list[str]:
        return [str(item["id"]) for item in self.lost_items if "id" in item]

    def __repr__(self) -> str:
        return (
            f"RealtimeReconnected(attempts={self.attempts}, close_code={self.close_code}, "
            f"lost_item_ids={self.lost_item_ids}, interrupted_response_ids={self.interrupted_response_ids}, "
            f"resent={self.resent})"
        )


def event_type_of(event: object) -> str | None:
    """The ``type`` of an event given as a model or a mapping."""
    if isinstance(event, Mapping):
        value = cast("Mapping[str, object]", event).get("type")
    else:
        value = getattr(event, "type", None)
    return value if isinstance(value, str) else None


def encode_event(event: object) -> str:
    """A client event as the text of one frame: compact JSON, ``NOT_GIVEN`` / ``Omit`` values left out,
    a model as the fields the caller set."""
    if not isinstance(event, Mapping) and event_type_of(event) is None:
        raise TypeError(f"a Realtime client event is a model or a dict with a 'type', got {type(event).__name__}")
    return encode_json(cast(object, event)).decode()


def parse_event(event_type: Any, data: bytes | str) -> Any:
    """One server frame as an event of ``event_type`` (the server-event union).

    Lenient like every parse in oai: a field the spec calls required may be missing, unknown
    fields are kept, a ``type`` the union does not know gives :class:`UnknownRealtimeEvent`.
    A frame that is not a JSON object raises :class:`RealtimeProtocolError`.
    """
    raw = data.encode() if isinstance(data, str) else data
    if raw[:1] != b"{" and raw.lstrip()[:1] != b"{":
        try:
            json.loads(raw)
            problem = "a JSON value that is not an object"
        except ValueError:
            problem = "a frame that is not JSON" if raw.strip() else "an empty frame"
        raise RealtimeProtocolError(raw, problem)
    try:
        return parse_model_json(event_type, raw, unknown=UnknownRealtimeEvent)
    except ValueError:  # json.JSONDecodeError: truncated or malformed
        raise RealtimeProtocolError(raw, "a frame that is not JSON") from None


def error_body(event: object) -> Mapping[str, Any]:
    """The JSON of an ``error`` event (for :class:`RealtimeAPIError`)."""
    dump = getattr(event, "model_dump", None)
    if callable(dump):
        return cast("Mapping[str, Any]", dump(mode="json"))
    return cast("Mapping[str, Any]", event) if isinstance(event, Mapping) else {}


# -- handlers -------------------------------------------------------------------------------------------------------


Handler: TypeAlias = Callable[[Any], object]


class EventHandlers:
    """The handlers of one connection, by event type, in the order they were added."""

    def __init__(self) -> None:
        self._by_type: dict[str, list[tuple[Handler, bool]]] = {}

    def add(self, event_type: str, handler: Handler, *, once: bool = False) -> None:
        if not callable(handler):
            raise TypeError(f"a handler must be callable, got {type(handler).__name__}")
        self._by_type.setdefault(event_type, []).append((handler, once))

    def remove(self, event_type: str, handler: Handler | None = None) -> None:
        """Remove ``handler`` (every registration of it), or every handler of ``event_type``."""
        if handler is None:
            self._by_type.pop(event_type, None)
            return
        kept = [(h, once) for h, once in self._by_type.get(event_type, []) if h != handler]
        if kept:
            self._by_type[event_type] = kept
        else:
            self._by_type.pop(event_type, None)

    def has(self, event_type: str) -> bool:
        return bool(self._by_type.get(event_type))

    def take(self, event_type: str) -> list[Handler]:
        """The handlers to call for one event of ``event_type``; ``once`` handlers are removed here."""
        entries = self._by_type.get(event_type)
        if not entries:
            return []
        if any(once for _, once in entries):
            kept = [(h, once) for h, once in entries if not once]
            if kept:
                self._by_type[event_type] = kept
            else:
                del self._by_type[event_type]
        return [h for h, _ in entries]


# -- what a reconnect restores --------------------------------------------------------------------------------------

_ITEM_EVENTS = frozenset(
    {"conversation.item.created", "conversation.item.added", "conversation.item.done", "conversation.item.retrieved"}
)


def _get(value: object, name: str) -> object:
    """A field of a model, or a key of a mapping (what lenient parsing keeps when nothing fits)."""
    if isinstance(value, Mapping):
        return cast("Mapping[str, object]", value).get(name)
    return getattr(value, name, None)


def _as_json(value: object) -> Any:
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json", by_alias=True, exclude_unset=True)
    return value


def _merged(old: Mapping[str, object], new: Mapping[str, object]) -> dict[str, object]:
    """``new`` over ``old``; objects on both sides merge key by key, anything else is replaced."""
    out = dict(old)
    for key, value in new.items():
        before = out.get(key)
        if isinstance(before, Mapping) and isinstance(value, Mapping):
            out[key] = _merged(cast("Mapping[str, object]", before), cast("Mapping[str, object]", value))
        else:
            out[key] = value
    return out


class SessionMemory:
    """What a reconnect needs: the session settings sent so far, the conversation's items, the responses in progress.

    Fed by every event sent (``sent``) and received (``received``); items and responses are
    known only from events the caller received through ``recv()`` or iteration.
    """

    def __init__(self) -> None:
        self.session: dict[str, object] | None = None
        self._items: dict[str, object] = {}
        self._responses: list[str] = []

    def sent(self, event: object, text: str) -> None:
        if event_type_of(event) != "session.update":
            return
        session = json.loads(text).get("session")
        if isinstance(session, Mapping):
            self.session = _merged(self.session or {}, cast("Mapping[str, object]", session))

    def received(self, event: object) -> None:
        kind = event_type_of(event)
        if kind is None:
            return
        if kind in _ITEM_EVENTS:
            item = _get(event, "item")
            item_id = _get(item, "id")
            if isinstance(item_id, str):
                self._items[item_id] = item
        elif kind == "conversation.item.deleted":
            item_id = _get(event, "item_id")
            if isinstance(item_id, str):
                self._items.pop(item_id, None)
        elif kind in ("response.created", "response.done"):
            response_id = _get(_get(event, "response"), "id")
            if not isinstance(response_id, str):
                return
            if kind == "response.created" and response_id not in self._responses:
                self._responses.append(response_id)
            elif kind == "response.done" and response_id in self._responses:
                self._responses.remove(response_id)

    @property
    def responses_in_progress(self) -> list[str]:
        return list(self._responses)

    def forget_conversation(self) -> tuple[list[Mapping[str, object]], list[str]]:
        """The items and unfinished responses of the session that just ended (and forget them)."""
        items = [cast("Mapping[str, object]", _as_json(item)) for item in self._items.values()]
        responses = self._responses
        self._items, self._responses = {}, []
        return items, responses

    def session_update(self) -> str | None:
        """The ``session.update`` that restores the settings on a new session, as frame text."""
        if self.session is None:
            return None
        return encode_json({"type": "session.update", "session": self.session}).decode()


# -- reconnect policy -----------------------------------------------------------------------------------------------


class RealtimeReconnect:
    """Opt-in reconnect: ``client.realtime.connect(..., reconnect=RealtimeReconnect(...))`` (or ``reconnect=True``).

    When the connection drops or the server closes it with a code that allows another try
    (1001, 1006, 1011-1014), the receiving side (``recv()`` / iteration) opens a new WebSocket,
    waiting ``initial_delay`` seconds before the first attempt and doubling up to ``max_delay``
    (with jitter), at most ``max_attempts`` times; each attempt is bounded by the connect
    timeout. It then sends the session settings again and the events sent meanwhile, which
    wait in a queue of at most ``max_queued_sends`` events.
    """

    __slots__ = ("initial_delay", "max_attempts", "max_delay", "max_queued_sends")

    def __init__(
        self,
        *,
        max_attempts: int = 5,
        initial_delay: float = 0.5,
        max_delay: float = 8.0,
        max_queued_sends: int = 256,
    ) -> None:
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be 1 or more, got {max_attempts}")
        if initial_delay < 0 or max_delay < 0:
            raise ValueError("the reconnect delays must not be negative")
        if max_queued_sends < 0:
            raise ValueError(f"max_queued_sends must be 0 or more, got {max_queued_sends}")
        self.max_attempts = max_attempts
        self.initial_delay = initial_delay
        self.max_delay = max_delay
        self.max_queued_sends = max_queued_sends

    def delay(self, attempt: int) -> float:
        """Seconds to wait before attempt ``attempt`` (1-based): exponential, with up to 25 % taken off at random."""
        base = min(self.max_delay, self.initial_delay * 2 ** (attempt - 1))
        return base * (1 - 0.25 * random.random())

    def __repr__(self) -> str:
        return (
            f"RealtimeReconnect(max_attempts={self.max_attempts}, initial_delay={self.initial_delay}, "
            f"max_delay={self.max_delay}, max_queued_sends={self.max_queued_sends})"
        )


def reconnect_policy(reconnect: bool | RealtimeReconnect) -> RealtimeReconnect | None:
    if isinstance(reconnect, RealtimeReconnect):
        return reconnect
    return RealtimeReconnect() if reconnect else None


def is_reconnectable(code: int | None) -> bool:
    return code in _RECONNECTABLE_CODES


# -- the handshake --------------------------------------------------------------------------------------------------


class WebSocketConnectionOptions(TypedDict, total=False):
    """Options handed to ``websockets``' ``connect()`` as they are (its documentation describes them).

    ``max_size`` defaults to 16 MiB here (see ``DEFAULT_MAX_MESSAGE_SIZE``); the handshake
    timeout comes from the ``timeout`` of ``connect()`` unless ``open_timeout`` is given.
    """

    extensions: Sequence[Any] | None
    subprotocols: Sequence[str] | None
    compression: str | None
    max_size: int | None
    max_queue: int | None | tuple[int | None, int | None]
    write_limit: int | tuple[int, int | None]
    open_timeout: float | None
    ping_interval: float | None
    ping_timeout: float | None
    close_timeout: float | None
    proxy: str | bool | None


WebsocketConnectionOptions: TypeAlias = WebSocketConnectionOptions
"""The official SDK's older spelling."""


class SyncWebSocketConnectionOptions(TypedDict, total=False):
    """What the sync ``client.realtime.connect()`` hands to ``websockets.sync.client.connect()``: the options
    of :class:`WebSocketConnectionOptions` that the sync client takes (it has no ``write_limit``)."""

    extensions: Sequence[Any] | None
    subprotocols: Sequence[str] | None
    compression: str | None
    max_size: int | None
    max_queue: int | None | tuple[int | None, int | None]
    open_timeout: float | None
    ping_interval: float | None
    ping_timeout: float | None
    close_timeout: float | None
    proxy: str | bool | None


class WebSocketClosed(Exception):
    """Raised by the WebSocket twins (``_async/_websocket.py``) when the connection is closed: the close code and
    reason (and the close frames), without the ``websockets`` exception types reaching the connection code."""

    def __init__(self, code: int | None, reason: str = "", *, rcvd: object = None, sent: object = None) -> None:
        super().__init__(f"WebSocket closed with code {code}")
        self.code = code
        self.reason = reason
        self.rcvd = rcvd
        self.sent = sent


def closed_from(exc: Any) -> WebSocketClosed:
    """``websockets``' ``ConnectionClosed`` as the close frame the connection got (or sent); 1006 when there was
    none (RFC 6455 section 7.1.5: the connection dropped)."""
    close = exc.rcvd or exc.sent
    if close is None:
        return WebSocketClosed(1006, "the connection dropped without a close frame")
    return WebSocketClosed(int(close.code), str(close.reason), rcvd=exc.rcvd, sent=exc.sent)


class ConnectTarget:
    """Everything one WebSocket handshake needs; kept by the connection to reconnect the same way."""

    __slots__ = ("headers", "open_timeout", "options", "recv_timeout", "send_timeout", "ssl", "url", "user_agent")

    def __init__(
        self,
        *,
        url: str,
        headers: dict[str, str],
        user_agent: str | None,
        ssl: ssl.SSLContext | None,
        open_timeout: float | None,
        recv_timeout: float | None,
        send_timeout: float | None,
        options: dict[str, Any] | None = None,
    ) -> None:
        self.url = url
        self.headers = headers
        self.user_agent = user_agent
        self.ssl = ssl
        self.open_timeout = open_timeout
        self.recv_timeout = recv_timeout
        self.send_timeout = send_timeout
        self.options: dict[str, Any] = options or {}

    def connect_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``websockets``' ``connect()``; the caller's options win."""
        kwargs: dict[str, Any] = {
            "additional_headers": self.headers,
            "user_agent_header": self.user_agent,
            "open_timeout": self.open_timeout,
            "max_size": DEFAULT_MAX_MESSAGE_SIZE,
        }
        if self.ssl is not None:
            kwargs["ssl"] = self.ssl
        kwargs.update(self.options)
        return kwargs


def realtime_url(client: BaseClient, query: Mapping[str, object]) -> str:
    """``websocket_base_url``, or ``base_url`` with ``http`` -> ``ws`` and ``https`` -> ``wss``; then ``/realtime``
    and the query: the base URL's own, the client's default query, then ``query``."""
    if client.websocket_base_url is not None:
        base = httpx.URL(str(client.websocket_base_url))
    else:
        base = client.base_url
        base = base.copy_with(scheme={"http": "ws", "https": "wss"}.get(base.scheme, base.scheme))
    merged: dict[str, object] = {**dict(base.params), **client.default_query, **query}
    url = base.copy_with(path=base.path.rstrip("/") + "/realtime", query=None)
    pairs = flatten_fields(merged)
    return str(url.copy_with(params=pairs) if pairs else url)


def _merge_headers(headers: dict[str, str], extra: Mapping[str, str | Omit | NotGiven]) -> None:
    for key, value in extra.items():
        for existing in [k for k in headers if k.lower() == key.lower()]:
            del headers[existing]
        if not isinstance(value, (Omit, NotGiven)):
            headers[key] = value


def handshake_headers(client: BaseClient, extra: Mapping[str, str | Omit] | None) -> dict[str, str]:
    """The client's credentials and default headers, then ``extra``; an ``Omit()`` value removes a header."""
    headers: dict[str, str] = dict(client.auth_headers)
    if client.organization:
        headers["OpenAI-Organization"] = client.organization
    if client.project:
        headers["OpenAI-Project"] = client.project
    _merge_headers(headers, client._custom_headers)  # pyright: ignore[reportPrivateUsage]
    _merge_headers(headers, extra or {})
    return headers


def tls_context(client: BaseClient) -> ssl.SSLContext:
    """The TLS context of the client's HTTP connection pool, so that ``wss://`` verifies (or not) as HTTPS does.

    httpx keeps it on the pool of its default transports; a custom transport has none to share,
    and the default context (the CA bundle httpx would use) is taken instead.
    """
    transport = getattr(client._http, "_transport", None)  # pyright: ignore[reportPrivateUsage]
    pool = getattr(transport, "_pool", None)
    context = getattr(pool, "_ssl_context", None)
    return context if isinstance(context, ssl.SSLContext) else default_ssl_context()


def connect_target(
    client: BaseClient,
    *,
    query: Mapping[str, object],
    extra_headers: Mapping[str, str | Omit] | None,
    timeout: TimeoutTypes | NotGiven,
    options: Mapping[str, Any] | None,
) -> ConnectTarget:
    """The handshake for ``client.realtime.connect(...)``.

    Timeouts: ``timeout`` given as a number bounds the handshake, each receive and each send;
    an ``httpx.Timeout`` gives them as its ``connect``, ``read`` and ``write`` parts. Not given,
    the handshake and sends take the client's connect and write timeouts and receiving waits as
    long as the session lasts (a Realtime session is silent while nobody speaks).
    """
    url = realtime_url(client, query)
    headers = handshake_headers(client, extra_headers)
    user_agent: str | None = client.user_agent
    for key in [k for k in headers if k.lower() == "user-agent"]:
        user_agent = headers.pop(key)
    if isinstance(timeout, NotGiven):
        parts = to_httpx_timeout(client.timeout)
        recv_timeout = None
    else:
        parts = to_httpx_timeout(timeout)
        recv_timeout = parts.read
    opts = dict(options or {})
    open_timeout = opts.pop("open_timeout", parts.connect)
    return ConnectTarget(
        url=url,
        headers=headers,
        user_agent=user_agent,
        ssl=tls_context(client) if url.startswith("wss:") else None,
        open_timeout=open_timeout,
        recv_timeout=recv_timeout,
        send_timeout=parts.write,
        options=opts,
    )


def require_websockets() -> None:
    """Raise a clear error when the ``websockets`` package (the ``oai[realtime]`` extra) is missing."""
    try:
        import websockets  # noqa: F401  # pyright: ignore[reportUnusedImport]
    except ImportError as exc:
        raise OpenAIError(f"client.realtime.connect() needs the websockets package: pip install '{EXTRA}'") from exc


def connect_error(exc: BaseException, target: ConnectTarget) -> Exception:
    """The oai error for a failed handshake: a status error for an HTTP answer other than 101, a timeout, a
    connection error otherwise (the URL is named; the headers, which carry the key, never are)."""
    from websockets.exceptions import InvalidStatus

    if isinstance(exc, InvalidStatus):
        answer = exc.response
        request = httpx.Request("GET", target.url.replace("ws", "http", 1))
        body = bytes(answer.body or b"")
        response = httpx.Response(
            answer.status_code, headers=list(answer.headers.raw_items()), content=body, request=request
        )
        return make_status_error(response)
    if isinstance(exc, TimeoutError):
        return APITimeoutError(message=f"The Realtime handshake with {redact(target.url)} timed out.")
    return APIConnectionError(message=redact(f"Could not open a Realtime connection to {target.url}: {exc!r}"))
