# Written by scripts/unasync.py from generated/oai/lib/_async/assistants.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""Event handlers for Assistants run streams (async source of ``AssistantEventHandler``).

``with client.beta.threads.runs.stream(thread_id=..., assistant_id=...,
event_handler=MyHandler()) as stream: stream.until_done()`` calls the
handler's ``on_*`` methods as the run streams (text created / delta / done,
tool calls, messages, run steps, end, exception, timeout). Which callbacks an
event triggers, and the snapshots they receive, come from
:class:`~oai.lib.streaming._assistants_state.AssistantStreamState`; this
module only makes the calls. The official SDK's names and callbacks.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..._core import APITimeoutError
from ..streaming._assistants_state import AssistantStreamState

if TYPE_CHECKING:
    from ..._core import Stream
    from ...types import AssistantStreamEvent, MessageObject, RunObject, RunStepObject

__all__ = ["AssistantEventHandler", "AssistantEventHandlerT", "AssistantStreamManager"]


class AssistantEventHandler:
    """Subclass and override the ``on_*`` callbacks you need; pass an instance as ``event_handler=``.

    The handler is also the stream: iterate it for the raw events, or call
    ``until_done()`` / ``get_final_run()`` / ``get_final_messages()``. One
    handler serves one stream. Exceptions raised in a callback propagate to
    the caller.
    """

    def __init__(self) -> None:
        self._state = AssistantStreamState()
        self._stream: Stream[Any] | None = None
        self._iterator = self._events()
        self.text_deltas: Iterator[str] = self._text_deltas()
        """Only the text deltas of the messages (``thread.message.delta``)."""

    def _init(self, stream: Stream[Any]) -> None:
        if self._stream is not None:
            raise RuntimeError(
                "This event handler is already attached to a stream; create a new handler for each stream"
            )
        self._stream = stream

    # -- the stream -------------------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[AssistantStreamEvent]:
        return self._iterator

    def __next__(self) -> AssistantStreamEvent:
        return self._iterator.__next__()

    @property
    def current_event(self) -> AssistantStreamEvent | None:
        return self._state.current_event

    @property
    def current_run(self) -> RunObject | None:
        return self._state.current_run

    @property
    def current_run_step_snapshot(self) -> RunStepObject | None:
        return self._state.current_run_step_snapshot

    @property
    def current_message_snapshot(self) -> MessageObject | None:
        return self._state.current_message_snapshot

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._iterator.close()
        if self._stream is not None:
            self._stream.close()

    def until_done(self) -> None:
        """Read the stream to its end, running the callbacks."""
        for _ in self._iterator:
            pass

    def get_final_run(self) -> RunObject:
        """The run as the stream left it (read to the end first)."""
        self.until_done()
        if self._state.current_run is None:
            raise RuntimeError("The stream ended without any run object")
        return self._state.current_run

    def get_final_run_steps(self) -> list[RunStepObject]:
        """The steps of the run (read to the end first)."""
        self.until_done()
        if not self._state.run_steps:
            raise RuntimeError("The stream had no run steps")
        return list(self._state.run_steps.values())

    def get_final_messages(self) -> list[MessageObject]:
        """The messages the run wrote (read to the end first)."""
        self.until_done()
        if not self._state.messages:
            raise RuntimeError("The stream had no messages")
        return list(self._state.messages.values())

    # -- callbacks (override these) ---------------------------------------------------------------------------

    def on_event(self, event: AssistantStreamEvent) -> None:
        """Every event, before the more specific callbacks."""

    def on_end(self) -> None:
        """The stream stopped: read to its end, failed or closed."""

    def on_exception(self, exception: Exception) -> None:
        """The stream failed (the exception is raised to the caller right after)."""

    def on_timeout(self) -> None:
        """The stream timed out (``on_exception`` follows)."""

    def on_run_step_created(self, run_step: RunStepObject) -> None: ...

    def on_run_step_delta(self, delta: Any, snapshot: RunStepObject) -> None:
        """A run step changed: ``delta`` as sent, ``snapshot`` the step accumulated so far."""

    def on_run_step_done(self, run_step: RunStepObject) -> None: ...

    def on_tool_call_created(self, tool_call: Any) -> None: ...

    def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None: ...

    def on_tool_call_done(self, tool_call: Any) -> None: ...

    def on_message_created(self, message: MessageObject) -> None: ...

    def on_message_delta(self, delta: Any, snapshot: MessageObject) -> None:
        """A message changed: ``delta`` as sent, ``snapshot`` the message accumulated so far."""

    def on_message_done(self, message: MessageObject) -> None: ...

    def on_text_created(self, text: Any) -> None: ...

    def on_text_delta(self, delta: Any, snapshot: Any) -> None:
        """New text: ``delta.value`` the new part, ``snapshot.value`` the text so far."""

    def on_text_done(self, text: Any) -> None: ...

    def on_image_file_done(self, image_file: Any) -> None: ...

    # -- machinery --------------------------------------------------------------------------------------------

    def _events(self) -> Generator[AssistantStreamEvent, None]:
        stream = self._stream
        if stream is None:
            raise RuntimeError("The handler has no stream yet: use it through runs.stream(...) / create_and_run_stream")
        try:
            for event in stream:
                for name, args in self._state.handle(event):
                    getattr(self, name)(*args)
                yield event
        except APITimeoutError as exc:
            self.on_timeout()
            self.on_exception(exc)
            raise
        except Exception as exc:
            self.on_exception(exc)
            raise
        finally:
            self.on_end()

    def _text_deltas(self) -> Iterator[str]:
        for event in self:
            if getattr(event, "event", None) != "thread.message.delta":
                continue
            delta = getattr(getattr(event, "data", None), "delta", None)
            for block in getattr(delta, "content", None) or ():
                text = getattr(block, "text", None)
                value = getattr(text, "value", None)
                if getattr(block, "type", None) == "text" and value:
                    yield value


AssistantEventHandlerT = TypeVar("AssistantEventHandlerT", bound=AssistantEventHandler)


class AssistantStreamManager(Generic[AssistantEventHandlerT]):
    """What ``runs.stream(...)`` / ``threads.create_and_run_stream(...)`` return: ``with`` it to send the
    request; it gives the event handler, attached to the stream. Leaving closes the stream."""

    def __init__(
        self,
        api_request: Callable[[], Stream[Any]],
        *,
        event_handler: AssistantEventHandlerT,
    ) -> None:
        self._api_request = api_request
        self._event_handler = event_handler
        self._stream: Stream[Any] | None = None

    def __enter__(self) -> AssistantEventHandlerT:
        self._stream = self._api_request()
        self._event_handler._init(self._stream)  # pyright: ignore[reportPrivateUsage]
        return self._event_handler

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stream is not None:
            self._stream.close()
