# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""sync-spec keeps upstream facts and never upstream prose."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import CONFIG, DESCRIPTIONS, REFERENCE, REPO, SPEC, needs_reference

pytestmark = needs_reference

_PROSE_KEYS = ("description", "summary", "title")


@pytest.fixture(scope="module")
def upstream() -> dict[str, Any]:
    from generator.yamlio import load_yaml

    return load_yaml(REFERENCE)


def _sync(upstream: dict[str, Any], config: Any = None) -> str:
    """What sync-spec writes, built from the already parsed upstream (parsing it takes seconds)."""
    from generator.config import load_config
    from generator.descriptions import load_descriptions
    from generator.sync import SPEC_HEADER, build_spec
    from generator.yamlio import dump_yaml

    overlay = load_descriptions(DESCRIPTIONS)
    doc, _ = build_spec(upstream, config or load_config(CONFIG), overlay, upstream_name=REFERENCE.name)
    return dump_yaml(doc, header=SPEC_HEADER)


@pytest.fixture(scope="module")
def synced(upstream: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sync") / "openapi.yaml"
    out.write_text(_sync(upstream), encoding="utf-8")
    return out


def _upstream_sentences(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _PROSE_KEYS and isinstance(value, str):
                for sentence in re.split(r"(?<=[.!?:;])\s+|\n+", value):
                    sentence = " ".join(sentence.split())
                    if len(sentence) > 40 and len(sentence.split()) >= 4:  # prose, not a lone identifier
                        found.add(sentence)
            elif key == "x-oaiMeta":
                continue
            _upstream_sentences(value, found)
    elif isinstance(node, list):
        for value in node:
            _upstream_sentences(value, found)


def test_committed_spec_is_in_sync(synced: Path) -> None:
    assert SPEC.read_bytes() == synced.read_bytes(), "spec/openapi.yaml is stale: run `python -m generator sync-spec`"


def _repo_text_files() -> list[Path]:
    """Every file git tracks (or would add), as it is in the working tree, that reads as UTF-8 text."""
    import subprocess

    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    files: list[Path] = []
    for name in listed:
        path = REPO / name
        if path.is_file() and path.suffix not in (".png", ".gguf", ".pyc"):
            files.append(path)
    return files


def test_no_upstream_prose_anywhere_in_the_repo(upstream: dict[str, Any]) -> None:
    # Texts are compared with whitespace and comment/docstring markers folded away, so a sentence
    # wrapped over docstring or YAML lines still counts. A sentence is looked for only where its
    # first four words occur, which keeps this to a second on the whole repo.
    sentences: set[str] = set()
    _upstream_sentences(upstream, sentences)
    assert len(sentences) > 1000
    by_start: dict[tuple[str, ...], list[str]] = {}
    for sentence in sentences:
        by_start.setdefault(tuple(sentence.split()[:4]), []).append(sentence)
    files = _repo_text_files()
    assert len(files) > 100
    for path in files:
        try:
            raw = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        text = " ".join(re.sub(r'^\s*(#|"""|- )', " ", raw, flags=re.MULTILINE).split())
        words = text.split()
        starts = {tuple(words[i : i + 4]) for i in range(len(words))}
        leaked = [s for key in starts.intersection(by_start) for s in by_start[key] if s in text]
        assert not leaked, f"{path.relative_to(REPO)} contains upstream sentences: {leaked[:3]}"


def test_no_upstream_examples_or_meta(synced: Path) -> None:
    doc = yaml.safe_load(synced.read_text(encoding="utf-8"))
    found: set[str] = set()

    def walk(node: Any, parent: str | None) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if parent not in ("properties", "schemas"):  # property and schema names are free
                    found.add(key)
                walk(value, key)
        elif isinstance(node, list):
            for value in node:
                walk(value, parent)

    walk(doc["paths"], None)
    walk(doc["components"], None)
    assert not found & {"x-oaiMeta", "example", "examples", "title", "x-oaiTypeLabel", "externalDocs"}


def _facts(schema: Any) -> Any:
    """A schema without prose: what sync-spec must keep unchanged."""
    if isinstance(schema, dict):
        return {
            k: _facts(v)
            for k, v in schema.items()
            if k not in ("description", "title", "example", "examples") and not k.startswith("x-oai")
        }
    if isinstance(schema, list):
        return [_facts(v) for v in schema]
    return schema


@pytest.mark.parametrize(
    "name",
    [
        "CreateChatCompletionRequest",
        "CreateChatCompletionResponse",
        "CreateChatCompletionStreamResponse",
        "ChatCompletionRequestMessage",
        "CreateCompletionRequest",
        "CreateEmbeddingRequest",
        "Model",
        "ListModelsResponse",
        "CompletionUsage",
    ],
)
def test_schema_facts_match_upstream(name: str, synced: Path, upstream: dict[str, Any]) -> None:
    ours = yaml.safe_load(synced.read_text(encoding="utf-8"))["components"]["schemas"][name]
    theirs = upstream["components"]["schemas"][name]
    assert _facts(ours) == _facts(theirs)


def test_operations_keep_structure(synced: Path, upstream: dict[str, Any]) -> None:
    ours = yaml.safe_load(synced.read_text(encoding="utf-8"))
    for path, method in [("/models/{model}", "get"), ("/chat/completions", "post"), ("/embeddings", "post")]:
        a, b = ours["paths"][path][method], upstream["paths"][path][method]
        assert a["operationId"] == b["operationId"]
        assert (
            _facts(a.get("parameters")) == [{k: v for k, v in _facts(p).items()} for p in b.get("parameters", [])]
            or a.get("parameters") is None
        )
        assert _facts(a.get("requestBody")) == _facts(b.get("requestBody"))
        for code, response in b["responses"].items():
            assert _facts(a["responses"][code].get("content")) == _facts(response.get("content"))


def test_every_operation_parameter_and_body_field_is_described(synced: Path) -> None:
    from generator.specutil import flatten_object, iter_operations, json_media

    doc = yaml.safe_load(synced.read_text(encoding="utf-8"))
    for _, _, op in iter_operations(doc):
        assert op.get("summary"), op["operationId"]
        for param in op.get("parameters", []):
            assert param.get("description"), (op["operationId"], param["name"])
        media = json_media(op.get("requestBody", {}).get("content"))
        if media:
            for name, prop in flatten_object(doc, media["schema"]).properties.items():
                assert prop.description, (op["operationId"], name)


def test_sync_is_deterministic_and_leaves_upstream_alone(synced: Path, upstream: dict[str, Any]) -> None:
    assert _sync(upstream) == synced.read_text(encoding="utf-8")


def test_sync_spec_command(tmp_path: Path) -> None:
    """The command end to end: reads the files, writes the spec, and says what it did."""
    from generator.__main__ import main

    out = tmp_path / "openapi.yaml"
    assert main(["sync-spec", "--from", str(REFERENCE), "--config", str(CONFIG), "--output", str(out)]) == 0
    assert out.read_bytes() == SPEC.read_bytes()


def test_unknown_selection_fails(upstream: dict[str, Any]) -> None:
    from generator.config import parse_config
    from generator.errors import GeneratorError

    raw = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    raw["operations"] = [{"method": "get", "path": "/nowhere"}]
    with pytest.raises(GeneratorError, match=r"#/operations/0: GET /nowhere"):
        _sync(upstream, parse_config(raw, "sdk.yaml"))


def test_missing_descriptions_are_listed(upstream: dict[str, Any]) -> None:
    from generator.config import parse_config
    from generator.descriptions import load_descriptions
    from generator.sync import build_spec

    overlay = load_descriptions(DESCRIPTIONS).overlay
    del overlay["operations"]["retrieveModel"]["parameters"]
    del overlay["schemas"]["CreateEmbeddingRequest"]["properties"]["dimensions"]
    raw = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    raw["operations"] = [{"operationId": "retrieveModel"}, {"operationId": "createEmbedding"}]
    _, report = build_spec(upstream, parse_config(raw, "sdk.yaml"), overlay, upstream_name=REFERENCE.name)
    assert report.missing == [
        "operations/retrieveModel/parameters/model",
        "schemas/CreateEmbeddingRequest/properties/dimensions (body of createEmbedding)",
    ]


def _config_with(*operation_ids: str) -> Any:
    from generator.config import parse_config

    raw = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    raw["operations"] = [{"operationId": op_id} for op_id in operation_ids]
    return parse_config(raw, "sdk.yaml")


# An upstream operation whose request body is an inline object (not a component).
_INLINE_BODY_OP = "createConversationItems"


def test_inline_body_properties_are_described_under_the_operation(upstream: dict[str, Any]) -> None:
    from generator.sync import build_spec

    config = _config_with(_INLINE_BODY_OP)
    _, report = build_spec(upstream, config, {}, upstream_name=REFERENCE.name)
    inline = [m for m in report.missing if m.startswith(f"operations/{_INLINE_BODY_OP}/body/")]
    assert inline, report.missing
    prop = inline[0].rsplit("/", 1)[1]
    overlay = {"operations": {_INLINE_BODY_OP: {"summary": "Add items.", "body": {prop: "What to add."}}}}
    doc, report = build_spec(upstream, config, overlay, upstream_name=REFERENCE.name)
    assert f"operations/{_INLINE_BODY_OP}/body/{prop}" not in report.missing
    path = "/conversations/{conversation_id}/items"
    schema = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"][prop]["description"] == "What to add."


def test_body_entry_for_a_component_property_names_the_component(upstream: dict[str, Any]) -> None:
    from generator.errors import GeneratorError
    from generator.sync import build_spec

    overlay = {"operations": {"createEmbedding": {"body": {"dimensions": "Size."}}}}
    with pytest.raises(GeneratorError, match=r"schemas\.CreateEmbeddingRequest\.properties\.dimensions"):
        build_spec(upstream, _config_with("createEmbedding"), overlay, upstream_name=REFERENCE.name)


def test_description_files_are_merged(tmp_path: Path) -> None:
    from generator.descriptions import load_descriptions
    from generator.errors import GeneratorError

    main = tmp_path / "descriptions.yaml"
    main.write_text("operations:\n  a:\n    summary: A.\n", encoding="utf-8")
    folder = tmp_path / "descriptions"
    folder.mkdir()
    (folder / "b.yaml").write_text(
        "operations:\n  a:\n    summary: A.\n  b:\n    summary: B.\nschemas:\n  S: Text.\n", encoding="utf-8"
    )
    (folder / "c.yaml").write_text("schemas:\n  S:\n    properties:\n      p: P.\n", encoding="utf-8")
    merged = load_descriptions(main)
    assert merged.overlay == {
        "operations": {"a": {"summary": "A."}, "b": {"summary": "B."}},
        "schemas": {"S": {"description": "Text.", "properties": {"p": "P."}}},
    }
    assert merged.source("operations", "b", "summary").endswith("b.yaml")
    (folder / "d.yaml").write_text("operations:\n  b:\n    summary: Other.\n", encoding="utf-8")
    with pytest.raises(GeneratorError) as info:
        load_descriptions(main)
    message = str(info.value)
    assert "b.yaml" in message and "d.yaml" in message and "/operations/b/summary" in message
