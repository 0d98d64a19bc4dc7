"""The pytest plugin as a user meets it: a project of its own, recorded once against a server, then replayed.

Each run is a separate ``python -m pytest`` in a scratch project whose
``conftest.py`` holds only ``pytest_plugins = ["oai.testing"]``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults._server import FaultServer

CONFTEST = 'pytest_plugins = ["oai.testing"]\n'

USER_TESTS = """
import os

import pytest
from oai import APIConnectionError, OpenAI

URL = os.environ.get("UPSTREAM", "http://127.0.0.1:9/v1")


def client():
    return OpenAI(base_url=URL, api_key="sk-user-project-0123456789", max_retries=0)


def test_chat(oai_cassette):
    stream = client().chat.completions.create(model="m", messages=[], stream=True)
    assert "".join(chunk.choices[0].delta.content or "" for chunk in stream) == "w0 w1 w2 "
    if oai_cassette.mode == "replay":
        assert oai_cassette.cassette.unplayed == []


@pytest.mark.oai_cassette("bugs/dropped.jsonl", speed=float("inf"))
def test_the_drop_from_a_bug_report(oai_cassette):
    seen = []
    with pytest.raises(APIConnectionError, match="broke off"):
        stream = client().chat.completions.create(
            model="m", messages=[], stream=True, extra_headers={"x-fault": "reset"}
        )
        for chunk in stream:
            seen.append(chunk.choices[0].delta.content)
    assert seen == ["w0 ", "w1 "]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    return tmp_path


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


def run_pytest(project: Path, *args: str, upstream: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "OAI_", "UPSTREAM"))}
    if upstream is not None:
        env["UPSTREAM"] = upstream
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_record_once_then_replay_without_a_server(project: Path, server: FaultServer) -> None:
    recorded = run_pytest(project, "--oai-record", upstream=server.base_url)
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert (project / "cassettes" / "test_user" / "test_chat.jsonl").exists()
    assert (project / "bugs" / "dropped.jsonl").exists()

    replayed = run_pytest(project)  # UPSTREAM unset: the clients point where nothing listens
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "2 passed" in replayed.stdout


def test_a_test_without_its_cassette_fails_and_says_how_to_record_it(project: Path) -> None:
    result = run_pytest(project, "-k", "test_chat")
    assert result.returncode == 1
    assert "No cassette at" in result.stdout and "pytest --oai-record" in result.stdout
