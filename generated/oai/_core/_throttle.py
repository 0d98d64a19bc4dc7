"""Opt-in client-side throttling: a cap on requests in flight and on requests per minute.

``OpenAI(max_concurrent_requests=5, max_requests_per_minute=600)`` creates one
throttle that the client and all its ``with_options()`` copies share. Every
attempt (retries included) takes a slot before it is sent:

* a concurrency slot, held until the response is finished with (read, or for
  a stream, closed);
* then a place in a sliding 60-second window, so no 60 seconds ever see more
  than ``max_requests_per_minute`` requests leave this client.

The throttles themselves are ``_sync/_throttle.py`` / ``_async/_throttle.py``;
the async one only awaits, it never blocks the loop. This module holds the
window arithmetic they share.
"""

from __future__ import annotations

from collections import deque

__all__ = ["Window", "check_limits"]

_WINDOW = 60.0


class Window:
    """Send times of the last minute; :meth:`reserve` says how long to wait for a place."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._times: deque[float] = deque()

    def reserve(self, now: float) -> float:
        times = self._times
        horizon = now - _WINDOW
        while times and times[0] <= horizon:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            return 0.0
        return times[0] - horizon


def check_limits(max_concurrent: int | None, max_per_minute: int | None) -> None:
    for name, value in (("max_concurrent_requests", max_concurrent), ("max_requests_per_minute", max_per_minute)):
        if value is not None and value < 1:
            raise ValueError(f"{name} must be at least 1 (or None for no limit), got {value}")
