"""The watchdog on its own: a watch shuts a real socket down when its deadline passes, and only then."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from oai._core import _watchdog
from oai._core._logging import redact, register_secret, safe_url
from oai._core._watchdog import Watch, connection_socket


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair()
    yield a, b
    a.close()
    b.close()


def test_a_watch_ends_a_blocking_read_at_its_deadline(pair: tuple[socket.socket, socket.socket]) -> None:
    reader, _ = pair
    started = time.monotonic()
    watch = Watch(lambda: started + 0.2, reader)
    watch.schedule()
    assert reader.recv(10) == b""  # woken by the shutdown, not by data
    elapsed = time.monotonic() - started
    assert watch.expired and 0.15 < elapsed < 1.5, elapsed


def test_a_deadline_that_moves_later_is_read_again_when_due(pair: tuple[socket.socket, socket.socket]) -> None:
    reader, writer = pair
    due = [time.monotonic() + 0.1]
    watch = Watch(lambda: due[0], reader)
    watch.schedule()
    due[0] += 0.3  # as a stream's idle deadline moves with each event: no call needed
    time.sleep(0.2)
    writer.sendall(b"x")
    assert reader.recv(10) == b"x" and not watch.expired
    assert reader.recv(10) == b"" and watch.expired


def test_a_disarmed_watch_never_fires(pair: tuple[socket.socket, socket.socket]) -> None:
    reader, writer = pair
    watch = Watch(lambda: time.monotonic() + 0.05, reader)
    watch.schedule()
    watch.disarm()
    time.sleep(0.2)
    writer.sendall(b"still open")
    assert reader.recv(20) == b"still open" and not watch.expired


def test_a_watch_scheduled_as_the_heap_is_compacted_still_fires(pair: tuple[socket.socket, socket.socket]) -> None:
    # So many disarmed entries on the books that the next push compacts the heap first: the new entry must go
    # on the new heap. (It went on the old list and was lost: after many requests in one process, a stream's
    # idle bound could silently never fire.)
    for _ in range(3):
        stale = Watch(lambda: time.monotonic() + 60)
        stale.schedule()
        stale.disarm()
    _watchdog._watchdog.stale = 1_000_000  # pyright: ignore[reportPrivateUsage]
    reader, _ = pair
    reader.settimeout(10)  # lost, the watch would never fire: fail instead of hanging
    started = time.monotonic()
    watch = Watch(lambda: started + 0.1, reader)
    watch.schedule()
    assert reader.recv(10) == b""  # woken by the shutdown, not by data
    assert watch.expired


def test_the_thread_ends_when_idle_and_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_watchdog, "_LINGER", 0.05)
    for _ in range(2):  # started, ended, started again
        watch = Watch(lambda: time.monotonic() - 1)
        watch.schedule()
        deadline = time.monotonic() + 5.0
        while not watch.expired and time.monotonic() < deadline:
            time.sleep(0.01)
        assert watch.expired
        while _watchdog._watchdog._thread is not None and time.monotonic() < deadline:  # pyright: ignore[reportPrivateUsage]
            time.sleep(0.02)
        assert [t for t in threading.enumerate() if t.name == "oai-watchdog"] == []


def test_connection_socket_finds_nothing_outside_httpcore() -> None:
    assert connection_socket({}) is None


def test_redaction_covers_escaped_forms_and_userinfo() -> None:
    secret = 'sk-redact-test\\0123"456'
    register_secret(secret)
    for text in (secret, repr(secret), repr(secret.encode()), '{"k": "sk-redact-test\\\\0123\\"456"}'):
        assert "0123" not in redact(text), text
    assert redact("GET http://me:pa55word@host:8/v1 failed") == "GET http://host:8/v1 failed"
    assert safe_url("https://me:pa55word@api.example/v1?x=1") == "https://api.example/v1?x=1"
