"""Assistants helpers: stream a run into an event handler, or wait for it (async source of the mixins).

``beta.threads.runs``: ``stream``, ``create_and_stream`` (its older name),
``submit_tool_outputs_stream``, ``create_and_poll``, ``submit_tool_outputs_and_poll``,
``poll``; ``beta.threads`` (also ``client.threads``): ``create_and_run_stream``,
``create_and_run_poll``. The official SDK's names and arguments, plus
``poll_timeout`` for the polling ones.
"""

# The helpers of the deprecated Assistants API call its deprecated methods (which warn when called).
# pyright: reportDeprecated=false

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast, overload

from ..._core._types import NOT_GIVEN, NotGiven
from .polling import poll_until

if TYPE_CHECKING:
    from ..._client import AsyncOpenAI
    from ...resources.beta.threads.runs.runs import AsyncRuns
    from ...resources.beta.threads.threads import AsyncThreads
    from ...types import RunObject
    from ...types._params import SubmitToolOutputsRunRequestToolOutputsItemParam
    from .assistants import AsyncAssistantEventHandler, AsyncAssistantEventHandlerT, AsyncAssistantStreamManager

__all__ = ["AsyncRunsHelpers", "AsyncThreadsHelpers"]

RUN_FINAL_STATES = frozenset({"requires_action", "cancelled", "completed", "failed", "expired", "incomplete"})
"""A run in one of these states needs the caller (``requires_action``) or is over."""


def _run_done(run: Any) -> bool:
    return getattr(run, "status", None) in RUN_FINAL_STATES


def _manager(request: Any, event_handler: Any) -> Any:
    from .assistants import AsyncAssistantEventHandler, AsyncAssistantStreamManager

    return AsyncAssistantStreamManager(request, event_handler=event_handler or AsyncAssistantEventHandler())


class AsyncRunsHelpers:
    """``client.beta.threads.runs``: runs streamed into a handler, or polled until they stop."""

    @overload
    def stream(
        self, *, thread_id: str, assistant_id: str, event_handler: None = None, **params: Any
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...

    @overload
    def stream(
        self, *, thread_id: str, assistant_id: str, event_handler: AsyncAssistantEventHandlerT, **params: Any
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]: ...

    def stream(
        self,
        *,
        thread_id: str,
        assistant_id: str,
        event_handler: AsyncAssistantEventHandler | None = None,
        **params: Any,
    ) -> Any:
        """Create a run and stream it: ``async with`` the result to get the event handler (a new
        :class:`~oai.AsyncAssistantEventHandler` when none is given). ``params``: those of ``runs.create``."""
        runs = cast("AsyncRuns", self)
        request = functools.partial(runs.create, thread_id, assistant_id=assistant_id, stream=True, **params)
        return _manager(request, event_handler)

    create_and_stream = stream

    def submit_tool_outputs_stream(
        self,
        *,
        tool_outputs: Sequence[SubmitToolOutputsRunRequestToolOutputsItemParam],
        run_id: str,
        thread_id: str,
        event_handler: AsyncAssistantEventHandler | None = None,
        **options: Any,
    ) -> Any:
        """Submit tool outputs to a run that ``requires_action`` and stream the rest of the run."""
        runs = cast("AsyncRuns", self)
        request = functools.partial(
            runs.submit_tool_outputs, run_id, thread_id=thread_id, tool_outputs=tool_outputs, stream=True, **options
        )
        return _manager(request, event_handler)

    async def create_and_poll(
        self,
        *,
        thread_id: str,
        assistant_id: str,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
        **params: Any,
    ) -> RunObject:
        """Create a run and wait until it stops (completed, failed, cancelled, expired, incomplete) or
        ``requires_action``. ``params``: those of ``runs.create``."""
        run = await cast("AsyncRuns", self).create(thread_id, assistant_id=assistant_id, stream=False, **params)
        return await self.poll(
            run.id, thread_id=thread_id, poll_interval_ms=poll_interval_ms, poll_timeout=poll_timeout
        )

    async def submit_tool_outputs_and_poll(
        self,
        *,
        tool_outputs: Sequence[SubmitToolOutputsRunRequestToolOutputsItemParam],
        run_id: str,
        thread_id: str,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
        **options: Any,
    ) -> RunObject:
        """Submit tool outputs and wait until the run stops or needs the caller again."""
        run = await cast("AsyncRuns", self).submit_tool_outputs(
            run_id, thread_id=thread_id, tool_outputs=tool_outputs, stream=False, **options
        )
        return await self.poll(
            run.id, thread_id=thread_id, poll_interval_ms=poll_interval_ms, poll_timeout=poll_timeout
        )

    async def poll(
        self,
        run_id: str,
        thread_id: str,
        *,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
    ) -> RunObject:
        """Wait until the run stops or ``requires_action``."""
        runs = cast("AsyncRuns", self)

        def retrieve(timeout: float | NotGiven) -> Any:
            return runs.with_raw_response.retrieve(run_id, thread_id=thread_id, timeout=timeout)

        return await poll_until(
            retrieve, _run_done, what=f"run {run_id}", poll_interval_ms=poll_interval_ms, poll_timeout=poll_timeout
        )


class AsyncThreadsHelpers:
    """``client.beta.threads``: create a thread and run it in one call, streamed or polled."""

    @overload
    def create_and_run_stream(
        self, *, assistant_id: str, event_handler: None = None, **params: Any
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandler]: ...

    @overload
    def create_and_run_stream(
        self, *, assistant_id: str, event_handler: AsyncAssistantEventHandlerT, **params: Any
    ) -> AsyncAssistantStreamManager[AsyncAssistantEventHandlerT]: ...

    def create_and_run_stream(
        self, *, assistant_id: str, event_handler: AsyncAssistantEventHandler | None = None, **params: Any
    ) -> Any:
        """Create a thread and a run, and stream the run into the event handler (``async with`` the
        result). ``params``: those of ``threads.create_and_run``."""
        threads = cast("AsyncThreads", self)
        request = functools.partial(threads.create_and_run, assistant_id=assistant_id, stream=True, **params)
        return _manager(request, event_handler)

    async def create_and_run_poll(
        self,
        *,
        assistant_id: str,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
        **params: Any,
    ) -> RunObject:
        """Create a thread and a run, and wait until the run stops or ``requires_action``."""
        threads = cast("AsyncThreads", self)
        run = await threads.create_and_run(assistant_id=assistant_id, stream=False, **params)
        client = cast("AsyncOpenAI", getattr(self, "_client"))  # noqa: B009 - the resource's client
        return await client.beta.threads.runs.poll(
            run.id, run.thread_id, poll_interval_ms=poll_interval_ms, poll_timeout=poll_timeout
        )
