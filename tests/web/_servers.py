"""The two processes behind the web tests, each on 127.0.0.1 and a free port, stopped by pid.

* :func:`run_upstream`: ``_upstream.py``, the model server (sees cancellations);
* :func:`run_app`: uvicorn serving an ASGI app (``examples/web/app.py`` by default)
  whose client talks to the upstream.

Each process's output is drained by a thread into ``lines`` (a full pipe would
stall it), which a failing test can show.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Generator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_DIR = ROOT / "examples" / "web"
UPSTREAM = Path(__file__).resolve().parent / "_upstream.py"
START_TIMEOUT = 30.0
API_KEY = "sk-web-test-0123456789abcdef"


class Process:
    def __init__(self, args: list[str], env: dict[str, str], pattern: str) -> None:
        self.lines: list[str] = []
        self._found = threading.Event()
        self._pattern = re.compile(pattern)
        self.match: re.Match[str] | None = None
        self.popen = subprocess.Popen(
            args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT
        )
        assert self.popen.stdout is not None
        self._thread = threading.Thread(target=self._drain, args=(self.popen.stdout,), daemon=True)
        self._thread.start()
        if not self._found.wait(START_TIMEOUT):
            self.stop()
            raise RuntimeError(f"{args[1:]} did not start within {START_TIMEOUT} s:\n" + "\n".join(self.lines))

    def _drain(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))
            if self.match is None:
                self.match = self._pattern.search(line)
                if self.match is not None:
                    self._found.set()

    @property
    def port(self) -> int:
        assert self.match is not None
        return int(self.match.group(1))

    def stop(self) -> None:
        stop_process(self.popen)
        self._thread.join(5)


def stop_process(popen: subprocess.Popen[Any]) -> None:
    """SIGTERM by pid, then SIGKILL if it has not ended within 10 s."""
    if popen.poll() is None:
        os.kill(popen.pid, signal.SIGTERM)
        try:
            popen.wait(10)
        except subprocess.TimeoutExpired:
            os.kill(popen.pid, signal.SIGKILL)
            popen.wait(10)


class Upstream:
    def __init__(self, process: Process) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{process.port}"

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    def stats(self) -> dict[str, int]:
        return json.loads(httpx.get(self.url + "/_stats", timeout=10).text)

    def release(self) -> None:
        httpx.post(self.url + "/_release", timeout=10)

    def wait_for(self, key: str, value: int, timeout: float = 20.0) -> dict[str, int]:
        """Poll the stats until ``stats[key] >= value`` (a bounded wait, not a timing assertion)."""
        deadline = time.monotonic() + timeout
        while True:
            stats = self.stats()
            if stats[key] >= value:
                return stats
            if time.monotonic() > deadline:
                raise AssertionError(f"upstream {key} stayed below {value} for {timeout} s: {stats}")
            time.sleep(0.05)


@contextmanager
def run_upstream() -> Generator[Upstream]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = Process([sys.executable, str(UPSTREAM)], env, r"PORT (\d+)")
    try:
        yield Upstream(process)
    finally:
        process.stop()


@contextmanager
def run_app(upstream: Upstream, *, app: str = "app:app", app_dir: Path = EXAMPLE_DIR, **env: Any) -> Generator[str]:
    """uvicorn serving ``app`` (from ``app_dir``) with its client pointed at ``upstream``; yields the app's URL."""
    environment = {
        **os.environ,
        "OPENAI_BASE_URL": upstream.base_url,
        "OPENAI_API_KEY": API_KEY,
        "OAI_MODEL": "upstream",
        "PYTHONUNBUFFERED": "1",
        **{key: str(value) for key, value in env.items()},
    }
    for name in ("OAI_RECORD", "OAI_REPLAY"):
        environment.pop(name, None)
    args = [sys.executable, "-m", "uvicorn", "--app-dir", str(app_dir), app, "--host", "127.0.0.1", "--port", "0"]
    process = Process(args, environment, r"Uvicorn running on http://127\.0\.0\.1:(\d+)")
    try:
        yield f"http://127.0.0.1:{process.port}"
    finally:
        process.stop()
