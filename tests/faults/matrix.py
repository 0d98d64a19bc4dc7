# pyright: standard
"""The issue-13 defects, measured: what oai does against each fault, sync and async, and how long it takes.

Not a test (it asserts nothing): it prints one line per defect and mode, so the
behaviour before and after a change can be compared side by side::

    .venv/bin/python -m tests.faults.matrix            # every case, each in its own process
    .venv/bin/python -m tests.faults.matrix 4 sync     # one case

Each case runs in a fresh process with a hard cap (``CAP`` seconds); a case
still running then is reported as hanging. Bounds are the issue's, scaled down
where the default would take minutes (a 600 s read timeout is shown with 3 s).
"""

from __future__ import annotations

import asyncio
import gc
import io
import logging
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
import oai

from ._server import FaultServer

CAP = 20.0
MESSAGES: list[Any] = [{"role": "user", "content": "hi"}]
KEY = "sk-matrix-0123456789abcdef"


def _clients(server: FaultServer, **kw: Any) -> tuple[oai.OpenAI, oai.AsyncOpenAI]:
    kw.setdefault("api_key", KEY)
    kw.setdefault("base_url", server.base_url)
    return oai.OpenAI(**kw), oai.AsyncOpenAI(**kw)


def _run(mode: str, sync: Callable[[], Any], coro: Callable[[], Any]) -> str:
    started = time.monotonic()
    try:
        result = sync() if mode == "sync" else asyncio.run(coro())
        outcome = f"returned {result!s:.120}"
    except BaseException as exc:  # noqa: BLE001 - reported, not handled
        outcome = f"raised {type(exc).__name__}: {str(exc)[:120]!r}"
    return f"{outcome} after {time.monotonic() - started:.2f} s"


def _stream_sync(client: oai.OpenAI, fault: str, **extra: Any) -> str:
    stream = client.chat.completions.create(model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": fault})
    n = sum(1 for _ in stream)
    return f"{n} chunks"


async def _stream_async(client: oai.AsyncOpenAI, fault: str) -> str:
    stream = await client.chat.completions.create(
        model="m", messages=MESSAGES, stream=True, extra_headers={"x-fault": fault}
    )
    n = 0
    async for _ in stream:
        n += 1
    return f"{n} chunks"


def case_1(server: FaultServer, mode: str) -> str:
    """Path traversal: files.delete("..", vector_store_id="vs_1")."""
    s, a = _clients(server, max_retries=0, timeout=3)
    extra = {"x-fault": "completion"}
    out = _run(
        mode,
        lambda: s.vector_stores.files.delete("..", vector_store_id="vs_1", extra_headers=extra),
        lambda: a.vector_stores.files.delete("..", vector_store_id="vs_1", extra_headers=extra),
    )
    sent = [f"{m} {p}" for m, p, _ in server.seen]
    return f"{out}; server saw {sent}"


def _stream_case(fault: str, **kw: Any) -> Callable[[FaultServer, str], str]:
    def case(server: FaultServer, mode: str) -> str:
        s, a = _clients(server, max_retries=kw.pop("max_retries", 0), **kw)
        out = _run(mode, lambda: _stream_sync(s, fault), lambda: _stream_async(a, fault))
        return f"{out}; requests={server.requests}"

    return case


case_2a = _stream_case("done-then-keepalive", timeout=3)
case_2b = _stream_case("done-then-silent", timeout=3)


def case_3(server: FaultServer, mode: str) -> str:
    """retry-after: 999999 with timeout=5 (default max_retries=2)."""
    s, a = _clients(server, timeout=5)
    extra = {"x-fault": "retry-after-huge"}
    out = _run(
        mode,
        lambda: s.chat.completions.create(model="m", messages=MESSAGES, extra_headers=extra),
        lambda: a.chat.completions.create(model="m", messages=MESSAGES, extra_headers=extra),
    )
    return f"{out}; requests={server.requests}"


def _total_case(fault: str, stream: bool, **kw: Any) -> Callable[[FaultServer, str], str]:
    def case(server: FaultServer, mode: str) -> str:
        s, a = _clients(server, max_retries=0, **kw)
        extra = {"x-fault": fault}
        if stream:
            return _run(mode, lambda: _stream_sync(s, fault), lambda: _stream_async(a, fault))
        return _run(
            mode,
            lambda: s.chat.completions.create(model="m", messages=MESSAGES, extra_headers=extra),
            lambda: a.chat.completions.create(model="m", messages=MESSAGES, extra_headers=extra),
        )

    return case


case_4a = _total_case("header-trickle", False, total_timeout=2)
case_4b = _total_case("body-trickle", False, total_timeout=2)
case_4c = _total_case("header-trickle", True, stream_deadline=2)
case_4d = _total_case("stall-keepalive", True, stream_deadline=2, timeout=10)


def _leaks(text: str) -> list[str]:
    return [name for name, secret in (("key", KEY), ("password", "hunter2secret")) if secret in text]


def case_5(server: FaultServer, mode: str) -> str:
    """A key read from a file with its newline."""
    records = io.StringIO()
    handler = logging.StreamHandler(records)
    logging.getLogger("oai").addHandler(handler)
    logging.getLogger("oai").setLevel(logging.DEBUG)
    try:
        s, a = _clients(server, api_key=KEY + "\n", max_retries=2, timeout=3)
    except BaseException as exc:  # noqa: BLE001
        return f"client refused the key: {type(exc).__name__}: {str(exc)[:120]!r}; leaks in message: {_leaks(str(exc))}"
    extra = {"x-fault": "completion"}
    out = _run(
        mode,
        lambda: s.chat.completions.create(model="m", messages=MESSAGES, extra_headers=extra),
        lambda: a.chat.completions.create(model="m", messages=MESSAGES, extra_headers=extra),
    )
    return f"{out}; leaks in outcome: {_leaks(out)}, in log: {_leaks(records.getvalue())}"


def case_6(server: FaultServer, mode: str) -> str:
    """Credentials in base_url."""
    records = io.StringIO()
    logging.getLogger("oai").addHandler(logging.StreamHandler(records))
    logging.getLogger("oai").setLevel(logging.DEBUG)
    url = server.base_url.replace("http://", "http://user:hunter2secret@")
    s, a = _clients(server, base_url=url, max_retries=1, timeout=3)
    extra = {"x-fault": "status-503"}
    out = _run(
        mode,
        lambda: s.chat.completions.create(model="m", messages=MESSAGES, extra_headers=extra),
        lambda: a.chat.completions.create(model="m", messages=MESSAGES, extra_headers=extra),
    )
    shown = repr(s if mode == "sync" else a)
    return f"{out}; leaks in repr: {_leaks(shown)}, in log: {_leaks(records.getvalue())}, in outcome: {_leaks(out)}"


case_7 = _stream_case("stall-first", timeout=1, max_retries=2)


def case_8(server: FaultServer, mode: str) -> str:
    """with_raw_response on stream=True, dropped unread, 20 times on a pool of 5."""
    limits = httpx.Limits(max_connections=5)
    timeout = httpx.Timeout(3.0, pool=1.0)
    s = oai.OpenAI(api_key=KEY, base_url=server.base_url, http_client=httpx.Client(limits=limits, timeout=timeout))
    a = oai.AsyncOpenAI(
        api_key=KEY, base_url=server.base_url, http_client=httpx.AsyncClient(limits=limits, timeout=timeout)
    )
    extra = {"x-fault": "ok"}

    def sync() -> str:
        done = 0
        for _ in range(20):
            s.chat.completions.with_raw_response.create(model="m", messages=MESSAGES, stream=True, extra_headers=extra)
            gc.collect()
            done += 1
        return f"{done} calls"

    async def coro() -> str:
        done = 0
        for _ in range(20):
            await a.chat.completions.with_raw_response.create(
                model="m", messages=MESSAGES, stream=True, extra_headers=extra
            )
            gc.collect()
            await asyncio.sleep(0)
            done += 1
        return f"{done} calls"

    return _run(mode, sync, coro)


def case_9(server: FaultServer, mode: str) -> str:
    """A 200 JSON body {"error": {...}} on a non-streaming call."""
    s, a = _clients(server, max_retries=0, timeout=3)
    extra = {"x-fault": "error-200"}
    return _run(
        mode,
        lambda: repr(s.chat.completions.create(model="m", messages=MESSAGES, extra_headers=extra)),
        lambda: _repr(a.chat.completions.create(model="m", messages=MESSAGES, extra_headers=extra)),
    )


async def _repr(awaitable: Any) -> str:
    return repr(await awaitable)


def case_10(server: FaultServer, mode: str) -> str:
    """SSEEventTooLarge is an APIError; max_event_size per client (1 KiB against a 100 kB event)."""
    is_api_error = issubclass(oai.SSEEventTooLarge, oai.APIError)
    try:
        s, a = _clients(server, max_retries=0, timeout=3, max_event_size=1024)
    except TypeError as exc:
        return f"SSEEventTooLarge is APIError: {is_api_error}; per-client cap: {exc}"
    out = _run(mode, lambda: _stream_sync(s, "big-event"), lambda: _stream_async(a, "big-event"))
    return f"SSEEventTooLarge is APIError: {is_api_error}; {out}"


case_11 = _stream_case("comments-forever", timeout=3)

CASES: dict[str, Callable[[FaultServer, str], str]] = {
    "1": case_1,
    "2a": case_2a,
    "2b": case_2b,
    "3": case_3,
    "4a": case_4a,
    "4b": case_4b,
    "4c": case_4c,
    "4d": case_4d,
    "5": case_5,
    "6": case_6,
    "7": case_7,
    "8": case_8,
    "9": case_9,
    "10": case_10,
    "11": case_11,
}

LABELS = {
    "1": "path id '..'",
    "2a": "[DONE] then keep-alives (timeout=3)",
    "2b": "[DONE] then silence (timeout=3)",
    "3": "retry-after: 999999 (timeout=5)",
    "4a": "header trickle, total_timeout=2",
    "4b": "body trickle, total_timeout=2",
    "4c": "header trickle, stream_deadline=2",
    "4d": "keep-alives after 1 event, stream_deadline=2",
    "5": "key with trailing newline",
    "6": "user:password in base_url",
    "7": "stall before first event (timeout=1, max_retries=2)",
    "8": "raw stream responses dropped unread (pool of 5)",
    "9": "200 with {'error': ...}",
    "10": "SSEEventTooLarge / max_event_size",
    "11": "comments forever (timeout=3)",
}


def main(argv: list[str]) -> None:
    if len(argv) == 2:
        with FaultServer() as server:
            print(CASES[argv[0]](server, argv[1]), flush=True)
        return
    wanted = argv or list(CASES)
    for name in wanted:
        for mode in ("sync", "async"):
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "tests.faults.matrix", name, mode],
                    capture_output=True,
                    text=True,
                    timeout=CAP,
                )
                line = done.stdout.strip() or done.stderr.strip().splitlines()[-1]
            except subprocess.TimeoutExpired:
                line = f"still running after {CAP:.0f} s (killed)"
            print(f"{name:>3} {mode:<5} {LABELS[name]}: {line}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
