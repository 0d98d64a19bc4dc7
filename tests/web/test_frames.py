"""oai.web's frames without a server: the encoding, what ``events=`` selects, text deltas, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest
from oai import APIStatusError, APIStreamError, OpenAI, ServerSentEvent, SSEDecoder
from oai._core._logging import register_secret
from oai._core._models import parse_model_json
from oai.lib.streaming.chat._events import ContentDeltaEvent
from oai.types import ChatCompletionChunk, Completion, ResponseCompletedEvent, ResponseTextDeltaEvent
from oai.types._models.assistant_stream_event import AssistantStreamEvent
from oai.web import EventStreamApp, sse_app, sse_response, text_deltas
from oai.web._frames import encode, error_frame, frame_for


def _decode(frame: bytes | None) -> ServerSentEvent:
    assert frame is not None
    (event,) = SSEDecoder().iter_bytes([frame])
    return event


def _chunk(content: str | None = "Hi") -> ChatCompletionChunk:
    delta: dict[str, Any] = {} if content is None else {"content": content}
    return ChatCompletionChunk.model_validate(
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
        }
    )


def _text_delta(text: str) -> ResponseTextDeltaEvent:
    return ResponseTextDeltaEvent.model_validate(
        {
            "type": "response.output_text.delta",
            "item_id": "msg_1",
            "output_index": 0,
            "content_index": 0,
            "delta": text,
            "sequence_number": 3,
            "logprobs": [],
        }
    )


def test_data_with_line_breaks_arrives_whole() -> None:
    frame = encode("one\ntwo\r\nthree", event="note", id="7", retry=1500)
    assert frame == b"event: note\nid: 7\nretry: 1500\ndata: one\ndata: two\ndata: three\n\n"
    event = _decode(frame)
    assert (event.event, event.data, event.id, event.retry) == ("note", "one\ntwo\nthree", "7", 1500)


def test_an_event_name_or_id_that_cannot_be_sent_is_refused() -> None:
    with pytest.raises(ValueError, match="line break"):
        encode("x", event="a\nb")
    with pytest.raises(ValueError, match="NUL"):
        encode("x", id="a\0b")


def test_every_event_as_json_named_by_its_type() -> None:
    event = _decode(frame_for(_text_delta(" pipes"), None))
    assert event.event == "response.output_text.delta"
    assert json.loads(event.data)["delta"] == " pipes"

    chunk = _decode(frame_for(_chunk(), None))
    assert chunk.event == "message"  # a raw chat chunk has no type: an unnamed event
    assert ChatCompletionChunk.model_validate_json(chunk.data).choices[0].delta.content == "Hi"


def test_a_collection_of_names_filters() -> None:
    names = ["response.completed"]
    assert frame_for(_text_delta("x"), names) is None
    assert frame_for(_text_delta("x"), ["response.output_text.delta"]) is not None
    assert frame_for(_chunk(), names) is None


def test_a_function_projects() -> None:
    assert frame_for(_chunk(), lambda e: None) is None
    assert _decode(frame_for(_chunk(), lambda e: "plain")).data == "plain"
    assert json.loads(_decode(frame_for(_chunk(), lambda e: {"n": 1})).data) == {"n": 1}
    custom = _decode(frame_for(_chunk(), lambda e: ServerSentEvent(event="tick", data="1", id="9")))
    assert (custom.event, custom.data, custom.id) == ("tick", "1", "9")


def test_a_single_name_is_not_taken_for_its_letters() -> None:
    app = EventStreamApp(_empty(), events="response.completed")
    assert app.events == ("response.completed",)


async def _empty() -> Any:
    return
    yield


def test_text_deltas_of_every_stream_kind() -> None:
    assert text_deltas(_chunk("Hi")) == "Hi"
    assert text_deltas(_chunk(None)) is None
    assert text_deltas(_text_delta(" there")) == " there"
    assert text_deltas(ContentDeltaEvent(type="content.delta", delta="yo", snapshot="yo")) == "yo"
    completion = {"id": "c", "object": "text_completion", "created": 1, "model": "m", "choices": [{"text": "ok"}]}
    assert text_deltas(parse_model_json(Completion, json.dumps(completion))) == "ok"
    content = [{"index": 0, "type": "text", "text": {"value": "A"}}]
    delta = {"id": "m", "object": "thread.message.delta", "delta": {"content": content}}
    assistants: object = parse_model_json(
        AssistantStreamEvent, json.dumps({"event": "thread.message.delta", "data": delta})
    )
    assert text_deltas(assistants) == "A"
    assert text_deltas(_text_delta("")) is None
    done = {"type": "response.completed", "response": {"id": "r"}, "sequence_number": 1}
    assert text_deltas(parse_model_json(ResponseCompletedEvent, json.dumps(done))) is None


def test_error_frames_say_what_an_oai_error_says_and_nothing_of_other_errors() -> None:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx.Response(
        429, json={"error": {"message": "Slow down", "type": "requests", "code": "rate"}}, request=request
    )
    status = json.loads(_decode(error_frame(APIStatusError("Slow down", response=response, body=response.json()))).data)
    assert status["error"]["status"] == 429 and status["error"]["code"] == "rate"
    assert status["error"]["exception"] == "APIStatusError"

    internal = _decode(error_frame(KeyError("/etc/passwd")))
    assert internal.event == "error" and internal.id == "oai-end"
    assert "passwd" not in internal.data and json.loads(internal.data)["error"]["exception"] == "internal"


def test_error_frames_carry_no_secret() -> None:
    secret = "sk-web-frames-secret-0123456789"
    register_secret(secret)
    error = APIStreamError(f"upstream said: bad key {secret}", body={"error": {"message": secret}})
    frame = error_frame(error)
    assert secret.encode() not in frame
    assert "bad key" in json.loads(_decode(frame).data)["error"]["message"]


def test_sync_streams_and_other_objects_are_refused_with_a_reason() -> None:
    client = OpenAI(api_key="sk-unused-0000000000", base_url="http://127.0.0.1:9/v1")
    manager = client.chat.completions.stream(model="m", messages=[])  # a sync manager: nothing sent yet
    with pytest.raises(TypeError, match="blocks every other request"):
        sse_response(manager)
    with pytest.raises(TypeError, match="got int"):
        sse_app(3)
    with pytest.raises(ValueError, match="keepalive"):
        sse_app(_empty(), keepalive=0)


def test_importing_oai_or_oai_web_imports_no_starlette() -> None:
    code = (
        "import sys, oai; assert 'oai.web' not in sys.modules and 'starlette' not in sys.modules; "
        "import oai.web; assert 'starlette' not in sys.modules; print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr


def test_the_starlette_response_takes_headers_of_its_own() -> None:
    response = sse_response(_empty(), headers={"Cache-Control": "no-store", "X-Trace": "abc"})
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-trace"] == "abc"
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers.getlist("cache-control") == ["no-store"]
