"""Defaults shared by the client core, in one place so they are easy to find."""

from __future__ import annotations

import httpx

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "IDEMPOTENCY_KEY_PREFIX",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "RECORD_ENV",
    "REPLAY_ENV",
]


DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
"""Per attempt: ten minutes to read a response (long completions), five seconds to connect."""

DEFAULT_MAX_RETRIES = 2

INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry; doubled on each further retry."""

MAX_RETRY_DELAY = 8.0
"""The backoff never waits longer than this (before jitter)."""

MAX_RETRY_AFTER = 60.0
"""A server's ``retry-after`` / ``retry-after-ms`` is honoured up to this many seconds."""

IDEMPOTENCY_KEY_PREFIX = "oai-retry-"

RECORD_ENV = "OAI_RECORD"
"""Set to a path: every client of the process records its exchanges to that cassette (``_cassette_plan``)."""

REPLAY_ENV = "OAI_REPLAY"
"""Set to a path: every client of the process replays that cassette instead of sending."""
