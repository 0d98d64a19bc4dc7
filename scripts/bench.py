"""``make bench``: oai beside the official ``openai`` SDK, same run, same bytes.

Scenarios (``bench/scenarios/``; ``docs/benchmarks.md`` says what each measures):

* ``sse``: the SSE decoder alone, reads of 7 B, 64 B, 1 KiB, 16 KiB and one event.
* ``stream``: chunks/s through ``chat.completions.create(stream=True)``, sync and async, from memory.
* ``nonstream``: requests/s through a non-streaming ``chat.completions.create``, sync and async.
* ``coldstart``: import + client + one streamed completion in a fresh process, over TCP.
* ``concurrency``: 1 to 2,000 concurrent streams on one event loop against a server in its own process.

Every scenario interleaves the two SDKs repetition by repetition and prints
the ratio oai / openai per repetition as ``median (min-max)``, with absolute
figures beside it. Raw figures go to ``build/bench/<scenario>.json`` and the
table to ``build/bench/summary.md``. About 5 minutes on 2 busy cores;
``--quick`` about 1.5.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import Outcome, table  # noqa: E402 - needs the repository root on sys.path
from bench.scenarios import NAMES, runner  # noqa: E402

OUT = ROOT / "build" / "bench"
PACKAGES = ("oai", "openai", "httpx", "httpcore", "httpx2", "httpcore2", "pydantic", "pydantic-core", "h11", "uvloop")


def environment() -> str:
    def installed(name: str) -> str:
        try:
            return f"{name} {version(name)}"
        except PackageNotFoundError:
            return f"{name} -"

    load = "; load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return f"Python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs{load}\n" + ", ".join(
        installed(name) for name in PACKAGES
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="smaller counts and fewer repetitions, N=1000 only for concurrency"
    )
    parser.add_argument(
        "--scenario", choices=NAMES, action="append", help="run only this scenario (repeat for several)"
    )
    parser.add_argument("--out", type=Path, default=OUT, help=f"where the JSON and the table go (default {OUT})")
    options = parser.parse_args(argv)
    print(environment(), flush=True)
    started = time.monotonic()
    outcomes: list[Outcome] = []
    for name in options.scenario or NAMES:
        print(f"\n== {name} ...", flush=True)
        began = time.monotonic()
        outcome = runner(name)(options.quick)
        path = outcome.write(options.out)
        outcomes.append(outcome)
        print(table([outcome]), flush=True)
        print(f"({name}: {time.monotonic() - began:.0f} s; raw figures in {path})", flush=True)
    summary = table(outcomes)
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / "summary.md").write_text(environment() + "\n\n" + summary + "\n", encoding="utf-8")
    print(f"\n## oai / openai, per interleaved repetition\n\n{summary}")
    print(f"\nTotal {time.monotonic() - started:.0f} s; raw figures in {options.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
