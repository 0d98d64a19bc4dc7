# pyright: standard
# (spec fragments as untyped dict literals; the rest of tests/ is checked strictly)
"""Config-less generation (issue 14): any OpenAPI 3.0/3.1 spec, no sdk.yaml, a package that works.

Two small hand-written specs hold the edge cases: ``specs/edges.yaml`` (names, responses,
bodies, cycles, a 5,000-value enum, a ``$ref`` under an ``x-`` key, operations without
operationId, with only a 101 or 302 response) and ``specs/streams.json`` (JSON read with the
JSON loader: an escaped emoji in the title; a stream switched by ``stream``, a stream-only
operation whose schema describes the SSE fields, one with no schema; query-parameter auth).
Each is generated once; the generated package is then used in a subprocess through an
``httpx.MockTransport`` that records what goes on the wire.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.infer import base_url, infer_auth, infer_config, title_words
from generator.naming import package_name

SPECS = Path(__file__).resolve().parent / "specs"


def _generate(spec: Path, out: Path, package: str | None = None) -> Path:
    from generator.pipeline import generate

    generate(spec, None, out, package=package, quiet=True)
    return out


def _run(code: str, cwd: Path) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("edges")
    spec: dict[str, Any] = yaml.safe_load((SPECS / "edges.yaml").read_text(encoding="utf-8"))
    spec["components"]["schemas"]["Color"]["properties"]["name"]["enum"] = [f"c{i}" for i in range(5000)]
    nested: dict[str, Any] = {"type": "string"}
    for depth in range(60):  # 60 inline objects deep
        nested = {"type": "object", "properties": {f"level{depth}": nested}}
    spec["components"]["schemas"]["Deep"] = nested
    spec["components"]["schemas"]["Info"]["properties"]["deep"] = {"$ref": "#/components/schemas/Deep"}
    (work / "edges.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return _generate(work / "edges.yaml", work / "out")


@pytest.fixture(scope="module")
def streams(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(SPECS / "streams.json", tmp_path_factory.mktemp("streams") / "out", package="chat_sdk")


def test_inferred_config() -> None:
    spec = yaml.safe_load((SPECS / "edges.yaml").read_text(encoding="utf-8"))
    config = infer_config(spec, "edges.yaml")
    assert (config.package, config.client.sync_class, config.client.async_class) == (
        "edge_cases",
        "EdgeCases",
        "AsyncEdgeCases",
    )
    assert config.client.api_key_env == "EDGE_CASES_API_KEY"
    assert config.client.default_base_url == "https://eu.edge.test/api/v2"
    assert config.client.auth.kind == "basic" and config.stream_terminator is None
    assert title_words("Swagger Petstore - OpenAPI 3.0") == ["Petstore"]
    assert [package_name(t) for t in ("JSON", "Types", "2fa", "")] == ["json_api", "types_api", "api_2fa", "api"]
    assert base_url({"servers": [{"url": "/api/v3"}]}) == "http://localhost/api/v3"
    assert base_url({}) == "http://localhost"


@pytest.mark.parametrize(
    ("schemes", "security", "expected"),
    [
        ({"b": {"type": "http", "scheme": "bearer"}}, [{"b": []}], ("bearer", None, True)),
        ({"o": {"type": "oauth2", "flows": {}}}, [{"o": ["read"]}], ("bearer", None, True)),
        ({"k": {"type": "apiKey", "in": "header", "name": "X-Key"}}, [{"k": []}], ("header", "X-Key", True)),
        ({"k": {"type": "apiKey", "in": "query", "name": "key"}}, [{}, {"k": []}], ("query", "key", False)),
        ({"c": {"type": "apiKey", "in": "cookie", "name": "s"}}, [{"c": []}], ("none", None, False)),
        ({}, None, ("none", None, False)),
    ],
)
def test_auth_from_security_schemes(schemes: dict[str, Any], security: Any, expected: tuple[Any, ...]) -> None:
    spec: dict[str, Any] = {"openapi": "3.1.0", "paths": {}, "components": {"securitySchemes": schemes}}
    if security is not None:
        spec["security"] = security
    auth = infer_auth(spec)
    assert (auth.kind, auth.name, auth.required) == expected


EDGES_SCRIPT = """
import json, httpx
import edge_cases
from edge_cases.types import Node, Color

seen = []

def handler(request):
    seen.append({
        "method": request.method, "url": str(request.url), "auth": request.headers.get("authorization"),
        "class": request.headers.get("class"), "type": request.headers.get("content-type", ""),
        "body": request.content.decode("utf-8", "replace"),
    })
    path = request.url.path
    if path == "/api/v2/pets" and request.method == "GET":
        return httpx.Response(200, json=[{"name": "rex", "class": "dog", "2nd": "x", "x-rate": 1.5}])
    if path == "/api/v2/pets/1" and request.method == "PUT":
        return httpx.Response(200, json={"a": 1})
    if path == "/api/v2/pets/1" and request.method == "DELETE":
        return httpx.Response(204)
    if path == "/api/v2/pets/1/photo":
        return httpx.Response(200, text="nice photo", headers={"content-type": "text/plain"})
    if path == "/api/v2/trees":
        return httpx.Response(200, json={"name": "a", "children": [{"name": "b", "children": []}]})
    if path == "/api/v2/":
        return httpx.Response(200, json="ok")
    if path == "/api/v2/copy":
        return httpx.Response(200, json=7)
    return httpx.Response(204)

client = edge_cases.EdgeCases(api_key="user:pass", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
out = {}
pets = client.pets.list(pet_id="a", pet_id_query="b", from_="c", class_=3, param_2fa=True, timeout_=1.5, grosse="g")
out["pets"] = [[p.name, p.class_, p.self, p.x_rate, p.field_2nd] for p in pets]
out["list"] = seen[-1]
client.pets.create(body=[{"name": "a"}, {"name": "b"}])
out["create"] = seen[-1]["body"]
out["update"] = client.pets.update(1, name="n", body_name="rex", class_="cat")
out["update_call"] = seen[-1]
out["delete"] = client.pets.delete(1)
photo = client.pets.photo(1, file=("a.png", b"PNG", "image/png"), caption="hi")
out["photo"] = [photo.text, "multipart/form-data" in seen[-1]["type"], "PNG" in seen[-1]["body"]]
client.pets.notes(1, text="hello & bye")
out["notes"] = [seen[-1]["type"], seen[-1]["body"]]
client.pets.blob(1, body=b"raw-bytes")
out["blob"] = [seen[-1]["type"], seen[-1]["body"]]
client.pets.story(1, body="once upon a time")
out["story"] = [seen[-1]["type"], seen[-1]["body"]]

import asyncio

async def run_async():
    aclient = edge_cases.AsyncEdgeCases(
        api_key="user:pass", http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
    )
    await aclient.pets.notes(2, text="async")
    await aclient.pets.blob(2, body=b"async-bytes")
    return [[r["type"], r["body"]] for r in seen[-2:]]

out["async"] = asyncio.run(run_async())
out["tree"] = client.trees.list().children[0].name
out["root"] = client.health.list()
out["copy"] = client.copy_.create()
out["socket"] = callable(client.socket.list)
attrs = vars(type(client))
out["resources"] = sorted(n for n, v in attrs.items() if type(v).__name__ == "cached_property")
out["classes"] = [type(client.query).__name__, type(client.info).__name__, type(client.pets).__name__]
out["color"] = Color.model_validate({"name": "c4999"}).name
node = Node.model_validate({"name": "a", "parent": {"to": {"name": "b"}}})
out["node"] = node.parent.to.name
print(json.dumps(out))
"""


def test_edge_cases_generate_import_and_call(edges: Path) -> None:
    out = _run(EDGES_SCRIPT, edges)
    assert out["pets"] == [["rex", "dog", None, 1.5, "x"]]
    call = out["list"]
    assert call["url"].startswith("https://eu.edge.test/api/v2/pets?")
    for wire in ("petId=a", "pet_id=b", "from=c", "2fa=true", "timeout=1.5", "gr%C3%B6%C3%9Fe=g"):
        assert wire in call["url"], (wire, call["url"])
    assert call["class"] == "3"
    assert call["auth"] == "Basic dXNlcjpwYXNz"  # base64 of user:pass
    assert json.loads(out["create"]) == [{"name": "a"}, {"name": "b"}], "an array body is sent whole"
    assert out["update"] == {"a": 1}
    assert json.loads(out["update_call"]["body"]) == {"name": "rex", "class": "cat"}
    assert "name=n" in out["update_call"]["url"]
    assert out["delete"] is None
    assert out["photo"] == ["nice photo", True, True]
    assert out["notes"] == ["application/x-www-form-urlencoded", "text=hello+%26+bye"]  # a urlencoded form
    assert out["blob"] == ["application/octet-stream", "raw-bytes"]  # a raw body, sent as it is
    assert out["story"] == ["text/plain", "once upon a time"]
    assert out["async"] == [
        ["application/x-www-form-urlencoded", "text=async"],
        ["application/octet-stream", "async-bytes"],
    ]
    assert out["tree"] == "b" and out["node"] == "b"
    assert out["root"] == "ok" and out["copy"] == 7 and out["socket"] is True
    assert set(out["resources"]) >= {"copy_", "health", "info", "pets", "query", "socket", "trees"}
    assert out["classes"] == ["QueryResource", "InfoResource", "PetsResource"], "resources never shadow models"
    assert out["color"] == "c4999"


STREAMS_SCRIPT = """
import json, httpx
import chat_sdk

seen = []

def sse(*events):
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content="".join(events).encode())

def handler(request):
    seen.append(str(request.url))
    if request.url.path == "/v1/chat":
        body = json.loads(request.content)
        if body.get("stream"):
            return sse('data: {"text": "he", "index": 0}\\n\\n', 'data: {"text": "llo", "index": 1}\\n\\n')
        return httpx.Response(200, json={"text": "hello"})
    if request.url.path == "/v1/events":
        return sse(
            'event: delta\\ndata: {"text": "a"}\\n\\n', ': keep-alive\\n\\n', 'event: delta\\ndata: {"text": "b"}\\n\\n'
        )
    if request.url.path == "/v1/fern":
        return sse('data: {"text": "f"}\\n\\n', 'data: [END]\\n\\n', 'data: {"text": "after the end"}\\n\\n')
    return sse('data: {"any": 1}\\n\\n', 'data: [DONE]\\n\\n')

http = httpx.Client(transport=httpx.MockTransport(handler))
client = chat_sdk.StreamingChat(api_key="k-123456789012", http_client=http)
out = {}
out["reply"] = client.chat.create(prompt="hi").text
out["chunks"] = [c.text for c in client.chat.create(prompt="hi", stream=True)]
out["events"] = [c.text for c in client.events.list(topic="t")]
out["raw"] = list(client.raw.list())
out["fern"] = [c.text for c in client.fern.create(prompt="p", stream=True)]
out["key_in_query"] = all("key=k-123456789012" in url for url in seen)
out["client"] = repr(client)
print(json.dumps(out))
"""


def test_streams_json_spec(streams: Path) -> None:
    assert (streams / "pyproject.toml").exists() and (streams / "chat_sdk" / "_core" / "__init__.py").exists()
    out = _run(STREAMS_SCRIPT, streams)
    assert out["reply"] == "hello"
    assert out["chunks"] == ["he", "llo"]
    assert out["events"] == ["a", "b"], "an event schema of SSE fields stands for its data"
    assert out["raw"] == [{"any": 1}], "a [DONE] the spec does not declare still ends the stream"
    assert out["fern"] == ["f"], "x-fern-streaming: a stream ended by the terminator the spec names"
    assert out["key_in_query"] is True
    assert "k-123456789012" not in out["client"]


def test_regenerating_changes_nothing_and_removes_stale_files(streams: Path) -> None:
    stale = streams / "chat_sdk" / "resources" / "gone.py"
    from generator.writer import HEADER_PREFIX

    stale.write_text(f"{HEADER_PREFIX} earlier run\n", encoding="utf-8")
    from generator.pipeline import generate

    result = generate(SPECS / "streams.json", None, streams, package="chat_sdk", quiet=True)
    assert result.written == [] and result.removed == [stale]
