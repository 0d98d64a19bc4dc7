"""sdk.yaml's ``result_by``: overloads whose result type follows one parameter's value (the audio endpoints'
``response_format``: JSON by default, the transcript as a ``str`` for ``text``), on a small hand-written spec."""

from __future__ import annotations

from typing import Any

import pytest

from generator.config import CoreNames
from generator.errors import SpecError, SpecErrors
from generator.parser import Parser
from generator.plan import Imports, Planner
from generator.preprocess import preprocess

from .test_stages import _config, _json

REF = "#/components/schemas/"
MODELS = {"Short", "Long", "TranscribeResponse"}  # the oneOf is named by preprocess
CASES = {"json": "Short", "verbose": "Long", "text": "str", "srt": "str"}


def _spec(*, stream: bool) -> dict[str, Any]:
    props: dict[str, Any] = {
        "audio": {"type": "string"},
        "format": {"type": "string", "enum": ["json", "verbose", "text", "srt"]},
    }
    if stream:
        props["stream"] = {"type": "boolean"}
    content = _json({"oneOf": [{"$ref": REF + "Short"}, {"$ref": REF + "Long"}]})["content"]
    if stream:
        content["text/event-stream"] = {"schema": {"$ref": REF + "Short"}}
    return {
        "openapi": "3.1.0",
        "paths": {
            "/transcripts": {
                "post": {
                    "operationId": "transcribe",
                    "requestBody": _json({"type": "object", "required": ["audio"], "properties": props}),
                    "responses": {"200": {"content": content}},
                }
            }
        },
        "components": {
            "schemas": {
                "Short": {"type": "object", "properties": {"text": {"type": "string"}}},
                "Long": {"type": "object", "properties": {"text": {"type": "string"}, "words": {"type": "array"}}},
            }
        },
    }


def _parse(result_by: Any, *, stream: bool = False, **entry: Any) -> Any:
    config = _config({"operationId": "transcribe", "result_by": result_by, **entry})
    return Parser(preprocess(_spec(stream=stream), {}), config, "spec.yaml", MODELS).parse()


def _signatures(sdk: Any) -> list[tuple[dict[str, str], str]]:
    """Each signature as {parameter: annotation} (the request's own, not the per-call options) and its result."""
    (op,) = sdk.resources[0].operations
    planner = Planner(sdk, CoreNames.load())
    method = planner._method(op, False, Imports(planner.core, 1))  # pyright: ignore[reportPrivateUsage]
    own = {p.name for p in op.params}
    return [
        ({p.name: p.annotation for p in [*s.positional, *s.keyword] if p.name in own}, s.returns)
        for s in method.signatures
    ]


def test_values_with_one_result_share_an_overload_and_the_first_is_the_default() -> None:
    (op,) = _parse({"param": "format", "cases": CASES}).resources[0].operations
    assert op.result_by is not None and op.result_by.param.wire_name == "format"
    cases = [(c.values, c.type.expr, c.default) for c in op.result_by.cases]
    assert cases == [(("json",), "Short", True), (("verbose",), "Long", False), (("text", "srt"), "str", False)]


def test_overloads_without_a_stream() -> None:
    signatures = _signatures(_parse({"param": "format", "cases": CASES}))
    assert [(params["format"], returns) for params, returns in signatures] == [
        ('Literal["json"] | NotGiven', "Short"),  # also the call that leaves format out
        ('Literal["verbose"]', "Long"),
        ('Literal["text", "srt"]', "str"),
        ('Literal["json", "verbose", "text", "srt"] | NotGiven', "TranscribeResponse | str"),  # a value known later
        ('Literal["json", "verbose", "text", "srt"] | NotGiven', "TranscribeResponse | str"),  # the implementation
    ]


def test_the_call_asks_for_text_when_a_value_returns_a_str() -> None:
    sdk = _parse({"param": "format", "cases": CASES})
    (op,) = sdk.resources[0].operations
    planner = Planner(sdk, CoreNames.load())
    method = planner._method(op, False, Imports(planner.core, 1))  # pyright: ignore[reportPrivateUsage]
    assert method.call.text_when == 'format in ("text", "srt")'
    one = _parse({"param": "format", "cases": {"json": "Short", "text": "str"}})
    (op,) = one.resources[0].operations
    method = planner._method(op, False, Imports(planner.core, 1))  # pyright: ignore[reportPrivateUsage]
    assert method.call.text_when == 'format in ("text",)'  # a tuple, not a parenthesised string


def test_overloads_with_a_stream_switch() -> None:
    signatures = _signatures(_parse({"param": "format", "cases": CASES}, stream=True))
    rows = [(params["format"], params["stream"], returns) for params, returns in signatures]
    assert rows[:3] == [
        ('Literal["json"] | NotGiven', "Literal[False] | NotGiven", "Short"),
        ('Literal["verbose"]', "Literal[False] | NotGiven", "Long"),
        ('Literal["text", "srt"]', "Literal[False] | NotGiven", "str"),
    ]
    every = 'Literal["json", "verbose", "text", "srt"] | NotGiven'
    assert rows[3:] == [
        (every, "Literal[False] | NotGiven", "TranscribeResponse | str"),
        (every, "Literal[True]", "Stream[Short]"),
        (every, "bool", "TranscribeResponse | str | Stream[Short]"),
        (every, "bool | NotGiven", "TranscribeResponse | str | Stream[Short]"),
    ]


def _errors(excinfo: pytest.ExceptionInfo[Any]) -> list[tuple[str, str]]:
    errors = excinfo.value.errors if isinstance(excinfo.value, SpecErrors) else [excinfo.value]
    return [(e.pointer, e.problem) for e in errors]


@pytest.mark.parametrize(
    ("result_by", "entry", "words"),
    [
        ({"param": "nope", "cases": CASES}, {}, "'nope' is not an optional body field"),
        ({"param": "audio", "cases": CASES}, {}, "'audio' is not an optional body field"),  # required
        ({"param": "format", "cases": {"json": "Missing"}}, {}, "'Missing' (for 'json') is not a generated model"),
        ({"param": "format", "cases": CASES}, {"text": True}, "has one result type"),
    ],
)
def test_a_result_by_that_does_not_fit_the_operation_is_named(result_by: Any, entry: Any, words: str) -> None:
    with pytest.raises((SpecError, SpecErrors)) as excinfo:
        _parse(result_by, **entry)
    assert any(words in problem for _, problem in _errors(excinfo)), _errors(excinfo)


@pytest.mark.parametrize(
    ("result_by", "pointer", "words"),
    [
        ("format", "/operations/0/result_by", "param and cases"),
        ({"cases": CASES}, "/operations/0/result_by/param", "the parameter's name"),
        ({"param": "format", "cases": []}, "/operations/0/result_by/cases", "component schema name or str"),
        ({"param": "format", "cases": {"json": 1}}, "/operations/0/result_by/cases/json", "string value"),
        ({"param": "format", "cases": CASES, "extra": 1}, "/operations/0/result_by/extra", "unknown key"),
    ],
)
def test_a_malformed_result_by_names_its_pointer(result_by: Any, pointer: str, words: str) -> None:
    with pytest.raises((SpecError, SpecErrors)) as excinfo:
        _config({"operationId": "transcribe", "result_by": result_by})
    assert any(p.endswith(pointer) and words in problem for p, problem in _errors(excinfo)), _errors(excinfo)
