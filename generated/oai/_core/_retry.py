"""The retry policy: which failures are worth another attempt, and how long to wait before it.

A small pure object, in the manner of urllib3's ``Retry``: it looks at a
response (or the lack of one) and answers; the client's send loop does the
waiting and the sending. What is retried:

* no response at all (connection refused or reset, a timeout), except a
  failure that is the request's own fault and would fail the same way again
  (``httpx.LocalProtocolError``: a header value with a line break, say;
  ``httpx.UnsupportedProtocol``);
* 408 Request Timeout, 409 Conflict (OpenAI uses it for a lock held by another
  request), 429 Too Many Requests and every 5xx;
* whatever the server's ``x-should-retry: true|false`` header says, which wins
  over the status.

How long: the server's ``retry-after-ms`` (milliseconds) or ``retry-after``
(seconds, or an HTTP date: RFC 9110 section 10.2.3) when it sent one; else an
exponential backoff from ``initial_delay``, doubling per retry up to
``max_delay``, minus up to 25 % jitter so that many clients failing together
do not retry together. A server that asks for more than ``max_retry_after``
seconds is not retried at all: waiting less than it asked would send a
request it said not to send, and waiting that long would hold the caller
longer than any retry is worth, so its error is raised at once.

What is *never* retried by the policy's callers: a stream after its response
began (status 200) -- see ``docs/client.md``.
"""

from __future__ import annotations

import email.utils
import random
import time

import httpx

from ._constants import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY

__all__ = ["RetryPolicy", "parse_retry_after"]

_RETRY_STATUSES = frozenset({408, 409, 429})

_NEVER_RETRIED = (httpx.LocalProtocolError, httpx.UnsupportedProtocol)
"""Transport errors that are the request's own fault: sending it again fails the same way."""


def parse_retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asks to wait: ``retry-after-ms``, else ``retry-after`` (seconds or an HTTP date)."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return float(value) / 1000.0
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return email.utils.mktime_tz(parsed) - time.time()


class RetryPolicy:
    """When to retry, and for how long to back off (see the module docstring)."""

    __slots__ = ("initial_delay", "max_delay", "max_retry_after")

    def __init__(
        self,
        *,
        initial_delay: float = INITIAL_RETRY_DELAY,
        max_delay: float = MAX_RETRY_DELAY,
        max_retry_after: float = MAX_RETRY_AFTER,
    ) -> None:
        self.initial_delay = initial_delay
        self.max_delay = max_delay
        self.max_retry_after = max_retry_after

    def __repr__(self) -> str:
        return (
            f"RetryPolicy(initial_delay={self.initial_delay}, max_delay={self.max_delay}, "
            f"max_retry_after={self.max_retry_after})"
        )

    def should_retry(self, response: httpx.Response) -> bool:
        """Whether a response of 400 or more is worth retrying; ``x-should-retry`` has the last word."""
        override = response.headers.get("x-should-retry")
        if override == "true":
            return True
        if override == "false":
            return False
        status = response.status_code
        return status in _RETRY_STATUSES or status >= 500

    def should_retry_error(self, error: Exception) -> bool:
        """Whether a failure without a response (an ``httpx.TransportError``) is worth retrying."""
        return not isinstance(error, _NEVER_RETRIED)

    def delay(self, retries_taken: int, response: httpx.Response | None) -> float | None:
        """Seconds to wait before retry number ``retries_taken + 1``; ``None``: the server asked for too long."""
        if response is not None:
            after = parse_retry_after(response.headers)
            if after is not None and after >= 0:
                return after if after <= self.max_retry_after else None
        backoff = min(self.initial_delay * (2.0**retries_taken), self.max_delay)
        return backoff * (1.0 - 0.25 * random.random())
