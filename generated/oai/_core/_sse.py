"""Server-sent events, decoded exactly as the WHATWG HTML standard says.

Reference: HTML Living Standard, section 9.2 "Server-sent events", in
particular 9.2.5 "Parsing an event stream" (the ABNF: lines end in CRLF, LF
or CR; an optional leading BOM) and 9.2.6 "Interpreting an event stream"
(fields, dispatch, ``id``/``retry`` rules). Every rule below cites it.

Why the decoder works on bytes although the standard works on text
-----------------------------------------------------------------
The standard first UTF-8-decodes the whole stream (replacing invalid
sequences with U+FFFD) and only then splits lines. We split on bytes and
decode each field value once. The two give identical text because in UTF-8
the bytes CR (0x0D), LF (0x0A), ``:`` (0x3A), space (0x20) and NUL (0x00) are
never part of a multi-byte sequence, so an invalid sequence (a "maximal
subpart", which Python's ``errors="replace"`` replaces exactly as the WHATWG
"UTF-8 decode" algorithm does) never spans a line, a colon or a field
boundary. A character split between two reads is therefore simply joined
back before it is decoded, and decoding never raises.

How it is fast
--------------
Line endings are normalized to LF per read (``bytes.replace``, only when the
read contains a CR; a CR that ends a read is remembered so that an LF
starting the next read is not counted twice). Events are then cut out of the
buffer with one ``bytes.split(b"\\n\\n")`` per read, and the common event -- a
single ``data: ...`` line -- is recognized with one slice comparison and one
``in`` test, then decoded once. Anything else (several lines, other fields,
comments, a missing space after the colon) goes through the line-by-line
path, which follows the standard's text step by step. Both paths give the
same result for the same event; the fast one is only a shortcut.

Choices the standard leaves to the API (documented here, tested in
``tests/core/test_sse*.py``):

* ``ServerSentEvent.id`` is the event source's *last event ID string* at
  dispatch time (it persists across events, starts as ``""``), exactly like
  ``MessageEvent.lastEventId``.
* ``ServerSentEvent.retry`` is the *reconnection time in effect* at dispatch
  time: the value of the most recent valid ``retry`` field seen so far in
  the stream (also one that came in a block that dispatched nothing), or
  ``None`` while no valid ``retry`` was seen. The standard has no per-event
  retry; it sets the event source's reconnection time, which persists.
* An event bigger than ``max_event_size`` bytes raises
  :class:`SSEEventTooLarge`, so that a stream that never ends a line cannot
  take all memory.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import Any, TypeAlias, TypeVar

from ._errors import APIError

__all__ = ["DEFAULT_MAX_EVENT_SIZE", "OfficialServerSentEvent", "SSEDecoder", "SSEEventTooLarge", "ServerSentEvent"]

_E = TypeVar("_E")

Read: TypeAlias = "bytes | bytearray | memoryview"
"""One read of the stream. A ``bytearray`` or ``memoryview`` is copied, as a reader may reuse its buffer."""

DEFAULT_MAX_EVENT_SIZE = 32 * 1024 * 1024
"""Default cap on one event's size in bytes (32 MiB).

Generous on purpose: a Responses ``response.completed`` event repeats the
whole output, and image-generation partials carry base64 images of several
MiB. The cap exists to bound memory, not to police payloads.
"""

_BOM = b"\xef\xbb\xbf"
_LONG_TAIL = 64 * 1024  # past this, an unfinished event is kept as a list of reads and joined once


class SSEEventTooLarge(APIError, ValueError):
    """One event (or an unfinished line) grew past the decoder's ``max_event_size``.

    A subclass of :class:`~oai.APIError` (so ``except APIError`` sees it, like
    every other way a response can fail; a stream sets ``request`` and
    ``request_id``) and of ``ValueError`` (the input, not the program, is at
    fault). The cap is the client's and each call's ``max_event_size``. A stream
    that never ends a line would otherwise buffer without bound: the standard
    (9.2.6) only dispatches on a blank line, so the decoder must hold
    everything until then.
    """

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"A server-sent event grew to {size} bytes without ending, more than the limit of {limit} bytes "
            "(max_event_size: a client option and a per-call option)."
        )
        self.size = size
        self.limit = limit


class ServerSentEvent:
    """One dispatched event (HTML standard 9.2.6, "dispatch the event").

    ``event`` is the type (``"message"`` unless an ``event`` field set
    another), ``data`` the data buffer without its final LF, ``id`` the last
    event ID string at dispatch time (``""`` until an ``id`` field set one),
    ``retry`` the reconnection time in milliseconds in effect at dispatch
    time (``None`` until a valid ``retry`` field was seen).
    """

    __slots__ = ("data", "event", "id", "retry")

    event: str
    data: str
    id: str
    retry: int | None

    def __init__(self, event: str = "message", data: str = "", id: str = "", retry: int | None = None) -> None:
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry

    def json(self) -> Any:
        """``data`` parsed as JSON (raises ``json.JSONDecodeError`` when it is not)."""
        return json.loads(self.data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return (self.event, self.data, self.id, self.retry) == (other.event, other.data, other.id, other.retry)

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r}, retry={self.retry!r})"


class OfficialServerSentEvent:
    """An event as the official SDK's private decoder reports it (``oai._streaming.ServerSentEvent``).

    For code written against ``openai._streaming`` (``Stream._iter_events()``); oai's streams use
    :class:`ServerSentEvent`. The differences are the official SDK's reading of the format:
    ``event`` is ``None`` when the block named no type (not ``"message"``), ``id`` is ``None`` until
    an ``id`` field set one, ``retry`` is the block's own ``retry`` field, and a block that has
    fields but no ``data`` line is an event too, with ``data`` ``""`` (the standard dispatches nothing).
    """

    __slots__ = ("data", "event", "id", "retry")

    def __init__(
        self, *, event: str | None = None, data: str | None = None, id: str | None = None, retry: int | None = None
    ) -> None:
        self.event = event
        self.data = data or ""
        self.id = id
        self.retry = retry

    def json(self) -> Any:
        """``data`` parsed as JSON."""
        return json.loads(self.data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OfficialServerSentEvent):
            return NotImplemented
        return (self.event, self.data, self.id, self.retry) == (other.event, other.data, other.id, other.retry)

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r}, retry={self.retry!r})"


class SSEDecoder:
    """Incremental decoder: bytes in, :class:`ServerSentEvent` out.

    ``iter_bytes`` / ``aiter_bytes`` decode one whole stream each (a leading
    BOM is stripped at the start of each); the last event ID and the
    reconnection time belong to the event source and so persist on the
    decoder across streams, as they do across an ``EventSource``'s
    reconnections. For push-style use call :meth:`feed` (or :meth:`feed_raw`
    for undecoded data) per read and :meth:`end` at the end of the stream.

    ``max_event_size`` bounds the bytes one event may take (its lines with
    LF endings, without the blank line that ends it); a bigger one, or an
    unfinished one that has already grown past it, raises
    :class:`SSEEventTooLarge` once the events before it have been yielded.
    """

    __slots__ = (
        "_at_start",
        "_cr",
        "_last_id",
        "_long",
        "_max",
        "_overflow",
        "_parts",
        "_pending",
        "_retry",
        "_slow",
        "_tail",
    )

    _at_start: bool
    _cr: bool
    _last_id: str
    _long: int
    _max: int
    _overflow: int
    _parts: list[bytes]
    _pending: int
    _retry: int | None
    _slow: bool
    _tail: bytes

    def __init__(self, *, max_event_size: int = DEFAULT_MAX_EVENT_SIZE) -> None:
        if max_event_size < 1:
            raise ValueError("max_event_size must be at least 1")
        self._max = max_event_size
        self._long = min(_LONG_TAIL, max_event_size)
        self._last_id = ""
        self._retry = None
        self._reset()

    def _reset(self) -> None:
        # Per-stream state: the start-of-stream BOM check (9.2.5: one
        # optional U+FEFF at the very start), a CR that ended the previous
        # read, and the unfinished end of the buffer (``_tail``, or
        # ``_parts`` once it is long, so that a long event is joined once
        # instead of being copied on every read).
        self._at_start = True
        self._cr = False
        self._tail = b""
        self._parts = []
        self._pending = 0
        self._overflow = 0  # size of an event found to be over the limit, raised after the events before it
        self._slow = True  # the inline path of feed/feed_raw runs only when none of the above needs care

    @property
    def last_event_id(self) -> str:
        """The event source's last event ID string (9.2.6), sent as ``Last-Event-ID`` on reconnection."""
        return self._last_id

    @last_event_id.setter
    def last_event_id(self, value: str) -> None:
        """Carry the ID over from an earlier connection of the same event source (a reconnect)."""
        self._last_id = value

    @property
    def retry(self) -> int | None:
        """The reconnection time (ms) set by the latest valid ``retry`` field, if any."""
        return self._retry

    # -- public API ---------------------------------------------------------
    #
    # ``feed`` and ``feed_raw`` inline the common case -- the decoder is in
    # its plain state, the read has no CR, and every event it completes is a
    # single ``data: `` line -- and hand everything else to ``_feed`` /
    # ``_feed_raw``, which give the same result for it. One inlined copy per
    # output form (text events, raw bytes): a function call per read costs
    # more than the rest of the work for small reads. The iterators are short
    # loops over ``feed``.

    def iter_bytes(self, chunks: Iterable[Read]) -> Iterator[ServerSentEvent]:
        """Decode a whole stream given as reads of any size; an unfinished event at the end is dropped."""
        self._reset()
        feed = self.feed
        for chunk in chunks:
            yield from feed(chunk)
            if self._overflow:  # found after the events it yielded
                self._raise_overflow()
        self.end()  # 9.2.6: "any pending data must be discarded"

    async def aiter_bytes(self, chunks: AsyncIterable[Read]) -> AsyncIterator[ServerSentEvent]:
        """:meth:`iter_bytes` for an async source; same results for the same bytes."""
        self._reset()
        feed = self.feed
        async for chunk in chunks:
            for event in feed(chunk):
                yield event
            if self._overflow:
                self._raise_overflow()
        self.end()

    def feed(self, chunk: Read) -> list[ServerSentEvent]:
        """Push one read; returns the events it completed (often none).

        Raises :class:`SSEEventTooLarge` once an event outgrows the limit: at
        once when the read completed no event, else at the next call, so the
        events completed before the oversized one are not lost.
        """
        if not self._slow and type(chunk) is bytes and b"\r" not in chunk:
            tail = self._tail
            buf = tail + chunk if tail else chunk
            end = buf.rfind(b"\n\n")
            if end < 0:
                if len(buf) <= self._long:
                    self._tail = buf
                    return []
            elif buf[:6] == b"data: " and len(buf) <= self._max:
                values = buf[6:end].decode("utf-8", "replace").split("\n\ndata: ")
                for value in values:
                    if "\n" in value:
                        break
                else:
                    self._tail = buf[end + 2 :]
                    last_id = self._last_id
                    retry = self._retry
                    new = object.__new__
                    events: list[ServerSentEvent] = []
                    for value in values:
                        event = new(ServerSentEvent)
                        event.event = "message"
                        event.data = value
                        event.id = last_id
                        event.retry = retry
                        events.append(event)
                    return events
        return self._checked(self._feed, chunk)

    def iter_official(self, chunks: Iterable[Read]) -> Iterator[OfficialServerSentEvent]:
        """:meth:`iter_bytes` as the official SDK's decoder reads events (:class:`OfficialServerSentEvent`).

        Lines, line endings, the BOM, UTF-8 and ``max_event_size`` are handled as for :meth:`iter_bytes`;
        only which blocks are events and what an event holds differ.
        """
        self._reset()
        for chunk in chunks:
            yield from self._checked(self._feed_official, chunk)
        self.end()

    async def aiter_official(self, chunks: AsyncIterable[Read]) -> AsyncIterator[OfficialServerSentEvent]:
        """:meth:`iter_official` for an async source."""
        self._reset()
        async for chunk in chunks:
            for event in self._checked(self._feed_official, chunk):
                yield event
        self.end()

    def feed_raw(self, chunk: Read) -> list[tuple[str, bytes]]:
        """:meth:`feed` giving ``(event_type, data_bytes)`` pairs, without decoding the data.

        What :class:`~oai.Stream` calls once per read: it hands the bytes
        straight to pydantic-core's JSON parser, whose UTF-8 is the UTF-8 this
        decoder would decode; only invalid bytes need the ``errors="replace"``
        decode, which the caller then does itself.
        """
        if not self._slow and type(chunk) is bytes and b"\r" not in chunk:
            tail = self._tail
            buf = tail + chunk if tail else chunk
            end = buf.rfind(b"\n\n")
            if end < 0:
                if len(buf) <= self._long:
                    self._tail = buf
                    return []
            elif buf[:6] == b"data: " and len(buf) <= self._max:
                values = buf[6:end].split(b"\n\ndata: ")
                for value in values:
                    if b"\n" in value:
                        break
                else:
                    self._tail = buf[end + 2 :]
                    return [("message", value) for value in values]
        return self._checked(self._feed_raw, chunk)

    def end(self) -> None:
        """End of stream: drop an unfinished event (9.2.6) and get ready for the next stream.

        Raises :class:`SSEEventTooLarge` if :meth:`feed` found an event over
        the limit after the events it returned last.
        """
        if self._overflow:
            self._raise_overflow()
        self._reset()

    # -- internals ----------------------------------------------------------

    def _checked(self, feed: Callable[[bytes], list[_E]], chunk: Read) -> list[_E]:
        """The general path of :meth:`feed` / :meth:`feed_raw`: copy a reused buffer, raise a pending overflow."""
        if self._overflow:
            self._raise_overflow()
        if not isinstance(chunk, bytes):
            chunk = bytes(chunk)  # a bytearray or memoryview the caller may reuse
        events = feed(chunk)
        if self._overflow and not events:
            self._raise_overflow()
        return events

    def _raise_overflow(self) -> None:
        size = self._overflow
        self._reset()
        raise SSEEventTooLarge(size, self._max)

    def _feed(self, chunk: bytes) -> list[ServerSentEvent]:
        region = self._take(chunk)
        if region is None:
            return []
        if region[:6] == b"data: " and len(region) <= self._max:
            # Every event a single ``data: `` line (9.2.6: field "data", one
            # leading space removed, type "message")? No LF is left in any
            # value then, so decoding the region once and splitting it equals
            # decoding each event alone.
            values = region[6:].decode("utf-8", "replace").split("\n\ndata: ")
            for value in values:
                if "\n" in value:
                    break
            else:
                last_id = self._last_id
                retry = self._retry
                return [ServerSentEvent("message", value, last_id, retry) for value in values]
        events: list[ServerSentEvent] = []
        limit = self._max
        for block in region.split(b"\n\n"):
            if len(block) > limit:
                self._overflow = len(block)
                self._slow = True  # the inline path must not run past a pending overflow
                break
            fields = self._fields(block)
            if fields is not None:
                event_type, data = fields
                events.append(
                    ServerSentEvent(
                        event_type.decode("utf-8", "replace") if event_type else "message",
                        (data[0] if len(data) == 1 else b"\n".join(data)).decode("utf-8", "replace"),
                        self._last_id,
                        self._retry,
                    )
                )
        return events

    def _feed_raw(self, chunk: bytes) -> list[tuple[str, bytes]]:
        region = self._take(chunk)
        if region is None:
            return []
        if region[:6] == b"data: " and len(region) <= self._max:
            values = region[6:].split(b"\n\ndata: ")
            for value in values:
                if b"\n" in value:
                    break
            else:
                return [("message", value) for value in values]
        events: list[tuple[str, bytes]] = []
        limit = self._max
        for block in region.split(b"\n\n"):
            if len(block) > limit:
                self._overflow = len(block)
                self._slow = True  # the inline path must not run past a pending overflow
                break
            fields = self._fields(block)
            if fields is not None:
                event_type, data = fields
                events.append(
                    (
                        event_type.decode("utf-8", "replace") if event_type else "message",
                        data[0] if len(data) == 1 else b"\n".join(data),
                    )
                )
        return events

    def _feed_official(self, chunk: bytes) -> list[OfficialServerSentEvent]:
        region = self._take(chunk)
        if region is None:
            return []
        events: list[OfficialServerSentEvent] = []
        for block in region.split(b"\n\n"):
            if len(block) > self._max:
                self._overflow = len(block)
                self._slow = True
                break
            event = self._official_event(block)
            if event is not None:
                events.append(event)
        return events

    def _take(self, chunk: bytes) -> bytes | None:
        """Add one read; return the complete events it finished as one region, or None.

        The region is the text of one or more whole events joined by blank
        lines: line endings normalized to LF, without the blank line that ends
        the last one, so ``region.split(b"\\n\\n")`` gives the events'
        blocks as a left-to-right reading of the lines does. Only a block's
        first lines can be empty (extra blank lines: dispatches with empty
        buffers, which do nothing). Sets ``_overflow`` when the unfinished
        rest is bigger than the limit.
        """
        region = self._take_region(chunk)
        self._slow = self._at_start or self._cr or bool(self._parts) or bool(self._overflow)
        return region

    def _take_region(self, chunk: bytes) -> bytes | None:
        if not chunk:
            return None
        if self._at_start:
            # 9.2.5: the stream may start with one U+FEFF; UTF-8 decode strips it.
            # It may arrive split over reads, so wait for three bytes.
            head = self._tail + chunk if self._tail else chunk
            if len(head) < 3 and _BOM.startswith(head):
                self._tail = head
                return None
            self._at_start = False
            self._tail = b""
            chunk = head[3:] if head[:3] == _BOM else head
            if not chunk:
                return None
        if self._cr:
            # 9.2.5: CRLF is one line ending even when a read ends between them.
            self._cr = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
                if not chunk:
                    return None
        if b"\r" in chunk:
            self._cr = chunk[-1:] == b"\r"
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        parts = self._parts
        if parts:
            if b"\n\n" not in chunk and not (chunk[:1] == b"\n" and parts[-1][-1:] == b"\n"):
                # Still inside one long event: keep the pieces, join them once later.
                parts.append(chunk)
                self._pending += len(chunk)
                if _unfinished_size(self._pending, chunk) > self._max:
                    self._overflow = self._pending
                return None
            parts.append(chunk)
            buf = b"".join(parts)
            parts.clear()
            self._pending = 0
        else:
            tail = self._tail
            buf = tail + chunk if tail else chunk
        end = buf.rfind(b"\n\n")
        if end < 0:
            if len(buf) > self._long:
                parts.append(buf)
                self._pending = len(buf)
                self._tail = b""
                if _unfinished_size(self._pending, buf) > self._max:
                    self._overflow = self._pending
            else:
                self._tail = buf
            return None
        if end and buf[end - 1] == 10:
            # The last run of LFs is longer than two: pair them from the left,
            # as a reader of lines would; an odd one out starts the tail.
            start = end - 1
            while start and buf[start - 1] == 10:
                start -= 1
            if (end + 2 - start) % 2:
                end -= 1
        tail = buf[end + 2 :]
        self._tail = tail
        if _unfinished_size(len(tail), tail) > self._max:
            self._overflow = len(tail)
        return buf[:end]

    def _fields(self, block: bytes) -> tuple[bytes | None, list[bytes]] | None:
        """Interpret one block's lines (9.2.6); returns (type, data lines) to dispatch, or None."""
        event_type: bytes | None = None
        data: list[bytes] | None = None
        for line in block.split(b"\n"):
            if not line:
                # A blank line before any field: dispatch with empty buffers, a no-op.
                continue
            if line[:1] == b":":
                continue  # a comment
            colon = line.find(b":")
            if colon < 0:
                name, value = line, b""  # no colon: the whole line is the field name, value empty
            else:
                name = line[:colon]
                value = line[colon + 1 :]
                if value[:1] == b" ":
                    value = value[1:]  # only one leading space is removed
            if name == b"data":
                if data is None:
                    data = [value]
                else:
                    data.append(value)
            elif name == b"event":
                event_type = value
            elif name == b"id":
                if b"\x00" not in value:  # an id containing NUL is ignored
                    self._last_id = value.decode("utf-8", "replace")
            elif name == b"retry":
                if value.isdigit():  # bytes.isdigit: ASCII digits only, and not empty
                    self._retry = int(value)
            # any other field name is ignored
        if data is None:
            return None  # empty data buffer: nothing is dispatched (the type buffer resets with the block)
        return event_type, data

    def _official_event(self, block: bytes) -> OfficialServerSentEvent | None:
        """One block read the official SDK's way: any field makes an event (see :class:`OfficialServerSentEvent`).

        Field lines are split as in :meth:`_fields`; the event source's last event ID is kept up to date
        the same way, so that both readings agree on it.
        """
        event_type: str | None = None
        data: list[bytes] = []
        retry: int | None = None
        seen = False
        for line in block.split(b"\n"):
            if not line or line[:1] == b":":
                continue
            colon = line.find(b":")
            if colon < 0:
                name, value = line, b""
            else:
                name = line[:colon]
                value = line[colon + 1 :]
                if value[:1] == b" ":
                    value = value[1:]
            if name == b"data":
                data.append(value)
            elif name == b"event":
                event_type = value.decode("utf-8", "replace")
            elif name == b"id":
                if b"\x00" not in value:
                    self._last_id = value.decode("utf-8", "replace")
            elif name == b"retry":
                if value.isdigit():
                    retry = self._retry = int(value)
            else:
                continue
            seen = True
        if not seen:
            return None
        return OfficialServerSentEvent(
            event=event_type,
            data=b"\n".join(data).decode("utf-8", "replace"),
            id=self._last_id or None,
            retry=retry,
        )


def _unfinished_size(size: int, last_piece: bytes) -> int:
    """The size an unfinished event counts for against the limit.

    A finished event is measured without the line ending of its last line
    (that LF and the blank line after it end the event), so a trailing LF of
    unfinished text is not counted either: the limit then fires at the same
    event whatever points the stream was split at.
    """
    return size - 1 if last_piece[-1:] == b"\n" else size
