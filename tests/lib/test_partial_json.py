"""Partial JSON: the value of the part of a document that has arrived, never a wrong one."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from oai.lib._partial_json import PartialJSON, parse_partial_json

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


def test_an_object_grows_field_by_field() -> None:
    text = '{"steps": [{"explanation": "Subtract 31", "output": "8x = -29"}], "final_answer": "x = -29/8"}'
    seen = [parse_partial_json(text[:end]) for end in range(1, len(text) + 1)]
    assert seen[0] == {}
    assert {"steps": [{"explanation": "Subtr"}]} in seen  # a string still being written shows as far as it goes
    assert seen[-1] == json.loads(text)


def test_a_number_at_the_end_is_left_out_until_it_is_whole() -> None:
    assert parse_partial_json('{"count": 12') == {}
    assert parse_partial_json('{"count": 12,') == {"count": 12}
    assert parse_partial_json('{"count": 12}') == {"count": 12}
    assert parse_partial_json("[1, 2") == [1]
    assert parse_partial_json('{"x": -1.5e') == {}
    # inside a string, digits are text
    assert parse_partial_json('{"a": "x = 12') == {"a": "x = 12"}


def test_literals_and_nothing_yet() -> None:
    assert parse_partial_json("") is None
    assert parse_partial_json("   ") is None
    assert parse_partial_json("tru") is None
    assert parse_partial_json('{"ok": true') == {"ok": True}
    assert parse_partial_json('{"ok": nul') == {}


def test_escapes_and_quotes_split_across_deltas() -> None:
    partial = PartialJSON()
    for delta in ['{"a": "say \\', '"hi\\', '" 3', '", "n": 4', "2}"]:
        partial.feed(delta)
    assert partial.value() == {"a": 'say "hi" 3', "n": 42}
    assert partial.text == '{"a": "say \\"hi\\" 3", "n": 42}'


@settings(max_examples=150, deadline=None)
@given(json_values, st.data())
def test_every_prefix_parses_and_the_whole_text_is_the_value(value: object, data: st.DataObject) -> None:
    # Structured output is an object at the top level (a bare number can never be known to be whole).
    text = json.dumps({"value": value})
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    partial = PartialJSON()
    start = 0
    for cut in [*cuts, len(text)]:
        partial.feed(text[start:cut])
        start = cut
        partial.value()  # never raises, whatever the cut
    assert partial.value() == json.loads(text)
