"""What a stream's events become on the wire of a server-sent event response (no I/O).

The encoding follows the HTML standard's event stream format (section
9.2.5): a frame is ``event:`` / ``id:`` / ``retry:`` fields and one ``data:``
line per line of the data, ended by a blank line; a line starting with a
colon is a comment, which a browser ignores (the keep-alive). A data text
holding line breaks is split across ``data:`` lines, which a browser's
``EventSource`` joins with LF again (a CR is a line break there too, so it
arrives as LF).

``events=`` of :func:`~oai.web.sse_response` picks what is sent:

* ``None``: every event, as JSON (``model_dump_json``, the fields the event
  came with), named by its ``type`` (Responses, the helpers' events) or
  ``event`` (Assistants); a raw chat chunk has neither, so it is an unnamed
  event (``onmessage`` in a browser);
* a collection of names: only the events with one of those names, as above;
* a function of the event: ``None`` skips it, a ``str`` is sent as the data,
  an :class:`~oai.ServerSentEvent` as it is (its ``event``, ``data``, ``id``,
  ``retry``), anything else as JSON. :func:`text_deltas` is one: the text
  deltas only, of any stream kind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from typing import Any, TypeAlias

import pydantic

from .._core import APIError, APIStatusError, OpenAIError, ServerSentEvent

__all__ = [
    "DONE_EVENT",
    "END_ID",
    "ERROR_EVENT",
    "KEEPALIVE",
    "EventSelection",
    "done_frame",
    "encode",
    "error_frame",
    "frame_for",
    "text_deltas",
]

EventSelection: TypeAlias = "Collection[str] | Callable[[Any], Any] | None"
"""What ``events=`` takes (see the module docstring)."""

DONE_EVENT = "done"
"""The name of the frame sent after the last event (data ``[DONE]``): a page closes its EventSource on it."""

ERROR_EVENT = "error"
"""The name of the frame sent when the stream fails (data: ``{"error": {...}}``)."""

END_ID = "oai-end"
"""The event id of both final frames. A browser that reconnects anyway sends it back as ``Last-Event-ID``
and is answered 204 No Content, which tells an ``EventSource`` to stop (HTML standard 9.2.3)."""

KEEPALIVE = b": keep-alive\n\n"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def encode(data: str, *, event: str | None = None, id: str | None = None, retry: int | None = None) -> bytes:
    """One event stream frame. ``event`` and ``id`` may not hold a line break (nor ``id`` a NUL):
    the standard has no way to send one, so they are refused rather than sent cut."""
    parts: list[str] = []
    if event is not None and event != "message":
        parts.append(f"event: {_field('event', event)}\n")
    if id is not None and id != "":
        if "\0" in id:
            raise ValueError("An event id cannot hold a NUL character (a browser ignores such an id).")
        parts.append(f"id: {_field('id', id)}\n")
    if retry is not None:
        parts.append(f"retry: {int(retry)}\n")
    for line in _LINE_BREAK.split(data):
        parts.append(f"data: {line}\n")
    parts.append("\n")
    return "".join(parts).encode("utf-8")


def _field(name: str, value: str) -> str:
    if _LINE_BREAK.search(value):
        raise ValueError(f"An event's {name} cannot hold a line break: {value!r}")
    return value


def event_name(event: object) -> str | None:
    """The name an event is sent under: its ``type`` (Responses, the helpers) or ``event`` (Assistants)."""
    for attribute in ("type", "event"):
        name = getattr(event, attribute, None)
        if isinstance(name, str):
            return name
    return None


def _json(value: object) -> str:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump_json(exclude_unset=True, by_alias=True, warnings=False)
    return json.dumps(value, ensure_ascii=False, default=_jsonable)


def _jsonable(value: object) -> object:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", exclude_unset=True, by_alias=True, warnings=False)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def frame_for(event: object, selection: EventSelection) -> bytes | None:
    """The frame ``event`` becomes under ``selection`` (``None``: it is not sent)."""
    if selection is None:
        return encode(_json(event), event=event_name(event))
    if callable(selection):
        return _projected(selection(event))
    return encode(_json(event), event=event_name(event)) if event_name(event) in selection else None


def _projected(value: object) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, ServerSentEvent):
        return encode(value.data, event=value.event, id=value.id, retry=value.retry)
    if isinstance(value, str):
        return encode(value)
    return encode(_json(value))


def done_frame() -> bytes:
    return encode("[DONE]", event=DONE_EVENT, id=END_ID)


def error_frame(error: BaseException) -> bytes:
    """The ``error`` frame for ``error``: an oai error's message (already free of secrets), the server's
    ``type`` / ``code`` / ``param`` and the HTTP status where known; for anything else, no detail at all
    (it may be a bug of the application, whose text is not for the browser)."""
    if isinstance(error, OpenAIError):
        detail: dict[str, object] = {"message": str(error), "exception": type(error).__name__}
        if isinstance(error, APIError):
            detail.update(
                {"type": error.type, "code": error.code, "param": error.param, "request_id": error.request_id}
            )
        if isinstance(error, APIStatusError):
            detail["status"] = error.status_code
    else:
        detail = {"message": "The stream failed on the server.", "exception": "internal"}
    return encode(json.dumps({"error": detail}, ensure_ascii=False), event=ERROR_EVENT, id=END_ID)


def text_deltas(event: Any) -> str | None:
    """The new text an event carries, for ``events=text_deltas``: ``None`` for events that carry none.

    Knows a raw chat chunk (``choices[].delta.content``), a completions chunk
    (``choices[].text``), the chat helper's ``content.delta``, the Responses
    ``response.output_text.delta`` and the Assistants ``thread.message.delta``.
    """
    name = event_name(event)
    if name in ("content.delta", "response.output_text.delta"):
        delta = getattr(event, "delta", None)
        return delta if isinstance(delta, str) and delta else None
    if name == "thread.message.delta":
        return _assistant_text(getattr(event, "data", None))
    choices = getattr(event, "choices", None)
    if name is None and isinstance(choices, list):
        texts: list[str] = []
        for choice in choices:  # pyright: ignore[reportUnknownVariableType]
            delta = getattr(choice, "delta", None)  # pyright: ignore[reportUnknownArgumentType]
            text = getattr(delta, "content", None) if delta is not None else getattr(choice, "text", None)  # pyright: ignore[reportUnknownArgumentType]
            if isinstance(text, str):
                texts.append(text)
        return "".join(texts) or None
    return None


def _assistant_text(data: object) -> str | None:
    delta = getattr(data, "delta", None)
    parts = getattr(delta, "content", None)
    if not isinstance(parts, list):
        return None
    texts: list[str] = []
    for part in parts:  # pyright: ignore[reportUnknownVariableType]
        value = getattr(getattr(part, "text", None), "value", None)  # pyright: ignore[reportUnknownArgumentType]
        if isinstance(value, str):
            texts.append(value)
    return "".join(texts) or None
