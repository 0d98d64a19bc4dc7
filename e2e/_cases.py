# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""Contract cases for tier 3: one call per generated operation, built from the SDK's own spec.

The operations come from the generator's IR (``generator.parser.Parser`` over
``spec/openapi.yaml`` + ``spec/sdk.yaml``), so the cases grow with the
selection. The argument values come from the JSON schemas of the spec:

* ``required`` case: only required parameters, and inside objects only
  required properties;
* ``optional`` case: also every optional, non-deprecated top-level parameter
  (nested objects still carry only what they require), streaming switched off;
* ``stream`` case (operations that can stream): the required case with the
  stream switch on.

Values respect ``const``, ``enum`` (first value), ``type`` (first non-null),
``oneOf``/``anyOf`` (first variant that is not null), ``allOf`` (merged),
string ``format``\\s, length and numeric bounds, ``minItems``/``maxItems``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SDK_SPEC = REPO / "spec" / "openapi.yaml"
SDK_CONFIG = REPO / "spec" / "sdk.yaml"

_MAX_DEPTH = 8


class ExampleBuilder:
    """Example JSON values for schemas of one OpenAPI document."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def resolve(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 50:
            ref: str = schema["$ref"]
            node: Any = self.doc
            for part in ref.removeprefix("#/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            # Keep sibling keywords next to the $ref (3.1 allows them), the referenced ones win.
            extra = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**extra, **node} if extra else node
            seen += 1
        return schema

    def merged(self, schema: Any) -> dict[str, Any]:
        """``schema`` with ``$ref`` resolved and ``allOf`` folded into one object schema."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return {}
        if "allOf" not in schema:
            return schema
        out: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        props: dict[str, Any] = dict(out.get("properties") or {})
        required: list[str] = list(out.get("required") or [])
        for part in schema["allOf"]:
            part = self.merged(part)
            props.update(part.get("properties") or {})
            required += [r for r in part.get("required") or [] if r not in required]
            for key, value in part.items():
                if key not in ("properties", "required") and key not in out:
                    out[key] = value
        if props:
            out["properties"] = props
            out.setdefault("type", "object")
        if required:
            out["required"] = required
        return out

    def _first_variant(self, variants: list[Any]) -> Any:
        for variant in variants:
            resolved = self.resolve(variant)
            if isinstance(resolved, dict) and resolved.get("type") == "null":
                continue
            return variant
        return variants[0]

    def example(self, schema: Any, name: str = "", depth: int = 0, *, optional: bool = False) -> Any:
        """A value valid against ``schema``; ``optional`` also fills the optional properties at this level."""
        schema = self.merged(schema)
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return "example"
        if "const" in schema:
            return copy.deepcopy(schema["const"])
        if schema.get("enum"):
            values = [v for v in schema["enum"] if v is not None]
            return copy.deepcopy(values[0] if values else None)
        for key in ("oneOf", "anyOf"):
            if schema.get(key):
                variant = self.merged(self._first_variant(schema[key]))
                # Keep the outer object's properties when the variants only add constraints.
                if schema.get("properties") and isinstance(variant, dict):
                    variant = self.merged({"allOf": [{k: v for k, v in schema.items() if k != key}, variant]})
                return self.example(variant, name, depth + 1, optional=optional)
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            kind = kinds[0] if kinds else "null"
        if kind is None:
            if "properties" in schema or "additionalProperties" in schema:
                kind = "object"
            elif "items" in schema:
                kind = "array"
            else:
                kind = "string"
        if kind == "object":
            return self._object(schema, depth, optional)
        if kind == "array":
            count = max(1, int(schema.get("minItems", 1)))
            if "maxItems" in schema:
                count = min(count, int(schema["maxItems"]))
            item = schema.get("items", {})
            return [self.example(item, name, depth + 1) for _ in range(count)]
        if kind == "string":
            return self._string(schema, name)
        if kind == "integer":
            return int(self._number(schema, 1))
        if kind == "number":
            return float(self._number(schema, 0.5))
        if kind == "boolean":
            return False
        return None

    def _object(self, schema: dict[str, Any], depth: int, optional: bool) -> dict[str, Any]:
        props: dict[str, Any] = schema.get("properties") or {}
        required: list[str] = list(schema.get("required") or [])
        out: dict[str, Any] = {}
        for key in props if optional else required:
            prop = props.get(key, {})
            resolved = self.resolve(prop)
            if optional and key not in required and isinstance(resolved, dict) and resolved.get("deprecated"):
                continue
            out[key] = self.example(prop, key, depth + 1)
        for key in required:  # required but not described: any string
            out.setdefault(key, "example")
        return out

    @staticmethod
    def _number(schema: dict[str, Any], default: float) -> float:
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        value = default
        if isinstance(low, (int, float)) and not isinstance(low, bool):
            value = max(value, low + (1 if "exclusiveMinimum" in schema and "minimum" not in schema else 0))
        if isinstance(high, (int, float)) and not isinstance(high, bool):
            value = min(value, high - (1 if "exclusiveMaximum" in schema and "maximum" not in schema else 0))
        return value

    @staticmethod
    def _string(schema: dict[str, Any], name: str) -> str:
        fmt = schema.get("format")
        value = {
            "date-time": "2026-01-01T00:00:00Z",
            "date": "2026-01-01",
            "time": "12:00:00",
            "uri": "https://example.com/x",
            "url": "https://example.com/x",
            "email": "dev@example.com",
            "uuid": "00000000-0000-4000-8000-000000000000",
            "byte": "ZXhhbXBsZQ==",
            "binary": "example",
        }.get(str(fmt), "")
        if not value:
            value = {"model": "gpt-4o-mini", "role": "user"}.get(name, f"example-{name}" if name else "example")
        low, high = schema.get("minLength"), schema.get("maxLength")
        if isinstance(low, int) and len(value) < low:
            value = value + "x" * (low - len(value))
        if isinstance(high, int) and len(value) > high:
            value = value[:high] if high > 0 else ""
        return value


@dataclass(frozen=True)
class Case:
    id: str  # "chat.completions.create[optional]"
    resource: tuple[str, ...]  # attribute chain on the client
    method: str
    http_method: str
    path: str
    kwargs: dict[str, Any]
    stream: bool
    binary_response: bool
    declares_sse: bool  # the spec lists a text/event-stream answer (else a mock answers a stream request with JSON)
    query: dict[str, Any]  # wire name -> value of the query parameters in kwargs (and fixed ones from the path)


def _file_value(name: str) -> tuple[str, bytes, str]:
    return (f"{name or 'file'}.jsonl", b'{"example": true}\n', "application/jsonl")


def build_cases() -> tuple[list[Case], int]:
    """Every contract case for the current selection, and the number of operations they cover."""
    from generator.config import stream_unions
    from generator.loader import load_inputs
    from generator.naming import pascal
    from generator.parser import Parser
    from generator.preprocess import add_properties, name_inline_schemas, preprocess

    loaded = load_inputs(SDK_SPEC, SDK_CONFIG)
    raw = loaded.spec
    # The same spec preparation as `generate` (generator/pipeline.py): sdk.yaml's stream unions, added
    # properties and named inline schemas join the components before the parser runs.
    prepared = copy.deepcopy(raw)
    unions = stream_unions(loaded.config)
    if unions:
        prepared["components"]["schemas"].update(unions)
    prepared = add_properties(prepared, loaded.config.added_properties, loaded.config.source)
    prepared = name_inline_schemas(prepared, loaded.config.inline_models, loaded.config.source)
    doc = preprocess(prepared, loaded.config.model_renames)
    schemas = doc.get("components", {}).get("schemas", {})
    # Type names only matter for rendering; every schema name (spec and Python spelling) is accepted.
    names = set(schemas) | {pascal(n) for n in schemas} | set(loaded.config.model_renames.values())
    sdk = Parser(doc, loaded.config, loaded.spec_name, names).parse()
    builder = ExampleBuilder(raw)
    by_id = _operations_by_id(raw)

    cases: list[Case] = []
    operations = 0
    for resource in sdk.all_resources():
        for op in resource.operations:
            operations += 1
            path, _method, spec_op = by_id[op.operation_id]
            body_schema = _body_schema(builder, spec_op, op.body_kind)
            param_schemas = _param_schemas(builder, raw["paths"][path], spec_op)
            body_props = builder.merged(body_schema).get("properties", {}) if body_schema else {}

            def value_for(
                param: Any, optional: bool, body_props: dict[str, Any] = body_props, param_schemas: Any = param_schemas
            ) -> Any:
                if param.is_file:
                    return _file_value(param.wire_name)
                if param.location == "body":
                    schema = body_props.get(param.wire_name, {})
                else:
                    schema = param_schemas.get((param.location, param.wire_name), {"type": "string"})
                if param.location == "path":
                    return "example-" + param.wire_name.replace("_", "-")
                return builder.example(schema, param.wire_name, optional=optional)

            stream_param = op.stream.param.name if op.stream is not None and op.stream.param is not None else None
            always_streams = op.stream is not None and op.stream.param is None
            required = {p.name: value_for(p, False) for p in op.params if p.required}
            body_required = bool((builder.resolve(spec_op.get("requestBody")) or {}).get("required"))
            if body_required and not any(p.required and p.location == "body" for p in op.params):
                # A body is required but none of its fields is (e.g. `file` or `file_id`): send one, a file first.
                candidates = sorted(
                    (p for p in op.params if p.location == "body" and p.name != stream_param),
                    key=lambda p: not p.is_file,
                )
                if candidates:
                    required[candidates[0].name] = value_for(candidates[0], False)
            optional = dict(required)
            for p in op.params:
                if not p.required and not p.deprecated and p.location != "header" and p.name != stream_param:
                    optional[p.name] = value_for(p, True)
            binary = op.response.expr == "httpx.Response"
            declares_sse = any(
                "text/event-stream" in ((builder.resolve(r) or {}).get("content") or {})
                for code, r in (spec_op.get("responses") or {}).items()
                if str(code).startswith("2")
            )
            base = {
                "resource": resource.path,
                "method": op.name,
                "http_method": op.http_method,
                "path": op.path,
                "binary_response": binary,
                "declares_sse": declares_sse,
            }
            query_names = {p.name: p.wire_name for p in op.params if p.location == "query"}
            fixed = dict(getattr(op, "fixed_query", ()) or ())

            def query_of(kwargs: dict[str, Any], names: dict[str, str] = query_names, fixed: Any = fixed) -> Any:
                return {**fixed, **{names[k]: v for k, v in kwargs.items() if k in names and v is not None}}

            label = ".".join((*resource.path, op.name))
            cases.append(
                Case(
                    id=f"{label}[required]",
                    kwargs=required,
                    stream=always_streams,
                    query=query_of(required),
                    **base,
                )
            )
            cases.append(
                Case(
                    id=f"{label}[optional]",
                    kwargs=optional,
                    stream=always_streams,
                    query=query_of(optional),
                    **base,
                )
            )
            if stream_param is not None:
                streaming = {**required, stream_param: getattr(op.stream, "value", True)}
                cases.append(
                    Case(id=f"{label}[stream]", kwargs=streaming, stream=True, query=query_of(streaming), **base)
                )
    return cases, operations


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _operations_by_id(doc: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    out: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, item in (doc.get("paths") or {}).items():
        for method in _METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if isinstance(op, dict) and "operationId" in op:
                out[op["operationId"]] = (path, method, op)
    return out


def _body_schema(builder: ExampleBuilder, op: dict[str, Any], kind: str | None = None) -> Any:
    """The request body schema of the media type the SDK sends (``kind``: "json" or "multipart")."""
    body = builder.resolve(op.get("requestBody"))
    if not isinstance(body, dict):
        return None
    content = body.get("content") or {}
    order = ("multipart/form-data", "application/json") if kind == "multipart" else ("application/json",)
    for media_type in (*order, "multipart/form-data"):
        if media_type in content:
            return (content[media_type] or {}).get("schema")
    for media_type, media in content.items():
        if media_type.endswith("+json"):
            return (media or {}).get("schema")
    return None


def _param_schemas(
    builder: ExampleBuilder, path_item: dict[str, Any], op: dict[str, Any]
) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    for raw in [*(path_item.get("parameters") or []), *(op.get("parameters") or [])]:
        param = builder.resolve(raw)
        if isinstance(param, dict) and "in" in param and "name" in param:
            out[(param["in"], param["name"])] = param.get("schema", {"type": "string"})
    return out


@dataclass(frozen=True)
class RawRequest:
    """A request built straight from a spec operation, without the SDK (checks the example builder itself)."""

    operation_id: str
    method: str
    path: str
    query: list[tuple[str, str]]
    json: Any = None
    form: list[tuple[str, str]] | None = None
    files: dict[str, Any] | None = None


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def bracket_items(name: str, value: Any) -> list[tuple[str, str]]:
    """``value`` as query/form items in the official SDK's wire format: ``a[]=1``, ``o[k]=v``.

    A parameter whose spec name already ends in ``[]`` (the audit-log filters) is sent under that name.
    """
    if isinstance(value, dict):
        return [item for key, sub in value.items() for item in bracket_items(f"{name}[{key}]", sub)]
    if isinstance(value, list):
        key = name if name.endswith("[]") else f"{name}[]"
        return [(key, json.dumps(v) if isinstance(v, (dict, list)) else _scalar(v)) for v in value]
    return [(name, _scalar(value))]


def expected_query_keys(name: str, value: Any) -> set[str]:
    """The query keys the official SDK sends for parameter ``name`` set to ``value``."""
    return {key for key, _ in bracket_items(name, value)}


def reference_requests(doc: dict[str, Any], *, optional: bool = False) -> list[RawRequest]:
    """One request per operation of ``doc`` (e.g. the official spec), with its required values."""
    builder = ExampleBuilder(doc)
    out: list[RawRequest] = []
    for op_id, (path, method, op) in sorted(_operations_by_id(doc).items()):
        params = _param_schemas(builder, doc["paths"][path], op)
        required = {
            (builder.resolve(p).get("in"), builder.resolve(p).get("name"))
            for p in [*(doc["paths"][path].get("parameters") or []), *(op.get("parameters") or [])]
            if builder.resolve(p).get("required")
        }
        url = path.split("?", 1)[0]
        query: list[tuple[str, str]] = []
        for (where, name), schema in params.items():
            if where == "path":
                url = url.replace("{" + name + "}", "example-" + name.replace("_", "-"))
            elif where == "query" and ((where, name) in required or optional):
                query.extend(bracket_items(name, builder.example(schema, name)))
        body = builder.resolve(op.get("requestBody"))
        content = (body or {}).get("content") or {}
        request = RawRequest(op_id, method.upper(), url, query)
        if "application/json" in content:
            schema = content["application/json"].get("schema")
            value = builder.example(schema, optional=optional)
            if (body or {}).get("required") or value:
                request = RawRequest(op_id, method.upper(), url, query, json=value)
        elif "multipart/form-data" in content:
            merged = builder.merged(content["multipart/form-data"].get("schema"))
            form: list[tuple[str, str]] = []
            files: dict[str, Any] = {}
            for name in merged.get("required") or []:
                prop = builder.merged((merged.get("properties") or {}).get(name, {}))
                if prop.get("format") == "binary" or prop.get("contentMediaType"):
                    files[name] = _file_value(name)
                else:
                    form.extend(bracket_items(name, builder.example(prop, name)))
            request = RawRequest(op_id, method.upper(), url, query, form=form, files=files or None)
        out.append(request)
    return out
