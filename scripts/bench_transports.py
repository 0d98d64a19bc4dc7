"""The candidate table of issue 17: async HTTP stacks under N concurrent chat streams, side by side.

    .venv/bin/python scripts/bench_transports.py [--streams 1,100,1000,2000] [--reps 2] [--candidates a,b,...]

Runs the concurrency scenario (``bench/concurrency.py``: a fresh server and a
fresh client process per run, streams of about 2 s) for every candidate in
``bench/candidates.py`` -- oai and the official SDK as shipped, oai on other
httpx transports, and bare HTTP clients as floors -- rotating the order of the
candidates from one repetition to the next. Prints one row per candidate and
N: client CPU per stream, peak RSS per stream, TTFC p50 / p99, errors, the
connections the streams used and how many were open at once (a burst that
piles onto a few connections shows there), and the server's CPU. Medians over
the repetitions, with the range where there are several. Raw runs go to
``build/bench/transports.json``, the table to ``build/bench/transports.md``.
A candidate whose packages are missing is skipped: ``make install`` brings the
official SDK and aiohttp's transport, ``.venv/bin/pip install -e '.[bench-transports]'`` the rest.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.candidates import candidates  # noqa: E402 - needs the repository root on sys.path
from bench.concurrency import INTERVAL, run_one  # noqa: E402

OUT = ROOT / "build" / "bench"
# What each candidate needs besides oai, httpx and openai (the packages make install always brings).
NEEDS = {
    "oai+httpcore2": ["httpcore2"],
    "oai+httpx-aiohttp": ["httpx_aiohttp"],
    "oai+httpx-aiohttp-nolimit": ["httpx_aiohttp"],
    "oai+httpx-aiohttp-4096": ["httpx_aiohttp"],
    "oai+pyreqwest": ["pyreqwest"],
    "oai+curl-cffi": ["httpx_curl_cffi"],
    "openai+aiohttp": ["aiohttp"],
    "bare-httpx2": ["httpx2"],
    "bare-aiohttp": ["aiohttp"],
}


def _available(name: str) -> bool:
    return all(importlib.util.find_spec(module) for module in NEEDS.get(name, []))


def _cell(runs: list[dict[str, Any]], value: Callable[[dict[str, Any]], float | None], fmt: str) -> str:
    values = [v for v in map(value, runs) if v is not None]
    if not values:
        return "n/a"
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def _errors(runs: list[dict[str, Any]]) -> str:
    total: dict[str, int] = {}
    for run in runs:
        for name, count in run["errors"].items():
            total[name] = total.get(name, 0) + count
    return ", ".join(f"{count} {name}" for name, count in sorted(total.items())) or "0"


def table(results: dict[str, dict[int, list[dict[str, Any]]]]) -> str:
    lines = [
        "| candidate | N | CPU ms/stream | peak RSS KiB/stream | TTFC p50 s | TTFC p99 s | errors (all runs) "
        "| connections used | streams open at once | server CPU s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, by_size in results.items():
        for n, runs in by_size.items():
            cells = [
                name,
                f"{n:,}",
                _cell(runs, lambda r: r["cpu_ms_per_stream"], "{:.1f}"),
                _cell(runs, lambda r: r["rss_kib_per_stream"], "{:.0f}"),
                _cell(runs, lambda r: r["ttfc_s"]["p50"], "{:.2f}"),
                _cell(runs, lambda r: r["ttfc_s"]["p99"], "{:.2f}"),
                _errors(runs),
                _cell(runs, lambda r: r["server"]["stream_connections"], "{:.0f}"),
                _cell(runs, lambda r: r["server"]["peak_streaming"], "{:.0f}"),
                _cell(runs, lambda r: r["server"]["cpu_s"], "{:.2f}"),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--streams", default="1,100,1000,2000", help="comma-separated N")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--candidates", default=",".join(candidates()), help="comma-separated names")
    parser.add_argument(
        "--interval", type=float, default=INTERVAL, help="seconds between a stream's chunks (0.005: a fast server)"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args(argv)
    sizes = [int(n) for n in options.streams.split(",")]
    names = [name for name in options.candidates.split(",") if name]
    unknown = [name for name in names if name not in candidates()]
    if unknown:
        parser.error(f"unknown candidates {unknown}; known: {', '.join(candidates())}")
    for name in [name for name in names if not _available(name)]:
        print(f"skipped {name}: {', '.join(NEEDS[name])} not installed", flush=True)
        names.remove(name)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average before: {load}", flush=True)
    results: dict[str, dict[int, list[dict[str, Any]]]] = {name: {n: [] for n in sizes} for name in names}
    started = time.monotonic()
    for rep in range(options.reps):
        for n in sizes:
            shift = rep % len(names)
            for name in names[shift:] + names[:shift]:
                run = run_one(name, n, interval=options.interval)
                results[name][n].append(run)
                print(
                    f"rep {rep + 1} N={n} {name}: {run['cpu_ms_per_stream']:.1f} ms CPU/stream, "
                    f"TTFC p99 {run['ttfc_s']['p99'] or float('nan'):.2f} s, errors {run['errors'] or 0}",
                    flush=True,
                )
    text = table(results)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    footer = f"{options.reps} repetition(s), {time.monotonic() - started:.0f} s; load average after: {load}"
    options.out.mkdir(parents=True, exist_ok=True)
    stem = "transports" if options.interval == INTERVAL else f"transports-interval-{options.interval:g}"
    (options.out / f"{stem}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    (options.out / f"{stem}.md").write_text(text + "\n\n" + footer + "\n", encoding="utf-8")
    print("\n" + text + "\n\n" + footer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
