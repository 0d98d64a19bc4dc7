"""Defaults shared by the client core, in one place so they are easy to find."""

from __future__ import annotations

from functools import cache

import httpx

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "IDEMPOTENCY_KEY_PREFIX",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "version",
]


@cache
def version() -> str:
    """The installed oai version (for the User-Agent), looked up on first use.

    ``importlib.metadata`` costs ~10 ms to import, so it is not paid by ``import oai``.
    """
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("oai")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


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
