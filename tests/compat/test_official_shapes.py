"""What the official SDK's own test suite checks about results, kept here in our words (scripts/official_suite.py):
streamed responses ask for JSON unless the call streams, a streamed binary body parses to ``bytes``, models read
spec-deprecated fields quietly, type aliases unwrap once to a type, untyped fields are ``object``."""

from __future__ import annotations

import typing
import warnings
from typing import Any

import httpx
import oai
import pytest
from oai.types import FileObject, Metadata
from oai.types.conversations import Conversation

KEY = "sk-shapes-test-key-0123"
MODEL: dict[str, Any] = {"id": "gpt-4o-mini", "object": "model", "created": 1, "owned_by": "openai"}
FILE: dict[str, Any] = {
    "id": "file-abc",
    "object": "file",
    "bytes": 3,
    "created_at": 1,
    "filename": "a.jsonl",
    "purpose": "batch",
    "status": "processed",
    "status_details": None,
}
CHUNK = (
    b'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",'
    b'"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'
)


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/content"):
        return httpx.Response(200, content=b"\x00binary\xff", headers={"content-type": "application/octet-stream"})
    if request.url.path.endswith("/chat/completions"):
        return httpx.Response(200, content=CHUNK, headers={"content-type": "text/event-stream"})
    return httpx.Response(200, json=MODEL)


def make() -> oai.OpenAI:
    return oai.OpenAI(
        api_key=KEY, base_url="http://api.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )


def amake() -> oai.AsyncOpenAI:
    transport = httpx.MockTransport(handler)
    return oai.AsyncOpenAI(
        api_key=KEY, base_url="http://api.test/v1", http_client=httpx.AsyncClient(transport=transport)
    )


MESSAGES: list[Any] = [{"role": "user", "content": "hi"}]


# -- with_streaming_response --------------------------------------------------------------------------------------


def test_streaming_response_of_a_json_call_asks_for_json_and_of_a_stream_for_events() -> None:
    client = make()
    with client.models.with_streaming_response.retrieve("gpt-4o-mini") as response:
        assert response.http_request.headers["accept"] == "application/json"
        assert response.parse().id == "gpt-4o-mini"
    completions = client.chat.completions.with_streaming_response
    with completions.create(model="m", messages=MESSAGES, stream=True) as response:
        assert response.http_request.headers["accept"] == "text/event-stream"
        assert [chunk.choices[0].delta.content for chunk in response.parse()] == ["hi"]


async def test_async_streaming_response_of_a_json_call_asks_for_json_and_of_a_stream_for_events() -> None:
    client = amake()
    async with client.models.with_streaming_response.retrieve("gpt-4o-mini") as response:
        assert response.http_request.headers["accept"] == "application/json"
        assert (await response.parse()).id == "gpt-4o-mini"
    completions = client.chat.completions.with_streaming_response
    async with completions.create(model="m", messages=MESSAGES, stream=True) as response:
        assert response.http_request.headers["accept"] == "text/event-stream"
        assert [chunk.choices[0].delta.content async for chunk in await response.parse()] == ["hi"]


def test_streamed_binary_body_parses_to_bytes() -> None:
    client = make()
    with client.files.with_streaming_response.content("file-abc") as response:
        content: bytes = response.parse()
    assert content == b"\x00binary\xff"
    # Outside with_streaming_response the binary result is still the response object.
    direct = client.files.content("file-abc")
    assert isinstance(direct, oai.HttpxBinaryResponseContent)
    assert direct.content == b"\x00binary\xff"


async def test_async_streamed_binary_body_parses_to_bytes() -> None:
    client = amake()
    async with client.files.with_streaming_response.content("file-abc") as response:
        content: bytes = await response.parse()
    assert content == b"\x00binary\xff"
    raw = await client.files.with_raw_response.content("file-abc")
    assert isinstance(raw.parse(), oai.HttpxBinaryResponseContent)


# -- models ----------------------------------------------------------------------------------------------------------


def test_spec_deprecated_fields_read_without_a_warning() -> None:
    file = FileObject.model_validate(FILE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert file.status == "processed"
        assert file.status_details is None


def test_an_alias_unwraps_once_to_a_type() -> None:
    value: object = getattr(Metadata, "__value__")  # noqa: B009 (TypeAliasType's value, not in the stubs here)
    assert not hasattr(value, "__value__")  # a type, never a second alias
    assert typing.get_args(value) == (dict[str, str], type(None))


def test_untyped_fields_are_object() -> None:
    hints = typing.get_type_hints(Conversation)
    assert hints["metadata"] is object


@pytest.mark.parametrize("value", [{"a": 1}, [1, 2], "text", None])
def test_an_object_field_keeps_any_json(value: object) -> None:
    conversation = Conversation.model_validate(
        {"id": "conv_1", "object": "conversation", "created_at": 1, "metadata": value}
    )
    assert conversation.metadata == value


def test_container_file_content_is_the_file_bytes() -> None:
    # The spec declares this 200 without a body; sdk.yaml's `binary: true` makes it the file's bytes, not None.
    content = make().containers.files.content.retrieve("file-1", container_id="cntr_1")
    assert isinstance(content, oai.HttpxBinaryResponseContent)
    assert content.content == b"\x00binary\xff"


async def test_async_container_file_content_is_the_file_bytes() -> None:
    content = await amake().containers.files.content.retrieve("file-1", container_id="cntr_1")
    assert content.content == b"\x00binary\xff"
