"""Interleaved repetitions and how their spread is printed.

The machine this runs on is shared, so its speed drifts by tens of percent
within a minute. Two implementations timed in separate blocks would measure
the drift; here every repetition runs each implementation once, in an order
that rotates from one repetition to the next, and comparisons are made
repetition by repetition (a ratio per repetition, then the median and the
range of those ratios).
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Mapping, Sequence

clock = time.perf_counter


def interleave(trials: Mapping[str, Callable[[], float]], *, reps: int, warmup: int = 1) -> dict[str, list[float]]:
    """Run each trial ``warmup`` times, then ``reps`` times interleaved; each returns its own seconds."""
    names = list(trials)
    for _ in range(warmup):
        for name in names:
            trials[name]()
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(reps):
        shift = rep % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()  # garbage left by the previous trial is not charged to this one
            seconds[name].append(trials[name]())
    return seconds


def ratios(numerator: Sequence[float], denominator: Sequence[float]) -> list[float]:
    """Repetition by repetition."""
    return [a / b for a, b in zip(numerator, denominator, strict=True) if b]


def spread(values: Sequence[float], fmt: str = "{:.2f}") -> str:
    """``median (min-max)``."""
    if not values:
        return "n/a"
    median = statistics.median(values)
    return f"{fmt.format(median)} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def rate(value: float) -> str:
    """A per-second figure in a short human form: 812, 41.3k, 1.25M."""
    if value >= 1e6:
        return f"{value / 1e6:.2f}M"
    if value >= 1e4:
        return f"{value / 1e3:.1f}k"
    return f"{value:.0f}"


def median_rate(count: float, seconds: Sequence[float], unit: str) -> str:
    """The median of ``count / s`` over the repetitions, e.g. ``41.3k chunks/s``."""
    return f"{rate(statistics.median(count / s for s in seconds))} {unit}/s"


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median, min and max, for the JSON output."""
    if not values:
        return {}
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}
