"""What a stream knows about itself: its timings (``stream.stats``) and what has arrived so far (``.partial``).

A stream feeds two small objects as it reads, both without I/O:

* :class:`StreamStats` -- time to the response head, to the first event and
  to the first content-bearing event, the waits between events, bytes,
  events, reconnects and the final usage. Live: read it during the stream
  or after it; a value is ``None`` until it is known.
* a *progress* object, one per kind of stream (:func:`progress_for`), that
  looks at each chunk once: it says whether the chunk bears content (what
  ``first_token_timeout`` waits for), whether it is the stream's terminal
  signal, and keeps what arrived -- text, reasoning, tool calls, usage --
  so that an interrupted or incomplete stream raises with all of it
  (:class:`StreamPartial`, the errors' ``.partial``).

The kinds (read from the chunk type once, see ``_streaming.ChunkParser``):

==============  =========================================================  ==========================================
kind            terminal signal                                            content-bearing events
==============  =========================================================  ==========================================
``chat``        ``[DONE]``, else a ``finish_reason`` on every choice        text, reasoning or tool-argument deltas
``responses``   ``response.completed`` / ``.incomplete`` / ``.failed``     ``*.delta`` events of text, reasoning,
                                                                           refusal, tool arguments, audio
``assistants``  ``done`` (its data is ``[DONE]``)                          ``thread.message.delta``,
                                                                           ``thread.run.step.delta``
``sse``         the stream's terminator, when it has one                   every event
==============  =========================================================  ==========================================
"""

from __future__ import annotations

import math
import time
from typing import Any, cast

__all__ = ["ChatProgress", "Progress", "StreamPartial", "StreamStats", "progress_for", "reasoning_of"]


class StreamStats:
    """Timings and counts of one stream (``stream.stats``), live while it runs and final after it.

    Seconds are floats measured on the monotonic clock from the moment the
    request was sent; a value is ``None`` until it is known.

    * ``time_to_first_byte``: until the response head arrived;
    * ``time_to_first_event``: until the first event (any event);
    * ``time_to_first_content``: until the first content-bearing event (text,
      reasoning or tool-argument delta; for streams of other data, the first
      event);
    * ``events``, ``content_events``, ``bytes``: counts so far (bytes of the
      body as read, across reconnects);
    * ``max_gap``, ``gap_p50``, ``gap_p99``: the time spent waiting for each
      event after the previous one -- time the caller spent on a chunk is not
      waiting, so a slow consumer does not inflate them;
    * ``reconnects``: how many times a dropped stream was resumed
      (``resume=True``);
    * ``usage``: the final usage object once the server sent it;
    * ``duration``: from the request to the stream's end (``None`` while it runs);
    * ``completed``: whether the stream ended with its terminal signal.
    """

    __slots__ = (
        "_first_content_at",
        "_first_event_at",
        "_gaps",
        "_head_at",
        "_sorted",
        "bytes",
        "completed",
        "content_events",
        "duration",
        "_source",
        "_usage",
        "reconnects",
        "started",
    )

    def __init__(self, started: float | None = None) -> None:
        self.started = time.monotonic() if started is None else started
        """``time.monotonic()`` when the request was sent."""
        self._head_at: float | None = None
        self._first_event_at: float | None = None
        self._first_content_at: float | None = None
        self._gaps: list[float] = []
        """The wait before each event, the first one's included (the stream appends one per event)."""
        self._sorted: list[float] | None = None
        self.content_events = 0
        self.bytes = 0
        self.reconnects = 0
        self._usage: Any = None
        self._source: Progress | None = None
        self.duration: float | None = None
        self.completed = False

    def _since(self, at: float | None) -> float | None:
        return None if at is None else at - self.started

    @property
    def events(self) -> int:
        """Events so far (the stream records one wait per event, so this is their number)."""
        return len(self._gaps)

    @property
    def usage(self) -> Any:
        """The usage object the server sent (the final chunk's, ``response.completed``'s), ``None`` until then."""
        if self._usage is None and self._source is not None:
            return self._source.partial.usage
        return self._usage

    @usage.setter
    def usage(self, value: Any) -> None:
        self._usage = value

    @property
    def time_to_first_byte(self) -> float | None:
        return self._since(self._head_at)

    @property
    def time_to_first_event(self) -> float | None:
        return self._since(self._first_event_at)

    @property
    def time_to_first_content(self) -> float | None:
        return self._since(self._first_content_at)

    @property
    def gaps(self) -> list[float]:
        """The wait before each event after the first, in arrival order."""
        return self._gaps[1:]

    def _order(self) -> list[float]:
        gaps = self._gaps
        cached = self._sorted
        if cached is None or len(cached) != len(gaps) - 1:
            cached = self._sorted = sorted(gaps[1:])
        return cached

    @property
    def max_gap(self) -> float | None:
        ordered = self._order()
        return ordered[-1] if ordered else None

    def gap_quantile(self, q: float) -> float | None:
        """The ``q`` quantile (0..1, nearest rank) of the waits between events; ``None`` before the second event."""
        if not 0.0 <= q <= 1.0:
            raise ValueError(f"q must be between 0 and 1, got {q!r}")
        ordered = self._order()
        if not ordered:
            return None
        rank = max(1, math.ceil(q * len(ordered)))
        return ordered[min(rank, len(ordered)) - 1]

    @property
    def gap_p50(self) -> float | None:
        return self.gap_quantile(0.5)

    @property
    def gap_p99(self) -> float | None:
        return self.gap_quantile(0.99)

    # -- written by the stream -----------------------------------------------------------------------------------

    def head(self, at: float | None = None) -> None:
        """The response head arrived (only the first one counts)."""
        if self._head_at is None:
            self._head_at = time.monotonic() if at is None else at

    def finish(self, completed: bool) -> None:
        if self.duration is None:
            self.duration = time.monotonic() - self.started
            self.completed = completed

    def as_dict(self) -> dict[str, Any]:
        """Every figure, for a log line or a test."""
        return {
            "time_to_first_byte": self.time_to_first_byte,
            "time_to_first_event": self.time_to_first_event,
            "time_to_first_content": self.time_to_first_content,
            "events": self.events,
            "content_events": self.content_events,
            "bytes": self.bytes,
            "max_gap": self.max_gap,
            "gap_p50": self.gap_p50,
            "gap_p99": self.gap_p99,
            "reconnects": self.reconnects,
            "usage": self.usage,
            "duration": self.duration,
            "completed": self.completed,
        }

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.as_dict().items() if k != "usage"}
        return "StreamStats(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"


class StreamPartial:
    """What a stream delivered before it broke off or ended without its terminal signal (``error.partial``).

    ``text`` and ``reasoning`` are the concatenated deltas (of choice 0 for a
    chat stream; ``texts`` has every choice), ``tool_calls`` the tool calls
    as far as they arrived (``{"index", "id", "type", "function": {"name",
    "arguments"}}``), ``finish_reasons`` per choice index, ``usage`` the usage
    object if one arrived. For a Responses stream ``response_id`` and
    ``sequence_number`` (the last one seen) say where it could be resumed;
    for any stream ``last_event_id`` is the SSE id last sent. ``events`` is
    the number of events delivered.
    """

    __slots__ = (
        "events",
        "finish_reasons",
        "last_event_id",
        "model",
        "reasoning_texts",
        "response_id",
        "sequence_number",
        "texts",
        "tool_calls",
        "usage",
    )

    def __init__(self) -> None:
        self.events = 0
        self.texts: dict[int, str] = {}
        self.reasoning_texts: dict[int, str] = {}
        self.tool_calls: list[dict[str, Any]] = []
        self.finish_reasons: dict[int, str] = {}
        self.usage: Any = None
        self.response_id: str | None = None
        self.sequence_number: int | None = None
        self.last_event_id: str | None = None
        self.model: str | None = None

    @property
    def text(self) -> str:
        return self.texts.get(0, "")

    @property
    def reasoning(self) -> str:
        return self.reasoning_texts.get(0, "")

    def __repr__(self) -> str:
        text = self.text
        shown = text if len(text) <= 60 else text[:60] + "..."
        return (
            f"StreamPartial(events={self.events}, text={shown!r}, tool_calls={len(self.tool_calls)}, "
            f"finish_reasons={self.finish_reasons!r}, usage={'yes' if self.usage is not None else 'no'})"
        )


def reasoning_of(delta: Any) -> str | None:
    """The reasoning text of a chat delta, whichever dialect sent it, or ``None``.

    DeepSeek, vLLM and llama.cpp send ``reasoning_content``; OpenRouter and
    Ollama send ``reasoning`` (a string); both are kept by the models as extra
    fields. This reads either, so code does not care which server answered.
    """
    extra: dict[str, Any] | None = getattr(delta, "__pydantic_extra__", None)
    if extra is None:
        if isinstance(delta, dict):
            extra = cast("dict[str, Any]", delta)
        else:
            return None
    value = extra.get("reasoning_content")
    if value is None:
        value = extra.get("reasoning")
    return value if isinstance(value, str) else None


# -- progress, one kind per stream -------------------------------------------------------------------------------


class Progress:
    """A stream of plain events: every event is content, the terminator (if any) is the terminal signal."""

    __slots__ = ("failed", "partial", "stats", "terminal")

    kind = "sse"
    resumable = False
    """Whether the server can resume this kind of stream (the Responses API, by sequence number)."""

    def __init__(self) -> None:
        self.partial = StreamPartial()
        self.terminal = False
        """Whether the stream's own terminal signal (not a ``[DONE]``) arrived."""
        self.failed = False
        """Whether a chunk reported a failure (``failure()`` says which): the stream raises it."""
        self.stats: StreamStats | None = None
        """The stream's stats, whose event count the partial reports."""

    def begin(self, chunk: Any) -> None:
        """The stream's first event (before ``see`` looks at it)."""

    def see(self, chunk: Any) -> bool:
        """Look at one chunk the chunk type validated; ``True`` when it bears content.

        Runs for every event, so the subclasses read what they need as cheaply as
        they can; a chunk that reports a failure sets ``failed``.
        """
        return True

    def see_loose(self, chunk: Any) -> bool:
        """``see`` for a chunk built leniently (it did not fit its type): any field may be missing or plain data."""
        return self.see(chunk)

    def failure(self) -> tuple[str, Any] | None:
        """A failure the stream reported in a chunk: ``(message, body)``; checked when ``see`` flags one."""
        return None

    def usage(self) -> Any:
        return self.partial.usage

    def ended(self) -> bool:
        """Whether what arrived is the whole stream, when its body ends without a terminator."""
        return self.terminal


class ChatProgress(Progress):
    """Chat completions: deltas per choice; ``finish_reason`` ends a choice, ``"error"`` fails it."""

    __slots__ = ("_failed", "_parts", "_reasoning", "_text", "_tools")

    kind = "chat"

    def __init__(self) -> None:
        super().__init__()
        self._text: list[str] = []
        """Choice 0's text deltas (the common case, kept apart so that it costs one append)."""
        self._parts: dict[int, list[str]] = {}
        """The other choices' text deltas."""
        self._reasoning: dict[int, list[str]] = {}
        self._tools: dict[int, dict[int, dict[str, Any]]] = {}
        self._failed: tuple[str, Any] | None = None

    def begin(self, chunk: Any) -> None:
        self.partial.response_id = _get(chunk, "id")
        self.partial.model = _get(chunk, "model")

    def see(self, chunk: Any) -> bool:
        # Run for every chunk of every chat stream. A validated model keeps its fields in its ``__dict__``;
        # reading them there costs a fraction of an attribute read, which on a pydantic model goes through
        # its ``__getattr__`` hook (about 0.1 µs each, and a chunk has a dozen of them to look at).
        try:
            fields = chunk.__dict__
            choices = fields["choices"]
            usage = fields["usage"]
        except (AttributeError, KeyError):  # not the generated chunk model
            return self.see_loose(chunk)
        if usage is not None:
            self.partial.usage = usage
        content = False
        for choice in choices or ():
            try:
                held = choice.__dict__
                delta = held["delta"]
                index = held["index"]
                finish = held["finish_reason"]
                held = delta.__dict__
                text = held["content"]
                calls = held["tool_calls"]
                extra = delta.__pydantic_extra__
            except (AttributeError, KeyError):
                content = self._see_choice_loose(choice, chunk) or content
                continue
            if text:
                content = True
                if index:
                    self._parts.setdefault(index, []).append(text)
                else:
                    self._text.append(text)
            if extra and self._see_extra(index or 0, extra):  # dialects: reasoning_content / reasoning
                content = True
            if calls:
                self._merge_tools(index or 0, calls)
                content = True
            if finish is not None:
                self._finish(index or 0, finish, chunk)
        return content

    def see_loose(self, chunk: Any) -> bool:
        try:
            choices = chunk.choices
            usage = chunk.usage
        except AttributeError:  # not even a model: plain data
            return self._see_data(chunk)
        if usage is not None:
            self.partial.usage = usage
        content = False
        for choice in choices or ():
            content = self._see_choice_loose(choice, chunk) or content
        return content

    def _see_extra(self, index: int, extra: dict[str, Any]) -> bool:
        reasoning = reasoning_of(extra)
        if reasoning:
            self._reasoning.setdefault(index, []).append(reasoning)
            return True
        return False

    def _finish(self, index: int, finish: str, chunk: Any) -> None:
        self.partial.finish_reasons[index] = finish
        if finish == "error":
            self.failed = True
            self._failed = (f"The server ended choice {index} with finish_reason 'error'.", _dumped(chunk))

    def _see_data(self, chunk: Any) -> bool:
        usage = _get(chunk, "usage")
        if usage is not None:
            self.partial.usage = usage
        content = False
        for choice in _get(chunk, "choices") or ():
            content = self._see_choice_loose(choice, chunk) or content
        return content

    def _see_choice_loose(self, choice: Any, chunk: Any) -> bool:
        index = _get(choice, "index") or 0
        delta = _get(choice, "delta")
        content = False
        text = _get(delta, "content")
        if isinstance(text, str) and text:
            content = True
            (self._parts.setdefault(index, []) if index else self._text).append(text)
        extra: Any = cast("Any", delta) if isinstance(delta, dict) else getattr(delta, "__pydantic_extra__", None)
        if extra and self._see_extra(index, cast("dict[str, Any]", extra)):
            content = True
        calls = _get(delta, "tool_calls")
        if calls:
            self._merge_tools(index, calls)
            content = True
        finish = _get(choice, "finish_reason")
        if isinstance(finish, str):
            self._finish(index, finish, chunk)
        return content

    def failure(self) -> tuple[str, Any] | None:
        return self._failed

    def _merge_tools(self, choice: int, calls: list[Any]) -> None:
        """Fold tool-call deltas in; a delta without ``index`` (or ``id``) is joined to the call it continues."""
        tools = self._tools.setdefault(choice, {})
        for call in calls:
            # A delta that does not fit the schema (no index) may have been kept as plain data.
            index = _get(call, "index")
            call_id = _get(call, "id")
            function = _get(call, "function")
            name = _get(function, "name")
            arguments = _get(function, "arguments")
            if index is None:
                index = _tool_index(tools, call_id, name)
            entry = tools.get(index)
            if entry is None:
                entry = tools[index] = {
                    "index": index,
                    "id": call_id,
                    "type": _get(call, "type") or "function",
                    "function": {"name": name or "", "arguments": ""},
                }
            elif call_id and not entry["id"]:
                entry["id"] = call_id
            if name and not entry["function"]["name"]:
                entry["function"]["name"] = name
            if arguments:
                entry["function"]["arguments"] += arguments

    def snapshot(self) -> StreamPartial:
        partial = self.partial
        partial.texts = {index: "".join(parts) for index, parts in self._parts.items()}
        if self._text:
            partial.texts[0] = "".join(self._text)
        partial.reasoning_texts = {index: "".join(parts) for index, parts in self._reasoning.items()}
        partial.tool_calls = [
            call for _, calls in sorted(self._tools.items()) for _, call in sorted(calls.items(), key=lambda kv: kv[0])
        ]
        return partial

    def ended(self) -> bool:
        """Every choice that sent something has a ``finish_reason`` (the terminal signal without ``[DONE]``)."""
        reasons = self.partial.finish_reasons
        if not reasons:
            return False
        started: set[int] = set(self._parts) | set(self._reasoning) | set(self._tools)
        if self._text:
            started.add(0)
        return started <= set(reasons)


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return cast("dict[str, Any]", obj).get(name)
    return getattr(obj, name, None)


def _tool_index(tools: dict[int, dict[str, Any]], call_id: str | None, name: str | None) -> int:
    """The index of a tool-call delta that came without one (some servers leave it out).

    Unambiguous cases only: the call with the same ``id``; a delta with a new
    ``id`` or a ``name`` starts a new call; a bare continuation (arguments
    only) belongs to the latest call.
    """
    if call_id:
        for index, entry in tools.items():
            if entry["id"] == call_id:
                return index
        return max(tools, default=-1) + 1
    if name or not tools:
        return max(tools, default=-1) + 1
    return max(tools)


_RESPONSES_TERMINAL = frozenset({"response.completed", "response.incomplete", "response.failed"})
_RESPONSES_CONTENT = frozenset(
    {
        "response.output_text.delta",
        "response.refusal.delta",
        "response.reasoning_text.delta",
        "response.reasoning_summary_text.delta",
        "response.function_call_arguments.delta",
        "response.custom_tool_call_input.delta",
        "response.mcp_call_arguments.delta",
        "response.code_interpreter_call_code.delta",
        "response.audio.delta",
        "response.audio.transcript.delta",
    }
)


class ResponsesProgress(Progress):
    """Responses API events: numbered (``sequence_number``), resumable, ended by ``response.completed``/..."""

    __slots__ = ("_failed", "_reasoning", "_text")

    kind = "responses"
    resumable = True

    def __init__(self) -> None:
        super().__init__()
        self._text: list[str] = []
        self._reasoning: list[str] = []
        self._failed: tuple[str, Any] | None = None

    def see(self, chunk: Any) -> bool:
        partial = self.partial
        number = getattr(chunk, "sequence_number", None)
        if isinstance(number, int):
            partial.sequence_number = number
        kind = getattr(chunk, "type", None)
        if kind in _RESPONSES_CONTENT:
            delta = getattr(chunk, "delta", None)
            if isinstance(delta, str):
                if kind == "response.output_text.delta":
                    self._text.append(delta)
                elif kind.startswith("response.reasoning"):  # pyright: ignore[reportOptionalMemberAccess]
                    self._reasoning.append(delta)
            return True
        if kind == "response.created" or kind == "response.in_progress":
            response = getattr(chunk, "response", None)
            response_id = getattr(response, "id", None)
            if isinstance(response_id, str):
                partial.response_id = response_id
                model = getattr(response, "model", None)
                partial.model = model if isinstance(model, str) else None
        elif kind in _RESPONSES_TERMINAL:
            self.terminal = True
            response = getattr(chunk, "response", None)
            usage = getattr(response, "usage", None)
            if usage is not None:
                partial.usage = usage
            if kind == "response.failed":
                error = getattr(response, "error", None)
                body = _dumped(error) if error is not None else _dumped(chunk)
                message = getattr(error, "message", None) if error is not None else None
                self.failed = True
                self._failed = (f"The response failed: {message or 'no reason given'}", body)
        return False

    def failure(self) -> tuple[str, Any] | None:
        return self._failed

    def snapshot(self) -> StreamPartial:
        partial = self.partial
        partial.texts = {0: "".join(self._text)} if self._text else {}
        partial.reasoning_texts = {0: "".join(self._reasoning)} if self._reasoning else {}
        return partial


_ASSISTANTS_CONTENT = frozenset({"thread.message.delta", "thread.run.step.delta"})


class AssistantsProgress(Progress):
    """Assistants events (``{event, data}``): ended by ``done``, whose data is ``[DONE]``."""

    __slots__ = ("_text",)

    kind = "assistants"

    def __init__(self) -> None:
        super().__init__()
        self._text: list[str] = []

    def see(self, chunk: Any) -> bool:
        event = getattr(chunk, "event", None)
        if event in _ASSISTANTS_CONTENT:
            if event == "thread.message.delta":
                data = getattr(chunk, "data", None)
                delta = getattr(data, "delta", None)
                for part in getattr(delta, "content", None) or ():
                    text = getattr(getattr(part, "text", None), "value", None)
                    if isinstance(text, str):
                        self._text.append(text)
            return True
        return False

    def snapshot(self) -> StreamPartial:
        partial = self.partial
        partial.texts = {0: "".join(self._text)} if self._text else {}
        return partial


def _dumped(obj: Any) -> Any:
    dump = getattr(obj, "model_dump", None)
    if dump is None:
        return obj
    try:
        return dump(mode="json", exclude_unset=True)
    except Exception:  # noqa: BLE001 - a lenient object that does not dump: keep it as it is
        return obj


_KINDS: dict[str, type[Progress]] = {
    "chat": ChatProgress,
    "responses": ResponsesProgress,
    "assistants": AssistantsProgress,
    "sse": Progress,
}


def progress_for(kind: str, stats: StreamStats | None = None) -> Progress:
    """A fresh progress object for a stream of ``kind`` (``ChunkParser.kind``) that counts in ``stats``."""
    progress = _KINDS.get(kind, Progress)()
    progress.stats = stats
    if stats is not None:
        stats._source = progress  # pyright: ignore[reportPrivateUsage]
    return progress


def snapshot(progress: Progress) -> StreamPartial:
    """The partial of ``progress``, with its texts joined."""
    take = getattr(progress, "snapshot", None)
    partial: StreamPartial = take() if take is not None else progress.partial
    if progress.stats is not None:
        partial.events = progress.stats.events
    return partial
