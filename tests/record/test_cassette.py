"""The cassette format without a server: masking, reading (and its errors), matching, pacing, settings.

Exchanges here go through ``httpx.MockTransport`` wrapped by the recording
transport; tests/record/test_record_replay.py does the same over real TCP.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from oai import OpenAI
from oai._core._cassette import replay_speed
from oai._core._cassette_plan import cassette_plan, forget
from oai._core._scrub import Scrubber, request_credentials
from oai.testing import (
    Cassette,
    CassetteError,
    CassetteFormatError,
    NoRecordingError,
    RecordingTransport,
    ReplayTransport,
)

HEADER = {"type": "cassette", "format": "oai-cassette", "version": 1}


def write(path: Path, *rows: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in (HEADER, *rows)))
    return path


def request_row(number: int = 1, method: str = "POST", url: str = "http://h/v1/chat/completions") -> dict[str, Any]:
    return {"type": "request", "exchange": number, "method": method, "url": url}


@pytest.fixture(autouse=True)
def _no_env_cassette(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("OAI_RECORD", "OAI_REPLAY", "OAI_REPLAY_SPEED"):
        monkeypatch.delenv(name, raising=False)
    yield


# -- masking --------------------------------------------------------------------------------------------------------


def test_a_secret_split_across_chunks_is_masked_in_place() -> None:
    scrubber = Scrubber([b"sk-SECRET-123"])
    written = scrubber.feed(0.1, b'{"key": "sk-SEC') + scrubber.feed(0.2, b'RET-123", "n": 1}') + scrubber.flush()
    assert [t for t, _ in written] == [0.1, 0.2]  # boundaries and times kept
    assert [len(chunk) for _, chunk in written] == [15, 17]  # every byte where it was
    assert b"".join(chunk for _, chunk in written) == b'{"key": "*************", "n": 1}'


def test_without_secrets_chunks_pass_at_once() -> None:
    scrubber = Scrubber([])
    assert scrubber.feed(0.0, b"abc") == [(0.0, b"abc")]
    assert scrubber.flush() == []


def test_a_chunk_is_held_only_while_a_secret_could_still_straddle_it() -> None:
    scrubber = Scrubber([b"0123456789"])  # a secret of 10 bytes: 9 bytes after a chunk settle it
    assert scrubber.feed(0.0, b"aaaa") == []
    assert scrubber.feed(0.1, b"bbbbbbbbbb") == [(0.0, b"aaaa")]
    assert scrubber.flush() == [(0.1, b"bbbbbbbbbb")]


def test_the_credentials_a_request_carries_are_looked_for_in_what_comes_back() -> None:
    headers = httpx.Headers(
        {"Authorization": "Basic YWxpY2U6aHVudGVyMg==", "Cookie": "theme=dark; session=abc123-cookie", "X-Other": "v"}
    )
    found = request_credentials(headers)
    assert "YWxpY2U6aHVudGVyMg==" in found and "abc123-cookie" in found
    assert "dark" not in found and "v" not in found  # too short to look for: they would mask ordinary text


# -- reading --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        (["not json"], 1, "not JSON"),
        ([json.dumps(request_row())], 1, "the first line must be the cassette line"),
        ([json.dumps(HEADER), json.dumps({"type": "chunk", "exchange": 4, "text": "x"})], 2, "no request line"),
        (
            [json.dumps(HEADER), json.dumps(request_row()), json.dumps({"type": "chunk", "exchange": 1, "text": "x"})],
            3,
            "before its response",
        ),
        ([json.dumps(HEADER), json.dumps({"type": "tape", "exchange": 1})], 2, "unknown line type 'tape'"),
        ([json.dumps({**HEADER, "version": 9})], 1, "version 9"),
        (
            [
                json.dumps(HEADER),
                json.dumps(request_row()),
                json.dumps({"type": "response", "exchange": 1, "t": -1, "status": 200}),
            ],
            3,
            "'t' must be seconds",
        ),
        (
            [
                json.dumps(HEADER),
                json.dumps(request_row()),
                json.dumps({"type": "response", "exchange": 1, "status": 200}),
                json.dumps({"type": "chunk", "exchange": 1, "base64": "!!"}),
            ],
            4,
            "not valid base64",
        ),
        (
            [json.dumps(HEADER), json.dumps({"type": "request", "exchange": 1, "method": "GET"})],
            2,
            "needs 'method' and 'url'",
        ),
    ],
)
def test_a_broken_cassette_is_refused_naming_the_line(tmp_path: Path, rows: list[str], line: int, message: str) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(CassetteFormatError, match=f"broken.jsonl line {line}: .*{message}"):
        Cassette.load(path)


def test_empty_or_missing_cassettes(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(CassetteFormatError, match="empty"):
        Cassette.load(tmp_path / "empty.jsonl")
    with pytest.raises(CassetteError, match="Cannot read the cassette"):
        Cassette.load(tmp_path / "absent.jsonl")


def test_requests_take_exchanges_by_method_and_path_in_recorded_order(tmp_path: Path) -> None:
    path = write(
        tmp_path / "order.jsonl",
        request_row(1, "GET", "http://a/v1/models"),
        request_row(2, "POST", "http://a/v1/chat/completions"),
        request_row(3, "GET", "http://a/v1/models?after=x"),
        request_row(4, "GET", "http://a/v1/models"),
    )
    cassette = Cassette.load(path)

    def take(method: str, url: str) -> int:
        return cassette.take(httpx.Request(method, url)).number

    assert take("GET", "https://elsewhere/v1/models") == 1  # host and scheme are not compared
    assert take("GET", "http://a/v1/models") == 4
    assert take("GET", "http://a/v1/models?after=x") == 3
    with pytest.raises(NoRecordingError) as caught:
        take("GET", "http://a/v1/models")
    message = str(caught.value)
    assert "No recording of GET /v1/models left" in message and "exchanges 1, 4" in message
    assert "Not served yet: 2: POST /v1/chat/completions" in message
    assert [exchange.number for exchange in cassette.unplayed] == [2]
    cassette.rewind()
    assert len(cassette.unplayed) == 4


# -- recording and replaying through a transport -------------------------------------------------------------------


def test_bytes_that_are_not_text_are_kept_as_base64(tmp_path: Path) -> None:
    body = b"\xff\xfe binary \x00"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/octet-stream"})

    path = tmp_path / "binary.jsonl"
    transport = RecordingTransport(httpx.MockTransport(handler), path)
    with httpx.Client(transport=transport) as http:
        assert http.post("http://h/v1/files", content=b"\xff\x01").content == body
    forget(path)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows[1]["body_base64"] == "/wE="
    assert any("base64" in row for row in rows if row["type"] == "chunk")

    with httpx.Client(transport=ReplayTransport(Cassette.load(path))) as http:
        assert http.post("http://h/v1/files").content == body


def test_a_recording_that_stops_early_is_a_silent_server_on_replay(tmp_path: Path) -> None:
    path = write(
        tmp_path / "closed.jsonl",
        request_row(),
        {"type": "response", "exchange": 1, "status": 200},
        {"type": "chunk", "exchange": 1, "text": "data: 1\n\n"},
        {"type": "closed", "exchange": 1},
    )
    with httpx.Client(transport=ReplayTransport(Cassette.load(path)), timeout=0.2) as http:
        with http.stream("POST", "http://h/v1/chat/completions") as response:
            reads = response.iter_raw()
            assert next(reads) == b"data: 1\n\n"
            with pytest.raises(httpx.ReadTimeout):  # nothing more, as from a server gone quiet
                next(reads)
    with httpx.Client(transport=ReplayTransport(Cassette.load(path)), timeout=None) as http:
        with http.stream("POST", "http://h/v1/chat/completions") as response:
            with pytest.raises(CassetteError, match="stopped reading"):
                response.read()


def test_an_error_before_any_response_replays(tmp_path: Path) -> None:
    path = write(
        tmp_path / "refused.jsonl",
        request_row(),
        {"type": "error", "exchange": 1, "error": "ConnectError", "message": "[Errno 111] Connection refused"},
        request_row(2),
        {"type": "error", "exchange": 2, "error": "SomethingElse", "message": "odd"},
    )
    with httpx.Client(transport=ReplayTransport(Cassette.load(path))) as http:
        with pytest.raises(httpx.ConnectError, match="refused"):
            http.post("http://h/v1/chat/completions")
        with pytest.raises(httpx.TransportError, match="SomethingElse: odd"):
            http.post("http://h/v1/chat/completions")


# -- settings --------------------------------------------------------------------------------------------------------


def test_replay_speed_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert replay_speed() == 1.0
    monkeypatch.setenv("OAI_REPLAY_SPEED", "inf")
    assert replay_speed() == float("inf")
    monkeypatch.setenv("OAI_REPLAY_SPEED", "fast")
    with pytest.raises(ValueError, match="OAI_REPLAY_SPEED must be a number above 0 or 'inf', got 'fast'"):
        replay_speed()
    monkeypatch.setenv("OAI_REPLAY_SPEED", "0")
    with pytest.raises(ValueError, match="OAI_REPLAY_SPEED must be a number above 0"):
        replay_speed()
    with pytest.raises(ValueError, match="speed must be a number above 0"):
        Cassette([], speed=-2)


def test_recording_and_replaying_at_once_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "c.jsonl")
    with pytest.raises(ValueError, match="record= and replay= are both given"):
        OpenAI(api_key="sk-x-0000000000", record=tmp_path / "r.jsonl", replay=path)
    monkeypatch.setenv("OAI_RECORD", str(tmp_path / "r.jsonl"))
    monkeypatch.setenv("OAI_REPLAY", str(path))
    with pytest.raises(ValueError, match="OAI_RECORD and OAI_REPLAY are both set"):
        cassette_plan(None, None)
    # Arguments win over the environment.
    plan = cassette_plan(None, path)
    assert plan is not None and plan.cassette is not None and plan.writer is None


def test_nothing_is_installed_when_nothing_is_asked() -> None:
    assert cassette_plan(None, None) is None
    with OpenAI(api_key="sk-x-0000000000") as client:
        assert type(client._http._transport) is httpx.HTTPTransport  # pyright: ignore[reportPrivateUsage]
