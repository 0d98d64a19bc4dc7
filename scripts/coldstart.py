"""Cold start: ``import oai`` + a client + one streamed chat completion, in a fresh process.

Compared, in the same run and interleaved run by run, with

* the floor: a process that only does ``import httpx, pydantic`` (what any SDK on them pays), and
* the same program written for the official ``openai`` package.

The completion streams over real TCP from a small HTTP server on 127.0.0.1 that
this script runs in a thread, and each program builds its client the way a user
does (default HTTP client, ``base_url`` pointing at that server): what is
measured is interpreter start, imports, client construction, one connection,
model building and the first validation. Prints the median wall time of each
over ``--runs`` runs (default 9) and the two figures the project targets: oai
minus the floor (<= ~150 ms) and oai / openai (<= 35 %).

    .venv/bin/python scripts/coldstart.py [--runs 9] [--json build/bench/coldstart.json]
"""

from __future__ import annotations

import argparse
import json
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

ROOT = Path(__file__).resolve().parent.parent

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


PROGRAMS = {
    "floor": "import httpx, pydantic",
    "oai": "import oai as SDK\n" + _STREAM,
    "openai": "import openai as SDK\n" + _STREAM,
}


PACKAGE_DIR = ROOT / "generated"


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
    times: dict[str, list[float]] = {name: [] for name in names}
    with _server() as base_url:
        for name in names:  # warm the bytecode caches and the OS file cache first
            run_once(PROGRAMS[name], package_dir, base_url)
        for _ in range(runs):
            for name in names:  # interleaved: each run of each program sees the same machine state
                times[name].append(run_once(PROGRAMS[name], package_dir, base_url))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", type=Path, default=None, help="also write the raw times here")
    parser.add_argument("--no-openai", action="store_true", help="skip the official SDK (when not installed)")
    parser.add_argument("--package-dir", type=Path, default=PACKAGE_DIR, help="folder holding the oai package")
    args = parser.parse_args(argv)
    names = ["floor", "oai"] + ([] if args.no_openai else ["openai"])
    times = measure(args.runs, names, args.package_dir.resolve())
    median = {name: statistics.median(values) for name, values in times.items()}
    for name in names:
        runs = ", ".join(f"{t * 1000:.0f}" for t in times[name])
        print(f"{name:>7}: median {median[name] * 1000:7.1f} ms  (runs: {runs})")
    print(f"oai over the floor: {(median['oai'] - median['floor']) * 1000:.1f} ms (target <= ~150 ms)")
    if "openai" in median:
        print(f"oai / openai: {median['oai'] / median['openai'] * 100:.1f} % (target <= 35 %)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"times": times, "median": median}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
