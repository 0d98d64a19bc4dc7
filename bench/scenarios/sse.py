"""SSE decoding alone: bytes in reads of a given size in, events out (no JSON, no models).

Both SDKs' decoders get the same chat stream cut into reads of 7 B, 64 B,
1 KiB and 16 KiB (so event and UTF-8 boundaries fall anywhere) and one read
per event (a server that flushes each token). Each decoder's output is
checked against the source before it is timed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bench.data import chat_stream
from bench.report import Outcome, Row
from bench.timing import clock, interleave, median_rate, ratios, summary

# (label, read size or None for one read per event, target on oai speed / openai speed)
SIZES: list[tuple[str, int | None, str]] = [
    ("7 B", 7, ""),
    ("64 B", 64, ""),
    ("1 KiB", 1024, ">= 5"),
    ("16 KiB", 16384, ">= 5"),
    ("one event", None, ""),
]


def _decoders() -> dict[str, Callable[[Iterable[bytes]], Iterator[Any]]]:
    from oai._core._sse import SSEDecoder as OaiDecoder
    from openai._streaming import SSEDecoder as OpenaiDecoder

    return {
        "oai": lambda reads: OaiDecoder().iter_bytes(reads),
        "openai": lambda reads: OpenaiDecoder().iter_bytes(iter(reads)),
    }


def run(quick: bool) -> Outcome:
    events, small_events, reps = (5_000, 1_000, 3) if quick else (20_000, 4_000, 5)
    decoders = _decoders()
    outcome = Outcome("sse")
    for label, size, target in SIZES:
        stream = chat_stream(small_events if size is not None and size < 64 else events)
        reads = stream.reads(size)
        expected = stream.datas()
        for name, decode in decoders.items():
            got = [event.data for event in decode(reads)]
            if got != expected:
                raise AssertionError(f"{name}'s decoder gives other events than were sent ({label} reads)")

        def trial(decode: Callable[[Iterable[bytes]], Iterator[Any]], reads: list[bytes] = reads) -> float:
            started = clock()
            for _ in decode(reads):
                pass
            return clock() - started

        seconds = interleave({name: lambda d=decode: trial(d) for name, decode in decoders.items()}, reps=reps)
        n = len(stream.events)
        outcome.rows.append(
            Row(
                case=f"{label} reads",
                figure="speed",
                ratios=ratios(seconds["openai"], seconds["oai"]),
                oai=median_rate(n, seconds["oai"], "events"),
                openai=median_rate(n, seconds["openai"], "events"),
                target=target,
            )
        )
        outcome.raw[label] = {
            "events": n,
            "reads": len(reads),
            "bytes": len(stream.body),
            "seconds": seconds,
            "events_per_s": {name: summary([n / s for s in values]) for name, values in seconds.items()},
        }
    sizes = sorted(len(event) for event in chat_stream(events).events[:-1])
    outcome.notes.append(
        f"{events} events of {sizes[0]}-{sizes[-1]} B, median {sizes[len(sizes) // 2]} B "
        f"({small_events} events for 7 B reads), {reps} repetitions"
    )
    return outcome
