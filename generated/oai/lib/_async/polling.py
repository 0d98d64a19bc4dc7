"""Retrieving an object until it reaches a final state, within a wall-clock bound (async source).

The ``*_and_poll`` / ``poll`` helpers wait for work the server does in the
background (a run, a vector store file or batch, an uploaded file). Between
retrievals they wait ``poll_interval_ms`` when given, else what the server
asks for in ``openai-poll-after-ms``, else one second. ``poll_timeout`` (seconds,
default: no bound, as in the official SDK) bounds the whole wait, measured on
the monotonic clock; each retrieval is then also given only the time that is
left, and :class:`~oai.lib.PollTimeoutError` (a ``TimeoutError``) is raised with
the object as last seen.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ..._core import APITimeoutError
from ..._core._types import NOT_GIVEN, NotGiven
from .._errors import PollTimeoutError
from ._backend import sleep

if TYPE_CHECKING:
    from ..._core import LegacyAPIResponse

__all__ = ["poll_until"]

_T = TypeVar("_T")

DEFAULT_INTERVAL_MS = 1000


async def poll_until(
    retrieve: Callable[[float | NotGiven], Awaitable[LegacyAPIResponse[_T]]],
    done: Callable[[_T], bool],
    *,
    what: str,
    poll_interval_ms: int | NotGiven = NOT_GIVEN,
    poll_timeout: float | None = None,
) -> _T:
    """Call ``retrieve(timeout)`` (a raw-response retrieval) until ``done(value)``; return that value."""
    start = time.monotonic()
    value: _T | None = None
    while True:
        timeout: float | NotGiven = NOT_GIVEN
        if poll_timeout is not None:
            timeout = max(poll_timeout - (time.monotonic() - start), 0.001)
        try:
            response = await retrieve(timeout)
        except APITimeoutError as exc:
            if poll_timeout is not None and time.monotonic() - start >= poll_timeout:
                raise PollTimeoutError(what, waited=time.monotonic() - start, last=value) from exc
            raise
        value = response.parse()
        if done(value):
            return value
        interval = _interval(poll_interval_ms, response.headers.get("openai-poll-after-ms")) / 1000
        if poll_timeout is not None:
            left = poll_timeout - (time.monotonic() - start)
            if left <= 0:
                raise PollTimeoutError(what, waited=time.monotonic() - start, last=value)
            interval = min(interval, left)
        await sleep(interval)


def _interval(given: int | NotGiven, server_hint: Any) -> int:
    if not isinstance(given, NotGiven):
        return given
    try:
        return int(server_hint) if server_hint is not None else DEFAULT_INTERVAL_MS
    except ValueError:
        return DEFAULT_INTERVAL_MS
