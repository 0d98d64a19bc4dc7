"""Record a real session to a cassette and replay it in tests: the transports, and a pytest plugin.

Outside pytest::

    OAI_RECORD=bug.jsonl python my_app.py      # every client of the process writes to bug.jsonl
    OAI_REPLAY=bug.jsonl python my_app.py      # ... and is answered from it, no server needed

or per client: ``OpenAI(record="bug.jsonl")`` / ``OpenAI(replay="bug.jsonl")``;
``replay=Cassette.load("bug.jsonl", speed=10)`` plays it ten times as fast.

In pytest, add the plugin once (a ``conftest.py`` at the root of the tests)::

    pytest_plugins = ["oai.testing"]

then give a test the ``oai_cassette`` fixture. Every client the test makes
replays the test's cassette (``cassettes/<module>/<test>.jsonl`` beside the
test file, or the path of ``@pytest.mark.oai_cassette(path, speed=...)``);
``pytest --oai-record`` records it instead, from whatever server the clients
reach. A test without a recording fails and says how to make one.

``docs/record-replay.md`` describes the format and the rules. Importing
this module does not import pytest; the fixture is registered when pytest
loads the plugin.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ._core._async._record import AsyncRecordingTransport, AsyncReplayTransport
from ._core._cassette import SPEED_ENV, Cassette, CassetteError, CassetteFormatError, Exchange, NoRecordingError
from ._core._cassette_plan import RECORD_ENV, REPLAY_ENV, forget, share
from ._core._sync._record import RecordingTransport, ReplayTransport

if TYPE_CHECKING:
    import pytest

__all__ = [
    "AsyncRecordingTransport",
    "AsyncReplayTransport",
    "Cassette",
    "CassetteError",
    "CassetteFormatError",
    "CassetteSession",
    "Exchange",
    "NoRecordingError",
    "RecordingTransport",
    "ReplayTransport",
]

_RECORD_OPTION = "--oai-record"


class CassetteSession:
    """What the ``oai_cassette`` fixture gives a test: the cassette's ``path``, the ``mode`` it runs in, and,
    when replaying, the ``cassette`` being played (``cassette.unplayed`` lists what no request took)."""

    def __init__(self, path: Path, mode: Literal["record", "replay"], cassette: Cassette | None) -> None:
        self.path = path
        self.mode: Literal["record", "replay"] = mode
        self.cassette = cassette

    def __repr__(self) -> str:
        return f"<CassetteSession {self.mode} {str(self.path)!r}>"


def _cassette_path(request: pytest.FixtureRequest) -> tuple[Path, float | None]:
    marker = request.node.get_closest_marker("oai_cassette")
    test_file = Path(str(request.node.path))
    speed: float | None = None
    path: Path | None = None
    if marker is not None:
        if marker.args:
            path = Path(marker.args[0])
            if not path.is_absolute():
                path = test_file.parent / path
        speed = marker.kwargs.get("speed")
    if path is None:
        name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        path = test_file.parent / "cassettes" / test_file.stem / f"{name}.jsonl"
    return path, speed


def _session(request: pytest.FixtureRequest) -> Iterator[CassetteSession]:
    import pytest

    path, speed = _cassette_path(request)
    saved = {name: os.environ.get(name) for name in (RECORD_ENV, REPLAY_ENV, SPEED_ENV)}
    for name in saved:
        os.environ.pop(name, None)
    forget(path)
    try:
        if request.config.getoption("oai_record"):
            os.environ[RECORD_ENV] = str(path)
            yield CassetteSession(path, "record", None)
            return
        if not path.exists():
            pytest.fail(
                f"No cassette at {path}: run this test once with `pytest {_RECORD_OPTION}` against a real "
                "server to record it.",
                pytrace=False,
            )
        cassette = Cassette.load(path, speed=speed)
        share(cassette)
        os.environ[REPLAY_ENV] = str(path)
        yield CassetteSession(path, "replay", cassette)
    finally:
        forget(path)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# -- the pytest plugin (hooks are plain functions; the fixture is made when pytest configures) -------------------


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("oai", "oai record and replay")
    group.addoption(
        _RECORD_OPTION,
        action="store_true",
        dest="oai_record",
        default=False,
        help="record the cassettes of tests that use the oai_cassette fixture (from the servers the clients "
        "reach) instead of replaying them",
    )


def pytest_configure(config: Any) -> None:
    import pytest

    config.addinivalue_line(
        "markers",
        "oai_cassette(path=None, *, speed=None): the cassette the oai_cassette fixture records or replays "
        "(relative to the test file), and the replay speed (1: as recorded; inf: no waiting)",
    )

    class _Fixtures:
        @pytest.fixture
        def oai_cassette(self, request: pytest.FixtureRequest) -> Iterator[CassetteSession]:
            """Every oai client made in the test replays (or, with --oai-record, records) the test's cassette."""
            yield from _session(request)

    config.pluginmanager.register(_Fixtures(), "oai.testing.fixtures")
