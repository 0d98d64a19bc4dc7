"""generator/official_types.py's matching rules, on a small spec (the whole API: test_official_types.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.official_types import Official, OfficialTypes, OfficialTypesConfig, load_facts, parse_config

SCHEMAS = {
    name: {"type": "object", "properties": {"id": {"type": "string"}}}
    for name in (
        "ChatCompletionTool",
        "ChatCompletionRequestUserMessage",
        "ChatCompletionResponseMessage",
        "FunctionToolCall",
        "VectorStoreObject",
        "DeleteVectorStoreResponse",
        "AdminApiKey",
        "ApplyPatchToolParam",
        "OpenAIFile",
        "GraderLabelModel",
        "ChatCompletion",  # CreateChatCompletionResponse in the spec, renamed by preprocessing (model_renames)
    )
}
DOC = {"components": {"schemas": SCHEMAS}}


def decide(*names: tuple[str, str, str], overrides: dict[str, str] | None = None) -> dict[str, tuple[str, str | None]]:
    facts = [Official(module, name, kind) for module, name, kind in names]
    config = OfficialTypesConfig(facts="x.yaml", names=overrides or {})
    found = OfficialTypes(DOC, config, facts, {"CreateChatCompletionResponse": "ChatCompletion"})
    return {d.official.name: (d.rule, d.schema) for d in found.decisions}


def test_each_rule_names_the_schema_it_found() -> None:
    decided = decide(
        ("types.chat", "ChatCompletionToolParam", "typeddict"),
        ("types.chat", "ChatCompletionUserMessageParam", "typeddict"),
        ("types.chat", "ChatCompletionMessage", "model"),
        ("types.chat", "ChatCompletion", "model"),
        ("types.chat", "CreateChatCompletionResponse", "model"),
        ("types.responses", "ResponseFunctionToolCall", "model"),
        ("types", "VectorStore", "model"),
        ("types", "VectorStoreDeleted", "model"),
        ("types.admin.organization", "AdminAPIKey", "model"),
        ("types.responses", "ApplyPatchTool", "model"),
        ("types.graders", "LabelModelGraderParam", "typeddict"),
        ("types.beta.agents", "Agent", "model"),
    )
    assert decided == {
        "ChatCompletionToolParam": ("same name", "ChatCompletionTool"),
        "ChatCompletionUserMessageParam": ("chat request", "ChatCompletionRequestUserMessage"),
        "ChatCompletionMessage": ("chat response", "ChatCompletionResponseMessage"),
        "ChatCompletion": ("same name", "ChatCompletion"),
        "CreateChatCompletionResponse": ("same name", "ChatCompletion"),  # the spec's name before model_renames
        "ResponseFunctionToolCall": ("without Response", "FunctionToolCall"),
        "VectorStore": ("+Object", "VectorStoreObject"),
        "VectorStoreDeleted": ("deleted response", "DeleteVectorStoreResponse"),
        "AdminAPIKey": ("same name (case)", "AdminApiKey"),
        "ApplyPatchTool": ("+Param", "ApplyPatchToolParam"),
        "LabelModelGraderParam": ("Grader first", "GraderLabelModel"),
        "Agent": ("pending", None),  # decided against the IR: an operation, or a placeholder
    }


def test_overrides_win_and_are_scoped_by_module() -> None:
    decided = decide(
        ("types", "FileObject", "model"),
        ("types.vector_stores", "VectorStore", "model"),
        overrides={"FileObject": "schema:OpenAIFile", "types.vector_stores:VectorStore": "unmapped"},
    )
    assert decided == {"FileObject": ("override", "OpenAIFile"), "VectorStore": ("override", None)}


def test_an_override_naming_no_schema_is_an_error() -> None:
    with pytest.raises(ValueError, match="FileObject: no component schema 'schema:NoSuchSchema'"):
        decide(("types", "FileObject", "model"), overrides={"FileObject": "schema:NoSuchSchema"})


def test_model_roots_leave_out_request_side_and_param_named_components() -> None:
    facts = [
        Official("types", "VectorStore", "model"),
        Official("types.chat", "ChatCompletionToolParam", "typeddict"),
        Official("types.responses", "ApplyPatchTool", "model"),
    ]
    found = OfficialTypes(DOC, OfficialTypesConfig(facts="x.yaml"), facts, {})
    assert found.model_roots() == ("VectorStoreObject",)


def test_config_errors_name_the_entry() -> None:
    problems: list[tuple[str, str]] = []
    config = parse_config(
        {"facts": "official_types.yaml", "names": {"A": "schema:X", "B": "model:Y", "C": "ref:types:X.y[]"}},
        lambda where, what: problems.append((where, what)),
    )
    assert config is not None and config.names == {"A": "schema:X", "C": "ref:types:X.y[]"}
    expected = "expected schema:<name>, operation:<id>, ref:<types.module:Name.field[]...> or unmapped"
    assert problems == [("/official_types/names/B", expected)]
    parse_config({"names": {}}, lambda where, what: problems.append((where, what)))
    assert problems[-1] == ("/official_types", "expected a mapping with `facts: <file next to sdk.yaml>`")


def test_facts_file_is_checked(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("modules:\n  types.chat:\n    ChatCompletion: model\n  types.beta.chat: {}\n")
    assert load_facts(good) == [
        Official("types.beta.chat", "", "module"),
        Official("types.chat", "ChatCompletion", "model"),
    ]
    bad = tmp_path / "bad.yaml"
    bad.write_text("modules:\n  types.chat:\n    ChatCompletion: widget\n")
    with pytest.raises(ValueError, match="types.chat.ChatCompletion: not a name with one of the kinds"):
        load_facts(bad)
