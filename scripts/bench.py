"""``make bench``: oai next to the official ``openai`` SDK, same run, same bytes.

Runs the shared side-by-side harness (``sdkbench``, default
``/work/shared/bench/run.py``, or ``$SDKBENCH``) with oai's adapters from
``bench/adapters.py`` for three scenarios, then prints how many times faster
oai is than ``openai``, per repetition (the harness interleaves the
implementations repetition by repetition, so the ratio is robust to the
machine's drift even when the absolute rates are not):

* ``sse``: the SSE decoder alone, reads of 1 KiB, 16 KiB and one event
  (also 7 and 64 bytes, for information). Target: >= 5x for 1 KiB and up.
* ``stream``: ``chat.completions.create(stream=True)`` through the client on
  an in-memory transport, sync and async. Target: >= 10x.
* ``nonstream``: a non-streaming ``chat.completions.create`` (no target).
* ``coldstart``: ``import oai`` + a client + one streamed chat completion in a
  fresh process (``scripts/coldstart.py``), against a process that only imports
  httpx and pydantic and against the same program on ``openai``. Targets: at most
  ~150 ms over that floor, and at most 35 % of openai's time.

Scaled to take about three minutes (well under eight) on 2 shared cores;
``--quick`` runs a smaller version. Raw tables and JSON go to
``build/bench/``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HARNESS = Path(os.environ.get("SDKBENCH", "/work/shared/bench/run.py"))
OUT = ROOT / "build" / "bench"

DECODER = "bench.adapters:OaiDecoder"
CLIENT = "bench.adapters:OaiClient"

# (scenario, harness arguments, targets: {case: minimum speed-up})
PLAN: list[tuple[str, list[str], dict[str, float]]] = [
    (
        "sse",
        [
            "--decoders",
            f"openai,floor-data,floor-split,{DECODER}",
            "--baseline",
            "openai",
            "--events",
            "20000",
            "--small-events",
            "4000",
            "--sizes",
            "1024,16384,event,64,7",
            "--reps",
            "5",
        ],
        {"1024": 5.0, "16384": 5.0},
    ),
    (
        "stream",
        [
            "--clients",
            f"openai,raw-httpx,{CLIENT}",
            "--baseline",
            "openai",
            "--chunks",
            "10000",
            "--modes",
            "sync,async",
            "--reps",
            "5",
        ],
        {"sync": 10.0, "async": 10.0},
    ),
    (
        "nonstream",
        [
            "--clients",
            f"openai,{CLIENT}",
            "--baseline",
            "openai",
            "--requests",
            "1000",
            "--modes",
            "sync,async",
            "--reps",
            "5",
        ],
        {},
    ),
]

QUICK = {"--events": "5000", "--small-events": "1000", "--chunks": "3000", "--requests": "300", "--reps": "3"}


def _scaled(args: list[str], quick: bool) -> list[str]:
    if not quick:
        return args
    out = list(args)
    for i, arg in enumerate(out[:-1]):
        if arg in QUICK:
            out[i + 1] = QUICK[arg]
    return out


def _run(scenario: str, args: list[str]) -> dict[str, Any]:
    OUT.mkdir(parents=True, exist_ok=True)
    json_out = OUT / f"{scenario}.json"
    md_out = OUT / f"{scenario}.md"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, str(HARNESS), "--md-out", str(md_out), "--json-out", str(json_out), scenario, *args]
    print(f"\n$ {' '.join(command)}", flush=True)
    started = time.monotonic()
    subprocess.run(command, check=True, env=env, cwd=HARNESS.parent)
    print(f"({scenario}: {time.monotonic() - started:.0f} s)", flush=True)
    data = json.loads(json_out.read_text())
    (report,) = data["scenarios"].values()
    return report


def _speedups(ours: list[float], theirs: list[float]) -> list[float]:
    return [t / o for o, t in zip(ours, theirs, strict=True) if o > 0]


def _cell(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}x ({min(values):.1f}-{max(values):.1f})"


def _rows(scenario: str, report: dict[str, Any], targets: dict[str, float]) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    if scenario == "sse":
        cases = {size: block["decoders"] for size, block in report["sizes"].items()}
        ours, theirs = "oai", "openai"
    else:
        cases = report["modes"]
        ours, theirs = "oai", "openai"
    for case, impls in cases.items():
        if ours not in impls or theirs not in impls:
            continue
        speedup = _speedups(impls[ours]["seconds"], impls[theirs]["seconds"])
        target = targets.get(case)
        verdict = "" if target is None else ("ok" if statistics.median(speedup) >= target else "BELOW TARGET")
        goal = "info" if target is None else f">= {target:g}x"
        rows.append((f"{scenario} {case}", _cell(speedup), goal, verdict))
    return rows


def _coldstart(runs: int) -> list[tuple[str, str, str, str]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import coldstart  # scripts/coldstart.py

    print(f"\n$ coldstart ({runs} interleaved runs of each program)", flush=True)
    times = coldstart.measure(runs, ["floor", "oai", "openai"])
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "coldstart.json").write_text(json.dumps(times, indent=1))
    median = {name: statistics.median(values) for name, values in times.items()}
    over = (median["oai"] - median["floor"]) * 1000
    share = median["oai"] / median["openai"] * 100
    detail = ", ".join(f"{name} {median[name] * 1000:.0f} ms" for name in ("oai", "floor", "openai"))
    return [
        ("coldstart oai - floor", f"{over:.0f} ms ({detail})", "<= ~150 ms", "ok" if over <= 150 else "ABOVE TARGET"),
        ("coldstart oai / openai", f"{share:.0f} %", "<= 35 %", "ok" if share <= 35 else "ABOVE TARGET"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller counts (about a minute)")
    parser.add_argument(
        "--only", choices=[p[0] for p in PLAN] + ["coldstart"], action="append", help="run only these scenarios"
    )
    options = parser.parse_args()
    if not HARNESS.exists():
        print(f"The shared harness is not at {HARNESS}; set SDKBENCH to its run.py.", file=sys.stderr)
        return 2

    started = time.monotonic()
    rows: list[tuple[str, str, str, str]] = []
    for scenario, args, targets in PLAN:
        if options.only and scenario not in options.only:
            continue
        report = _run(scenario, _scaled(args, options.quick))
        rows.extend(_rows(scenario, report, targets))
    if not options.only or "coldstart" in options.only:
        rows.extend(_coldstart(runs=5 if options.quick else 9))

    print("\n## oai vs openai (speed-up = openai time / oai time, per interleaved repetition)\n")
    print("| case | speed-up median (min-max) | target | |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nTotal {time.monotonic() - started:.0f} s; tables and raw trials in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
