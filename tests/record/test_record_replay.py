"""Record real exchanges over TCP, then replay them with no server at all, sync and async.

The server is tests/faults' misbehaving one: a clean stream, a reset after
two events, a body cut short, a stall, a 503 then a success, an error that
quotes the credentials. Replays run against a base URL where nothing
listens, so every byte they see comes from the cassette.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest
from oai import APIConnectionError, APITimeoutError, AsyncOpenAI, AuthenticationError, OpenAI
from oai.testing import Cassette, NoRecordingError, RecordingTransport

from tests.faults._server import CHUNKS, FaultServer

Mode = Literal["sync", "async"]
KEY = "sk-record-test-key-0123456789abcdef"
NOWHERE = "http://127.0.0.1:9/v1"  # nothing listens here: a replay that touched the network would fail
MESSAGES: list[Any] = [{"role": "user", "content": "hi"}]


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> Mode:
    return request.param


@pytest.fixture(autouse=True)
def _no_env_cassette(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OAI_RECORD", "OAI_REPLAY", "OAI_REPLAY_SPEED"):
        monkeypatch.delenv(name, raising=False)


class Outcome:
    def __init__(self) -> None:
        self.contents: list[str | None] = []
        self.error: BaseException | None = None
        self.seconds = 0.0


def chat_stream(mode: Mode, base_url: str, headers: dict[str, str] | None = None, **client: Any) -> Outcome:
    """One streamed chat completion; what it yielded and how it ended."""
    client.setdefault("max_retries", 0)
    client.setdefault("api_key", KEY)
    outcome = Outcome()
    start = time.monotonic()
    if mode == "sync":
        with OpenAI(base_url=base_url, **client) as sync_client:
            try:
                stream = sync_client.chat.completions.create(
                    model="m", messages=MESSAGES, stream=True, extra_headers=headers
                )
                with stream:
                    for chunk in stream:
                        outcome.contents.append(chunk.choices[0].delta.content)
            except Exception as exc:
                outcome.error = exc
    else:

        async def run() -> None:
            async with AsyncOpenAI(base_url=base_url, **client) as async_client:
                try:
                    stream = await async_client.chat.completions.create(
                        model="m", messages=MESSAGES, stream=True, extra_headers=headers
                    )
                    async with stream:
                        async for chunk in stream:
                            outcome.contents.append(chunk.choices[0].delta.content)
                except Exception as exc:
                    outcome.error = exc

        asyncio.run(run())
    outcome.seconds = time.monotonic() - start
    return outcome


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_stream_replays_chunk_for_chunk(server: FaultServer, mode: Mode, tmp_path: Path) -> None:
    cassette = tmp_path / "ok.jsonl"
    recorded = chat_stream(mode, server.base_url, record=cassette)
    assert recorded.error is None and len(recorded.contents) == CHUNKS + 1

    kinds = [line["type"] for line in lines(cassette)]
    assert kinds[:3] == ["cassette", "request", "response"] and kinds[-1] == "end"
    assert kinds.count("chunk") >= 1

    replayed = chat_stream(mode, NOWHERE, replay=cassette, api_key="sk-another-key-000000000")
    assert replayed.error is None
    assert replayed.contents == recorded.contents


@pytest.mark.parametrize(("fault", "seen"), [("reset", 2), ("truncate", 1)])
def test_a_drop_replays_as_the_same_error_at_the_same_byte(
    server: FaultServer, mode: Mode, tmp_path: Path, fault: str, seen: int
) -> None:
    cassette = tmp_path / f"{fault}.jsonl"
    recorded = chat_stream(mode, server.base_url, {"x-fault": fault}, record=cassette)
    assert isinstance(recorded.error, APIConnectionError) and len(recorded.contents) == seen

    (error,) = [line for line in lines(cassette) if line["type"] == "error"]
    chunks = [line for line in lines(cassette) if line["type"] == "chunk"]
    assert error["bytes"] == sum(len(chunk["text"].encode()) for chunk in chunks)  # where it broke off

    replayed = chat_stream(mode, NOWHERE, replay=cassette)
    assert type(replayed.error) is type(recorded.error)
    assert replayed.contents == recorded.contents
    assert str(replayed.error) == str(recorded.error)  # the same transport error, message included


def test_a_stall_cut_by_the_idle_timeout_replays_as_the_same_timeout(
    server: FaultServer, mode: Mode, tmp_path: Path
) -> None:
    cassette = tmp_path / "stall.jsonl"
    recorded = chat_stream(mode, server.base_url, {"x-fault": "stall"}, record=cassette, stream_idle_timeout=0.5)
    assert isinstance(recorded.error, APITimeoutError) and len(recorded.contents) == 1
    (error,) = [line for line in lines(cassette) if line["type"] == "error"]
    assert error["error"] == "ReadTimeout"  # what the client met; "raised" keeps what the transport said
    assert error.get("raised", "ReadTimeout") != ""

    replayed = chat_stream(mode, NOWHERE, replay=cassette, stream_idle_timeout=0.5)
    assert isinstance(replayed.error, APITimeoutError)
    assert replayed.contents == recorded.contents


def test_retries_are_recorded_and_replayed_in_order(server: FaultServer, mode: Mode, tmp_path: Path) -> None:
    cassette = tmp_path / "retry.jsonl"
    once = {"x-fault": "status-503", "x-fault-once": f"retry-{mode}-{tmp_path.name}"}
    recorded = chat_stream(mode, server.base_url, once, record=cassette, max_retries=2)
    assert recorded.error is None and len(recorded.contents) == CHUNKS + 1
    statuses = [line["status"] for line in lines(cassette) if line["type"] == "response"]
    assert statuses == [503, 200]

    replayed = chat_stream(mode, NOWHERE, replay=cassette, max_retries=2)
    assert replayed.error is None and replayed.contents == recorded.contents


def test_no_secret_reaches_the_cassette(server: FaultServer, mode: Mode, tmp_path: Path) -> None:
    cassette = tmp_path / "secrets.jsonl"
    key = f"sk-live-{mode}-9f8e7d6c5b4a3210"
    headers = {"x-fault": "echo-auth", "Cookie": "theme=dark; session=abc123-cookie", "api-key": "azure-key-value-123"}
    recorded = chat_stream(mode, server.base_url, headers, record=cassette, api_key=key)
    assert isinstance(recorded.error, AuthenticationError)

    text = cassette.read_text()
    for secret in (key, "abc123-cookie", "azure-key-value-123"):
        assert secret not in text
    request = next(line for line in lines(cassette) if line["type"] == "request")
    sent = {name.lower(): value for name, value in request["headers"]}
    assert sent["authorization"] == sent["cookie"] == sent["api-key"] == "<redacted>"
    # The 401 body quoted the key: masked character for character, so the body keeps its length.
    body = "".join(line["text"] for line in lines(cassette) if line["type"] == "chunk")
    response = next(line for line in lines(cassette) if line["type"] == "response")
    length = int({name.lower(): value for name, value in response["headers"]}["content-length"])
    assert len(body.encode()) == length and "*" * len(key) in body

    replayed = chat_stream(mode, NOWHERE, replay=cassette)
    assert isinstance(replayed.error, AuthenticationError)


def test_url_credentials_stay_out_in_every_form(server: FaultServer, mode: Mode, tmp_path: Path) -> None:
    """A base URL with ``user:password@`` makes httpx send them as Basic credentials, which the server
    quotes back: neither the URL's userinfo nor its base64 form reaches the cassette."""
    cassette = tmp_path / "userinfo.jsonl"
    url = server.base_url.replace("http://", "http://alice:hunter2-password@")
    recorded = chat_stream(mode, url, {"x-fault": "echo-auth"}, record=cassette)
    assert isinstance(recorded.error, AuthenticationError)
    text = cassette.read_text()
    encoded = base64.b64encode(b"alice:hunter2-password").decode()
    for secret in ("hunter2-password", "alice", encoded):
        assert secret not in text


def test_a_non_streaming_call_replays(server: FaultServer, mode: Mode, tmp_path: Path) -> None:
    cassette = tmp_path / "completion.jsonl"
    headers = {"x-fault": "completion"}
    if mode == "sync":
        with OpenAI(api_key=KEY, base_url=server.base_url, record=cassette) as client:
            recorded = client.chat.completions.create(model="m", messages=MESSAGES, extra_headers=headers)
        with OpenAI(api_key=KEY, base_url=NOWHERE, replay=cassette) as client:
            replayed = client.chat.completions.create(model="m", messages=MESSAGES)
    else:

        async def run() -> tuple[Any, Any]:
            async with AsyncOpenAI(api_key=KEY, base_url=server.base_url, record=cassette) as client:
                first = await client.chat.completions.create(model="m", messages=MESSAGES, extra_headers=headers)
            async with AsyncOpenAI(api_key=KEY, base_url=NOWHERE, replay=cassette) as client:
                second = await client.chat.completions.create(model="m", messages=MESSAGES)
            return first, second

        recorded, replayed = asyncio.run(run())
    assert replayed.choices[0].message.content == recorded.choices[0].message.content == "hello"
    assert replayed._request_id == "req_fault"


def test_a_request_with_no_recording_names_itself(server: FaultServer, mode: Mode, tmp_path: Path) -> None:
    cassette = tmp_path / "one.jsonl"
    assert chat_stream(mode, server.base_url, record=cassette).error is None
    if mode == "sync":
        with OpenAI(api_key=KEY, base_url=NOWHERE, replay=cassette) as client:
            with pytest.raises(NoRecordingError, match=r"No recording of GET /v1/models left .*never recorded"):
                client.models.list()
            with client.chat.completions.create(model="m", messages=MESSAGES, stream=True) as stream:
                assert len(list(stream)) == CHUNKS + 1
            with pytest.raises(NoRecordingError, match=r"POST /v1/chat/completions .*exchanges 1\) were all served"):
                client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    else:

        async def run() -> None:
            async with AsyncOpenAI(api_key=KEY, base_url=NOWHERE, replay=cassette) as client:
                with pytest.raises(NoRecordingError, match=r"No recording of GET /v1/models left"):
                    await client.models.list()
                stream = await client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
                assert len([chunk async for chunk in stream]) == CHUNKS + 1
                with pytest.raises(NoRecordingError, match=r"were all served"):
                    await client.chat.completions.create(model="m", messages=MESSAGES, stream=True)

        asyncio.run(run())


def test_the_environment_records_and_replays_every_client_of_the_process(
    server: FaultServer, mode: Mode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oai._core._cassette_plan import forget

    cassette = tmp_path / "env.jsonl"
    monkeypatch.setenv("OAI_RECORD", str(cassette))
    try:
        first = chat_stream(mode, server.base_url)
        second = chat_stream(mode, server.base_url, {"x-fault": "reset"})  # another client, same cassette
    finally:
        forget(cassette)
    numbers = sorted({line["exchange"] for line in lines(cassette) if "exchange" in line})
    assert numbers == [1, 2]

    monkeypatch.delenv("OAI_RECORD")
    monkeypatch.setenv("OAI_REPLAY", str(cassette))
    try:
        assert chat_stream(mode, NOWHERE).contents == first.contents
        replayed = chat_stream(mode, NOWHERE)  # a new client takes the next exchange
        assert isinstance(replayed.error, APIConnectionError) and replayed.contents == second.contents
    finally:
        forget(cassette)


def test_with_options_copies_share_the_recording(server: FaultServer, tmp_path: Path) -> None:
    cassette = tmp_path / "copies.jsonl"
    with OpenAI(api_key=KEY, base_url=server.base_url, record=cassette) as client:
        copy = client.with_options(max_retries=0, timeout=5)
        copy.chat.completions.create(model="m", messages=MESSAGES, extra_headers={"x-fault": "completion"})
        client.chat.completions.create(model="m", messages=MESSAGES, extra_headers={"x-fault": "completion"})
    assert [line["exchange"] for line in lines(cassette) if line["type"] == "request"] == [1, 2]


def test_a_client_of_your_own_is_recorded_through_its_transport(server: FaultServer, tmp_path: Path) -> None:
    cassette = tmp_path / "own.jsonl"
    seen: list[str] = []

    def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    http = httpx.Client(event_hooks={"request": [hook]})
    with OpenAI(api_key=KEY, base_url=server.base_url, http_client=http, record=cassette) as client:
        assert isinstance(http._transport, RecordingTransport)  # pyright: ignore[reportPrivateUsage]
        client.chat.completions.create(model="m", messages=MESSAGES, extra_headers={"x-fault": "completion"})
    http.close()
    assert seen == ["/v1/chat/completions"]
    assert [line["type"] for line in lines(cassette)][-1] == "end"


def test_replay_keeps_the_recorded_pace_unless_told_otherwise(tmp_path: Path, mode: Mode) -> None:
    """A hand-written cassette with a 0.4 s pause: replayed at speed 1 the pause is there; the
    assertion is a lower bound (a sleep never ends early), not a timing threshold."""
    cassette = tmp_path / "paced.jsonl"
    delta = {"index": 0, "delta": {"content": "x"}}
    chunk = "data: " + json.dumps({"id": "c", "object": "chat.completion.chunk", "choices": [delta]}) + "\n\n"
    rows: list[dict[str, Any]] = [
        {"type": "cassette", "version": 1},
        {"type": "request", "exchange": 1, "method": "POST", "url": "http://h/v1/chat/completions"},
        {
            "type": "response",
            "exchange": 1,
            "t": 0.0,
            "status": 200,
            "headers": [["content-type", "text/event-stream"]],
        },
        {"type": "chunk", "exchange": 1, "t": 0.0, "text": chunk},
        {"type": "chunk", "exchange": 1, "t": 0.4, "text": chunk + "data: [DONE]\n\n"},
        {"type": "end", "exchange": 1},
    ]
    cassette.write_text("".join(json.dumps(row) + "\n" for row in rows))
    paced = chat_stream(mode, NOWHERE, replay=cassette)
    assert paced.error is None and paced.contents == ["x", "x"]
    assert paced.seconds >= 0.4
    fast = chat_stream(mode, NOWHERE, replay=Cassette.load(cassette, speed=float("inf")))
    assert fast.error is None and fast.contents == ["x", "x"]
