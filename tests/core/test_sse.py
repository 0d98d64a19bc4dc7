"""oai's SSE decoder against the HTML standard, rule by rule and on random streams.

The reference below is a deliberately naive SSE parser, written line by line from the standard's text.

HTML Living Standard, 9.2.5 "Parsing an event stream" and 9.2.6
"Interpreting an event stream". It works on the whole stream at once, as
text, with none of the decoder's shortcuts, so that the property tests can
compare the real decoder against it.

Choices the standard leaves open, matched to oai's documented ones: an
event's ``retry`` is the reconnection time in effect at dispatch time
(``None`` before any valid ``retry`` field), its ``id`` the last event ID
string (``""`` until set). An empty ``retry`` value is not a number and is
ignored.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oai._core._errors import OpenAIError
from oai._core._sse import ServerSentEvent, SSEDecoder, SSEEventTooLarge

Event = tuple[str, str, str, "int | None"]

_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n)")


def reference_events(stream: bytes) -> list[Event]:
    # "The stream must then be parsed by reading everything line by line ...
    # decoded using the UTF-8 decode algorithm" (which replaces errors with
    # U+FFFD and strips one leading BOM).
    text = stream.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    # Only lines that end in an end-of-line count: the rest is an unfinished line.
    lines = [m.group(1) for m in _LINE.finditer(text)]

    events: list[Event] = []
    data_buffer = ""
    event_type_buffer = ""
    last_event_id_buffer = ""
    last_event_id = ""
    reconnection_time: int | None = None

    for line in lines:
        # "If the line is empty (a blank line): Dispatch the event."
        if line == "":
            # 1. Set the last event ID string of the event source to the value of the last event ID buffer.
            last_event_id = last_event_id_buffer
            # 2. If the data buffer is an empty string, set the data buffer and the event type buffer
            #    to the empty string and return.
            if data_buffer == "":
                data_buffer = ""
                event_type_buffer = ""
                continue
            # 3. If the data buffer's last character is a U+000A LINE FEED (LF) character,
            #    then remove the last character from the data buffer.
            if data_buffer.endswith("\n"):
                data_buffer = data_buffer[:-1]
            # 4-5. type "message" unless the event type buffer is non-empty.
            event_type = event_type_buffer if event_type_buffer != "" else "message"
            events.append((event_type, data_buffer, last_event_id, reconnection_time))
            # 6. Set the data buffer and the event type buffer to the empty string.
            data_buffer = ""
            event_type_buffer = ""
            continue
        # "If the line starts with a U+003A COLON character (:) -- Ignore the line."
        if line.startswith(":"):
            continue
        # "If the line contains a U+003A COLON character (:)": field name before the first
        # colon, value after it; "If value starts with a U+0020 SPACE character, remove it from value."
        if ":" in line:
            index = line.index(":")
            field, value = line[:index], line[index + 1 :]
            if value.startswith(" "):
                value = value[1:]
        else:
            # "Otherwise, ... using the whole line as the field name, and the empty string as the field value."
            field, value = line, ""
        # "Process the field"
        if field == "event":
            event_type_buffer = value
        elif field == "data":
            data_buffer += value + "\n"
        elif field == "id":
            if "\x00" not in value:
                last_event_id_buffer = value
        elif field == "retry":
            if value != "" and all(c in "0123456789" for c in value):
                reconnection_time = int(value)
        # "Otherwise: The field is ignored."
    # "Once the end of the file is reached, any pending data must be discarded."
    return events


# ---------------------------------------------------------------------------
# Helpers: run oai's decoder every way it can be run.
# ---------------------------------------------------------------------------


def as_tuples(events: Iterable[ServerSentEvent]) -> list[Event]:
    return [(e.event, e.data, e.id, e.retry) for e in events]


async def _agen(chunks: list[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def decode_sync(chunks: list[bytes], **kw: int) -> list[Event]:
    return as_tuples(SSEDecoder(**kw).iter_bytes(chunks))


def decode_async(chunks: list[bytes], **kw: int) -> list[Event]:
    async def run() -> list[Event]:
        return as_tuples([e async for e in SSEDecoder(**kw).aiter_bytes(_agen(chunks))])

    return asyncio.run(run())


def decode_feed(chunks: list[bytes], **kw: int) -> list[Event]:
    dec = SSEDecoder(**kw)
    out: list[ServerSentEvent] = []
    for chunk in chunks:
        out.extend(dec.feed(chunk))
    dec.end()
    return as_tuples(out)


def decode_raw(chunks: list[bytes]) -> list[tuple[str, str]]:
    """What a Stream sees: ``feed_raw`` per read, then ``end``."""
    dec = SSEDecoder()
    out: list[tuple[str, bytes]] = []
    for chunk in chunks:
        out.extend(dec.feed_raw(chunk))
    dec.end()
    return [(t, d.decode("utf-8", "replace")) for t, d in out]


def split_at(stream: bytes, cuts: Iterable[int]) -> list[bytes]:
    points = sorted({c for c in cuts if 0 <= c <= len(stream)})
    out: list[bytes] = []
    prev = 0
    for p in [*points, len(stream)]:
        out.append(stream[prev:p])
        prev = p
    return out


def all_ways(stream: bytes) -> list[Event]:
    """Decode ``stream`` whole, byte by byte, and in two halves, sync and async; all must agree."""
    whole = decode_sync([stream])
    assert decode_sync([bytes([b]) for b in stream]) == whole
    assert decode_async([stream[:3], stream[3:]]) == whole
    assert decode_feed([stream[: len(stream) // 2], stream[len(stream) // 2 :]]) == whole
    assert whole == reference_events(stream)
    return whole


# ---------------------------------------------------------------------------
# One test per rule of 9.2.5 / 9.2.6.
# ---------------------------------------------------------------------------


def test_lf_crlf_and_cr_all_end_lines() -> None:
    expected = [("message", "a", "", None), ("message", "b", "", None), ("message", "c", "", None)]
    assert all_ways(b"data: a\n\ndata: b\r\n\r\ndata: c\r\r") == expected


def test_cr_at_end_of_one_read_and_lf_at_start_of_next_are_one_line_ending() -> None:
    # Were CR and LF two line endings, the first event would be dispatched by "\r" + "\n" and "b" would be lost.
    chunks = [b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]
    assert decode_sync(chunks) == [("message", "a\nb", "", None)]
    assert decode_async(chunks) == [("message", "a\nb", "", None)]


def test_cr_then_empty_read_then_lf_is_still_one_line_ending() -> None:
    chunks = [b"data: a\r", b"", b"\n", b"data: b\r\n\r\n"]
    assert decode_sync(chunks) == [("message", "a\nb", "", None)]


def test_one_leading_bom_is_stripped() -> None:
    assert all_ways(b"\xef\xbb\xbfdata: x\n\n") == [("message", "x", "", None)]


def test_bom_split_across_reads_is_stripped() -> None:
    assert decode_sync([b"\xef", b"\xbb", b"\xbfdata: x\n\n"]) == [("message", "x", "", None)]


def test_only_one_bom_is_stripped() -> None:
    # The second U+FEFF becomes part of the field name "\ufeffdata", an unknown field.
    assert all_ways(b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\ndata: y\n\n") == [("message", "y", "", None)]


def test_bom_later_in_the_stream_is_not_stripped() -> None:
    assert all_ways(b"data: x\n\n\xef\xbb\xbfdata: y\n\n") == [("message", "x", "", None)]


def test_comment_lines_are_ignored() -> None:
    assert all_ways(b": keep-alive\n:\ndata: x\n: more\n\n") == [("message", "x", "", None)]


def test_line_without_colon_is_a_field_with_empty_value() -> None:
    # "data" alone appends "" + LF: the event's data is the empty string, and it is dispatched.
    assert all_ways(b"data\n\n") == [("message", "", "", None)]
    assert all_ways(b"data\ndata\n\n") == [("message", "\n", "", None)]


def test_only_one_space_after_the_colon_is_removed() -> None:
    assert all_ways(b"data:  two\n\ndata:none\n\n") == [("message", " two", "", None), ("message", "none", "", None)]


def test_value_keeps_later_colons() -> None:
    assert all_ways(b'data: {"a": "b:c"}\n\n') == [("message", '{"a": "b:c"}', "", None)]


def test_data_lines_join_with_lf() -> None:
    assert all_ways(b"data: a\ndata: b\ndata:\n\n") == [("message", "a\nb\n", "", None)]


def test_event_with_empty_data_buffer_is_not_dispatched_and_resets_type() -> None:
    stream = b"event: foo\n\ndata: x\n\nevent: bar\nid: 1\n\n"
    assert all_ways(stream) == [("message", "x", "", None)]


def test_type_defaults_to_message_and_empty_event_field_means_message() -> None:
    assert all_ways(b"event: update\ndata: a\n\nevent:\ndata: b\n\ndata: c\n\n") == [
        ("update", "a", "", None),
        ("message", "b", "", None),
        ("message", "c", "", None),
    ]


def test_id_persists_across_events_and_can_be_reset_to_empty() -> None:
    assert all_ways(b"id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n") == [
        ("message", "a", "7", None),
        ("message", "b", "7", None),
        ("message", "c", "", None),
    ]


def test_id_set_in_a_block_without_data_applies_to_later_events() -> None:
    assert all_ways(b"id: 5\n\ndata: a\n\n") == [("message", "a", "5", None)]


def test_id_containing_nul_is_ignored() -> None:
    assert all_ways(b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n") == [
        ("message", "a", "1", None),
        ("message", "b", "1", None),
    ]


def test_id_after_data_in_the_same_event_counts() -> None:
    assert all_ways(b"data: a\nid: 9\n\n") == [("message", "a", "9", None)]


def test_retry_counts_only_when_all_ascii_digits() -> None:
    stream = (
        b"retry: 1000\ndata: a\n\nretry: 12a\ndata: b\n\nretry: -1\ndata: c\n\n"
        b"retry:\ndata: d\n\nretry: 20\n\ndata: e\n\n"
    )
    assert all_ways(stream) == [
        ("message", "a", "", 1000),
        ("message", "b", "", 1000),
        ("message", "c", "", 1000),
        ("message", "d", "", 1000),
        ("message", "e", "", 20),
    ]


def test_retry_rejects_non_ascii_digits() -> None:
    # U+0661 ARABIC-INDIC DIGIT ONE is a digit to str.isdigit() but not an ASCII digit.
    assert all_ways("retry: \u0661\ndata: a\n\n".encode()) == [("message", "a", "", None)]


def test_unknown_fields_are_ignored() -> None:
    assert all_ways(b"foo: bar\nDATA: no\ndata : no\ndata: yes\n\n") == [("message", "yes", "", None)]


def test_invalid_utf8_becomes_replacement_characters_and_never_raises() -> None:
    stream = b"data: \xff\xfe ok \xe2\x82\n\nevent: \xc3\ndata: \xed\xa0\x80\n\n"
    assert all_ways(stream) == [
        ("message", "\ufffd\ufffd ok \ufffd", "", None),
        ("\ufffd", "\ufffd\ufffd\ufffd", "", None),
    ]


def test_multibyte_characters_split_between_reads_decode_right() -> None:
    euro = "€".encode()
    chunks = [b"data: a" + euro[:1], euro[1:2], euro[2:] + b"b\n\n"]
    assert decode_sync(chunks) == [("message", "a€b", "", None)]
    assert decode_async(chunks) == [("message", "a€b", "", None)]


def test_incomplete_event_at_end_of_stream_is_discarded() -> None:
    assert all_ways(b"data: a\n\ndata: b\n") == [("message", "a", "", None)]
    assert all_ways(b"data: a\n\ndata: b") == [("message", "a", "", None)]


def test_extra_blank_lines_dispatch_nothing() -> None:
    assert all_ways(b"\n\n\ndata: a\n\n\n\n\ndata: b\n\n\n") == [("message", "a", "", None), ("message", "b", "", None)]


def test_event_too_large_raises_clear_error_after_earlier_events() -> None:
    dec = SSEDecoder(max_event_size=100)
    got: list[str] = []
    with pytest.raises(SSEEventTooLarge) as info:
        for event in dec.iter_bytes([b"data: small\n\ndata: " + b"x" * 200 + b"\n\n"]):
            got.append(event.data)
    assert got == ["small"]
    assert info.value.limit == 100
    assert "100" in str(info.value)
    assert isinstance(info.value, OpenAIError)
    assert isinstance(info.value, ValueError)


def test_endless_line_is_bounded() -> None:
    def endless() -> Iterable[bytes]:
        while True:
            yield b"x" * 4096

    with pytest.raises(SSEEventTooLarge):
        for _ in SSEDecoder(max_event_size=1 << 20).iter_bytes(endless()):
            pass


async def test_endless_line_is_bounded_async() -> None:
    async def endless() -> AsyncIterator[bytes]:
        while True:
            yield b"data: " + b"x" * 4096

    with pytest.raises(SSEEventTooLarge):
        async for _ in SSEDecoder(max_event_size=1 << 20).aiter_bytes(endless()):
            pass


def test_size_limit_does_not_depend_on_read_size() -> None:
    stream = b"data: " + b"y" * 50 + b"\n\n" + b"data: " + b"z" * 150 + b"\n\ndata: w\n\n"
    for size in (1, 7, 64, len(stream)):
        chunks = [stream[i : i + size] for i in range(0, len(stream), size)]
        got: list[str] = []
        with pytest.raises(SSEEventTooLarge):
            for event in SSEDecoder(max_event_size=100).iter_bytes(chunks):
                got.append(event.data)
        assert got == ["y" * 50]


def test_long_event_in_many_small_reads_is_joined_once() -> None:
    body = b"data: " + b"q" * 300_000 + b"\n\n"
    chunks = [body[i : i + 1000] for i in range(0, len(body), 1000)]
    assert decode_sync(chunks) == [("message", "q" * 300_000, "", None)]


def test_feed_push_api_raises_oversize_after_returning_earlier_events() -> None:
    dec = SSEDecoder(max_event_size=20)
    assert [e.data for e in dec.feed(b"data: a\n\ndata: " + b"x" * 30)] == ["a"]
    with pytest.raises(SSEEventTooLarge):
        dec.feed(b"\n\n")


def test_server_sent_event_json_and_repr() -> None:
    event = ServerSentEvent(data='{"a": [1, 2]}')
    assert event.json() == {"a": [1, 2]}
    assert event.event == "message" and event.id == "" and event.retry is None
    assert "ServerSentEvent(" in repr(event)
    with pytest.raises(json.JSONDecodeError):
        ServerSentEvent(data="[DONE]").json()


def test_last_event_id_and_retry_persist_on_the_decoder_across_streams() -> None:
    dec = SSEDecoder()
    assert [e.id for e in dec.iter_bytes([b"id: 3\nretry: 50\ndata: a\n\n"])] == ["3"]
    assert dec.last_event_id == "3" and dec.retry == 50
    # A new stream: a BOM at its start is stripped again; the id carries over.
    assert as_tuples(dec.iter_bytes([b"\xef\xbb\xbfdata: b\n\n"])) == [("message", "b", "3", 50)]


def test_raw_iteration_matches_decoded_iteration() -> None:
    stream = b"event: t\ndata: \xff1\n\ndata: 2\r\n\r\n: c\ndata: 3\n\n"
    expected = [("t", "\ufffd1"), ("message", "2"), ("message", "3")]
    assert decode_raw([stream]) == expected
    assert decode_raw([bytes([b]) for b in stream]) == expected


# ---------------------------------------------------------------------------
# Properties: random streams, split at random points, equal the reference.
# ---------------------------------------------------------------------------

_EOL = st.sampled_from([b"\n", b"\r\n", b"\r"])
_NAMES = st.sampled_from([b"data", b"event", b"id", b"retry", b"", b"dat", b"x", b"Data", b"\xef\xbb\xbfdata"])
_VALUE_BITS = st.sampled_from(
    [b"", b" ", b"a", b"hello", b"12", b"0", b"1a", b":", b"\x00", b"\xef\xbb\xbf", "é€😀".encode(), b"\xff"]
    + [b"\xe2\x82", b"\xed\xa0\x80", b"\xc3", b"[DONE]", b'{"x": 1}']
)
_SEP = st.sampled_from([b"", b":", b": ", b":  ", b"::"])


@st.composite
def sse_lines(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(_EOL)  # a blank line
    if kind == 1:
        return b":" + b"".join(draw(st.lists(_VALUE_BITS, max_size=3))) + draw(_EOL)
    value = b"".join(draw(st.lists(_VALUE_BITS, max_size=4)))
    return draw(_NAMES) + draw(_SEP) + value + draw(_EOL)


@st.composite
def sse_streams(draw: st.DrawFn) -> bytes:
    prefix = draw(st.sampled_from([b"", b"", b"\xef\xbb\xbf", b"\xef\xbb", b"\n"]))
    body = b"".join(draw(st.lists(sse_lines(), max_size=25)))
    suffix = draw(st.sampled_from([b"", b"\n", b"\r", b"data: tail", b"\r\n\r\n"]))
    return prefix + body + suffix


_SKEW = b"\n\r:d \xef\xbb\xbf\x00\xe2\x82\xac9"
_random_bytes = st.binary(max_size=120).map(
    # Raw bytes skewed toward the characters that matter.
    lambda b: bytes(_SKEW[x % len(_SKEW)] if x % 3 else x for x in b)
)


@st.composite
def streams_and_cuts(draw: st.DrawFn) -> tuple[bytes, list[bytes]]:
    stream = draw(st.one_of(sse_streams(), _random_bytes))
    cuts = draw(st.lists(st.integers(0, max(len(stream), 1)), max_size=12))
    return stream, split_at(stream, cuts)


_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(streams_and_cuts())
def test_random_streams_split_anywhere_equal_the_reference(case: tuple[bytes, list[bytes]]) -> None:
    stream, chunks = case
    expected = reference_events(stream)
    assert b"".join(chunks) == stream
    assert decode_sync(chunks) == expected
    assert decode_sync([stream]) == expected
    assert decode_feed(chunks) == expected


@_settings
@given(streams_and_cuts())
def test_sync_and_async_and_raw_agree(case: tuple[bytes, list[bytes]]) -> None:
    _, chunks = case
    expected = decode_sync(chunks)
    assert decode_async(chunks) == expected
    pairs = [(t, d) for t, d, _, _ in expected]
    assert decode_raw(chunks) == pairs


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=40), max_size=30), st.data())
def test_data_only_streams_round_trip(values: list[str], data: st.DataObject) -> None:
    # The shape real servers send: the inline fast path.
    stream = b"".join(b"data: " + v.encode("utf-8", "surrogatepass") + b"\n\n" for v in values)
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=8))
    chunks = split_at(stream, cuts)
    expected = reference_events(stream)
    assert decode_sync(chunks) == expected
    assert decode_async(chunks) == expected


@settings(max_examples=100, deadline=None)
@given(streams_and_cuts(), st.integers(1, 60))
def test_size_limit_is_independent_of_split_points(case: tuple[bytes, list[bytes]], limit: int) -> None:
    stream, chunks = case

    def outcome(parts: list[bytes]) -> tuple[list[Event], bool]:
        got: list[ServerSentEvent] = []
        try:
            for event in SSEDecoder(max_event_size=limit).iter_bytes(parts):
                got.append(event)
        except SSEEventTooLarge:
            return as_tuples(got), True
        return as_tuples(got), False

    whole = outcome([stream])
    assert outcome(chunks) == whole
    events, raised = whole
    if not raised:
        assert events == reference_events(stream)


def test_bytearray_and_memoryview_reads_are_copied_not_kept() -> None:
    buffer = bytearray(b"data: a")
    dec = SSEDecoder()
    events = list(dec.iter_bytes([buffer, memoryview(b"bc\n\n")]))
    buffer[:] = b"XXXXXXX"  # a reader reusing its buffer must not change what was decoded
    assert as_tuples(events) == [("message", "abc", "", None)]
    assert as_tuples(SSEDecoder().feed(bytearray(b"data: z\n\n"))) == [("message", "z", "", None)]


def test_size_limit_does_not_count_a_trailing_line_ending_split_from_its_blank_line() -> None:
    # Found by hypothesis: a CR that ends one read (and may pair with a CR in the next) is the end of
    # the event's last line; an event of exactly the limit must pass whatever the split.
    for parts in ([b"\x00\x00\r\r"], [b"\x00\x00\r", b"\r"], [b"data: ab\n", b"\n"]):
        limit = 8 if parts[0].startswith(b"data") else 2
        events = list(SSEDecoder(max_event_size=limit).iter_bytes(parts))
        assert len(events) == (1 if limit == 8 else 0)
