# pyright: standard
# (spec fragments as untyped dict literals; the rest of tests/ is checked strictly)
"""generator/official_optional.py: the fields and parameters the official SDK leaves optional where the spec
requires them (spec/official_optional.yaml) become optional in the models and the methods, and an entry the
spec no longer backs is an error naming it."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import parse_config
from generator.errors import GeneratorError, SpecError
from generator.official_optional import OptionalFacts, apply_fields, apply_parameters, load_facts
from generator.parser import Parser
from generator.preprocess import preprocess

from .helpers import CONFIG, REPO

REF = "#/components/schemas/"


def _facts(fields: dict[str, tuple[str, ...]] | None = None, parameters: dict[str, tuple[str, ...]] | None = None):
    return OptionalFacts(source="openai 0.0", fields=fields or {}, parameters=parameters or {})


def _models_doc() -> dict[str, Any]:
    return {
        "components": {
            "schemas": {
                "Base": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "note": {"type": "string"}},
                    "required": ["id", "note"],
                },
                "Item": {
                    "allOf": [
                        {"$ref": REF + "Base"},
                        {
                            "type": "object",
                            "properties": {"logprobs": {"type": "array", "items": {"type": "number"}}},
                            "required": ["logprobs"],
                        },
                    ]
                },
                "Plain": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "score": {"anyOf": [{"type": "number"}, {"type": "null"}]},
                    },
                    "required": ["text", "score"],
                },
            }
        }
    }


def test_fields_leave_required_in_the_schema_that_binds_them() -> None:
    doc = _models_doc()
    count = apply_fields(doc, _facts({"Plain": ("score",), "Item": ("logprobs", "note")}), "facts.yaml")
    schemas = doc["components"]["schemas"]
    assert count == 3
    assert schemas["Plain"]["required"] == ["text"]  # only the listed field
    assert schemas["Item"]["allOf"][1]["required"] == []  # an inline allOf part
    assert schemas["Base"]["required"] == ["id"]  # inherited: optional in the base that declares it


def test_a_stale_entry_is_an_error_naming_it() -> None:
    with pytest.raises(SpecError, match=r"facts\.yaml#/fields/Nowhere: no response model"):
        apply_fields(_models_doc(), _facts({"Nowhere": ("x",)}), "facts.yaml")
    with pytest.raises(GeneratorError, match=r"facts\.yaml#/fields/Plain: 'gone': the spec does not require it"):
        apply_fields(_models_doc(), _facts({"Plain": ("gone",)}), "facts.yaml")
    doc = _models_doc()
    untouched = copy.deepcopy(doc)
    with pytest.raises(GeneratorError):
        apply_fields(doc, _facts({"Plain": ("text",), "Base": ("gone",)}), "facts.yaml")
    assert doc["components"]["schemas"]["Base"] == untouched["components"]["schemas"]["Base"]


def _skills_spec() -> dict[str, Any]:
    files = {
        "oneOf": [
            {"type": "array", "items": {"type": "string", "format": "binary"}},
            {"type": "string", "format": "binary"},
        ]
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/skills": {
                "post": {
                    "operationId": "CreateSkill",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {"type": "object", "properties": {"files": files}, "required": ["files"]}
                            }
                        },
                    },
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": REF + "Skill"}}}}},
                }
            }
        },
        "components": {
            "schemas": {"Skill": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}}
        },
    }


# The sdk.yaml of these tests: the one operation of the spec above.
SKILLS_CONFIG: dict[str, Any] = {
    "package": "oai",
    "client": {
        "sync_class": "OpenAI",
        "async_class": "AsyncOpenAI",
        "api_key_env": "K",
        "base_url_env": "U",
        "default_base_url": "https://x",
    },
    "operations": [{"operationId": "CreateSkill"}],
}


def _parse() -> Any:
    config = parse_config(SKILLS_CONFIG, "sdk.yaml")
    return Parser(preprocess(_skills_spec(), {}), config, "spec.yaml", {"Skill"}).parse()


def test_parameters_become_optional_keywords() -> None:
    sdk = _parse()
    (param,) = sdk.resources[0].operations[0].params
    assert param.name == "files" and param.required and param.is_file
    assert apply_parameters(sdk, _facts(parameters={"skills.create": ("files",)}), "facts.yaml") == 1
    (param,) = sdk.resources[0].operations[0].params
    assert not param.required and param.is_file  # only its required-ness changes


def test_a_stale_parameter_entry_is_an_error_naming_it() -> None:
    with pytest.raises(SpecError, match=r"#/parameters/skills\.upload: no generated method"):
        apply_parameters(_parse(), _facts(parameters={"skills.upload": ("files",)}), "facts.yaml")
    with pytest.raises(SpecError, match=r"#/parameters/skills\.create: 'name': no required parameter"):
        apply_parameters(_parse(), _facts(parameters={"skills.create": ("name",)}), "facts.yaml")


def test_facts_file_is_read_and_checked(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("source: openai 9.9\nfields:\n  Plain: [score]\nparameters:\n  skills.create: [files]\n")
    facts = load_facts(good)
    assert facts == OptionalFacts("openai 9.9", {"Plain": ("score",)}, {"skills.create": ("files",)})
    bad = tmp_path / "bad.yaml"
    bad.write_text("fields:\n  Plain: score\n")
    with pytest.raises(SpecError, match=r"bad\.yaml#/fields/Plain: expected a list of names"):
        load_facts(bad)


def test_the_repository_facts_name_the_official_package_and_sdk_yaml_uses_them() -> None:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    facts = load_facts(CONFIG.parent / config["official_optional"])
    assert facts.source.startswith("openai ")
    assert "logprobs" in facts.fields["OutputTextContent"]
    assert facts.parameters["skills.create"] == ("files",)


def test_generated_model_and_method(tmp_path: Path) -> None:
    """End to end on the small spec: the model field is `X | None = None`, the method's parameter `NOT_GIVEN`."""
    from generator.pipeline import generate

    spec = _skills_spec()
    spec["components"]["schemas"]["Skill"]["properties"]["note"] = {"type": "string"}
    spec["components"]["schemas"]["Skill"]["required"] = ["id", "note"]
    (tmp_path / "api.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    config = {**SKILLS_CONFIG, "official_optional": "optional.yaml"}
    (tmp_path / "sdk.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "optional.yaml").write_text(
        "source: openai 9.9\nfields:\n  Skill: [note]\nparameters:\n  skills.create: [files]\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    generate(tmp_path / "api.yaml", tmp_path / "sdk.yaml", out, quiet=True, use_cache=False)
    models = (out / "oai" / "types" / "_models" / "skill.py").read_text(encoding="utf-8")
    assert "    id: str\n" in models and "    note: str | None = None\n" in models
    resource = (out / "oai" / "resources" / "skills.py").read_text(encoding="utf-8")
    assert resource.count("files: Sequence[FileTypes] | FileTypes | NotGiven = NOT_GIVEN,") == 2  # sync, async
    code = textwrap.dedent(
        """
        import sys
        sys.path.insert(0, sys.argv[1])
        from oai.types import Skill
        assert Skill.model_validate({"id": "s"}).note is None
        """
    )
    shutil.copytree(REPO / "generated" / "oai" / "_core", out / "oai" / "_core")
    subprocess.run([sys.executable, "-c", code, str(out)], check=True, cwd=tmp_path)
