"""Which cassette a new client records to or replays: its ``record=`` / ``replay=``, else the environment.

``OAI_RECORD`` and ``OAI_REPLAY`` apply to every client of the process,
each path being one recording (``_recorder.writer_for``) or one playback
(:func:`shared_cassette`); the pytest plugin gives each test fresh ones with
:func:`share` and :func:`forget`. Called once per client, when it is made:
nothing here runs per request.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from ._cassette import Cassette, PathLike
from ._constants import RECORD_ENV, REPLAY_ENV
from ._recorder import CassetteWriter, close_writer, writer_for

__all__ = ["RECORD_ENV", "REPLAY_ENV", "CassettePlan", "cassette_plan", "forget", "share", "shared_cassette"]


_shared: dict[Path, Cassette] = {}
_shared_lock = threading.Lock()


def shared_cassette(path: PathLike) -> Cassette:
    """The process's playback of ``path`` (``OAI_REPLAY``): every client of the process takes from it."""
    key = Path(path).resolve()
    with _shared_lock:
        cassette = _shared.get(key)
        if cassette is None:
            cassette = _shared[key] = Cassette.load(key)
        return cassette


def share(cassette: Cassette) -> None:
    """Make ``cassette`` the process's playback of its path (the pytest plugin's fresh one for each test)."""
    with _shared_lock:
        _shared[Path(cassette.path).resolve()] = cassette


def forget(path: PathLike) -> None:
    """Drop the process's playback and writer of ``path``: the next client starts afresh (a new test)."""
    key = Path(path).resolve()
    with _shared_lock:
        _shared.pop(key, None)
    close_writer(key)


@dataclass
class CassettePlan:
    """What a new client does: record to ``writer``, or replay ``cassette``."""

    writer: CassetteWriter | None = None
    cassette: Cassette | None = None


def cassette_plan(record: PathLike | None, replay: PathLike | Cassette | None) -> CassettePlan | None:
    """From a client's ``record=`` / ``replay=`` (else ``OAI_RECORD`` / ``OAI_REPLAY``): ``None`` for neither.

    ``replay=PATH`` plays the file from its start for this client (and its
    ``with_options`` copies); ``OAI_REPLAY`` is one playback shared by every
    client of the process, as ``OAI_RECORD`` is one recording.
    """
    if record is None and replay is None:
        record_env = os.environ.get(RECORD_ENV) or None
        replay_env = os.environ.get(REPLAY_ENV) or None
        if record_env is None and replay_env is None:
            return None
        if record_env is not None and replay_env is not None:
            raise ValueError(f"{RECORD_ENV} and {REPLAY_ENV} are both set: a client records or replays, not both.")
        if record_env is not None:
            return CassettePlan(writer=writer_for(record_env))
        return CassettePlan(cassette=shared_cassette(str(replay_env)))
    if record is not None and replay is not None:
        raise ValueError("record= and replay= are both given: a client records or replays, not both.")
    if record is not None:
        return CassettePlan(writer=writer_for(record))
    if isinstance(replay, Cassette):
        return CassettePlan(cassette=replay)
    return CassettePlan(cassette=Cassette.load(str(replay)))
