"""A pydantic model as a strict JSON Schema, and a clear error naming the field when it cannot be one."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

import pytest
from oai import StrictSchemaError, pydantic_function_tool
from oai.lib import to_strict_json_schema
from oai.lib._parsing._completions import type_to_response_format_param
from oai.lib._parsing._responses import type_to_text_format_param
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic.dataclasses import dataclass


class Step(BaseModel):
    explanation: str
    output: str


class MathResponse(BaseModel):
    steps: list[Step]
    final_answer: str


def _objects(schema: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(schema, dict):
        node = cast("dict[str, Any]", schema)
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(schema, list):
        for value in cast("list[Any]", schema):
            found += _objects(value)
    return found


def test_math_response_is_strict() -> None:
    schema = to_strict_json_schema(MathResponse)
    assert schema["required"] == ["steps", "final_answer"]
    assert schema["$defs"]["Step"]["required"] == ["explanation", "output"]
    assert all(obj["additionalProperties"] is False for obj in _objects(schema))


def test_text_format_and_response_format_as_the_api_takes_them() -> None:
    text: dict[str, Any] = dict(type_to_text_format_param(MathResponse))
    assert text["type"] == "json_schema" and text["strict"] is True and text["name"] == "MathResponse"
    assert text["schema"] == to_strict_json_schema(MathResponse)
    chat = type_to_response_format_param(MathResponse)
    assert chat == {
        "type": "json_schema",
        "json_schema": {"schema": text["schema"], "name": "MathResponse", "strict": True},
    }
    assert type_to_response_format_param({"type": "json_object"}) == {"type": "json_object"}


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int = 9


class Dog(BaseModel):
    kind: Literal["dog"]


class Pets(BaseModel):
    pet: Annotated[Cat | Dog, Field(discriminator="kind")]
    nickname: str | None = None
    best_step: Step = Field(description="The step that mattered")


def test_unions_optional_fields_defaults_and_described_references() -> None:
    schema = to_strict_json_schema(Pets)
    pet = schema["properties"]["pet"]
    assert "oneOf" not in pet and "discriminator" not in pet and len(pet["anyOf"]) == 2
    assert schema["required"] == ["pet", "nickname", "best_step"]
    assert {"type": "null"} in schema["properties"]["nickname"]["anyOf"]
    assert "default" not in schema["properties"]["nickname"]
    assert "default" not in schema["$defs"]["Cat"]["properties"]["lives"]
    best = schema["properties"]["best_step"]
    assert "$ref" not in best and best["description"] == "The step that mattered"
    assert best["additionalProperties"] is False and best["required"] == ["explanation", "output"]


class WithMapping(BaseModel):
    scores: dict[str, int]


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str


class Outer(BaseModel):
    inner: list[Loose]


class Untyped(BaseModel):
    payload: Any


@pytest.mark.parametrize(
    ("model", "path", "words"),
    [
        (WithMapping, "WithMapping.scores", "free-form keys"),
        (Outer, "Loose", "extra fields"),
        (Untyped, "Untyped.payload", "no type"),
    ],
)
def test_what_strict_mode_cannot_say_is_a_typed_error_naming_the_field(
    model: type[BaseModel], path: str, words: str
) -> None:
    with pytest.raises(StrictSchemaError) as info:
        to_strict_json_schema(model)
    assert info.value.path == path
    assert path in str(info.value) and words in str(info.value)
    assert isinstance(info.value, TypeError)
    with pytest.raises(StrictSchemaError):
        pydantic_function_tool(model)


def test_a_non_object_type_is_refused() -> None:
    with pytest.raises(StrictSchemaError, match="JSON object at the top level"):
        to_strict_json_schema(TypeAdapter(list[int]))


@dataclass
class Point:
    x: int
    y: int


def test_pydantic_dataclasses_work_too() -> None:
    param = cast("dict[str, Any]", type_to_response_format_param(Point))
    assert param["json_schema"]["name"] == "Point"
    assert param["json_schema"]["schema"]["required"] == ["x", "y"]


class GetWeather(BaseModel):
    """Current weather for a city."""

    city: str
    unit: Literal["celsius", "fahrenheit"]


def test_pydantic_function_tool() -> None:
    tool = pydantic_function_tool(GetWeather)
    assert tool["type"] == "function"
    function = tool["function"]
    assert function["name"] == "GetWeather" and function.get("strict") is True
    assert function.get("description") == "Current weather for a city."
    assert function.get("parameters") == to_strict_json_schema(GetWeather)
    named = pydantic_function_tool(GetWeather, name="weather", description="d")
    assert named["function"]["name"] == "weather" and named["function"].get("description") == "d"
