"""Assistants run streams into an AssistantEventHandler, and the polling helpers with their time bound."""

from __future__ import annotations

import time
from typing import Any

import pytest
from oai import AssistantEventHandler, AsyncAssistantEventHandler, AsyncOpenAI, OpenAI, PollTimeoutError

from ._server import Reply, ScriptedServer, stream_reply


def _run(status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "run_1",
        "object": "thread.run",
        "created_at": 1,
        "thread_id": "thread_1",
        "assistant_id": "asst_1",
        "status": status,
        "model": "gpt-4o",
        "instructions": "",
        "tools": [],
        **extra,
    }


def _message(text: str, status: str = "in_progress") -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"type": "text", "text": {"value": text, "annotations": []}}] if text else []
    return {
        "id": "msg_1",
        "object": "thread.message",
        "created_at": 1,
        "thread_id": "thread_1",
        "role": "assistant",
        "status": status,
        "content": content,
    }


def _delta(index: int, value: str) -> dict[str, Any]:
    block = {"index": index, "type": "text", "text": {"value": value}}
    return {"id": "msg_1", "object": "thread.message.delta", "delta": {"content": [block]}}


def _run_stream() -> list[bytes]:
    events = [
        ("thread.run.created", _run("queued")),
        ("thread.run.in_progress", _run("in_progress")),
        ("thread.message.created", _message("")),
        ("thread.message.delta", _delta(0, "Hello")),
        ("thread.message.delta", _delta(0, ", world")),
        ("thread.message.completed", _message("Hello, world", "completed")),
        ("thread.run.completed", _run("completed")),
    ]
    import json

    parts = [f"event: {name}\ndata: {json.dumps(data)}\n\n".encode() for name, data in events]
    return [*parts, b"event: done\ndata: [DONE]\n\n"]


class Recorder(AssistantEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, Any]] = []

    def on_text_created(self, text: Any) -> None:
        self.calls.append(("text_created", text.value))

    def on_text_delta(self, delta: Any, snapshot: Any) -> None:
        self.calls.append(("text_delta", (delta.value, snapshot.value)))

    def on_text_done(self, text: Any) -> None:
        self.calls.append(("text_done", text.value))

    def on_message_done(self, message: Any) -> None:
        self.calls.append(("message_done", message.status))

    def on_end(self) -> None:
        self.calls.append(("end", None))


def test_run_stream_calls_the_handler_sync(scripted: ScriptedServer, client: OpenAI) -> None:
    scripted.script("POST", "/threads/thread_1/runs", stream_reply(_run_stream()))
    with client.beta.threads.runs.stream(
        thread_id="thread_1", assistant_id="asst_1", event_handler=Recorder()
    ) as handler:
        handler.until_done()
        run = handler.get_final_run()
        messages = handler.get_final_messages()
    assert run.status == "completed"
    assert handler.calls == [
        ("text_created", "Hello"),
        ("text_delta", ("Hello", "Hello")),
        ("text_delta", (", world", "Hello, world")),
        ("text_done", "Hello, world"),
        ("message_done", "completed"),
        ("end", None),
    ]
    assert messages[0].content[0].text.value == "Hello, world"  # type: ignore[union-attr]
    body = scripted.requests[-1].json()
    assert body == {"assistant_id": "asst_1", "stream": True}


class AsyncTexts(AsyncAssistantEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.done: list[str] = []

    async def on_text_done(self, text: Any) -> None:
        self.done.append(text.value)


async def test_create_and_run_stream_async(scripted: ScriptedServer, aclient: AsyncOpenAI) -> None:
    scripted.script("POST", "/threads/runs", stream_reply(_run_stream()))
    async with aclient.beta.threads.create_and_run_stream(assistant_id="asst_1", event_handler=AsyncTexts()) as handler:
        deltas = [text async for text in handler.text_deltas]
    assert deltas == ["Hello", ", world"] and handler.done == ["Hello, world"]
    assert (await handler.get_final_run()).status == "completed"


class Exploding(AssistantEventHandler):
    def on_text_delta(self, delta: Any, snapshot: Any) -> None:
        raise RuntimeError("bad callback")


def test_a_callback_exception_propagates(scripted: ScriptedServer, client: OpenAI) -> None:
    scripted.script("POST", "/threads/thread_1/runs", stream_reply(_run_stream()))
    with pytest.raises(RuntimeError, match="bad callback"):
        with client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="a", event_handler=Exploding()) as h:
            h.until_done()


def _polled(*statuses: str, hint_ms: int = 10) -> list[Reply]:
    return [Reply(body=_run(status), headers={"openai-poll-after-ms": str(hint_ms)}) for status in statuses]


def test_create_and_poll_follows_the_server_hint_sync(scripted: ScriptedServer, client: OpenAI) -> None:
    scripted.script("POST", "/threads/thread_1/runs", Reply(body=_run("queued")))
    scripted.script("GET", "/threads/thread_1/runs/run_1", *_polled("queued", "in_progress", "requires_action"))
    started = time.monotonic()
    run = client.beta.threads.runs.create_and_poll(thread_id="thread_1", assistant_id="asst_1")
    assert run.status == "requires_action"
    assert time.monotonic() - started < 5  # 10 ms hints, not the 1 s default
    assert [r.method for r in scripted.requests] == ["POST", "GET", "GET", "GET"]
    assert scripted.requests[0].json() == {"assistant_id": "asst_1", "stream": False}


async def test_submit_tool_outputs_and_poll_async(scripted: ScriptedServer, aclient: AsyncOpenAI) -> None:
    scripted.script("POST", "/threads/thread_1/runs/run_1/submit_tool_outputs", Reply(body=_run("in_progress")))
    scripted.script("GET", "/threads/thread_1/runs/run_1", *_polled("in_progress", "completed"))
    run = await aclient.beta.threads.runs.submit_tool_outputs_and_poll(
        tool_outputs=[{"tool_call_id": "call_1", "output": "sunny"}], run_id="run_1", thread_id="thread_1"
    )
    assert run.status == "completed"
    assert scripted.requests[0].json()["tool_outputs"] == [{"tool_call_id": "call_1", "output": "sunny"}]


def test_poll_timeout_is_a_typed_wall_clock_bound_sync(scripted: ScriptedServer, client: OpenAI) -> None:
    scripted.route("GET", "/threads/thread_1/runs/run_1", lambda request: _polled("in_progress", hint_ms=50)[0])
    started = time.monotonic()
    with pytest.raises(PollTimeoutError) as info:
        client.beta.threads.runs.poll("run_1", "thread_1", poll_timeout=0.4)
    waited = time.monotonic() - started
    assert info.value.last.status == "in_progress" and "run run_1" in str(info.value)
    assert "last status: 'in_progress'" in str(info.value)
    assert isinstance(info.value, TimeoutError) and isinstance(info.value, RuntimeError)
    assert 0.3 <= waited < 3 and len(scripted.requests) >= 3


async def test_poll_timeout_async(scripted: ScriptedServer, aclient: AsyncOpenAI) -> None:
    scripted.route("GET", "/threads/thread_1/runs/run_1", lambda request: _polled("queued", hint_ms=50)[0])
    with pytest.raises(PollTimeoutError):
        await aclient.beta.threads.runs.poll("run_1", "thread_1", poll_timeout=0.3)


def _file(status: str = "processed") -> dict[str, Any]:
    return {
        "id": "file_1",
        "object": "file",
        "bytes": 3,
        "created_at": 1,
        "filename": "a.txt",
        "purpose": "assistants",
        "status": status,
    }


def _vs_file(status: str) -> dict[str, Any]:
    return {
        "id": "file_1",
        "object": "vector_store.file",
        "usage_bytes": 3,
        "created_at": 1,
        "vector_store_id": "vs_1",
        "status": status,
        "last_error": None,
    }


def test_vector_store_upload_and_poll_sync(scripted: ScriptedServer, client: OpenAI) -> None:
    scripted.script("POST", "/files", Reply(body=_file()))
    scripted.script("POST", "/vector_stores/vs_1/files", Reply(body=_vs_file("in_progress")))
    scripted.script(
        "GET",
        "/vector_stores/vs_1/files/file_1",
        Reply(body=_vs_file("in_progress"), headers={"openai-poll-after-ms": "5"}),
        Reply(body=_vs_file("completed")),
    )
    done = client.vector_stores.files.upload_and_poll(vector_store_id="vs_1", file=("a.txt", b"abc"))
    assert done.status == "completed"
    upload = scripted.requests[0]
    assert upload.headers["content-type"].startswith("multipart/form-data") and b"assistants" in upload.body
    assert scripted.requests[1].json() == {"file_id": "file_1"}


def _batch(in_progress: int) -> dict[str, Any]:
    counts = {"in_progress": in_progress, "completed": 3 - in_progress, "failed": 0, "cancelled": 0, "total": 3}
    status = "in_progress" if in_progress else "completed"
    return {
        "id": "vsfb_1",
        "object": "vector_store.files_batch",
        "created_at": 1,
        "vector_store_id": "vs_1",
        "status": status,
        "file_counts": counts,
    }


async def test_file_batches_upload_and_poll_async(scripted: ScriptedServer, aclient: AsyncOpenAI) -> None:
    scripted.route("POST", "/files", lambda request: Reply(body=_file()))
    scripted.script("POST", "/vector_stores/vs_1/file_batches", Reply(body=_batch(3)))
    scripted.script(
        "GET",
        "/vector_stores/vs_1/file_batches/vsfb_1",
        Reply(body=_batch(1), headers={"openai-poll-after-ms": "5"}),
        Reply(body=_batch(0)),
    )
    files = [("a.txt", b"a"), ("b.txt", b"b"), ("c.txt", b"c")]
    batch = await aclient.vector_stores.file_batches.upload_and_poll(
        "vs_1", files=files, file_ids=["file_0"], max_concurrency=2
    )
    assert batch.file_counts.completed == 3
    create = next(r for r in scripted.requests if r.path.endswith("/file_batches"))
    assert create.json()["file_ids"] == ["file_0", "file_1", "file_1", "file_1"]
    assert sum(r.path == "/v1/files" for r in scripted.requests) == 3


def test_files_wait_for_processing_sync(scripted: ScriptedServer, client: OpenAI) -> None:
    scripted.script("GET", "/files/file_1", Reply(body=_file("uploaded")), Reply(body=_file("processed")))
    processed = client.files.wait_for_processing("file_1", poll_interval=0.01)
    assert vars(processed)["status"] == "processed"  # (the spec marks `status` deprecated: no warning here)
    scripted.route("GET", "/files/file_1", lambda request: Reply(body=_file("uploaded")))
    with pytest.raises(PollTimeoutError):
        client.files.wait_for_processing("file_1", poll_interval=0.05, max_wait_seconds=0.2)
