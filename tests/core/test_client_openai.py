"""The core through the generated ``oai.OpenAI`` / ``oai.AsyncOpenAI`` (in-memory transport)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import oai
import pytest
from oai._core import AsyncPage, LegacyAPIResponse, SyncPage

KEY = "sk-openai-test-key-0123456789"

COMPLETION: dict[str, Any] = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "gpt-4o-mini",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Hello!", "refusal": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
}
MODELS = {"object": "list", "data": [{"id": "m1", "object": "model", "created": 1, "owned_by": "me"}]}


class Server:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.fail_first: int = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        request.read()
        if self.fail_first:
            self.fail_first -= 1
            return httpx.Response(500, json={"error": {"message": "oops"}})
        if request.headers.get("authorization") != f"Bearer {KEY}":
            return httpx.Response(401, json={"error": {"message": "Incorrect API key provided: sk-...", "code": "k"}})
        if request.url.path == "/v1/chat/completions":
            return httpx.Response(200, json=COMPLETION, headers={"x-request-id": "req_chat"})
        if request.url.path == "/v1/models":
            return httpx.Response(200, json=MODELS)
        if request.url.path in ("/v1/upload", "/v1/form"):
            return httpx.Response(204)
        return httpx.Response(404, json={"error": {"message": "no route"}})


@pytest.fixture
def server() -> Server:
    return Server()


def make(server: Server, **kwargs: Any) -> oai.OpenAI:
    kwargs.setdefault("api_key", KEY)
    return oai.OpenAI(
        base_url="http://api.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(server)), **kwargs
    )


def amake(server: Server, **kwargs: Any) -> oai.AsyncOpenAI:
    kwargs.setdefault("api_key", KEY)
    return oai.AsyncOpenAI(
        base_url="http://api.test/v1", http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)), **kwargs
    )


def test_openai_env_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(oai.OpenAIError, match="OPENAI_API_KEY"):
        oai.OpenAI()
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    client = oai.OpenAI()
    assert client.api_key == KEY
    assert str(client.base_url) == "https://api.openai.com/v1/"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://local.test:8080/v1")
    assert str(oai.OpenAI().base_url) == "http://local.test:8080/v1/"


def test_chat_completion(server: Server) -> None:
    client = make(server)
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}])
    assert completion.choices[0].message.content == "Hello!"
    assert completion._request_id == "req_chat"
    body = json.loads(server.requests[0].content)
    assert body == {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}


def test_chat_completion_none_is_sent_as_null(server: Server) -> None:
    make(server).chat.completions.create(model="m", messages=[], temperature=None)
    assert json.loads(server.requests[0].content)["temperature"] is None


def test_raw_response_and_retries(server: Server) -> None:
    server.fail_first = 1
    raw = make(server).chat.completions.with_raw_response.create(model="m", messages=[])
    assert isinstance(raw, LegacyAPIResponse)
    assert raw.request_id == "req_chat" and raw.retries_taken == 1
    assert raw.http_request.url.path.endswith("/chat/completions")
    assert raw.parse().id == "chatcmpl-1"
    assert len({r.headers["idempotency-key"] for r in server.requests}) == 1


def test_errors(server: Server) -> None:
    with pytest.raises(oai.AuthenticationError) as info:
        make(server, api_key="sk-wrong-key-000000000").chat.completions.create(model="m", messages=[])
    assert str(info.value).startswith("Error code: 401 - Incorrect API key provided")
    assert "sk-wrong-key-000000000" not in repr(info.value)


def test_models_list_page(server: Server) -> None:
    page = make(server).models.list()
    assert isinstance(page, SyncPage)
    assert [m.id for m in page] == ["m1"]


def test_with_options_returns_openai(server: Server) -> None:
    client = make(server)
    copy = client.with_options(max_retries=0, timeout=5.0)
    assert isinstance(copy, oai.OpenAI)
    copy.models.list()
    assert server.requests[0].extensions["timeout"]["read"] == 5.0


async def test_async_openai(server: Server) -> None:
    async with amake(server) as client:
        completion = await client.chat.completions.create(model="m", messages=[])
        assert completion.id == "chatcmpl-1" and completion._request_id == "req_chat"
        assert [m.id async for m in client.models.list()] == ["m1"]
        page = await client.models.list()
        assert isinstance(page, AsyncPage)
        raw = await client.chat.completions.with_raw_response.create(model="m", messages=[])
        assert raw.http_request.url.path.endswith("/chat/completions")
        assert raw.parse().id == "chatcmpl-1"


# -- per-call options: every generated method takes make_request_options's keyword parameters -------------------


def test_per_call_options_reach_the_request(server: Server) -> None:
    client = make(server, max_retries=0)
    server.fail_first = 2
    completion = client.chat.completions.create(
        model="m",
        messages=[],
        max_retries=2,  # overrides the client's 0: two failures, then the answer
        idempotency_key="idem-1",
        total_timeout=30.0,
        stream_idle_timeout=5.0,
        stream_deadline=60.0,
        timeout=7.0,
        extra_headers={"x-a": "1"},
    )
    assert completion.id == "chatcmpl-1"
    assert len(server.requests) == 3
    assert {r.headers["idempotency-key"] for r in server.requests} == {"idem-1"}
    assert server.requests[-1].headers["x-a"] == "1"
    assert server.requests[-1].extensions["timeout"]["connect"] == 7.0
    assert [m.id for m in client.models.list(max_retries=0, total_timeout=10.0)] == ["m1"]


async def test_async_per_call_options_reach_the_request(server: Server) -> None:
    async with amake(server, max_retries=0) as client:
        server.fail_first = 1
        completion = await client.chat.completions.create(
            model="m", messages=[], max_retries=1, idempotency_key="idem-2", total_timeout=30.0, stream_idle_timeout=5.0
        )
        assert completion.id == "chatcmpl-1"
        assert [r.headers["idempotency-key"] for r in server.requests] == ["idem-2", "idem-2"]
        server.fail_first = 1
        with pytest.raises(oai.InternalServerError):
            await client.chat.completions.create(model="m", messages=[], max_retries=0)


def test_every_generated_method_takes_the_core_per_call_options() -> None:
    import inspect

    from generator.core_api import CoreNames

    options = [o.name for o in CoreNames.load().request_options]
    assert {"extra_headers", "extra_query", "extra_body", "timeout", "total_timeout", "stream_idle_timeout"} <= set(
        options
    )
    client = oai.OpenAI(api_key=KEY, base_url="http://api.test/v1")
    for method in (
        client.chat.completions.create,
        client.embeddings.create,
        client.files.retrieve,
        client.models.list,
        client.responses.create,
    ):
        params = list(inspect.signature(method).parameters)
        assert params[-len(options) :] == options, method


# -- bodies that are not JSON: raw content and urlencoded forms (the generator uses them for such operations) ----


def test_raw_and_form_bodies(server: Server, tmp_path: Any) -> None:
    from oai._core import form_body, raw_body

    client = make(server)
    (tmp_path / "doc.bin").write_bytes(b"from a path")
    for content, expected in [
        (b"bytes", b"bytes"),
        ("text \u00e9", "text \u00e9".encode()),
        (tmp_path / "doc.bin", b"from a path"),
    ]:
        client.post("/upload", cast_to=httpx.Response, body=raw_body(content, "application/octet-stream"))
        assert server.requests[-1].headers["content-type"] == "application/octet-stream"
        assert server.requests[-1].content == expected
    with open(tmp_path / "doc.bin", "rb") as f:
        client.post("/upload", cast_to=httpx.Response, body=raw_body(f, "text/plain"))
    assert server.requests[-1].content == b"from a path" and server.requests[-1].headers["content-type"] == "text/plain"
    form = {"a": "x y", "skip": oai.NOT_GIVEN, "none": None, "list": [1, 2]}
    client.post("/form", cast_to=httpx.Response, body=form_body(form), options={"extra_body": {"b": "2"}})
    assert server.requests[-1].headers["content-type"] == "application/x-www-form-urlencoded"
    assert server.requests[-1].content == b"a=x+y&list%5B%5D=1&list%5B%5D=2&b=2"
    with pytest.raises(TypeError, match="extra_body cannot be merged into a text/plain body"):
        client.post(
            "/upload", cast_to=httpx.Response, body=raw_body("x", "text/plain"), options={"extra_body": {"b": 1}}
        )
    with pytest.raises(TypeError, match="must be bytes, str, a binary file or a path, got int"):
        client.post("/upload", cast_to=httpx.Response, body=raw_body(42, "text/plain"))


async def test_async_raw_and_form_bodies(server: Server) -> None:
    from oai._core import form_body, raw_body

    async with amake(server) as client:
        await client.post("/upload", cast_to=httpx.Response, body=raw_body(b"async", "application/pdf"))
        assert server.requests[-1].headers["content-type"] == "application/pdf"
        assert server.requests[-1].content == b"async"
        await client.post("/form", cast_to=httpx.Response, body=form_body({"q": "a&b"}))
        assert server.requests[-1].content == b"q=a%26b"
        with pytest.raises(TypeError, match="got list"):
            await client.post("/upload", cast_to=httpx.Response, body=raw_body([1], "text/plain"))
