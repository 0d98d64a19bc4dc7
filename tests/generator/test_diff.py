"""``python -m generator diff``: one pair of small specs per kind of change, the CLI, and the upstream step."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.__main__ import main
from generator.config import parse_config
from generator.diff import Change, DiffReport, diff_specs, format_json, format_text, upstream_drift

from .helpers import REFERENCE, SPEC, needs_reference

REF = "#/components/schemas/"

CONFIG: dict[str, Any] = {
    "package": "oai",
    "client": {
        "sync_class": "OpenAI",
        "async_class": "AsyncOpenAI",
        "api_key_env": "OPENAI_API_KEY",
        "base_url_env": "OPENAI_BASE_URL",
        "default_base_url": "https://api.openai.com/v1",
    },
    "operations": [
        {"operationId": "createChatCompletion", "resource": "chat.completions", "method_name": "create"},
        {"operationId": "listModels"},
        {"operationId": "retrieveModel"},
        {"operationId": "deleteModel"},
    ],
    "model_renames": {
        "CreateChatCompletionResponse": "ChatCompletion",
        "CreateChatCompletionStreamResponse": "ChatCompletionChunk",
    },
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/chat/completions": {
            "post": {
                "operationId": "createChatCompletion",
                "requestBody": {"required": True, **_json(_ref("CreateChatCompletionRequest"))},
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {"schema": _ref("CreateChatCompletionResponse")},
                            "text/event-stream": {"schema": _ref("CreateChatCompletionStreamResponse")},
                        },
                    }
                },
            }
        },
        "/models": {
            "get": {
                "operationId": "listModels",
                "responses": {"200": {"description": "OK", **_json(_ref("ListModelsResponse"))}},
            }
        },
        "/models/{model}": {
            "parameters": [{"name": "model", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "retrieveModel",
                "responses": {"200": {"description": "OK", **_json(_ref("Model"))}},
            },
            "delete": {
                "operationId": "deleteModel",
                "responses": {"200": {"description": "OK", **_json(_ref("DeleteModelResponse"))}},
            },
        },
        "/files": {
            "get": {
                "operationId": "listFiles",
                "parameters": [
                    {"name": "after", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {"200": {"description": "OK", **_json(_ref("ListFilesResponse"))}},
            }
        },
    },
    "components": {
        "schemas": {
            "CreateChatCompletionRequest": {
                "type": "object",
                "required": ["model", "messages"],
                "properties": {
                    "model": {"type": "string", "description": "Model ID."},
                    "messages": {"type": "array", "items": _ref("Message")},
                    "temperature": {"type": "number", "nullable": True},
                    "n": {"type": "integer"},
                    "stream": {"type": "boolean"},
                    "reasoning_effort": {"type": "string", "enum": ["low", "medium", "high"]},
                    "tool_choice": {
                        "anyOf": [{"type": "string", "enum": ["none", "auto"]}, _ref("NamedToolChoice")],
                    },
                    "stop": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                },
            },
            "NamedToolChoice": {
                "type": "object",
                "required": ["type", "name"],
                "properties": {"type": {"type": "string", "enum": ["function"]}, "name": {"type": "string"}},
            },
            "Message": {
                "type": "object",
                "required": ["role", "content"],
                "properties": {
                    "role": {"type": "string", "enum": ["system", "user", "assistant"]},
                    "content": {"type": "string"},
                    "replies": {"type": "array", "items": _ref("Message")},  # a cycle
                },
            },
            "CreateChatCompletionResponse": {
                "type": "object",
                "required": ["id", "choices", "object"],
                "properties": {
                    "id": {"type": "string"},
                    "object": {"type": "string", "enum": ["chat.completion"]},
                    "choices": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["index", "message", "finish_reason"],
                            "properties": {
                                "index": {"type": "integer"},
                                "message": _ref("ResponseMessage"),
                                "finish_reason": {"type": "string", "enum": ["stop", "length"]},
                            },
                        },
                    },
                    "usage": _ref("Usage"),
                    "output": {"type": "array", "items": _ref("OutputItem")},
                },
            },
            "ResponseMessage": {
                "type": "object",
                "required": ["role", "content", "refusal"],
                "properties": {
                    "role": {"type": "string", "enum": ["assistant"]},
                    "content": {"type": "string", "nullable": True},
                    "refusal": {"type": "string", "nullable": True},
                },
            },
            "Usage": {
                "type": "object",
                "properties": {"total_tokens": {"type": "integer"}},
            },
            "OutputItem": {
                "oneOf": [_ref("OutputText"), _ref("OutputImage")],
                "discriminator": {"propertyName": "type"},
            },
            "OutputText": {
                "type": "object",
                "properties": {"type": {"type": "string", "enum": ["text"]}, "text": {"type": "string"}},
            },
            "OutputImage": {
                "type": "object",
                "properties": {"type": {"type": "string", "enum": ["image"]}, "url": {"type": "string"}},
            },
            "CreateChatCompletionStreamResponse": {
                "type": "object",
                "required": ["id", "choices"],
                "properties": {
                    "id": {"type": "string"},
                    "choices": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"delta": {"type": "object", "properties": {"content": {"type": "string"}}}},
                        },
                    },
                },
            },
            "Model": {
                "type": "object",
                "required": ["id", "object", "created", "owned_by"],
                "properties": {
                    "id": {"type": "string"},
                    "object": {"type": "string", "enum": ["model"]},
                    "created": {"type": "integer"},
                    "owned_by": {"type": "string"},
                },
            },
            "ListModelsResponse": {
                "type": "object",
                "required": ["object", "data"],
                "properties": {
                    "object": {"type": "string", "enum": ["list"]},
                    "data": {"type": "array", "items": _ref("Model")},
                },
            },
            "DeleteModelResponse": {
                "type": "object",
                "required": ["id", "deleted"],
                "properties": {"id": {"type": "string"}, "deleted": {"type": "boolean"}},
            },
            "OpenAIFile": {"type": "object", "properties": {"id": {"type": "string"}}},
            "ListFilesResponse": {
                "type": "object",
                "properties": {
                    "object": {"type": "string"},
                    "data": {"type": "array", "items": _ref("OpenAIFile")},
                    "has_more": {"type": "boolean"},
                },
            },
        }
    },
}


def _schemas(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["components"]["schemas"]


def _request(spec: dict[str, Any]) -> dict[str, Any]:
    return _schemas(spec)["CreateChatCompletionRequest"]


def _diff(mutate: Callable[[dict[str, Any]], None] | None = None, *, base: dict[str, Any] | None = None) -> DiffReport:
    old = copy.deepcopy(base or BASE)
    new = copy.deepcopy(old)
    if mutate is not None:
        mutate(new)
    return diff_specs(old, new, parse_config(CONFIG, "sdk.yaml"), old_name="old.yaml", new_name="new.yaml")


def _only(report: DiffReport) -> Change:
    assert len(report.changes) == 1, format_text(report)
    return report.changes[0]


def _found(report: DiffReport, method: str, where: str, code: str) -> Change:
    for change in report.changes:
        if (change.method, change.where, change.code) == (method, where, code):
            return change
    raise AssertionError(f"no {code} at {method} {where}:\n{format_text(report)}")


CREATE = "client.chat.completions.create"


# -- nothing changed -------------------------------------------------------------------------


def test_no_change_is_a_patch() -> None:
    report = _diff()
    assert report.changes == []
    assert report.verdict == "patch"
    assert report.compared == 5  # four selected methods and client.files.list
    assert "Verdict: patch" in format_text(report)


def test_prose_is_ignored() -> None:
    def reword(spec: dict[str, Any]) -> None:
        _request(spec)["properties"]["model"]["description"] = "Entirely different words."
        _request(spec)["description"] = "New."
        spec["paths"]["/models"]["get"]["summary"] = "List them."

    assert _diff(reword).changes == []


# -- methods ------------------------------------------------------------------------------


def test_method_removed() -> None:
    change = _only(_diff(lambda s: s["paths"]["/models/{model}"].pop("delete")))
    assert (change.method, change.code, change.severity, change.selected) == (
        "client.models.delete",
        "method-removed",
        "breaking",
        True,
    )
    assert "DELETE /models/{model}" in change.message


def test_method_added_is_a_feature() -> None:
    def add(spec: dict[str, Any]) -> None:
        spec["paths"]["/embeddings"] = {
            "post": {"operationId": "createEmbedding", "responses": {"200": {"description": "OK"}}}
        }

    report = _diff(add)
    change = _only(report)
    assert (change.method, change.code, change.severity, change.selected) == (
        "client.embeddings.create",
        "method-added",
        "feature",
        False,
    )
    assert report.verdict == "minor"


def test_unselected_operations_are_named_by_the_parser() -> None:
    report = _diff(lambda s: s["paths"].pop("/files"))
    change = _only(report)
    assert change.method == "client.files.list"  # GET on a collection: the generator's own naming rule
    assert not change.selected


def test_operations_the_naming_rules_cannot_place_get_provisional_names() -> None:
    def add(spec: dict[str, Any]) -> None:
        ok = {"200": {"description": "OK"}}
        spec["paths"]["/organization/projects"] = {"get": {"operationId": "listProjects", "responses": ok}}
        spec["paths"]["/threads/runs"] = {"post": {"operationId": "createThreadAndRun", "responses": ok}}
        spec["paths"]["/threads/{thread_id}/runs"] = {
            "parameters": [{"name": "thread_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "post": {"operationId": "createRun", "responses": ok},
        }

    report = _diff(add)
    assert {c.method for c in report.changes} == {
        "client.organization.projects.list",  # `client.organization` is the organization ID: needs resource_roots
        "client.threads.runs.create",
        "client.threads.runs.create_run",  # both are threads.runs.create by the rules: the operationId decides
    }
    assert report.provisional == ["client.organization.projects.list", "client.threads.runs.create_run"]
    text = format_text(report)
    assert "client.organization.projects.list*: method added (GET /organization/projects)" in text
    assert "* provisional name" in text


def test_path_change_of_a_selected_method() -> None:
    def move(spec: dict[str, Any]) -> None:
        spec["paths"]["/chat/completion"] = spec["paths"].pop("/chat/completions")

    change = _only(_diff(move))  # selected by operationId: same SDK name, another endpoint
    assert (change.method, change.code, change.severity) == (CREATE, "endpoint-changed", "breaking")
    assert change.message == "endpoint changed: POST /chat/completions → POST /chat/completion"


def test_http_method_change() -> None:
    def move(spec: dict[str, Any]) -> None:
        spec["paths"]["/models/{model}"]["post"] = spec["paths"]["/models/{model}"].pop("delete")

    report = _diff(move)  # DELETE -> POST on an item: the parser now names it `update`
    assert [(c.method, c.code) for c in report.changes] == [
        ("client.models.delete", "method-renamed"),
        ("client.models.delete", "endpoint-changed"),
    ]
    assert report.changes[0].message == "renamed to client.models.update"
    assert report.changes[1].message == "endpoint changed: DELETE /models/{model} → POST /models/{model}"


def test_renamed_method_is_one_change() -> None:
    def move(spec: dict[str, Any]) -> None:  # not selected: the name follows the path
        spec["paths"]["/stored_files"] = spec["paths"].pop("/files")

    report = _diff(move)
    assert [(c.method, c.code, c.severity) for c in report.changes] == [
        ("client.files.list", "method-renamed", "breaking"),
        ("client.files.list", "endpoint-changed", "breaking"),
    ]
    assert report.changes[0].message == "renamed to client.stored_files.list"
    assert report.added == report.removed == 0


# -- request parameters ----------------------------------------------------------------------


def test_required_parameter_added_is_breaking() -> None:
    def add(spec: dict[str, Any]) -> None:
        _request(spec)["properties"]["store"] = {"type": "boolean"}
        _request(spec)["required"].append("store")

    change = _only(_diff(add))
    assert (change.method, change.where, change.code, change.severity) == (
        CREATE,
        "store",
        "parameter-added-required",
        "breaking",
    )


def test_optional_parameter_added_is_a_feature() -> None:
    report = _diff(lambda s: _request(s)["properties"].update(store={"type": "boolean"}))
    change = _only(report)
    assert (change.where, change.code, change.severity) == ("store", "parameter-added", "feature")
    assert report.verdict == "minor"


def test_query_parameter_added_and_removed() -> None:
    def change(spec: dict[str, Any]) -> None:
        params = spec["paths"]["/files"]["get"]["parameters"]
        params[:] = [p for p in params if p["name"] != "limit"]
        params.append({"name": "order", "in": "query", "schema": {"type": "string"}})

    report = _diff(change)
    assert (
        _found(report, "client.files.list", "limit", "parameter-removed").message == "query parameter `limit` removed"
    )
    assert _found(report, "client.files.list", "order", "parameter-added").severity == "feature"


def test_parameter_removed_is_breaking() -> None:
    change = _only(_diff(lambda s: _request(s)["properties"].pop("n")))
    assert (change.where, change.code, change.severity) == ("n", "parameter-removed", "breaking")


def test_parameter_becomes_required_or_optional() -> None:
    def tighten(spec: dict[str, Any]) -> None:
        _request(spec)["required"].append("n")

    def loosen(spec: dict[str, Any]) -> None:
        _request(spec)["required"].remove("messages")

    assert (_only(_diff(tighten)).code, _only(_diff(tighten)).severity) == ("became-required", "breaking")
    assert (_only(_diff(loosen)).code, _only(_diff(loosen)).severity) == ("became-optional", "feature")


def test_request_enum_value_removed_is_breaking_and_added_is_a_feature() -> None:
    removed = _only(_diff(lambda s: _request(s)["properties"]["reasoning_effort"]["enum"].remove("high")))
    assert (removed.where, removed.code, removed.severity) == ("reasoning_effort", "enum-value-removed", "breaking")
    assert '"high"' in removed.message
    added = _only(_diff(lambda s: _request(s)["properties"]["reasoning_effort"]["enum"].append("minimal")))
    assert (added.code, added.severity) == ("enum-value-added", "feature")


def test_known_values_of_an_open_string_may_go() -> None:
    """`anyOf: [string, enum]` only lists known values: one leaving the list is still accepted."""

    def open_model(spec: dict[str, Any]) -> None:
        _request(spec)["properties"]["model"] = {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["a", "b"]}]}

    def drop(spec: dict[str, Any]) -> None:
        open_model(spec)
        _request(spec)["properties"]["model"]["anyOf"][1]["enum"].remove("a")

    base = copy.deepcopy(BASE)
    open_model(base)
    change = _only(_diff(drop, base=base))
    assert (change.code, change.severity, change.bump) == ("enum-value-removed", "note", "patch")


def test_request_type_narrowed_is_breaking_and_widened_a_feature() -> None:
    narrowed = _only(_diff(lambda s: _request(s)["properties"]["temperature"].update(type="integer")))
    assert (narrowed.where, narrowed.code, narrowed.severity) == ("temperature", "type-changed", "breaking")
    widened = _only(_diff(lambda s: _request(s)["properties"]["n"].update(type="number")))
    assert (widened.where, widened.code, widened.severity) == ("n", "type-widened", "feature")
    assert widened.message == "type widened: integer → number"


def test_request_null_refused_is_breaking() -> None:
    change = _only(_diff(lambda s: _request(s)["properties"]["temperature"].pop("nullable")))
    assert (change.where, change.code, change.severity) == ("temperature", "null-refused", "breaking")


def test_request_union_member_removed_and_added() -> None:
    def drop(spec: dict[str, Any]) -> None:
        _request(spec)["properties"]["stop"] = {"type": "string"}

    removed = _only(_diff(drop))
    assert (removed.where, removed.code, removed.severity) == ("stop", "variant-removed", "breaking")
    assert removed.message == "member array no longer accepted"

    def add(spec: dict[str, Any]) -> None:
        _request(spec)["properties"]["tool_choice"]["anyOf"].append({"type": "null"})
        _request(spec)["properties"]["tool_choice"]["anyOf"].append({"type": "boolean"})

    report = _diff(add)
    assert _found(report, CREATE, "tool_choice", "null-accepted").severity == "feature"
    assert _found(report, CREATE, "tool_choice", "variant-added").message == "member boolean now accepted"


def test_nested_request_change_through_a_cycle() -> None:
    """Message.replies refers to Message: compared once, reported at the shortest path."""
    report = _diff(lambda s: _schemas(s)["Message"]["properties"]["role"]["enum"].remove("system"))
    change = _only(report)
    assert (change.where, change.code, change.severity) == ("messages[].role", "enum-value-removed", "breaking")


# -- responses -------------------------------------------------------------------------------


def test_response_field_removed_is_breaking_with_its_sdk_path() -> None:
    report = _diff(lambda s: _schemas(s)["ResponseMessage"]["properties"].pop("refusal"))
    change = _only(report)
    assert (change.method, change.where, change.code, change.severity) == (
        CREATE,
        "ChatCompletion.choices[].message.refusal",
        "field-removed",
        "breaking",
    )
    assert report.verdict == "major"


def test_response_field_added_is_a_feature() -> None:
    change = _only(_diff(lambda s: _schemas(s)["Usage"]["properties"].update(cached_tokens={"type": "integer"})))
    assert (change.where, change.code, change.severity) == (
        "ChatCompletion.usage.cached_tokens",
        "field-added",
        "feature",
    )


def test_response_enum_values() -> None:
    report = _diff(lambda s: _schemas(s)["Model"]["properties"]["object"]["enum"].append("model.alias"))
    added = _found(report, "client.models.retrieve", "Model.object", "enum-value-added")
    assert _found(report, "client.models.list", "ListModelsResponse.data[].object", "enum-value-added")
    assert (added.code, added.severity, added.bump) == ("enum-value-added", "note", "minor")

    def drop(spec: dict[str, Any]) -> None:
        choices = _schemas(spec)["CreateChatCompletionResponse"]["properties"]["choices"]
        choices["items"]["properties"]["finish_reason"]["enum"].remove("length")

    removed = _only(_diff(drop))
    assert removed.where == "ChatCompletion.choices[].finish_reason"
    assert (removed.code, removed.severity, removed.bump) == ("enum-value-removed", "note", "patch")


def test_response_type_changes() -> None:
    changed = _only(_diff(lambda s: _schemas(s)["DeleteModelResponse"]["properties"]["deleted"].update(type="string")))
    assert (changed.where, changed.code, changed.severity) == (
        "DeleteModelResponse.deleted",
        "type-changed",
        "breaking",
    )
    widened = _diff(lambda s: _schemas(s)["Model"]["properties"]["created"].update(type="number"))
    change = _found(widened, "client.models.retrieve", "Model.created", "type-changed")  # readers may get a float
    assert change.severity == "breaking"
    nullable = _diff(lambda s: _schemas(s)["Model"]["properties"]["owned_by"].update(nullable=True))
    assert _found(nullable, "client.models.retrieve", "Model.owned_by", "null-possible").severity == "breaking"


def test_response_required_to_optional_is_breaking() -> None:
    change = _only(_diff(lambda s: _schemas(s)["DeleteModelResponse"]["required"].remove("deleted")))
    assert (change.where, change.code, change.severity) == (
        "DeleteModelResponse.deleted",
        "became-optional",
        "breaking",
    )
    back = _only(_diff(lambda s: _schemas(s)["Usage"].update(required=["total_tokens"])))
    assert (back.code, back.severity, back.bump) == ("became-required", "note", "patch")


def test_response_union_member_added_is_a_note() -> None:
    def add(spec: dict[str, Any]) -> None:
        _schemas(spec)["OutputAudio"] = {
            "type": "object",
            "properties": {"type": {"type": "string", "enum": ["audio"]}, "data": {"type": "string"}},
        }
        _schemas(spec)["OutputItem"]["oneOf"].append(_ref("OutputAudio"))

    change = _only(_diff(add))
    assert (change.where, change.code, change.severity, change.bump) == (
        "ChatCompletion.output[]",
        "variant-added",
        "note",
        "minor",
    )
    assert "OutputAudio" in change.message


def test_renamed_union_member_is_matched_by_its_tag() -> None:
    def rename(spec: dict[str, Any]) -> None:
        _schemas(spec)["OutputImageItem"] = _schemas(spec).pop("OutputImage")
        _schemas(spec)["OutputItem"]["oneOf"][1] = _ref("OutputImageItem")
        _schemas(spec)["OutputImageItem"]["properties"].pop("url")

    report = _diff(rename)
    assert _found(report, CREATE, "ChatCompletion.output[](OutputImageItem)", "type-renamed").severity == "note"
    assert _found(report, CREATE, "ChatCompletion.output[](OutputImageItem).url", "field-removed")


def test_list_methods_compare_their_items() -> None:
    report = _diff(lambda s: _schemas(s)["Model"]["properties"].pop("owned_by"))
    assert [(c.method, c.where) for c in report.changes] == [
        ("client.models.list", "ListModelsResponse.data[].owned_by"),
        ("client.models.retrieve", "Model.owned_by"),
    ]


# -- streams ---------------------------------------------------------------------------------


def test_stream_chunk_type_changed_is_breaking() -> None:
    def swap(spec: dict[str, Any]) -> None:
        _schemas(spec)["ChatCompletionDelta"] = copy.deepcopy(_schemas(spec)["CreateChatCompletionStreamResponse"])
        media = spec["paths"]["/chat/completions"]["post"]["responses"]["200"]["content"]["text/event-stream"]
        media["schema"] = _ref("ChatCompletionDelta")

    change = _only(_diff(swap))
    assert (change.method, change.code, change.severity) == (CREATE, "stream-chunk-changed", "breaking")
    assert change.message == "stream chunk type changed: ChatCompletionChunk → ChatCompletionDelta"


def test_stream_chunk_fields_are_compared() -> None:
    def drop(spec: dict[str, Any]) -> None:
        _schemas(spec)["CreateChatCompletionStreamResponse"]["properties"]["choices"]["items"]["properties"].pop(
            "delta"
        )

    change = _only(_diff(drop))
    assert (change.where, change.code) == ("ChatCompletionChunk.choices[].delta", "field-removed")


def test_stream_removed_is_breaking() -> None:
    def drop(spec: dict[str, Any]) -> None:
        spec["paths"]["/chat/completions"]["post"]["responses"]["200"]["content"].pop("text/event-stream")

    change = _only(_diff(drop))
    assert (change.code, change.severity) == ("stream-removed", "breaking")


# -- output and CLI --------------------------------------------------------------------------


def test_text_report_lists_breaking_features_notes_and_the_verdict() -> None:
    def mixed(spec: dict[str, Any]) -> None:
        _schemas(spec)["ResponseMessage"]["properties"].pop("refusal")
        _request(spec)["properties"]["store"] = {"type": "boolean"}
        _schemas(spec)["Usage"]["properties"]["total_tokens"]["deprecated"] = True

    text = format_text(_diff(mixed))
    assert "Breaking changes (1):" in text
    assert "    ChatCompletion.choices[].message.refusal: field removed" in text
    assert "Features (1):" in text
    assert "Notes (1):" in text
    assert text.index("Breaking changes") < text.index("Features") < text.index("Notes")
    assert text.splitlines()[-1] == "Verdict: major"


def test_json_report() -> None:
    data = json.loads(format_json(_diff(lambda s: _request(s)["properties"].pop("n"))))
    assert data["verdict"] == "major"
    assert data["summary"]["breaking"] == 1
    assert data["changes"][0]["method"] == CREATE
    assert data["changes"][0]["code"] == "parameter-removed"


def _write(tmp_path: Path, mutate: Callable[[dict[str, Any]], None] | None) -> tuple[str, str, str]:
    old, new, config = tmp_path / "old.yaml", tmp_path / "new.yaml", tmp_path / "sdk.yaml"
    changed = copy.deepcopy(BASE)
    if mutate is not None:
        mutate(changed)
    old.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    new.write_text(yaml.safe_dump(changed, sort_keys=False), encoding="utf-8")
    config.write_text(yaml.safe_dump(CONFIG, sort_keys=False), encoding="utf-8")
    return str(old), str(new), str(config)


def test_cli_fail_on_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new, config = _write(tmp_path, lambda s: _schemas(s)["ResponseMessage"]["properties"].pop("refusal"))
    assert main(["diff", old, new, "--config", config]) == 0
    assert "Verdict: major" in capsys.readouterr().out
    assert main(["diff", old, new, "--config", config, "--fail-on", "breaking"]) == 1
    capsys.readouterr()
    assert main(["diff", old, new, "--config", config, "--format", "json", "--fail-on", "breaking"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["breaking"] == 1


def test_cli_json_and_no_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, _, config = _write(tmp_path, None)
    assert main(["diff", old, old, "--config", config, "--fail-on", "breaking", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "patch"
    assert data["changes"] == []


def test_cli_features_do_not_fail(tmp_path: Path) -> None:
    old, new, config = _write(tmp_path, lambda s: _request(s)["properties"].update(store={"type": "boolean"}))
    assert main(["diff", old, new, "--config", config, "--fail-on", "breaking"]) == 0


# -- check-drift's upstream step ---------------------------------------------------------


def test_upstream_missing_is_a_notice(tmp_path: Path) -> None:
    old, _, config = _write(tmp_path, None)
    missing = tmp_path / "nowhere" / "openapi.yaml"
    result = upstream_drift(Path(old), Path(config), missing)
    assert result.problems == []
    assert result.notes == [f"upstream spec not found at {missing}; upstream check skipped"]


def test_upstream_difference_in_the_selection_fails(tmp_path: Path) -> None:
    ours, upstream, config = _write(tmp_path, lambda s: _schemas(s)["ResponseMessage"]["properties"].pop("refusal"))
    # ours is the old spec (with refusal), upstream the new one: upstream dropped a field we still have.
    result = upstream_drift(Path(ours), Path(config), Path(upstream))
    assert len(result.problems) == 1
    assert "ChatCompletion.choices[].message.refusal: field removed" in result.problems[0]
    assert "python -m generator sync-spec" in result.problems[0]


def test_upstream_changes_outside_the_selection_are_ignored(tmp_path: Path) -> None:
    ours, upstream, config = _write(tmp_path, lambda s: s["paths"].pop("/files"))
    result = upstream_drift(Path(ours), Path(config), Path(upstream))
    assert result.problems == []


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    from generator.yamlio import load_yaml

    return load_yaml(REFERENCE)


@needs_reference
def test_modified_spec_is_reported_against_upstream(tmp_path: Path) -> None:
    """A copy of spec/openapi.yaml with a response field removed: the upstream step names it and fails."""
    from generator.yamlio import dump_yaml, load_yaml

    spec = load_yaml(SPEC)
    del spec["components"]["schemas"]["ChatCompletionResponseMessage"]["properties"]["refusal"]
    modified = tmp_path / "openapi.yaml"
    modified.write_text(dump_yaml(spec), encoding="utf-8")
    result = upstream_drift(modified, SPEC.parent / "sdk.yaml", REFERENCE)
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    assert "client.chat.completions.create" in problem
    assert "ChatCompletion.choices[].message.refusal: new field" in problem  # upstream has it, our copy does not
    assert "python -m generator sync-spec" in problem


@needs_reference
def test_full_reference_against_itself(reference: dict[str, Any]) -> None:
    from generator.config import load_config

    changed = copy.deepcopy(reference)
    del changed["components"]["schemas"]["ChatCompletionResponseMessage"]["properties"]["refusal"]
    report = diff_specs(
        reference, changed, load_config(SPEC.parent / "sdk.yaml"), old_name="upstream", new_name="changed"
    )
    assert report.compared > 250
    assert report.added == report.removed == 0
    assert _found(report, CREATE, "ChatCompletion.choices[].message.refusal", "field-removed").selected
    assert {c.code for c in report.changes} == {"field-removed"}
