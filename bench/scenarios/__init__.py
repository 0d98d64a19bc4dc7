"""One module per ``make bench`` scenario, each with ``run(quick: bool) -> Outcome``, in the order they run."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from bench.report import Outcome

NAMES = ("sse", "stream", "nonstream", "coldstart", "concurrency")


def runner(name: str) -> Callable[[bool], Outcome]:
    """The scenario's ``run``; imported only when asked for, so one scenario never loads another's SDK code."""
    return importlib.import_module(f"bench.scenarios.{name}").run
