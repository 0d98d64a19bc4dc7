"""One run of the concurrency scenario, in a fresh process: N streams at once on one event loop.

    python -m bench.stream_client --candidate oai --streams 1000 --base-url http://127.0.0.1:PORT/v1 \
        --chunks 20 [--deadline 240]

Opens the candidate (``bench.candidates``), runs one stream to warm it up (its
imports, model classes and one keep-alive connection, as in an application
that has already made a call), then starts N streams in the same instant and
waits for all of them. Prints one JSON object on its last line:

* ``cpu_ms_per_stream``: CPU time (user + system) of this whole process from
  the burst's start to its end, divided by N -- event loop, HTTP client and
  SDK alike;
* ``rss_kib_per_stream``: peak resident memory during the burst over the
  resident memory before it, divided by N (Linux: the peak is reset with
  ``/proc/self/clear_refs`` first; elsewhere the lifetime peak is used);
* ``ttfc_s``: time to first chunk of each stream, from the moment its task
  started to its first chunk, p50 / p99 / max over the streams that got one;
* ``errors``: streams that failed, by exception type and its cause (connect timeouts,
  refused connections, streams that ended short or with other text), and
  streams still unfinished at ``--deadline``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.candidates import Candidate, SdkCandidate, candidates
from bench.data import chat_stream
from bench.stream_server import raise_open_files_limit

_STATUS = Path("/proc/self/status")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _memory_kib(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) in KiB; the lifetime peak where /proc is missing."""
    if _STATUS.exists():
        for line in _STATUS.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def _reset_peak_memory() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM := VmRSS
        return True
    except OSError:
        return False


class StreamCheck:
    """What a stream must deliver: the whole text (SDKs) or every event's bytes (bare clients)."""

    def __init__(self, chunks: int) -> None:
        stream = chat_stream(chunks)
        self.text = stream.content
        self.body_size = len(stream.body)

    def problem(self, candidate: Candidate, pieces: list[Any]) -> str | None:
        if isinstance(candidate, SdkCandidate):
            return None if "".join(pieces) == self.text else "WrongText"
        return None if sum(len(piece) for piece in pieces) == self.body_size else "ShortBody"


async def one_stream(candidate: Candidate, check: StreamCheck) -> tuple[float | None, str | None]:
    """(seconds to the first chunk, the error's name or None)."""
    started = time.perf_counter()
    first: float | None = None
    pieces: list[Any] = []
    try:
        async for piece in candidate.stream():
            if first is None:
                first = time.perf_counter() - started
            pieces.append(piece)
    except Exception as exc:
        cause = exc.__cause__ or exc.__context__  # an SDK's APITimeoutError says which timeout through its cause
        return first, type(exc).__name__ + (f"({type(cause).__name__})" if cause else "")
    return first, check.problem(candidate, pieces)


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def burst(candidate: Candidate, base_url: str, streams: int, chunks: int, deadline: float) -> dict[str, Any]:
    check = StreamCheck(chunks)
    await candidate.open(base_url)
    _, warmup_error = await one_stream(candidate, check)
    if warmup_error:
        raise SystemExit(f"{candidate.name}: the warm-up stream failed with {warmup_error}")
    gc.collect()  # the warm-up's garbage is not the burst's
    exact_peak = _reset_peak_memory()
    rss_before = _memory_kib("VmRSS")
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    tasks = [asyncio.ensure_future(one_stream(candidate, check)) for _ in range(streams)]
    done, pending = await asyncio.wait(tasks, timeout=deadline)
    for task in pending:
        task.cancel()
    wall = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    rss_peak = _memory_kib("VmHWM")
    await asyncio.gather(*pending, return_exceptions=True)
    errors: Counter[str] = Counter()
    ttfc: list[float] = []
    for task in done:
        first, error = task.result()
        if first is not None:
            ttfc.append(first)
        if error:
            errors[error] += 1
    if pending:
        errors["Unfinished"] += len(pending)
    await candidate.close()
    return {
        "candidate": candidate.name,
        "streams": streams,
        "chunks": chunks,
        "wall_s": wall,
        "cpu_s": cpu,
        "cpu_ms_per_stream": cpu * 1000 / streams,
        "rss_before_kib": rss_before,
        "rss_peak_kib": rss_peak,
        "rss_kib_per_stream": (rss_peak - rss_before) / streams,
        "rss_peak_exact": exact_peak,
        "ttfc_s": {
            "p50": _percentile(ttfc, 0.5),
            "p99": _percentile(ttfc, 0.99),
            "max": max(ttfc, default=None),
            "mean": statistics.fmean(ttfc) if ttfc else None,
        },
        "ok": streams - sum(errors.values()),
        "errors": dict(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--candidate", required=True, choices=sorted(candidates()))
    parser.add_argument("--streams", type=int, required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--chunks", type=int, default=20, help="chunks per stream the server sends")
    parser.add_argument("--deadline", type=float, default=240, help="seconds after which unfinished streams count")
    options = parser.parse_args()
    raise_open_files_limit()
    candidate = candidates()[options.candidate]
    result = asyncio.run(burst(candidate, options.base_url, options.streams, options.chunks, options.deadline))
    print(json.dumps(result), flush=True)
    os._exit(0)  # do not let a library's atexit work, or a stuck socket, hold the parent up


if __name__ == "__main__":
    main()
