"""Methods and arguments the official SDK has beyond the spec, sync and async (issue 15):

- its deprecated duplicates: ``files.retrieve_content`` (the body as ``str``) beside ``files.content``, and
  ``fine_tuning.checkpoints.permissions.retrieve`` (the whole response) beside ``permissions.list`` (a page);
- ``containers.files.create`` without a file: the body goes as JSON, as the official SDK sends it (a
  multipart form with no part is what Steady rejected), on httpx and on oai's aiohttp client;
- ``admin.organization.projects.create`` / ``update``'s ``geography`` (sdk.yaml ``added_properties``);
- ``videos.create_and_poll`` / ``poll``.
"""

# These tests call deprecated methods on purpose (they check the warning).
# pyright: reportDeprecated=false

from __future__ import annotations

import inspect
import json
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import oai
import pytest
from oai.resources.videos import AsyncVideos, Videos
from oai.types.fine_tuning.checkpoints import PermissionRetrieveResponse

from .._servers import Reply, Request, serve

KEY = "sk-extras-test-key-0123"
BASE = "http://api.test/v1"
PERMISSIONS = {
    "object": "list",
    "data": [
        {"id": "cp_1", "object": "checkpoint.permission", "created_at": 1, "project_id": "proj_1"},
    ],
    "first_id": "cp_1",
    "last_id": "cp_1",
    "has_more": False,
}
CONTAINER_FILE = {
    "id": "cfile_1",
    "object": "container.file",
    "bytes": 2,
    "container_id": "cntr_1",
    "created_at": 1,
    "path": "/mnt/data/a.txt",
    "source": "user",
}
PROJECT = {"id": "proj_1", "object": "organization.project", "name": "p", "created_at": 1, "status": "active"}


def video(status: str) -> dict[str, Any]:
    return {
        "id": "video_1",
        "object": "video",
        "model": "sora-2",
        "status": status,
        "progress": 100 if status == "completed" else 10,
        "created_at": 1,
        "size": "720x1280",
        "seconds": "4",
        "prompt": "a cat",
    }


class Recorder:
    """An httpx MockTransport handler that answers by path and keeps every request."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.answer(request)

    def sync(self) -> oai.OpenAI:
        http = httpx.Client(transport=httpx.MockTransport(self))
        return oai.OpenAI(api_key=KEY, admin_api_key=KEY, base_url=BASE, http_client=http)

    def async_(self) -> oai.AsyncOpenAI:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        return oai.AsyncOpenAI(api_key=KEY, admin_api_key=KEY, base_url=BASE, http_client=http)


def answer(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/content"):
        return httpx.Response(200, content="line one\nline two: é\n".encode(), headers={"content-type": "text/plain"})
    if path.endswith("/permissions"):
        return httpx.Response(200, json=PERMISSIONS)
    if "/containers/" in path:
        return httpx.Response(200, json=CONTAINER_FILE)
    if "/projects" in path:
        return httpx.Response(200, json=PROJECT)
    raise AssertionError(f"unexpected request {request.method} {path}")


def the_deprecation(caught: list[warnings.WarningMessage], words: str) -> warnings.WarningMessage:
    found = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(found) == 1, [str(w.message) for w in caught]
    assert words in str(found[0].message)
    assert found[0].filename == __file__, "the warning must point at the code that called the method"
    return found[0]


# -- files.retrieve_content ---------------------------------------------------------------------------------------


def test_retrieve_content_returns_the_body_as_text_and_warns() -> None:
    recorder = Recorder(answer)
    client = recorder.sync()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = client.files.retrieve_content("file-abc")
    the_deprecation(caught, "files.retrieve_content is deprecated; use files.content")
    assert text == "line one\nline two: é\n" and isinstance(text, str)
    assert [(r.method, r.url.path) for r in recorder.requests] == [("GET", "/v1/files/file-abc/content")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        raw = client.files.with_raw_response.retrieve_content("file-abc")
        assert raw.parse() == text and raw.http_request.url.path == "/v1/files/file-abc/content"
        with client.files.with_streaming_response.retrieve_content("file-abc") as streamed:
            assert streamed.parse() == text
        with pytest.raises(ValueError, match="file_id"):
            client.files.retrieve_content("")


async def test_retrieve_content_returns_the_body_as_text_and_warns_async() -> None:
    recorder = Recorder(answer)
    client = recorder.async_()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = await client.files.retrieve_content("file-abc")
    the_deprecation(caught, "files.retrieve_content is deprecated; use files.content")
    assert text == "line one\nline two: é\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        raw = await client.files.with_raw_response.retrieve_content("file-abc")
        assert raw.parse() == text
        async with client.files.with_streaming_response.retrieve_content("file-abc") as streamed:
            assert await streamed.parse() == text
        with pytest.raises(ValueError, match="file_id"):
            await client.files.retrieve_content("")
    assert len(recorder.requests) == 3


# -- fine_tuning.checkpoints.permissions.retrieve -----------------------------------------------------------------

PERMISSION_QUERY = {"after": "cp_0", "limit": "5", "order": "descending", "project_id": "proj_1"}


def test_permissions_retrieve_is_lists_request_returning_the_whole_response() -> None:
    recorder = Recorder(answer)
    client = recorder.sync()
    permissions = client.fine_tuning.checkpoints.permissions
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = permissions.retrieve("ft:gpt:ckpt", after="cp_0", limit=5, order="descending", project_id="proj_1")
    the_deprecation(caught, "retrieve is deprecated; use permissions.list")
    assert isinstance(result, PermissionRetrieveResponse)
    assert result.first_id == "cp_1" and result.has_more is False and result.data[0].project_id == "proj_1"
    page = permissions.list("ft:gpt:ckpt", after="cp_0", limit=5, order="descending", project_id="proj_1")
    assert [p.id for p in page] == ["cp_1"]
    first, second = recorder.requests
    assert first.url.path == second.url.path == "/v1/fine_tuning/checkpoints/ft:gpt:ckpt/permissions"
    assert dict(first.url.params) == dict(second.url.params) == PERMISSION_QUERY


async def test_permissions_retrieve_is_lists_request_returning_the_whole_response_async() -> None:
    recorder = Recorder(answer)
    client = recorder.async_()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = await client.fine_tuning.checkpoints.permissions.retrieve("ft:gpt:ckpt", limit=5)
    the_deprecation(caught, "retrieve is deprecated; use permissions.list")
    assert isinstance(result, PermissionRetrieveResponse) and result.last_id == "cp_1"
    assert dict(recorder.requests[0].url.params) == {"limit": "5"}


# -- containers.files.create ---------------------------------------------------------------------------------------


def sent(request: httpx.Request) -> tuple[str, Any]:
    """(content type without parameters, the JSON body or the multipart bytes)."""
    kind = request.headers.get("content-type", "").split(";")[0]
    return kind, json.loads(request.content) if kind == "application/json" else request.content


def test_container_file_without_a_file_is_sent_as_json() -> None:
    recorder = Recorder(answer)
    files = recorder.sync().containers.files
    assert files.create("cntr_1").id == "cfile_1"
    files.create("cntr_1", file_id="file-1")
    files.create("cntr_1", file=("a.txt", b"hi"))
    no_file, by_id, upload = (sent(r) for r in recorder.requests)
    assert no_file == ("application/json", {})
    assert by_id == ("application/json", {"file_id": "file-1"})
    assert upload[0] == "multipart/form-data" and b'name="file"; filename="a.txt"' in upload[1]


async def test_container_file_without_a_file_is_sent_as_json_async() -> None:
    recorder = Recorder(answer)
    files = recorder.async_().containers.files
    await files.create("cntr_1")
    await files.create("cntr_1", file_id="file-1")
    await files.create("cntr_1", file=("a.txt", b"hi"))
    no_file, by_id, upload = (sent(r) for r in recorder.requests)
    assert (no_file, by_id) == (("application/json", {}), ("application/json", {"file_id": "file-1"}))
    assert upload[0] == "multipart/form-data"


async def test_container_file_without_a_file_on_the_aiohttp_client() -> None:
    pytest.importorskip("aiohttp")
    seen: list[Request] = []

    def handler(request: Request) -> Reply:
        seen.append(request)
        return Reply(body=CONTAINER_FILE)

    with serve(handler) as server:
        client = oai.AsyncOpenAI(api_key=KEY, base_url=server.url, http_client=oai.DefaultAioHttpClient())
        try:
            await client.containers.files.create("cntr_1")
            await client.containers.files.create("cntr_1", file_id="file-1")
            await client.containers.files.create("cntr_1", file=("a.txt", b"hi"))
        finally:
            await client.close()
            await client._http.aclose()  # the aiohttp pool made here
    kinds = [r.headers.get("content-type", "").split(";")[0] for r in seen]
    assert kinds == ["application/json", "application/json", "multipart/form-data"]
    assert [seen[0].json(), seen[1].json()] == [{}, {"file_id": "file-1"}]


def test_a_multipart_only_operation_still_sends_a_form_without_files() -> None:
    """Only operations whose spec also takes JSON switch: realtime.calls.create's parts stay a form."""
    recorder = Recorder(lambda request: httpx.Response(201, text="v=0", headers={"content-type": "application/sdp"}))
    recorder.sync().realtime.calls.create(sdp="v=0")
    kind, body = sent(recorder.requests[0])
    assert kind == "multipart/form-data" and b'name="sdp"' in body


# -- projects geography ---------------------------------------------------------------------------------------------


def test_projects_take_geography() -> None:
    recorder = Recorder(answer)
    projects = recorder.sync().admin.organization.projects
    projects.create(name="p", geography="US")
    projects.update("proj_1", geography=None)
    projects.create(name="q")
    assert [json.loads(r.content) for r in recorder.requests] == [
        {"name": "p", "geography": "US"},
        {"geography": None},
        {"name": "q"},
    ]


async def test_projects_take_geography_async() -> None:
    recorder = Recorder(answer)
    projects = recorder.async_().admin.organization.projects
    await projects.create(name="p", geography="EU")
    await projects.update("proj_1", geography="EU", name="r")
    assert [json.loads(r.content) for r in recorder.requests] == [
        {"name": "p", "geography": "EU"},
        {"geography": "EU", "name": "r"},
    ]


# -- videos.create_and_poll -----------------------------------------------------------------------------------------


def video_server(statuses: list[str]) -> Recorder:
    """POST /videos answers ``queued``; each GET answers the next of ``statuses``."""
    left = list(statuses)

    def reply(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(200, json=video("queued"))
        return httpx.Response(200, json=video(left.pop(0)))

    return Recorder(reply)


def test_create_and_poll_retrieves_until_the_video_is_over() -> None:
    recorder = video_server(["queued", "in_progress", "completed"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        done = recorder.sync().videos.create_and_poll(prompt="a cat", seconds="4", poll_interval_ms=0)
    assert done.status == "completed" and done.id == "video_1"
    ours = [w for w in caught if issubclass(w.category, DeprecationWarning) and w.filename == __file__]
    assert len(ours) == 1 and "Videos (Sora) API is deprecated" in str(ours[0].message)
    requests = [(r.method, r.url.path) for r in recorder.requests]
    assert requests == [("POST", "/v1/videos")] + [("GET", "/v1/videos/video_1")] * 3
    assert json.loads(recorder.requests[0].content) == {"prompt": "a cat", "seconds": "4"}


async def test_create_and_poll_retrieves_until_the_video_is_over_async() -> None:
    recorder = video_server(["in_progress", "failed"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        done = await recorder.async_().videos.create_and_poll(prompt="a cat", poll_interval_ms=0)
    assert done.status == "failed"
    assert [r.method for r in recorder.requests] == ["POST", "GET", "GET"]


def test_poll_gives_up_after_poll_timeout() -> None:
    recorder = video_server(["in_progress"] * 100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(oai.PollTimeoutError) as info:
            recorder.sync().videos.poll("video_1", poll_interval_ms=10, poll_timeout=0.05)
    assert "video video_1" in str(info.value)


async def test_poll_gives_up_after_poll_timeout_async() -> None:
    recorder = video_server(["in_progress"] * 100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(oai.PollTimeoutError):
            await recorder.async_().videos.poll("video_1", poll_interval_ms=10, poll_timeout=0.05)


@pytest.mark.parametrize("videos", [Videos, AsyncVideos], ids=["sync", "async"])
def test_create_and_poll_takes_every_argument_of_create(videos: Any) -> None:
    """The official suite compares the two signatures (names and annotations): they must not drift apart."""
    create = inspect.signature(videos.create).parameters
    helper = inspect.signature(videos.create_and_poll).parameters
    assert {name: p.annotation for name, p in create.items()} == {
        name: p.annotation for name, p in helper.items() if name not in ("poll_interval_ms", "poll_timeout")
    }
