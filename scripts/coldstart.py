"""Cold start of oai beside the official SDK and the httpx + pydantic floor (see ``bench/scenarios/coldstart.py``).

    .venv/bin/python scripts/coldstart.py [--runs 9] [--json build/bench/coldstart.json]

Prints the median wall time of each program over ``--runs`` runs and the two
figures the project targets: oai minus the floor (<= ~150 ms) and oai / openai
(<= 35 %).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scenarios.coldstart import PACKAGE_DIR, measure  # noqa: E402 - needs the repository root on sys.path


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
