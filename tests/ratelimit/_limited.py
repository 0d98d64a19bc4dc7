"""A chat-completions server on 127.0.0.1 that counts what it receives, the way a rate-limited API sees it.

Every request's arrival time and tokens (its usage: a quarter of the body's
bytes for the prompt, ``COMPLETION`` for the answer) are recorded; each answer
carries ``x-ratelimit-*`` headers computed by a token bucket of the server's
own (limit per minute, full after a minute), as OpenAI's do. ``stream: true``
gets the answer as server-sent events, with the usage in the last chunk when
``stream_options.include_usage`` asks for it.

:func:`max_in_window` counts the most arrivals (or tokens) any window of a
given length saw, from the server's records.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests._servers import Reply, Request

COMPLETION = 10


@dataclass
class Arrival:
    at: float
    tokens: int
    path: str


@dataclass
class LimitedServer:
    """The handler: ``serve(LimitedServer(rpm, tpm))``; thread-safe."""

    requests_per_minute: float
    tokens_per_minute: float
    answer: Callable[[Request], Reply | None] | None = None
    """Overrides the answer for some requests (a 429, a delay); ``None`` answers normally."""
    arrivals: list[Arrival] = field(default_factory=list[Arrival])
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _levels: dict[str, tuple[float, float]] = field(default_factory=dict[str, tuple[float, float]])

    def _take(self, name: str, per_minute: float, amount: float, now: float) -> tuple[float, float]:
        """The server's own bucket (capacity: the minute's quota): remaining after ``amount``, seconds to full."""
        rate = per_minute / 60.0
        level, at = self._levels.get(name, (per_minute, now))
        level = min(per_minute, level + (now - at) * rate) - amount
        self._levels[name] = (level, now)
        return max(0.0, level), (per_minute - level) / rate

    def __call__(self, request: Request) -> Reply:
        now = time.monotonic()
        body: dict[str, Any] = request.json() if request.body else {}
        prompt = math.ceil(len(request.body) / 4)
        tokens = prompt + COMPLETION
        with self._lock:
            self.arrivals.append(Arrival(now, tokens, request.path))
            remaining_requests, reset_requests = self._take("requests", self.requests_per_minute, 1, now)
            remaining_tokens, reset_tokens = self._take("tokens", self.tokens_per_minute, tokens, now)
        headers = {
            "x-ratelimit-limit-requests": str(int(self.requests_per_minute)),
            "x-ratelimit-remaining-requests": str(int(remaining_requests)),
            "x-ratelimit-reset-requests": f"{reset_requests * 1000:.0f}ms",
            "x-ratelimit-limit-tokens": str(int(self.tokens_per_minute)),
            "x-ratelimit-remaining-tokens": str(int(remaining_tokens)),
            "x-ratelimit-reset-tokens": f"{reset_tokens:.3f}s",
        }
        if self.answer is not None:
            special = self.answer(request)
            if special is not None:
                special.headers = {**headers, **special.headers}
                return special
        usage = {"prompt_tokens": prompt, "completion_tokens": COMPLETION, "total_tokens": tokens}
        if body.get("stream"):
            options: dict[str, Any] = body.get("stream_options") or {}
            return Reply(
                200,
                sse_body(usage, bool(options.get("include_usage"))),
                {
                    **headers,
                    "content-type": "text/event-stream",
                },
            )
        return Reply(200, completion(usage), headers)

    def times(self, path: str | None = None) -> list[float]:
        with self._lock:
            return [a.at for a in self.arrivals if path is None or a.path.endswith(path)]

    def token_events(self) -> list[tuple[float, float]]:
        with self._lock:
            return [(a.at, float(a.tokens)) for a in self.arrivals]


def completion(usage: dict[str, int]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-limited",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "limited",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}],
        "usage": usage,
    }


def sse_body(usage: dict[str, int], include_usage: bool) -> str:
    def chunk(delta: dict[str, Any], finish: str | None, with_usage: dict[str, int] | None) -> str:
        data: dict[str, Any] = {
            "id": "chatcmpl-limited",
            "object": "chat.completion.chunk",
            "created": 1700000000,
            "model": "limited",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}] if with_usage is None else [],
        }
        if with_usage is not None:
            data["usage"] = with_usage
        return f"data: {json.dumps(data)}\n\n"

    parts = [chunk({"role": "assistant", "content": "o"}, None, None), chunk({"content": "k"}, "stop", None)]
    if include_usage:
        parts.append(chunk({}, None, usage))
    parts.append("data: [DONE]\n\n")
    return "".join(parts)


def max_in_window(events: Sequence[tuple[float, float]], window: float) -> float:
    """The largest sum of amounts whose times fit in some window of ``window`` seconds (ends included)."""
    ordered = sorted(events)
    best = 0.0
    total = 0.0
    start = 0
    for end in range(len(ordered)):
        total += ordered[end][1]
        while ordered[end][0] - ordered[start][0] > window:
            total -= ordered[start][1]
            start += 1
        best = max(best, total)
    return best


LAG = 0.1
"""Seconds a call may take from the limiter's yes to the server's count: its task or thread scheduled (50 threads
a process on a busy machine), a connection opened. Calls let through 10 ms apart can arrive 80 ms apart or
together, so the windows of the server's count are widened by it; nothing else is allowed for."""


def bucket_bound(per_minute: float, window: float) -> float:
    """What a budget of ``per_minute`` lets through in any ``window`` seconds: a full bucket plus the refill, the
    window widened by :data:`LAG` (the server counts arrivals, not the limiter's decisions)."""
    rate = per_minute / 60.0
    return rate + rate * (window + LAG)
