"""N concurrent chat streams on one event loop over loopback, oai beside the official SDK (issue 17).

For N = 1, 100, 1,000 and 2,000, each SDK's ``AsyncOpenAI`` as shipped (its
default HTTP client, limits and timeouts; no retries) opens N streams at once
against ``bench.stream_server`` in its own process; each stream lasts about
2 s (20 chunks 0.1 s apart), so N really are open together. Every run is a
fresh client process (``bench.stream_client``) and a fresh server; the SDKs
alternate run by run. Printed per N: client CPU per stream, peak RSS per
stream, time to first chunk (p50, p99) and errors, with the server's own CPU
and late ticks in the JSON to show it kept up. Targets (issue 17's
acceptance): at N = 1,000 and 2,000 oai's CPU per stream and TTFC p99 at most
the official SDK's.
"""

from __future__ import annotations

from typing import Any

from bench.concurrency import run_one
from bench.report import Outcome, Row
from bench.timing import ratios


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 0.1 else f"{value:.2f} s"


def _errors(run: dict[str, Any]) -> str:
    errors = run["errors"]
    return ", ".join(f"{count} {name}" for name, count in sorted(errors.items())) if errors else "no errors"


def run(quick: bool) -> Outcome:
    sizes, reps = ((1000,), 1) if quick else ((1, 100, 1000, 2000), 1)
    names = ("oai", "openai")
    runs: dict[int, dict[str, list[dict[str, Any]]]] = {n: {name: [] for name in names} for n in sizes}
    for rep in range(reps):
        for turn, n in enumerate(sizes):
            order = names if (rep + turn) % 2 == 0 else names[::-1]
            for name in order:
                print(f"   {name} N={n} ...", flush=True)
                runs[n][name].append(run_one(name, n))
    outcome = Outcome("concurrency", raw={str(n): by_name for n, by_name in runs.items()})
    for n, by_name in runs.items():
        oai, openai = by_name["oai"], by_name["openai"]
        target = "<= 1" if n >= 1000 else ""

        def figure(runs: list[dict[str, Any]], key: str) -> list[float]:
            return [run[key] for run in runs]

        def ttfc(runs: list[dict[str, Any]], which: str) -> list[float]:
            return [run["ttfc_s"][which] or float("nan") for run in runs]

        outcome.rows += [
            Row(
                f"N={n} CPU/stream",
                "CPU",
                ratios(figure(oai, "cpu_ms_per_stream"), figure(openai, "cpu_ms_per_stream")),
                f"{oai[-1]['cpu_ms_per_stream']:.1f} ms",
                f"{openai[-1]['cpu_ms_per_stream']:.1f} ms",
                target,
            ),
            Row(
                f"N={n} TTFC p99",
                "time",
                ratios(ttfc(oai, "p99"), ttfc(openai, "p99")),
                f"p50 {_seconds(ttfc(oai, 'p50')[-1])}, p99 {_seconds(ttfc(oai, 'p99')[-1])}; {_errors(oai[-1])}",
                f"p50 {_seconds(ttfc(openai, 'p50')[-1])}, p99 {_seconds(ttfc(openai, 'p99')[-1])}; "
                + _errors(openai[-1]),
                target,
            ),
            Row(
                f"N={n} peak RSS/stream",
                "memory",
                ratios(figure(oai, "rss_kib_per_stream"), figure(openai, "rss_kib_per_stream")),
                f"{oai[-1]['rss_kib_per_stream']:.0f} KiB",
                f"{openai[-1]['rss_kib_per_stream']:.0f} KiB",
            ),
        ]
        for name, sdk_runs in by_name.items():
            last = sdk_runs[-1]
            server = last["server"]
            outcome.notes.append(
                f"N={n} {name}: {last['wall_s']:.1f} s wall, {server['stream_connections']} connections, "
                f"at most {server['peak_streaming']} streams open at once; server CPU {server['cpu_s']:.2f} s, "
                f"{server['late_ticks']} late ticks"
            )
    outcome.notes.append(
        f"{reps} run(s) per SDK and N, each in a fresh process; a stream is 20 chunks 0.1 s apart; "
        "default client, limits and timeouts, max_retries=0"
    )
    return outcome
