# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""The generated API as a user meets it: names, typed streams, uploads, binary bodies, pages.

Runs against the committed package (generated/oai with its real core) over an
in-memory transport; check-drift guarantees that package is what the generator makes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import oai
import pytest
from oai import UnknownStreamEvent
from oai._core import AsyncNextCursorPage

Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler) -> oai.OpenAI:
    return oai.OpenAI(
        api_key="k", base_url="http://test/v1", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )


def _sse(*events: tuple[str | None, Any], done: bool = False) -> bytes:
    out = ""
    for name, data in events:
        if name:
            out += f"event: {name}\n"
        out += f"data: {json.dumps(data)}\n\n"
    if done:
        out += "event: done\ndata: [DONE]\n\n"
    return out.encode()


def _stream_response(body: bytes) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)


# -- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dotted",
    [
        "responses.create",
        "responses.retrieve",
        "responses.delete",
        "responses.cancel",
        "responses.compact",
        "responses.input_items.list",
        "responses.input_tokens.count",
        "files.create",
        "files.list",
        "files.retrieve",
        "files.delete",
        "files.content",
        "images.generate",
        "images.edit",
        "images.create_variation",
        "audio.transcriptions.create",
        "audio.translations.create",
        "audio.speech.create",
        "batches.create",
        "batches.cancel",
        "fine_tuning.jobs.create",
        "fine_tuning.jobs.cancel",
        "fine_tuning.jobs.list_events",
        "fine_tuning.jobs.checkpoints.list",
        "vector_stores.create",
        "vector_stores.search",
        "vector_stores.files.create",
        "vector_stores.file_batches.list_files",
        "conversations.create",
        "conversations.items.list",
        "uploads.create",
        "uploads.complete",
        "uploads.parts.create",
        "moderations.create",
        "embeddings.create",
        "models.list",
        "chat.completions.create",
        "chat.completions.messages.list",
        "completions.create",
        "evals.runs.cancel",
        "containers.files.content.retrieve",
        "beta.threads.create_and_run",
        "threads.create_and_run",  # resource_aliases: client.threads is client.beta.threads
        "beta.threads.runs.submit_tool_outputs",
        "beta.threads.messages.create",
        "admin.organization.projects.list",
        "admin.organization.usage.completions",
        "admin.organization.users.roles.create",
        "realtime.client_secrets.create",
    ],
)
def test_official_method_names(dotted: str) -> None:
    target: Any = oai.OpenAI(api_key="k")
    for part in dotted.split("."):
        target = getattr(target, part)
    assert callable(target)


def test_organization_is_not_a_resource() -> None:
    client = oai.OpenAI(api_key="k", organization="org-1")
    assert client.organization == "org-1"


# -- streams -------------------------------------------------------------------------------------


_RESPONSE = {"id": "resp_1", "object": "response", "created_at": 1, "status": "in_progress", "model": "m", "output": []}


def test_responses_stream_yields_each_event_class_by_type() -> None:
    body = _sse(
        ("response.created", {"type": "response.created", "sequence_number": 0, "response": _RESPONSE}),
        (
            "response.output_text.delta",
            {
                "type": "response.output_text.delta",
                "sequence_number": 1,
                "item_id": "msg_1",
                "output_index": 0,
                "content_index": 0,
                "delta": "Hi",
                "logprobs": [],
            },
        ),
        ("response.brand_new", {"type": "response.brand_new", "sequence_number": 2, "extra": 1}),
        ("response.completed", {"type": "response.completed", "sequence_number": 3, "response": _RESPONSE}),
    )  # no [DONE]: a Responses stream ends with the connection, after its terminal event
    requests: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(json.loads(request.content))
        return _stream_response(body)

    with _client(handler).responses.create(model="m", input="hi", stream=True) as stream:
        events = list(stream)
    assert requests == [{"model": "m", "input": "hi", "stream": True}]
    assert [type(e).__name__ for e in events] == [
        "ResponseCreatedEvent",
        "ResponseTextDeltaEvent",
        "UnknownStreamEvent",
        "ResponseCompletedEvent",
    ]
    assert events[1].delta == "Hi"  # type: ignore[union-attr]
    assert isinstance(events[2], UnknownStreamEvent) and events[2].type == "response.brand_new"


def _message(*texts: str) -> dict[str, Any]:
    parts = [{"type": "output_text", "text": t, "annotations": []} for t in texts]
    return {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed", "content": parts}


def test_response_output_text_joins_the_output_like_the_official_sdk() -> None:
    # Servers do not send output_text; code ported from openai prints it.
    output = [{"type": "reasoning", "id": "rs_1", "summary": []}, _message("Hello, ", "world"), _message("!")]
    done = {**_RESPONSE, "status": "completed", "output": output}
    client = _client(lambda _: httpx.Response(200, json=done))
    response = client.responses.create(model="m", input="hi")
    assert response.output_text == "Hello, world!"
    assert "output_text" not in response.to_dict()  # dumps keep what the server sent
    assert client.responses.retrieve("resp_1").output_text == "Hello, world!"
    sent = _client(lambda _: httpx.Response(200, json={**done, "output_text": "as sent"}))
    assert sent.responses.create(model="m", input="hi").output_text == "as sent"

    body = _sse(("response.completed", {"type": "response.completed", "sequence_number": 5, "response": done}))
    events = list(_client(lambda _: _stream_response(body)).responses.create(model="m", input="hi", stream=True))
    assert events[0].response.output_text == "Hello, world!"  # type: ignore[union-attr]


def test_response_output_text_is_a_string_when_nothing_was_said() -> None:
    """As the official SDK's property: ``""`` without output text, never None; not a constructor argument."""
    from oai.types.responses import Response

    response = Response.model_construct(**{**_RESPONSE, "status": "completed", "output": []})
    assert response.output_text == ""
    assert "output_text" not in Response.model_fields


def test_responses_retrieve_can_stream() -> None:
    body = _sse(
        (None, {"type": "response.created", "sequence_number": 0, "response": _RESPONSE}),
        (None, {"type": "response.completed", "sequence_number": 1, "response": _RESPONSE}),
    )
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return _stream_response(body)

    events = list(_client(handler).responses.retrieve("resp_1", stream=True))
    assert [type(e).__name__ for e in events] == ["ResponseCreatedEvent", "ResponseCompletedEvent"]
    assert seen[0].path == "/v1/responses/resp_1" and seen[0].params["stream"] == "true"


def test_image_generation_stream() -> None:
    event = {
        "type": "image_generation.partial_image",
        "b64_json": "AA==",
        "created_at": 1,
        "size": "1024x1024",
        "quality": "low",
        "background": "opaque",
        "output_format": "png",
        "partial_image_index": 0,
    }
    events = list(_client(lambda _: _stream_response(_sse((None, event)))).images.generate(prompt="p", stream=True))
    assert [type(e).__name__ for e in events] == ["ImageGenPartialImageEvent"]


def test_speech_is_binary_unless_it_streams_events() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content).get("stream_format") == "sse":
            return _stream_response(_sse((None, {"type": "speech.audio.delta", "audio": "AA=="})))
        return httpx.Response(200, headers={"content-type": "audio/mpeg"}, content=b"ID3audio")

    client = _client(handler)
    audio = client.audio.speech.create(model="tts-1", voice="alloy", input="hi")
    assert audio.content == b"ID3audio"
    events = list(client.audio.speech.create(model="tts-1", voice="alloy", input="hi", stream_format="sse"))
    assert [type(e).__name__ for e in events] == ["SpeechAudioDeltaEvent"]


def test_assistant_run_stream_yields_event_and_data_and_stops_at_done() -> None:
    run = {
        "id": "run_1",
        "object": "thread.run",
        "created_at": 1,
        "thread_id": "t",
        "assistant_id": "a",
        "status": "queued",
    }
    delta = {"id": "msg_1", "object": "thread.message.delta", "delta": {"content": []}}
    body = _sse(("thread.run.created", run), ("thread.message.delta", delta), done=True)
    events = list(_client(lambda _: _stream_response(body)).beta.threads.create_and_run(assistant_id="a", stream=True))
    assert [(e.event, type(e.data).__name__) for e in events] == [
        ("thread.run.created", "RunObject"),
        ("thread.message.delta", "MessageDeltaObject"),
    ]


# -- uploads, binary bodies, pages ----------------------------------------------------------------


def test_file_upload_is_multipart() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        request.read()
        return httpx.Response(
            200,
            json={
                "id": "file_1",
                "object": "file",
                "bytes": 5,
                "created_at": 1,
                "filename": "a.jsonl",
                "purpose": "batch",
                "status": "uploaded",
            },
        )

    created = _client(handler).files.create(file=("a.jsonl", b"hello"), purpose="batch")
    assert created.id == "file_1"
    request = seen[0]
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b'name="purpose"' in request.content and b"batch" in request.content
    assert b'filename="a.jsonl"' in request.content and b"hello" in request.content


def test_file_content_is_binary() -> None:
    content = _client(lambda _: httpx.Response(200, content=b"\x00\x01raw")).files.content("file_1")
    assert content.content == b"\x00\x01raw"


def test_cursor_pages_follow_after() -> None:
    def file(i: int) -> dict[str, Any]:
        return {
            "id": f"file_{i}",
            "object": "file",
            "bytes": 1,
            "created_at": 1,
            "filename": "f",
            "purpose": "batch",
            "status": "processed",
        }

    afters: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("after")
        afters.append(after)
        if after is None:
            return httpx.Response(
                200,
                json={
                    "object": "list",
                    "data": [file(1), file(2)],
                    "has_more": True,
                    "first_id": "file_1",
                    "last_id": "file_2",
                },
            )
        return httpx.Response(
            200,
            json={"object": "list", "data": [file(3)], "has_more": False, "first_id": "file_3", "last_id": "file_3"},
        )

    ids = [f.id for f in _client(handler).files.list(limit=2)]
    assert ids == ["file_1", "file_2", "file_3"]
    assert afters == [None, "file_2"]


def test_union_response_parses_to_its_member() -> None:
    item = {
        "id": "msg_1",
        "type": "message",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_text", "text": "hi"}],
    }
    got = _client(lambda _: httpx.Response(200, json=item)).conversations.items.retrieve("item_1", conversation_id="c")
    assert type(got).__name__ == "Message"


def test_transcription_stream_is_a_multipart_request() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        body = _sse(
            (None, {"type": "transcript.text.delta", "delta": "he"}),
            (None, {"type": "transcript.text.done", "text": "hello"}),
        )
        return _stream_response(body)

    stream = _client(handler).audio.transcriptions.create(
        file=("a.wav", b"RIFF"), model="gpt-4o-transcribe", stream=True
    )
    assert [type(e).__name__ for e in stream] == ["TranscriptTextDeltaEvent", "TranscriptTextDoneEvent"]
    assert seen[0].headers["content-type"].startswith("multipart/form-data")
    assert b'name="stream"\r\n\r\ntrue' in seen[0].content


# -- `next` cursor pages (groups, roles); usage and costs return the model, next_page and all, as the official SDK --


def _bucket(start: int) -> dict[str, Any]:
    return {"object": "bucket", "start_time": start, "end_time": start + 86400, "results": []}


_USAGE_PAGES = {
    None: {"object": "page", "data": [_bucket(0), _bucket(1)], "has_more": True, "next_page": "tok_2"},
    "tok_2": {"object": "page", "data": [_bucket(2)], "has_more": False, "next_page": None},
}


def _group(group_id: str) -> dict[str, Any]:
    return {"id": group_id, "name": group_id, "created_at": 1, "is_scim_managed": False, "group_type": "group"}


_GROUP_PAGES = {
    None: {"object": "list", "data": [_group("g1")], "has_more": True, "next": "cursor_after_g1"},
    "cursor_after_g1": {"object": "list", "data": [_group("g2")], "has_more": False, "next": None},
}


def _paged(pages: dict[str | None, dict[str, Any]], param: str, seen: list[httpx.URL]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json=pages[request.url.params.get(param)])

    return handler


def test_usage_returns_the_model_with_its_next_page_token_as_the_official_sdk() -> None:
    seen: list[httpx.URL] = []
    client = _client(_paged(_USAGE_PAGES, "page", seen))
    usage = client.admin.organization.usage.completions(start_time=0, bucket_width="1d")
    assert type(usage).__name__ == "UsageResponse"
    assert [b.start_time for b in usage.data] == [0, 1]
    assert (usage.has_more, usage.next_page) == (True, "tok_2")
    assert usage.next_page is not None
    following = client.admin.organization.usage.completions(start_time=0, bucket_width="1d", page=usage.next_page)
    assert [b.start_time for b in following.data] == [2] and following.next_page is None
    assert [u.params.get("page") for u in seen] == [None, "tok_2"]
    assert all(u.params["start_time"] == "0" and u.params["bucket_width"] == "1d" for u in seen)  # query kept


def test_group_pages_follow_next_with_the_after_parameter() -> None:
    seen: list[httpx.URL] = []
    page = _client(_paged(_GROUP_PAGES, "after", seen)).admin.organization.groups.list(limit=1)
    assert [g.id for g in page] == ["g1", "g2"]
    assert [u.params.get("after") for u in seen] == [None, "cursor_after_g1"]  # `next`, not the last id


async def test_async_costs_model_and_next_cursor_pages() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        if request.url.path.endswith("/groups"):
            return httpx.Response(200, json=_GROUP_PAGES[request.url.params.get("after")])
        return httpx.Response(200, json=_USAGE_PAGES[request.url.params.get("page")])

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with oai.AsyncOpenAI(api_key="k", base_url="http://test/v1", http_client=http) as client:
        costs = await client.admin.organization.usage.costs(start_time=0)
        assert [b.start_time for b in costs.data] == [0, 1] and costs.next_page == "tok_2"
        first = await client.admin.organization.groups.list()
        assert isinstance(first, AsyncNextCursorPage) and first.has_next_page()
        assert [g.id for g in (await first.get_next_page()).data] == ["g2"]


def test_page_classes_are_importable_from_oai_pagination_as_from_openai_pagination() -> None:
    from oai.pagination import SyncCursorPage, SyncPage

    models = {"object": "list", "data": [{"id": "m", "object": "model", "created": 1, "owned_by": "o"}]}
    files = {"object": "list", "data": [], "has_more": False}
    assert isinstance(_client(lambda _: httpx.Response(200, json=models)).models.list(), SyncPage)
    assert isinstance(_client(lambda _: httpx.Response(200, json=files)).files.list(), SyncCursorPage)
