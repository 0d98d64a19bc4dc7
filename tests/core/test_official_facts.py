"""Facts the official SDK's tests pin down: deprecated operations warn at the caller, an empty path
parameter is refused by name, `betas=` goes in the `openai-beta` header, lists page as the official SDK's
do (in-memory transport)."""

from __future__ import annotations

import json
import warnings
from typing import Any

import httpx
import oai
import pytest
from oai.pagination import AsyncConversationCursorPage, SyncConversationCursorPage

KEY = "sk-test-key-0123456789"
ASSISTANT: dict[str, Any] = {
    "id": "asst_1",
    "object": "assistant",
    "created_at": 1,
    "name": "helper",
    "description": None,
    "model": "gpt-4o",
    "instructions": None,
    "tools": [],
    "metadata": {},
}
VIDEO: dict[str, Any] = {
    "id": "video_1",
    "object": "video",
    "model": "sora-2",
    "status": "completed",
    "progress": 100,
    "created_at": 1,
    "completed_at": 2,
    "expires_at": None,
    "prompt": "a cat",
    "size": "1280x720",
    "seconds": "4",
    "remixed_from_video_id": None,
    "error": None,
}


class Server:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path == "/v1/assistants" and request.method == "GET":
            body = {"object": "list", "data": [ASSISTANT], "first_id": "asst_1", "last_id": "asst_1", "has_more": False}
            return httpx.Response(200, json=body)
        if path == "/v1/assistants/asst_1":
            return httpx.Response(200, json=ASSISTANT)
        if path == "/v1/videos/video_1":
            return httpx.Response(200, json=VIDEO)
        if path == "/v1/videos":
            return httpx.Response(
                200, json={"object": "list", "data": [VIDEO], "last_id": "video_1", "has_more": False}
            )
        return httpx.Response(404, json={"error": {"message": f"no route {path}"}})


def _sync(server: Server) -> oai.OpenAI:
    transport = httpx.MockTransport(server)
    return oai.OpenAI(api_key=KEY, base_url="http://test/v1", http_client=httpx.Client(transport=transport))


def _async(server: Server) -> oai.AsyncOpenAI:
    transport = httpx.MockTransport(server)
    return oai.AsyncOpenAI(api_key=KEY, base_url="http://test/v1", http_client=httpx.AsyncClient(transport=transport))


def _only_deprecation(caught: list[warnings.WarningMessage]) -> warnings.WarningMessage:
    found = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(found) == 1, [str(w.message) for w in caught]
    return found[0]


def test_deprecated_methods_warn_at_the_callers_line_sync() -> None:
    server = Server()
    client = _sync(server)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assistant = client.beta.assistants.retrieve("asst_1")  # pyright: ignore[reportDeprecated]
    warning = _only_deprecation(caught)
    assert warning.filename == __file__, "stacklevel must point at the code that called the method"
    assert "Assistants API is deprecated" in str(warning.message)
    assert assistant.id == "asst_1"
    assert server.requests[-1].url.path == "/v1/assistants/asst_1"

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        video = client.videos.retrieve("video_1")  # pyright: ignore[reportDeprecated]
    warning = _only_deprecation(caught)
    assert warning.filename == __file__
    assert "Videos" in str(warning.message)
    assert video.status == "completed"


async def test_deprecated_methods_warn_at_the_callers_line_async() -> None:
    server = Server()
    client = _async(server)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assistant = await client.beta.assistants.retrieve("asst_1")  # pyright: ignore[reportDeprecated]
    warning = _only_deprecation(caught)
    assert warning.filename == __file__
    assert assistant.id == "asst_1"

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = client.videos.list()  # pyright: ignore[reportDeprecated]
        videos = [v.id async for v in page]
    warning = _only_deprecation(caught)
    assert warning.filename == __file__
    assert videos == ["video_1"]


def test_non_deprecated_methods_do_not_warn() -> None:
    server = Server()
    client = _sync(server)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        with pytest.raises(oai.NotFoundError):
            client.models.retrieve("gpt-4o")


def test_deprecated_list_pages_by_last_id_sync() -> None:
    server = Server()
    client = _sync(server)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        page = client.videos.list(limit=1)  # pyright: ignore[reportDeprecated]
        assistants = client.beta.assistants.list()  # pyright: ignore[reportDeprecated]
    assert isinstance(page, SyncConversationCursorPage)
    assert [v.id for v in page] == ["video_1"]
    assert [a.id for a in assistants] == ["asst_1"]


async def test_deprecated_list_pages_by_last_id_async() -> None:
    server = Server()
    client = _async(server)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        page = await client.videos.list(limit=1)  # pyright: ignore[reportDeprecated]
    assert isinstance(page, AsyncConversationCursorPage)
    assert [v.id for v in page.data] == ["video_1"]


def _call_sync(client: oai.OpenAI, name: str) -> object:
    if name == "completion_id":
        return client.chat.completions.retrieve("")
    if name == "file_id":
        return client.files.delete("")
    return client.beta.threads.messages.retrieve("msg_1", thread_id="")  # pyright: ignore[reportDeprecated]


async def _call_async(client: oai.AsyncOpenAI, name: str) -> object:
    if name == "completion_id":
        return await client.chat.completions.retrieve("")
    if name == "file_id":
        return await client.files.delete("")
    return await client.beta.threads.messages.retrieve("msg_1", thread_id="")  # pyright: ignore[reportDeprecated]


@pytest.mark.parametrize("name", ["completion_id", "file_id", "thread_id"])
def test_an_empty_path_parameter_is_refused_by_name_sync(name: str) -> None:
    server = Server()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ValueError) as info:
            _call_sync(_sync(server), name)
    assert str(info.value) == f"Expected a non-empty value for `{name}` but received ''"
    assert server.requests == [], "nothing is sent"


@pytest.mark.parametrize("name", ["completion_id", "file_id", "thread_id"])
async def test_an_empty_path_parameter_is_refused_by_name_async(name: str) -> None:
    server = Server()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ValueError) as info:
            await _call_async(_async(server), name)
    assert str(info.value) == f"Expected a non-empty value for `{name}` but received ''"
    assert server.requests == []


def test_a_dot_segment_is_refused_by_name() -> None:
    server = Server()
    with pytest.raises(ValueError, match=r"^`file_id` cannot be '\.\.'"):
        _sync(server).files.retrieve("..")
    assert server.requests == []


def test_deprecated_video_download_names_its_parameter() -> None:
    server = Server()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ValueError, match="`video_id`"):
            _sync(server).videos.download_content("")  # pyright: ignore[reportDeprecated]
    assert json.dumps([r.url.path for r in server.requests]) == "[]"


def test_betas_are_sent_in_the_openai_beta_header_sync() -> None:
    server = Server()
    with pytest.raises(oai.NotFoundError):
        _sync(server).beta.responses.delete("resp_1", betas=["responses_multi_agent=v1"])
    assert server.requests[-1].headers["openai-beta"] == "responses_multi_agent=v1"
    assert server.requests[-1].url.params["beta"] == "true"


async def test_betas_are_sent_in_the_openai_beta_header_async() -> None:
    server = Server()
    with pytest.raises(oai.NotFoundError):
        await _async(server).beta.responses.delete("resp_1", betas=["responses_multi_agent=v1"])
    assert server.requests[-1].headers["openai-beta"] == "responses_multi_agent=v1"
