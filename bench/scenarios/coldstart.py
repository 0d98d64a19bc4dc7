"""Cold start: ``import oai`` + a client + one streamed chat completion, in a fresh process.

Compared, interleaved run by run, with

* the floor: a process that only does ``import httpx, pydantic`` (what any SDK on them pays), and
* the same program written for the official ``openai`` package.

The completion streams over real TCP from a small HTTP server on 127.0.0.1
that runs in a thread of this process, and each program builds its client the
way a user does (default HTTP client, ``base_url`` pointing at that server):
what is measured is interpreter start, imports, client construction, one
connection, model building and the first validation, with bytecode compiled
as in an installed package. Targets (issue 15): oai at most ~150 ms over the
floor and at most 35 % of openai's time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Generator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.report import Outcome, Row
from bench.timing import ratios

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "generated"

_CHUNK = (
    '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
    '"choices":[{"index":0,"delta":{"role":"assistant","content":"hi"},"finish_reason":null}]}'
)
_BODY = f"data: {_CHUNK}\n\ndata: [DONE]\n\n".encode()
_STREAM = """
import os
client = SDK.OpenAI(api_key="k", base_url=os.environ["COLDSTART_BASE_URL"])
stream = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=True)
text = "".join(chunk.choices[0].delta.content or "" for chunk in stream)
assert text == "hi", text
"""

PROGRAMS = {
    "floor": "import httpx, pydantic",
    "oai": "import oai as SDK\n" + _STREAM,
    "openai": "import openai as SDK\n" + _STREAM,
}


class _ChatStreamHandler(BaseHTTPRequestHandler):
    """Answers every POST with the one-chunk chat stream; keeps the connection alive like a real server."""

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("content-length", str(len(_BODY)))
        self.end_headers()
        self.wfile.write(_BODY)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def _server() -> Generator[str, None, None]:
    """A chat-completions stream server on 127.0.0.1 (a free port); yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _ChatStreamHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def run_once(code: str, package_dir: Path = PACKAGE_DIR, base_url: str = "") -> float:
    env = dict(os.environ)
    env["COLDSTART_BASE_URL"] = base_url
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(package_dir), env.get("PYTHONPATH")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # installed packages have their bytecode cached; so do we
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
    return time.perf_counter() - started


def measure(runs: int, names: list[str], package_dir: Path = PACKAGE_DIR) -> dict[str, list[float]]:
    """Wall seconds of each program, ``runs`` times, interleaved run by run, after one warming run each."""
    times: dict[str, list[float]] = {name: [] for name in names}
    with _server() as base_url:
        for name in names:  # warm the bytecode caches and the OS file cache first
            run_once(PROGRAMS[name], package_dir, base_url)
        for _ in range(runs):
            for name in names:  # interleaved: each run of each program sees the same machine state
                times[name].append(run_once(PROGRAMS[name], package_dir, base_url))
    return times


def run(quick: bool) -> Outcome:
    runs = 5 if quick else 9
    times = measure(runs, ["floor", "oai", "openai"])
    median = {name: statistics.median(values) for name, values in times.items()}
    over_floor = [(o - f) * 1000 for o, f in zip(times["oai"], times["floor"], strict=True)]
    outcome = Outcome("coldstart", raw={"seconds": times})
    outcome.rows.append(
        Row(
            case="import + client + one stream",
            figure="time",
            ratios=ratios(times["oai"], times["openai"]),
            oai=f"{median['oai'] * 1000:.0f} ms",
            openai=f"{median['openai'] * 1000:.0f} ms",
            target="<= 0.35",
        )
    )
    over = statistics.median(over_floor)
    outcome.notes.append(
        f"oai over the floor (import httpx, pydantic: {median['floor'] * 1000:.0f} ms): "
        f"{over:.0f} ms ({min(over_floor):.0f}-{max(over_floor):.0f}), target <= ~150 ms "
        f"{'ok' if over <= 150 else 'MISSED'}; {runs} interleaved runs"
    )
    return outcome
