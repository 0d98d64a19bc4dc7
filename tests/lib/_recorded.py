"""Recorded streams as the typed chunks and events the raw stream yields (how the core parses them)."""

from __future__ import annotations

import json
from typing import Any

from oai import SSEDecoder, UnknownStreamEvent
from oai._core._models import parse_model, parse_model_json
from oai.types import ChatCompletionChunk, ResponseStreamEvent

from ._server import fixture


def data_messages(body: bytes) -> list[str]:
    return [event.data for event in SSEDecoder().iter_bytes([body]) if event.data and event.data != "[DONE]"]


def chat_chunks(name: str) -> list[ChatCompletionChunk]:
    return [parse_model_json(ChatCompletionChunk, data) for data in data_messages(fixture(name))]


def chunk(**fields: Any) -> ChatCompletionChunk:
    base: dict[str, Any] = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    return parse_model(ChatCompletionChunk, {**base, **fields})


def response_events(source: bytes | list[dict[str, Any]]) -> list[Any]:
    raw: list[dict[str, Any]] = [json.loads(d) for d in data_messages(source)] if isinstance(source, bytes) else source
    return [_event(event) for event in raw]


def _event(data: dict[str, Any]) -> Any:
    event_type: Any = ResponseStreamEvent
    return parse_model_json(event_type, json.dumps(data), unknown=UnknownStreamEvent)


def without(events: list[dict[str, Any]], *fields: str) -> list[dict[str, Any]]:
    """The events with ``fields`` removed everywhere at the top level (what llama.cpp leaves out)."""
    return [{k: v for k, v in event.items() if k not in fields} for event in events]


def raw_events(name: str) -> list[dict[str, Any]]:
    return [json.loads(d) for d in data_messages(fixture(name))]
