# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""Robustness: the whole upstream spec, every operation (deprecated ones included), generates,
imports and passes ruff.

spec/sdk.yaml selects the non-deprecated operations; this test selects all of them (keeping
sdk.yaml's names where it has an entry), syncs a spec from the upstream reference without
requiring descriptions, and generates it into a scratch folder with the real core and helpers beside it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import CONFIG, REFERENCE, REPO, needs_reference

pytestmark = needs_reference


@pytest.fixture(scope="module")
def full_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generator.config import HTTP_METHODS, parse_config
    from generator.pipeline import generate
    from generator.sync import SPEC_HEADER, build_spec
    from generator.writer import HANDWRITTEN
    from generator.yamlio import dump_yaml, load_yaml

    upstream: dict[str, Any] = load_yaml(REFERENCE)
    raw = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    named = {entry["operationId"]: entry for entry in raw["operations"]}
    operations: list[dict[str, Any]] = []
    deprecated = 0
    for item in upstream["paths"].values():
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                operations.append(named.get(op["operationId"], {"operationId": op["operationId"]}))
                deprecated += bool(op.get("deprecated"))
    assert len(operations) == 288 and deprecated > 0
    raw["operations"] = operations
    work = tmp_path_factory.mktemp("full")
    config = work / "sdk.yaml"
    config.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    section = raw["official_types"]  # the official type names: files beside the config
    for facts in (section["facts"], section.get("submodules"), raw.get("official_optional")):
        if facts:
            shutil.copy(CONFIG.parent / facts, work / facts)
    doc, report = build_spec(upstream, parse_config(raw, str(config)), {}, upstream_name=REFERENCE.name)
    assert report.operation_count == 288
    spec = work / "openapi.yaml"
    spec.write_text(dump_yaml(doc, header=SPEC_HEADER), encoding="utf-8")
    out = work / "out"
    generate(spec, config, out, quiet=True)
    for folder in HANDWRITTEN:  # the core and the helpers, which the generated code imports
        shutil.copytree(REPO / "generated" / "oai" / folder, out / "oai" / folder)
    return out


def test_full_spec_imports(full_sdk: Path) -> None:
    """Every module imports, every resource is reachable from the client, every model builds."""
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import oai, oai.resources, oai.types
        assert oai.__file__.startswith(sys.argv[1]), oai.__file__
        names = [m.name for m in pkgutil.walk_packages(oai.resources.__path__, "oai.resources.")]
        names += [m.name for m in pkgutil.walk_packages(oai.types.__path__, "oai.types.")]
        for name in names:
            importlib.import_module(name)
        client = oai.OpenAI(api_key="k")
        def walk(resource, depth=0):
            count = 0
            for attr in dir(type(resource)):
                value = getattr(type(resource), attr, None)
                if attr.startswith("_") or attr in ("with_raw_response", "with_streaming_response"):
                    continue
                if hasattr(value, "func"):  # cached_property: a sub-resource
                    count += walk(getattr(resource, attr), depth + 1)
                elif callable(value):
                    count += 1
            return count
        roots = [
            attr for attr in dir(type(client))
            if not attr.startswith("_") and type(getattr(type(client), attr, None)).__name__ == "cached_property"
        ]
        methods = sum(walk(getattr(client, attr)) for attr in roots)
        from pydantic import BaseModel
        built = 0
        for name in oai.types.__all__:
            value = getattr(oai.types, name)
            if isinstance(value, type) and issubclass(value, BaseModel):
                value.model_rebuild()  # resolves every forward reference
                built += 1
        print(methods, built)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(full_sdk)],
        cwd=full_sdk,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    methods, built = map(int, result.stdout.split())
    assert methods >= 288
    assert built > 800


def test_full_spec_passes_ruff(full_sdk: Path) -> None:
    for args in (["check", "--output-format", "concise"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args, "--no-cache", str(full_sdk / "oai")],
            capture_output=True,
            text=True,
            check=False,
            cwd=REPO,
        )
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
