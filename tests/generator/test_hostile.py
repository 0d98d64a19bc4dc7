"""Hostile specs (issue 14): nothing in a spec ever runs as code.

Every text and name of a spec can reach the generated package: the title (client docstring),
the server URL (a string literal), path templates (an f-string), parameter, property and schema
names (identifiers and dict keys), enum values (``Literal``s), descriptions (docstrings). Each
payload here would create a canary file if it were ever executed, on import or on call.

For every spec: generation either succeeds or fails with an error naming a JSON pointer; the
output compiles, passes ruff, imports, and one operation can be called; the canary never appears.
One test runs a fixed set of known attack shapes, another (hypothesis) mixes hostile names and
texts at random (a fixed seed, so a CI failure can be replayed).
"""

from __future__ import annotations

import json
import py_compile
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import GeneratorError, SpecError, SpecErrors, escape_pointer_token

CANARY = "oai-canary-file"


def payloads(canary: Path) -> list[str]:
    touch = f"__import__('pathlib').Path({str(canary)!r}).touch()"
    return [
        f'"""\n{touch}\n"""',
        f"'''\n{touch}\n'''",
        f"{{{touch}}}",
        f'"; {touch}; "',
        f'\\\\"; {touch} #',
        f"\n{touch}\n#",
        f"x\x00y\x1b{touch}",
        f"\u2028{touch}\u2029",
        f"\\N{{{touch}}}",
        f"{touch}\\",
    ]


HOSTILE_NAMES = [
    "class",
    "def",
    "None",
    "True",
    "__init__",
    "__class__",
    "2fa",
    "",
    " ",
    "größe",
    "日本語",
    "a-b.c/d",
    "self",
    "timeout",
    "extra_headers",
    "str",
    "cast",
    "List",
    "Stream",
    "NOT_GIVEN",
    "with_raw_response",
    "_client",
    "import",
    "$ref",
    "x-y",
    "a" * 200,
]


def _spec(name: str, other: str, text: str, value: str) -> dict[str, Any]:
    """A small spec that puts hostile ``name``s and ``text``s everywhere a spec lets them in."""
    schema_name = name or "Empty"
    return {
        "openapi": "3.1.0",
        "info": {"title": text, "version": text, "description": text},
        "servers": [{"url": f"http://127.0.0.1:9/{text}"}],
        "components": {
            "securitySchemes": {name or "k": {"type": "apiKey", "in": "header", "name": text or "X-Key"}},
            "schemas": {
                schema_name: {
                    "type": "object",
                    "description": text,
                    "required": [name] if name else [],
                    "properties": {
                        name or "p": {"type": "string", "description": text, "enum": [value, text]},
                        other or "q": {"$ref": "#/components/schemas/" + escape_pointer_token(schema_name)},
                        text or "r": {"type": "integer", "default": 3},
                    },
                },
            },
        },
        "security": [{name or "k": []}],
        "paths": {
            f"/{name}/{{{other}}}/{text}": {
                "post": {
                    "operationId": name,
                    "summary": text,
                    "description": text,
                    "tags": [text],
                    "parameters": [
                        {"name": other, "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": name, "in": "query", "description": text, "schema": {"enum": [value]}},
                        {"name": text, "in": "header", "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/" + escape_pointer_token(schema_name)}
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": text,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/" + escape_pointer_token(schema_name)}
                                },
                                "text/event-stream": {"schema": {"type": "object", "properties": {text: {}}}},
                            },
                        }
                    },
                }
            },
            "/{" + text + "}": {"get": {"responses": {"204": {"description": text}}}},
        },
    }


CALL_SCRIPT = """
import importlib, json, sys, httpx
package = importlib.import_module(sys.argv[1])
client_name = next(n for n in importlib.import_module(sys.argv[1] + "._client").__all__ if not n.startswith("Async"))
def handler(request):
    return httpx.Response(200, json={})
client = getattr(package, client_name)(api_key="key", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
called = 0
for attr, value in vars(type(client)).items():
    if type(value).__name__ != "cached_property":
        continue
    resource = getattr(client, attr)
    for name in dir(type(resource)):
        method = getattr(resource, name)
        if name.startswith("_") or not callable(method) or name.startswith("with_"):
            continue
        try:
            method("x") if method.__code__.co_argcount > 1 else method()
        except Exception as exc:  # wrong arguments, a server reply that does not fit: fine, nothing ran
            print(type(exc).__name__, file=sys.stderr)
        called += 1
print(json.dumps({"called": called}))
"""


def check_spec(spec: dict[str, Any], work: Path) -> str:
    """Generate ``spec`` config-less in ``work`` and check the result; returns "error" or "ok"."""
    from generator.pipeline import generate
    from generator.writer import RUFF_CONFIG

    canary = work / CANARY
    spec_path = work / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    out = work / "out"
    try:
        generate(spec_path, None, out, package="hostile", quiet=True, use_cache=False)
    except (SpecError, SpecErrors) as exc:
        assert "#" in str(exc), f"an error must name the JSON pointer: {exc}"
        assert not canary.exists()
        return "error"
    except GeneratorError as exc:
        raise AssertionError(f"a spec problem must be reported with its JSON pointer, got: {exc}") from exc
    for path in out.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)
    config = work / "ruff.toml"
    config.write_text(RUFF_CONFIG, encoding="utf-8")
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(config), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout[-3000:]
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CALL_SCRIPT), "hostile"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not canary.exists(), "text from the spec ran as code"
    return "ok"


def test_known_attacks(tmp_path: Path) -> None:
    """The attacks seen against the old generator, every payload in every place, merged into one spec."""
    texts = payloads(tmp_path / CANARY)
    merged = _spec("class", "id", texts[0], texts[1])
    for index, text in enumerate(texts):
        part = _spec(f"class{index}", f"id{{{text}}}", text, texts[-1 - index])
        merged["paths"].update(part["paths"])
        merged["components"]["schemas"].update(part["components"]["schemas"])
    merged["paths"] = {path: item for path, item in merged["paths"].items() if not path.startswith("/{")}
    merged["paths"]["/{" + texts[2] + "}"] = {"get": {"responses": {"204": {"description": texts[3]}}}}
    assert check_spec(merged, tmp_path) == "ok"


@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_hostile_specs(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    work = tmp_path_factory.mktemp("hostile")
    texts = payloads(work / CANARY)
    name = data.draw(st.sampled_from(HOSTILE_NAMES) | st.text(max_size=12), label="name")
    other = data.draw(st.sampled_from(HOSTILE_NAMES) | st.text(max_size=12), label="other")
    text = data.draw(st.sampled_from(texts) | st.text(max_size=40), label="text")
    value = data.draw(st.sampled_from(texts + HOSTILE_NAMES) | st.text(max_size=12), label="value")
    check_spec(_spec(name, other, text, value), work)


def test_ref_cycle_and_deep_nesting(tmp_path: Path) -> None:
    """A ``$ref`` cycle of aliases and 300-deep nesting: generated, or refused with a pointer."""
    spec = _spec("thing", "id", "t", "v")
    schemas = spec["components"]["schemas"]
    schemas["A"] = {"$ref": "#/components/schemas/B"}
    schemas["B"] = {"$ref": "#/components/schemas/A"}
    deep: dict[str, Any] = {"type": "integer"}
    for _ in range(300):
        deep = {"type": "array", "items": deep}
    schemas["thing"]["properties"]["a"] = {"$ref": "#/components/schemas/A"}
    schemas["thing"]["properties"]["deep"] = deep
    assert check_spec(spec, tmp_path) in ("ok", "error")
