"""Start and stop the third-party servers of the end-to-end tests (stdlib only).

Used by ``e2e/conftest.py`` (pytest session fixtures) and by hand::

    python scripts/e2e/servers.py start llama     # or llmock, steady, aimock, aimock-realtime: prints URL, pid, log
    python scripts/e2e/servers.py stop            # stops every server this tool started and left running

Every server runs as a subprocess in its own session (process group) on
127.0.0.1 and a free port, with its output in a log file. Its pid is recorded
in ``<cache>/run/<name>-<port>.json`` together with the pid of the process
that owns it; it is stopped by that pid (SIGTERM to its group, then SIGKILL
after a grace period), from a pytest finalizer, from ``atexit`` and from
SIGTERM/SIGHUP handlers. A record left behind by an owner that died (a killed
test run) is cleaned up on the next start: only processes whose command line
still points into the cache folder are signalled.

The binaries come from ``scripts/e2e/setup.sh``, which this module runs (for
the one item needed) when a binary is missing.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SETUP = HERE / "setup.sh"

LLAMA_VERSION = "11434.0.0"
SMOLLM2_VERSION = "0.1.2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
LLMOCK_VERSION = "0.2.2"
STEADY_VERSION = "0.22.2"
AIMOCK_VERSION = "1.43.0"
AIMOCK_FIXTURES = REPO / "e2e" / "fixtures" / "aimock"

LLAMA_API_KEY = "e2e-llama-key"
LLAMA_MODEL_ALIAS = "smollm2"
LLAMA_CONTEXT = 4096
REFERENCE_SPEC = REPO.parent / "shared" / "reference" / "openai-openapi.yaml"


def cache_dir() -> Path:
    return Path(os.environ.get("OAI_E2E_CACHE") or Path.home() / ".cache" / "oai-e2e")


class SetupError(RuntimeError):
    """A server could not be set up or started; the message says which step."""


# ---------------------------------------------------------------------------------------------------------------------
# Binaries


def llama_server_bin() -> Path:
    return cache_dir() / f"llama-server-{LLAMA_VERSION}" / "llama-server"


def model_file() -> Path:
    return cache_dir() / f"smollm2-{SMOLLM2_VERSION}" / SMOLLM2_FILE


def llmock_bin() -> Path:
    return cache_dir() / f"llmock-{LLMOCK_VERSION}" / "venv" / "bin" / "llmock"


def steady_bin() -> Path:
    return cache_dir() / f"steady-{STEADY_VERSION}" / "node_modules" / ".bin" / "steady"


def aimock_bin() -> Path:
    # The package's `llmock` command is the fixture-file server (its `aimock` command takes a config file).
    return cache_dir() / f"aimock-{AIMOCK_VERSION}" / "node_modules" / ".bin" / "llmock"


def run_setup(*targets: str) -> None:
    """Run setup.sh for ``targets``; it reuses what is cached. Raises SetupError naming the failed step."""
    proc = subprocess.run(
        ["bash", str(SETUP), *targets],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-40:])
        raise SetupError(f"scripts/e2e/setup.sh {' '.join(targets)} failed (exit {proc.returncode}):\n{tail}")


# ---------------------------------------------------------------------------------------------------------------------
# Processes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) counts as gone.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _signal_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def stop_pid(pid: int, grace: float = 5.0) -> None:
    """Stop the process group led by ``pid`` (a server started here): SIGTERM, then SIGKILL after ``grace``."""
    if not _alive(pid):
        _signal_group(pid, signal.SIGKILL)  # children of an exited leader, if any
        return
    _signal_group(pid, signal.SIGTERM)
    end = time.monotonic() + grace
    while time.monotonic() < end and _alive(pid):
        time.sleep(0.05)
    _signal_group(pid, signal.SIGKILL)


@dataclass
class Server:
    name: str
    port: int
    pid: int
    log: Path
    base_url: str
    record: Path
    popen: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    extra: dict[str, str] = field(default_factory=lambda: {})

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        stop_pid(self.pid)
        if self.popen is not None:
            with contextlib.suppress(Exception):
                self.popen.wait(timeout=5)
        with contextlib.suppress(FileNotFoundError):
            self.record.unlink()
        _STARTED.pop(self.pid, None)


_STARTED: dict[int, Server] = {}
_LOCK = threading.Lock()


def stop_all() -> None:
    """Stop every server this process started and has not stopped yet."""
    for server in list(_STARTED.values()):
        with contextlib.suppress(Exception):
            server.stop()


def _install_exit_hooks() -> None:
    atexit.register(stop_all)

    def on_signal(signum: int, frame: object) -> None:
        stop_all()
        # Re-raise the default behaviour so the exit status says what happened.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) in (signal.SIG_DFL, None):
                signal.signal(sig, on_signal)


_install_exit_hooks()


def _run_dir() -> Path:
    path = cache_dir() / "run"
    path.mkdir(parents=True, exist_ok=True)
    return path


def reap_stale(*, detached: bool = False) -> list[int]:
    """Stop servers recorded by an owner process that is gone (a killed earlier run). Returns their pids.

    Servers left running on purpose (``servers.py start``) are stopped only when ``detached`` is true.
    """
    reaped: list[int] = []
    marker = str(cache_dir())
    for log in _run_dir().glob("*.log"):  # logs of earlier runs: kept two days for a look after a failure
        with contextlib.suppress(OSError):
            if time.time() - log.stat().st_mtime > 2 * 86400:
                log.unlink()
    for record in _run_dir().glob("*.json"):
        try:
            data = json.loads(record.read_text())
            pid, owner = int(data["pid"]), int(data["owner"])
        except (OSError, ValueError, KeyError, TypeError):
            record.unlink(missing_ok=True)
            continue
        if data.get("detached") and not detached:
            continue
        if _alive(owner) and owner != os.getpid():
            continue  # another live run owns it
        if _alive(pid) and marker in _cmdline(pid):
            stop_pid(pid)
            reaped.append(pid)
        record.unlink(missing_ok=True)
    return reaped


def _http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (127.0.0.1 only)
            return 200 <= resp.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


def start(
    name: str,
    argv: Callable[[int], Sequence[str]],
    *,
    ready_path: str,
    base_path: str,
    ready_timeout: float,
    env: dict[str, str] | None = None,
    extra: dict[str, str] | None = None,
    attempts: int = 2,
) -> Server:
    """Start ``argv(port)`` on a free port and wait until GET ``ready_path`` answers 2xx (bounded)."""
    reap_stale()
    last_error = ""
    for _ in range(attempts):  # a second try only covers losing the free port to someone else
        port = free_port()
        log = _run_dir() / f"{name}-{port}.log"
        cmd = list(argv(port))
        with _LOCK, open(log, "wb") as out:
            popen = subprocess.Popen(  # noqa: S603
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, **(env or {})},
                cwd=str(cache_dir()),
            )
            record = _run_dir() / f"{name}-{port}.json"
            record.write_text(json.dumps({"pid": popen.pid, "owner": os.getpid(), "cmd": cmd}))
            server = Server(
                name=name,
                port=port,
                pid=popen.pid,
                log=log,
                base_url=f"http://127.0.0.1:{port}{base_path}",
                record=record,
                popen=popen,
                extra=dict(extra or {}),
            )
            _STARTED[popen.pid] = server
        deadline = time.monotonic() + ready_timeout
        url = f"http://127.0.0.1:{port}{ready_path}"
        while time.monotonic() < deadline:
            if popen.poll() is not None:
                break
            if _http_ok(url):
                return server
            time.sleep(0.1)
        exited = popen.poll()
        last_error = (
            f"{name} exited with status {exited} before it was ready"
            if exited is not None
            else f"{name} was not ready at {url} within {ready_timeout:.0f} s"
        )
        last_error += f"\ncommand: {' '.join(cmd)}\nlog {log}:\n{server.log_tail()}"
        server.stop()
        if exited is None:
            break  # it ran but never got ready: another try would not help
    raise SetupError(f"starting {name} failed: {last_error}")


# ---------------------------------------------------------------------------------------------------------------------
# The servers


def start_llama() -> Server:
    if not llama_server_bin().exists():
        run_setup("llama")
    if not model_file().exists():
        run_setup("model")
    return start(
        "llama-server",
        lambda port: [
            str(llama_server_bin()),
            "-m",
            str(model_file()),
            "-a",
            LLAMA_MODEL_ALIAS,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "-t",
            "1",
            "-c",
            str(LLAMA_CONTEXT),
            "-np",
            "2",
            "--no-webui",
            "--offline",
            # No weight repacking: on CPUs with Intel AMX, -march=native builds pick ggml's AMX kernels
            # for repacked weights, which crash at the first decode where the kernel does not grant the
            # AMX tile state (seen here: SIGSEGV in ggml_backend_amx_mul_mat). Plain kernels run everywhere.
            "--no-repack",
            "--api-key",
            LLAMA_API_KEY,
            "--embeddings",
            "--pooling",
            "mean",
        ],
        ready_path="/health",
        base_path="/v1",
        ready_timeout=120,
        extra={"api_key": LLAMA_API_KEY, "model": LLAMA_MODEL_ALIAS},
    )


def start_llmock() -> Server:
    if not llmock_bin().exists():
        run_setup("llmock")
    return start(
        "llmock",
        lambda port: [str(llmock_bin()), "serve", "-h", "127.0.0.1", "-p", str(port), "--log-level", "warning"],
        ready_path="/health",
        base_path="/v1",
        ready_timeout=60,
    )


# Arrays and objects in query strings and multipart forms go as `a[]=1&a[]=2` and `o[k]=v`: the wire format
# of the official SDK (and of oai, which mirrors it), which is also how the official SDK's own test suite runs
# Steady. Without these flags Steady expects the spec's default (`a=1&a=2`, JSON-encoded form objects).
STEADY_WIRE_FORMAT = (
    "--validator-query-array-format=brackets",
    "--validator-query-object-format=brackets",
    "--validator-form-array-format=brackets",
    "--validator-form-object-format=brackets",
)


def start_steady(spec: Path = REFERENCE_SPEC) -> Server:
    if not steady_bin().exists():
        run_setup("steady")
    return start(
        "steady",
        lambda port: [
            str(steady_bin()),
            "--host",
            "127.0.0.1",
            "-p",
            str(port),
            "--log-level",
            "summary",
            *STEADY_WIRE_FORMAT,
            str(spec),
        ],
        ready_path="/_x-steady/health",
        base_path="",
        ready_timeout=120,
        env={"NO_COLOR": "1"},
    )


def start_aimock(fixtures: Path = AIMOCK_FIXTURES, *extra_args: str) -> Server:
    """aimock serving the JSON fixtures in ``fixtures`` (a file or a folder of files; see its docs for the
    format). ``extra_args`` go to its command line (``--chunk-size``, ``--latency``, ...)."""
    if not aimock_bin().exists():
        run_setup("aimock")
    return start(
        "aimock",
        lambda port: [
            str(aimock_bin()),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-f",
            str(fixtures),
            "--log-level",
            "warn",
            *extra_args,
        ],
        ready_path="/health",
        base_path="/v1",
        ready_timeout=60,
    )


STARTERS: dict[str, Callable[[], Server]] = {
    "llama": start_llama,
    "llmock": start_llmock,
    "steady": start_steady,
    "aimock": start_aimock,
    # aimock with the Realtime fixtures (examples/realtime/realtime.py; e2e/test_tier4_realtime.py uses them too)
    "aimock-realtime": lambda: start_aimock(REPO / "e2e" / "fixtures" / "realtime" / "aimock.json"),
}


def main(args: list[str]) -> int:
    if len(args) == 2 and args[0] == "start" and args[1] in STARTERS:
        server = STARTERS[args[1]]()
        # Leave it running for manual use: forget it so atexit does not stop it, and let the record
        # outlive us (owner = this short-lived process, so the next start or `stop` reaps it).
        _STARTED.pop(server.pid, None)
        data = json.loads(server.record.read_text())
        server.record.write_text(json.dumps({**data, "detached": True}))
        print(f"{server.name}: {server.base_url} pid {server.pid} log {server.log}")
        return 0
    if args == ["stop"]:
        pids = reap_stale(detached=True)
        print(f"stopped {len(pids)} server(s): {' '.join(map(str, pids)) or '-'}")
        return 0
    print((__doc__ or "").split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
