"""Runs of the concurrency scenario: a fresh server process and a fresh client process per run.

Each run starts ``bench.stream_server`` (its own process, stopped by pid),
then ``bench.stream_client`` for one candidate and one N (its own process, so
one candidate's imports, caches and sockets never warm or burden another),
then reads the server's own figures, so every row shows whether the server
kept up (its CPU time, and ticks that ran late).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Generator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHUNKS = 20  # per stream: the first at once, the others 0.1 s apart, so a stream lasts about 2 s
INTERVAL = 0.1


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


@contextmanager
def stream_server(chunks: int = CHUNKS, interval: float = INTERVAL) -> Generator[str, None, None]:
    """Yields the server's base URL; stops the process by its pid afterwards."""
    command = [sys.executable, "-m", "bench.stream_server", "--chunks", str(chunks), "--interval", str(interval)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("listening "):
            raise RuntimeError(f"the stream server did not start (it printed {line!r})")
        yield f"http://127.0.0.1:{int(line.split()[1])}/v1"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_stats(base_url: str) -> dict[str, Any]:
    root = base_url.removesuffix("/v1")
    with urllib.request.urlopen(f"{root}/stats", timeout=10) as answer:
        return json.loads(answer.read())


def run_one(
    candidate: str, streams: int, *, chunks: int = CHUNKS, interval: float = INTERVAL, deadline: float = 240
) -> dict[str, Any]:
    """One burst of ``streams`` streams by ``candidate``; the client's figures plus the server's."""
    with stream_server(chunks, interval) as base_url:
        idle_cpu = server_stats(base_url)["cpu_s"]  # its start-up, not charged to the run
        command = [
            sys.executable, "-m", "bench.stream_client", "--candidate", candidate, "--streams", str(streams),
            "--base-url", base_url, "--chunks", str(chunks), "--deadline", str(deadline),
        ]  # fmt: skip
        finished = subprocess.run(
            command, capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=deadline + 120, check=False
        )
        if finished.returncode != 0:
            raise RuntimeError(f"{candidate} at N={streams} failed:\n{finished.stderr[-2000:]}")
        result = json.loads(finished.stdout.strip().splitlines()[-1])
        result["server"] = server_stats(base_url)
        result["server"]["cpu_s"] -= idle_cpu
    return result
