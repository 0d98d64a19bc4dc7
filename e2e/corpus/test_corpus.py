"""Each corpus spec end to end: generate config-less, ``pip install`` into a fresh venv, import,
call one operation (and one stream, where the spec has one) through a local server."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from generator.ir import Operation, Param, Sdk
from generator.loader import load_inputs
from generator.preprocess import prepare_spec
from tests._servers import serve

from .mock import SpecServer
from .sources import CORPUS, CorpusSpec, spec_path


def _value(param: Param) -> object:
    """An argument of the parameter's Python type (the types the generator prints)."""
    expr = param.type.expr.split(" | ")[0]
    if expr.startswith("Literal["):
        return ast.literal_eval(f"[{expr[len('Literal[') : -1]}]")[0]
    scalars: dict[str, object] = {"int": 1, "float": 1.5, "bool": True, "str": "1"}
    return scalars.get(expr, "1" if param.location == "path" else {})


def _call(sdk: Sdk, op: Operation, path: tuple[str, ...], stream: bool) -> dict[str, Any]:
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    positional = op.path_params[-1:]
    for param in op.params:
        if param in positional:
            args.append(_value(param))
        elif param.required or (stream and op.stream and param is op.stream.param):
            kwargs[param.name] = True if (stream and op.stream and param is op.stream.param) else _value(param)
    return {"attrs": list(path), "method": op.name, "args": args, "kwargs": kwargs, "stream": stream}


def _pick(sdk: Sdk) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The first operation with a JSON model result and the fewest required arguments, and the first
    streaming operation (doc order)."""
    plain: list[tuple[int, dict[str, Any]]] = []
    stream = None
    for resource in sdk.all_resources():
        for op in resource.operations:
            if op.stream is not None and stream is None and not any(p.is_file for p in op.params if p.required):
                stream = _call(sdk, op, resource.path, True)
            if op.stream is None and op.page is None and op.response.names and not any(p.is_file for p in op.params):
                score = sum(1 for p in op.params if p.required and p.location != "path") * 10 + (
                    op.http_method != "get"
                )
                plain.append((score, _call(sdk, op, resource.path, False)))
    plain.sort(key=lambda item: item[0])
    return (plain[0][1] if plain else None), stream


CLIENT_SCRIPT = """
import importlib, json, sys
spec = json.loads(sys.argv[1])
package = importlib.import_module(spec["package"])
client_cls = getattr(package, spec["client"])
# The mock streams schema-generated events and never a terminal one (response.completed, [DONE]):
# require_terminal_event=False is the documented switch for such a server.
client = client_cls(
    api_key="corpus-key-0123456789", base_url=spec["base_url"], max_retries=0, timeout=30,
    require_terminal_event=False,
)
out = {"imported": True}
for call in spec["calls"]:
    target = client
    for attr in call["attrs"]:
        target = getattr(target, attr)
    method = getattr(target, call["method"])
    try:
        result = method(*call["args"], **call["kwargs"])
        if call["stream"]:
            chunks = [type(chunk).__name__ for chunk in result]
            out["stream"] = {"ok": bool(chunks), "chunks": chunks[:3]}
        else:
            out["call"] = {"ok": True, "type": type(result).__name__}
    except Exception as exc:
        out["stream" if call["stream"] else "call"] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
print(json.dumps(out))
"""


@pytest.mark.parametrize("entry", CORPUS, ids=[c.id for c in CORPUS])
def test_corpus_spec(
    entry: CorpusSpec, corpus_venv: Path, corpus_results: dict[str, dict[str, object]], tmp_path: Path
) -> None:
    from generator.pipeline import generate

    result: dict[str, object] = {"vendor": entry.vendor, "style": entry.style, "passed": False}
    corpus_results[entry.id] = result
    source = spec_path(entry)
    out = tmp_path / entry.id
    started = time.perf_counter()
    generated = generate(source, None, out, quiet=True, use_cache=False)
    result["generate_seconds"] = round(time.perf_counter() - started, 1)
    sdk = generated.sdk
    assert sdk is not None
    result["operations"] = sum(len(r.operations) for r in sdk.all_resources())
    result["generate"] = True

    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "-q", "--no-cache", "--select", "E9,F", str(out / sdk.package)],
        capture_output=True,
        text=True,
        check=False,
    )
    result["ruff"] = lint.returncode == 0
    assert lint.returncode == 0, lint.stdout[-2000:]

    install = subprocess.run(
        [str(corpus_venv), "-m", "pip", "install", "-q", "--no-build-isolation", "--no-deps", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    result["install"] = install.returncode == 0
    assert install.returncode == 0, install.stderr[-2000:]

    plain, stream = _pick(sdk)
    # The server reads the spec as the generator does (streams a vendor extension declares included).
    loaded = load_inputs(source, None)
    server_app = SpecServer(prepare_spec(loaded.spec, loaded.config))
    with serve(server_app) as server:
        spec = {
            "package": sdk.package,
            "client": sdk.sync_client,
            "base_url": server.url.removesuffix("/v1"),  # the spec's paths are absolute
            "calls": [c for c in (plain, stream) if c is not None],
        }
        run = subprocess.run(
            [str(corpus_venv), "-c", textwrap.dedent(CLIENT_SCRIPT), json.dumps(spec)],
            cwd=tmp_path,  # not the repository: only what pip installed can be imported
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    assert run.returncode == 0, run.stderr[-3000:]
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    result.update(imported=outcome.get("imported", False), call=outcome.get("call"), stream=outcome.get("stream"))
    result["requests"] = server_app.seen[:4]
    assert plain is not None and outcome["call"]["ok"], outcome.get("call")
    has_sse = any(op.stream for r in sdk.all_resources() for op in r.operations)
    if has_sse:
        assert stream is not None and outcome["stream"]["ok"], outcome.get("stream")
    result["passed"] = True
