"""What a scenario hands back: comparison rows for the summary table, and raw figures for the JSON file."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.timing import spread


@dataclass
class Row:
    """One line of the summary: oai beside openai on one case.

    ``ratios`` are per repetition, oai's figure divided by openai's, where the
    figure is named by ``figure``: a speed (events/s, chunks/s: above 1 means
    oai is faster) or a cost (time, CPU, memory: below 1 means oai is cheaper).
    """

    case: str
    figure: str
    ratios: list[float]
    oai: str
    openai: str
    target: str = ""  # e.g. ">= 5" (on the median ratio), or "" for information only

    def verdict(self) -> str:
        if not self.target or not self.ratios:
            return ""
        op, _, bound = self.target.partition(" ")
        median = statistics.median(self.ratios)
        met = median >= float(bound) if op == ">=" else median <= float(bound)
        return "ok" if met else "MISSED"


@dataclass
class Outcome:
    scenario: str
    rows: list[Row] = field(default_factory=lambda: list[Row]())
    notes: list[str] = field(default_factory=lambda: list[str]())  # printed under the table
    # everything measured, for build/bench/<scenario>.json
    raw: dict[str, Any] = field(default_factory=lambda: dict[str, Any]())

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.scenario}.json"
        rows = [asdict(row) for row in self.rows]
        path.write_text(json.dumps({"rows": rows, "notes": self.notes, "raw": self.raw}, indent=1), encoding="utf-8")
        return path


def table(outcomes: list[Outcome]) -> str:
    lines = [
        "| scenario | case | oai / openai per repetition: median (min-max) | oai | openai | target | |",
        "|---|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        for row in outcome.rows:
            ratio = f"{row.figure} {spread(row.ratios)}"
            cells = [outcome.scenario, row.case, ratio, row.oai, row.openai, row.target, row.verdict()]
            lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- {outcome.scenario}: {note}" for outcome in outcomes for note in outcome.notes]
    return "\n".join(lines + ([""] + notes if notes else []))
