"""Model names and module names a person would choose, and that stay put (generator.nesting, generator.split)."""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.nesting import name_nested_models, singular

from .helpers import REPO

MODELS = REPO / "generated" / "oai" / "types" / "_models"


def _doc(schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "components": {"schemas": copy.deepcopy(schemas)}}


CHAT: dict[str, Any] = {
    "Completion": {
        "type": "object",
        "properties": {
            "choices": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "index": {"type": "integer"},
                        "logprobs": {
                            "anyOf": [
                                {"type": "object", "properties": {"content": {"type": "array"}}},
                                {"type": "null"},
                            ]
                        },
                    },
                },
            },
            "usage": {"$ref": "#/components/schemas/Usage"},
        },
    },
    "Usage": {"type": "object", "properties": {"total": {"type": "integer", "minimum": 0}}},
    "Event": {
        "oneOf": [
            {"type": "object", "properties": {"event": {"type": "string", "enum": ["thread.run.created"]}}},
            {"type": "object", "properties": {"type": {"type": "string", "enum": ["done"]}}},
        ]
    },
    "ClickParam": {"type": "object", "properties": {"x": {"type": "integer"}}},
    "Action": {"oneOf": [{"$ref": "#/components/schemas/ClickParam"}]},
    "MaybeUsage": {"anyOf": [{"type": "object", "properties": {"n": {"type": "integer"}}}, {"type": "null"}]},
    "Holder": {"type": "object", "properties": {"usage": {"$ref": "#/components/schemas/MaybeUsage"}}},
}


def test_nested_objects_are_named_by_owner_and_field() -> None:
    doc = _doc(CHAT)
    names = name_nested_models(doc)
    schemas = doc["components"]["schemas"]
    assert names.added == [
        "CompletionChoice",
        "CompletionChoiceLogprobs",
        "EventDone",
        "ThreadRunCreated",
    ]
    assert names.roots == {
        "CompletionChoice": "Completion",
        "CompletionChoiceLogprobs": "Completion",
        "EventDone": "Event",
        "ThreadRunCreated": "Event",
    }
    choice = schemas["Completion"]["properties"]["choices"]["items"]
    assert choice == {"$ref": "#/components/schemas/CompletionChoice"}
    logprobs = schemas["CompletionChoice"]["properties"]["logprobs"]["anyOf"]
    assert logprobs == [{"$ref": "#/components/schemas/CompletionChoiceLogprobs"}, {"type": "null"}]
    assert "minimum" not in schemas["Usage"]["properties"]["total"], "response models take what the server sends"


def test_request_side_components_lose_the_param_suffix_and_null_wrappers_unwrap() -> None:
    doc = _doc(CHAT)
    names = name_nested_models(doc)
    schemas = doc["components"]["schemas"]
    assert names.renames == {"ClickParam": "Click"}
    assert "ClickParam" not in schemas
    assert schemas["Action"]["oneOf"] == [{"$ref": "#/components/schemas/Click"}]
    assert schemas["MaybeUsage"]["properties"] == {"n": {"type": "integer"}}
    assert schemas["Holder"]["properties"]["usage"] == {
        "anyOf": [{"$ref": "#/components/schemas/MaybeUsage"}, {"type": "null"}]
    }


def test_names_do_not_depend_on_unrelated_schemas() -> None:
    base = _doc(CHAT)
    name_nested_models(base)
    more = {**CHAT, "Aaa": {"type": "object", "properties": {"choices": {"type": "array", "items": CHAT["Usage"]}}}}
    other = _doc(more)
    name_nested_models(other)
    for name, schema in base["components"]["schemas"].items():
        assert other["components"]["schemas"][name] == schema, name


@pytest.mark.parametrize(
    ("plural", "one"),
    [("choices", "choice"), ("entries", "entry"), ("data", "data"), ("status", "status"), ("boxes", "box")],
)
def test_singular(plural: str, one: str) -> None:
    assert singular(plural) == one


def _small_spec(with_other: bool) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/chat": {
            "get": {
                "operationId": "getChat",
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Chat"}}},
                    }
                },
            }
        }
    }
    if with_other:
        paths["/other"] = {
            "get": {
                "operationId": "getOther",
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Other"}}},
                    }
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Small", "version": "1"},
        "servers": [{"url": "http://localhost/v1"}],
        "paths": paths,
        "components": {
            "schemas": {
                "Chat": {
                    "type": "object",
                    "properties": {
                        "reply": {"type": "object", "properties": {"text": {"type": "string"}}},
                        "usage": {"$ref": "#/components/schemas/Usage"},
                    },
                },
                "Other": {"type": "object", "properties": {"usage": {"$ref": "#/components/schemas/Usage"}}},
                "Usage": {"type": "object", "properties": {"total": {"type": "integer"}}},
            }
        },
    }


def test_a_model_keeps_its_module_when_an_unrelated_operation_goes(tmp_path: Path) -> None:
    from generator.pipeline import generate

    modules: list[dict[str, str]] = []
    for with_other in (True, False):
        spec = tmp_path / f"spec_{with_other}.yaml"
        spec.write_text(yaml.safe_dump(_small_spec(with_other)), encoding="utf-8")
        result = generate(spec, None, tmp_path / f"out_{with_other}", package="small", quiet=True, use_cache=False)
        assert result.sdk is not None
        modules.append(result.sdk.model_modules)
    both, chat_only = modules
    assert both["Chat"] == chat_only["Chat"] == "chat"
    assert both["ChatReply"] == chat_only["ChatReply"] == "chat", "a nested model lives with its owner"
    assert both["Usage"] == chat_only["Usage"] == "usage", "shared by two operations or one: the same module"
    assert both["Other"] == "other"


# -- the generated package ---------------------------------------------------------------------------------


def _classes() -> dict[str, str]:
    """Every model class of the generated package -> its module."""
    found: dict[str, str] = {}
    for path in sorted(MODELS.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                found[node.name] = path.stem
    return found


def test_no_param_param_anywhere_and_no_model_ends_in_param() -> None:
    for path in (REPO / "generated" / "oai").rglob("*.py"):
        assert "ParamParam" not in path.read_text(encoding="utf-8"), path
    assert not [name for name in _classes() if name.endswith("Param")]


def test_no_counter_names_but_the_specs_own() -> None:
    spec = yaml.safe_load((REPO / "spec" / "openapi.yaml").read_text(encoding="utf-8"))
    own = {re.sub(r"[^A-Za-z0-9]", "", name) for name in spec["components"]["schemas"]}
    numbered = [name for name in _classes() if re.search(r"[a-z]\d+$", name) and name not in own]
    assert numbered == []


def test_module_names_follow_the_family_not_a_hash() -> None:
    classes = _classes()
    assert not [p.name for p in MODELS.glob("shared_*.py")]
    assert classes["ChatCompletion"] == classes["ChatCompletionChoice"] == "chat_completion"
    assert classes["ChatCompletionChoiceLogprobs"] == "chat_completion"
    assert classes["ChatCompletionChunk"] == "chat_completion_chunk"
    assert classes["Response"] == "response"


def test_nested_names_are_the_official_ones_under_their_owner() -> None:
    """Facts from the official package: ``openai.types.chat.chat_completion.ChoiceLogprobs`` is the
    ``ChoiceLogprobs`` of ``ChatCompletion``; oai's flat name puts the owner in front."""
    import importlib

    import oai.types

    official = {
        "openai.types.chat.chat_completion": "ChatCompletion",
        "openai.types.chat.chat_completion_chunk": "ChatCompletionChunk",
    }
    for module_name, owner in official.items():
        module = importlib.import_module(module_name)
        nested = [n for n in ("Choice", "ChoiceLogprobs") if hasattr(module, n)]
        assert nested == ["Choice", "ChoiceLogprobs"]
        for name in nested:
            assert hasattr(oai.types, owner + name), owner + name
    completion = oai.types.ChatCompletion.model_validate(
        {
            "id": "c",
            "object": "chat.completion",
            "created": 1,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "hi", "refusal": None},
                    "logprobs": {"content": [], "refusal": None},
                }
            ],
        }
    )
    assert type(completion.choices[0]) is oai.types.ChatCompletionChoice
    assert type(completion.choices[0].logprobs) is oai.types.ChatCompletionChoiceLogprobs
