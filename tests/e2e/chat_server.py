# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""A small OpenAI-compatible server for end-to-end tests over real TCP.

It speaks just enough of the API for the generated client: models, chat
completions (streamed the way real servers stream them: a role chunk, one
chunk per word, a finish chunk, an optional usage chunk, then ``[DONE]``),
completions and embeddings. Replies echo the last user message word by word,
so a test can check that what it sent is what came back.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn

API_KEY = "sk-test-e2e"
MODEL = "tiny-echo"

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class Recorded:
    """What the server saw of one request."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class ChatServer:
    """The ASGI app; ``requests`` records every request it served."""

    requests: list[Recorded] = field(default_factory=list[Recorded])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        body: dict[str, Any] = json.loads(raw) if raw else {}
        self.requests.append(Recorded(scope["method"], scope["path"], headers, body))

        if headers.get("authorization") != f"Bearer {API_KEY}":
            error = {
                "message": "Incorrect API key provided.",
                "type": "invalid_request_error",
                "code": "invalid_api_key",
            }
            await _json(send, 401, {"error": error})
            return
        route = (scope["method"], scope["path"])
        if route == ("GET", "/v1/models"):
            await _json(send, 200, {"object": "list", "data": [_model(MODEL), _model("other-model")]})
        elif scope["method"] == "GET" and scope["path"].startswith("/v1/models/"):
            await _json(send, 200, _model(scope["path"].rsplit("/", 1)[1]))
        elif scope["method"] == "DELETE" and scope["path"].startswith("/v1/models/"):
            await _json(send, 200, {"id": scope["path"].rsplit("/", 1)[1], "object": "model", "deleted": True})
        elif route == ("POST", "/v1/chat/completions"):
            await self._chat(send, body)
        elif route == ("POST", "/v1/completions"):
            await self._completion(send, body)
        elif route == ("POST", "/v1/embeddings"):
            inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
            data = [
                {"object": "embedding", "index": i, "embedding": [float(len(str(x))), 0.5, -0.25]}
                for i, x in enumerate(inputs)
            ]
            usage = {"prompt_tokens": len(inputs), "total_tokens": len(inputs)}
            await _json(send, 200, {"object": "list", "data": data, "model": body["model"], "usage": usage})
        else:
            await _json(send, 404, {"error": {"message": f"No route {route}", "type": "invalid_request_error"}})

    async def _chat(self, send: Send, body: dict[str, Any]) -> None:
        if "messages" not in body:
            error = {
                "message": "'messages' is a required property",
                "type": "invalid_request_error",
                "param": "messages",
            }
            await _json(send, 400, {"error": error})
            return
        words = _reply_words(body)
        created = int(time.time())
        base = {"id": "chatcmpl-e2e", "created": created, "model": body["model"], "system_fingerprint": "fp_e2e"}
        if not body.get("stream"):
            message = {"role": "assistant", "content": " ".join(words), "refusal": None}
            choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
            usage = {"prompt_tokens": 3, "completion_tokens": len(words), "total_tokens": 3 + len(words)}
            await _json(send, 200, {**base, "object": "chat.completion", "choices": [choice], "usage": usage})
            return
        await _start_sse(send)

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
            return {**base, "object": "chat.completion.chunk", "choices": [choice]}

        await _event(send, chunk({"role": "assistant", "content": ""}))
        for i, word in enumerate(words):
            await _event(send, chunk({"content": word if i == 0 else " " + word}))
        await _event(send, chunk({}, "stop"))
        options = body.get("stream_options") or {}
        if options.get("include_usage"):
            usage = {"prompt_tokens": 3, "completion_tokens": len(words), "total_tokens": 3 + len(words)}
            await _event(send, {**base, "object": "chat.completion.chunk", "choices": [], "usage": usage})
        await send({"type": "http.response.body", "body": b"data: [DONE]\n\n", "more_body": False})

    async def _completion(self, send: Send, body: dict[str, Any]) -> None:
        words = str(body.get("prompt", "")).split() or ["nothing"]
        base = {"id": "cmpl-e2e", "object": "text_completion", "created": int(time.time()), "model": body["model"]}
        if not body.get("stream"):
            choice = {"index": 0, "text": " ".join(words), "finish_reason": "stop", "logprobs": None}
            await _json(send, 200, {**base, "choices": [choice]})
            return
        await _start_sse(send)
        for word in words:
            await _event(
                send, {**base, "choices": [{"index": 0, "text": word + " ", "finish_reason": None, "logprobs": None}]}
            )
        await _event(send, {**base, "choices": [{"index": 0, "text": "", "finish_reason": "stop", "logprobs": None}]})
        await send({"type": "http.response.body", "body": b"data: [DONE]\n\n", "more_body": False})


def _reply_words(body: dict[str, Any]) -> list[str]:
    for message in reversed(body["messages"]):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                content = " ".join(part.get("text", "") for part in content)  # pyright: ignore[reportUnknownVariableType]
            return str(content).split() or ["(empty)"]
    return ["(no user message)"]


def _model(model_id: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": 1700000000, "owned_by": "e2e"}


async def _json(send: Send, status: int, payload: Any) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"x-request-id", b"req_e2e_1")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _start_sse(send: Send) -> None:
    headers = [(b"content-type", b"text/event-stream"), (b"x-request-id", b"req_e2e_stream")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})


async def _event(send: Send, payload: dict[str, Any]) -> None:
    data = b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"
    await send({"type": "http.response.body", "body": data, "more_body": True})


@contextmanager
def serve(app: ChatServer | None = None) -> Iterator[tuple[str, ChatServer]]:
    """Run the server on 127.0.0.1 (a free port) in a thread; yield its /v1 base URL."""
    app = app or ChatServer()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the e2e chat server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/v1", app
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
