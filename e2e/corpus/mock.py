"""A local server that answers any operation of a spec with a value of its response schema.

Requests are matched to operations by method and path template; the answer is the first 2xx
response: a JSON value built from its schema (required properties, first enum value or union
member, the spec's own ``example`` where one is given), or, when the client asks for
``text/event-stream`` and the operation offers it, two events of such values. Anything that
matches no operation gets a 404, so a client that builds a wrong URL fails the test.
"""

# pyright: standard
# (walks an untyped JSON/YAML document: strict mode would need a cast at every dict access)

from __future__ import annotations

import json
import re
from typing import Any

from generator.preprocess import TERMINATOR_KEY
from tests._servers import Reply, Request

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for token in ref.lstrip("#").split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node.get(token) if isinstance(node, dict) else None
    return node


def example(doc: dict[str, Any], schema: Any, depth: int = 0, seen: frozenset[str] = frozenset()) -> Any:
    if not isinstance(schema, dict) or depth > 10:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return None if ref in seen else example(doc, _resolve(doc, ref), depth + 1, seen | {ref})
    if "example" in schema and not isinstance(schema["example"], dict | list):
        return schema["example"]
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    if isinstance(schema.get("allOf"), list):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = example(doc, part, depth + 1, seen)
            if isinstance(value, dict):
                merged.update(value)
        own = {k: v for k, v in schema.items() if k != "allOf"}
        value = example(doc, own, depth + 1, seen) if own.get("properties") else None
        return {**merged, **(value if isinstance(value, dict) else {})}
    for key in ("oneOf", "anyOf"):
        variants = [v for v in schema.get(key) or [] if isinstance(v, dict) and v.get("type") != "null"]
        if variants:
            return example(doc, variants[0], depth + 1, seen)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or (kind is None and "properties" in schema):
        props = schema.get("properties") or {}
        required = [n for n in schema.get("required") or [] if n in props]
        return {name: example(doc, props[name], depth + 1, seen) for name in required}
    if kind == "array":
        item = example(doc, schema.get("items"), depth + 1, seen)
        return [] if item is None else [item]
    if kind == "string":
        return {
            "date-time": "2024-01-02T03:04:05Z",
            "date": "2024-01-02",
            "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
        }.get(str(schema.get("format")), "x")
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return None


class SpecServer:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.operations: list[tuple[str, re.Pattern[str], dict[str, Any]]] = []
        self.seen: list[tuple[str, str]] = []
        for path, item in (doc.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            pattern = re.compile("^" + re.sub(r"\\\{[^{}]*\\\}", "[^/]+", re.escape(path.partition("?")[0])) + "/?$")
            for method in _METHODS:
                if isinstance(item.get(method), dict):
                    self.operations.append((method.upper(), pattern, item[method]))
        # Literal paths before templated ones (/pets/mine before /pets/{id}).
        self.operations.sort(key=lambda o: o[1].pattern.count("[^/]+"))

    def __call__(self, request: Request) -> Reply:
        path = request.path.partition("?")[0]
        self.seen.append((request.method, request.path))
        for method, pattern, op in self.operations:
            if method == request.method and pattern.match(path):
                return self._answer(op, "text/event-stream" in request.headers.get("accept", ""))
        return Reply(404, {"error": {"message": f"no operation for {request.method} {path}"}})

    def _answer(self, op: dict[str, Any], wants_stream: bool) -> Reply:
        responses = op.get("responses") or {}
        code = next((c for c in sorted(responses, key=str) if str(c).startswith("2")), None)
        response = responses.get(code) if code is not None else None
        if isinstance(response, dict) and "$ref" in response:
            response = _resolve(self.doc, response["$ref"])
        status = 200 if code is None or not str(code).isdigit() else int(code)
        content = (response or {}).get("content") or {}
        sse = next((m for t, m in content.items() if t.split(";")[0].strip() == "text/event-stream"), None)
        if sse is not None and (wants_stream or len(content) == 1):
            value = example(self.doc, (sse or {}).get("schema")) if isinstance(sse, dict) else {}
            data = json.dumps(value if value is not None else {})
            body = f"event: message\ndata: {data}\n\nevent: message\ndata: {data}\n\n"
            terminator = sse.get(TERMINATOR_KEY) if isinstance(sse, dict) else None
            if isinstance(terminator, str):  # the spec says the stream ends with it
                body += f"data: {terminator}\n\n"
            return Reply(status, body, {"content-type": "text/event-stream"})
        media = next((m for t, m in content.items() if "json" in t or t == "*/*"), None)
        if isinstance(media, dict):
            value = example(self.doc, media.get("schema"))
            return Reply(status, json.dumps(value).encode(), {"content-type": "application/json"})
        if content:
            return Reply(status, b"content", {"content-type": next(iter(content)).split(";")[0]})
        return Reply(204 if status == 200 else status, b"")
