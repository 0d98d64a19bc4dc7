"""Redis for the shared-limit tests: Debian's ``redis-server``, started per test on a free port of 127.0.0.1
with no persistence, and stopped by its pid.

The binary is ``$OAI_REDIS_SERVER`` or ``redis-server`` on the ``PATH``. When it is missing, the fixture runs
``scripts/e2e/setup.sh redis`` once, which installs Debian's package with apt (as root, as CI runs); only when
that fails too are the Redis tests skipped, with the setup's own words as the reason.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent


def _find() -> str | None:
    configured = os.environ.get("OAI_REDIS_SERVER")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.access("/usr/bin/redis-server", os.X_OK) else None
    )


@pytest.fixture(scope="session")
def redis_binary() -> str:
    found = _find()
    if found is not None:
        return found
    setup = subprocess.run(
        ["bash", str(REPO / "scripts" / "e2e" / "setup.sh"), "redis"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    found = _find()
    if found is None:
        said = (setup.stderr or setup.stdout).strip().splitlines()[-3:]
        pytest.skip(f"redis-server is not installed and scripts/e2e/setup.sh redis could not install it: {said}")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """One redis-server process; :meth:`stop` and :meth:`start` again keep the port (a restart)."""

    def __init__(self, binary: str, password: str | None = None) -> None:
        self.binary = binary
        self.port = free_port()
        self.password = password
        self.process: subprocess.Popen[bytes] | None = None
        self._dir = tempfile.mkdtemp(prefix="oai-redis-")

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        args += ["--dir", self._dir, "--daemonize", "no", "--logfile", ""]
        if self.password:
            args += ["--requirepass", self.password]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited at start with status {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    answer = sock.recv(64)
                if answer.startswith((b"+PONG", b"-NOAUTH")):
                    return
            except OSError:
                pass
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port} within 10 s")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGKILL)  # as a crash would: nothing saved, connections cut
        process.wait(timeout=10)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)


@pytest.fixture
def redis_server(redis_binary: str) -> Iterator[RedisServer]:
    server = RedisServer(redis_binary)
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_with_password(redis_binary: str) -> Iterator[RedisServer]:
    server = RedisServer(redis_binary, password="s3cret-redis-pw")
    server.start()
    try:
        yield server
    finally:
        server.close()
