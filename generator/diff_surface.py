"""The SDK surface of one spec, for ``python -m generator diff``: every method under its SDK name.

Names come from the generator itself. The operations sdk.yaml selects are run
through :class:`generator.parser.Parser` exactly as ``generate`` does, so they
get the names (overrides, ``resource_roots``, actions) the SDK has. Every other
operation of the spec is named by the same parser run over the whole spec, as
if sdk.yaml selected everything without an entry of its own. Where the parser
cannot name one without help (two operations on one name, a resource that
would shadow a client attribute), the operation is named in a second pass
after its operationId, and failing that by :func:`generator.parser.infer_names`
alone; such names are marked as provisional in the report.

The schemas to compare come from the preprocessed spec, so they are what the
generator sees: public model names (``model_renames``), inline responses named,
``allOf`` repairs applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .config import OperationConfig, SdkConfig
from .diff_schema import as_dict, as_list
from .errors import GeneratorError, SpecError, SpecErrors
from .ir import Operation, Sdk
from .naming import safe_identifier, snake
from .parser import RESERVED_CLIENT_ATTRS, Parser, infer_names
from .preprocess import name_inline_schemas, preprocess
from .specutil import flatten_object, iter_operations, json_media, resolve_ref, schema_name

NameSource = Literal["config", "parser", "provisional", "inferred"]

_LOCATIONS = ("path", "query", "header")
_Spec = tuple[Any, bool, bool]  # schema, required, deprecated
_PARSER_ROUNDS = 6
_STAND_IN = "_x"  # suffix of a stand-in resource root; never shown


@dataclass(frozen=True)
class ParamSurface:
    name: str  # Python keyword argument
    wire_name: str
    location: str  # path, query, header, body
    required: bool
    schema: Any
    deprecated: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.location, self.wire_name)


@dataclass(frozen=True)
class MethodSurface:
    label: str  # client.chat.completions.create
    operation_id: str
    http_method: str
    path: str
    selected: bool  # generated into the SDK (sdk.yaml selects it)
    name_source: NameSource
    params: tuple[ParamSurface, ...]
    body_kind: str | None
    returns: str  # ChatCompletion, SyncCursorPage[Model], httpx.Response, None
    response_schema: Any  # the 2xx JSON schema, or None
    stream_chunk: str | None  # component (model) name of one event
    stream_terminator: str | None = None
    deprecated: bool = False

    @property
    def endpoint(self) -> str:
        return f"{self.http_method.upper()} {self.path}"


@dataclass
class Surface:
    name: str
    doc: dict[str, Any]  # preprocessed
    methods: dict[str, MethodSurface] = field(default_factory=lambda: {})


def build_surface(spec: Any, config: SdkConfig, spec_name: str, *, selected_only: bool = False) -> Surface:
    mapping = as_dict(spec)
    if mapping is None or as_dict(mapping.get("paths")) is None:
        raise SpecError(spec_name, "", "expected an OpenAPI document with a `paths` mapping")
    try:
        # The page items sdk.yaml names (inline_models), as the generator sees them.
        named = name_inline_schemas(mapping, config.inline_models, config.source, missing_ok=True)
        doc = preprocess(named, config.model_renames)
    except KeyError as exc:
        raise SpecError(spec_name, "", f"dangling $ref {exc}") from None
    schemas: dict[str, Any] = doc["components"]["schemas"]
    model_names = set(schemas)
    for selection in config.operations:  # a configured chunk schema the spec lacks: compared as missing
        if selection.stream and selection.stream.chunk_schema:
            model_names.add(config.model_renames.get(selection.stream.chunk_schema, selection.stream.chunk_schema))
    surface = Surface(name=spec_name, doc=doc)

    sdk = Parser(doc, config, spec_name, model_names).parse()  # errors here are errors of sdk.yaml for this spec
    by_id = {s.operation_id: s.index for s in config.operations if s.operation_id is not None}
    by_endpoint = {(s.path, s.method): s.index for s in config.operations if s.operation_id is None}
    selected: dict[tuple[str, str], int] = {}  # (path, method) -> index of the sdk.yaml entry
    for resource_path, operation in _operations(sdk):
        key = (operation.path, operation.http_method)
        selected[key] = by_id.get(operation.operation_id, by_endpoint.get(key, -1))
        _add(surface, _from_ir(doc, operation, resource_path, selected=True, source="config"))
    if selected_only:
        return surface

    extras = [
        (path, method, op)
        for path, method, op in iter_operations(doc)
        if (path, method) not in selected and isinstance(op.get("operationId"), str)
    ]
    named = _name_extras(doc, config, spec_name, model_names, extras, selected) if extras else {}
    for path, method, op in extras:
        if (path, method) in named:
            resource_path, operation, source = named[(path, method)]
            _add(surface, _from_ir(doc, operation, resource_path, selected=False, source=source))
        else:
            _add(surface, _from_spec(doc, config, path, method, op))
    return surface


def _operations(sdk: Sdk) -> list[tuple[tuple[str, ...], Operation]]:
    return [(resource.path, op) for resource in sdk.all_resources() for op in resource.operations]


def _add(surface: Surface, method: MethodSurface) -> None:
    label = method.label
    if label in surface.methods:  # two operations the naming rules put on one name: keep both, visibly
        label = f"{label}[{method.operation_id}]"
        method = replace(method, label=label)
    surface.methods[label] = method


def _name_extras(
    doc: dict[str, Any],
    config: SdkConfig,
    spec_name: str,
    model_names: set[str],
    extras: list[tuple[str, str, dict[str, Any]]],
    selected: dict[tuple[str, str], int],
) -> dict[tuple[str, str], tuple[tuple[str, ...], Operation, NameSource]]:
    """Names for the operations sdk.yaml does not select: the parser over everything, with help where it asks."""
    first = max((s.index for s in config.operations), default=-1) + 1
    entries = {
        first + i: OperationConfig(index=first + i, operation_id=str(op["operationId"]), method=None, path=None)
        for i, (_, _, op) in enumerate(extras)
    }
    by_key = {**selected, **{(path, method): first + i for i, (path, method, _) in enumerate(extras)}}
    keys = {index: key for key, index in by_key.items()}
    roots = dict(config.resource_roots)
    helped: set[int] = set()  # named with help: provisional
    dropped: set[int] = set()
    sdk: Sdk | None = None
    for _ in range(_PARSER_ROUNDS):
        operations = [s for s in config.operations if s.index not in dropped]
        operations += [entry for index, entry in entries.items() if index not in dropped]
        trial = replace(config, operations=tuple(operations), resource_roots=roots)
        try:
            sdk = Parser(doc, trial, spec_name, model_names).parse()
            break
        except SpecErrors as exc:
            errors = exc.errors
        except SpecError as exc:
            errors = [exc]
        for error in errors:
            index = _entry_of(error, trial, spec_name, by_key)
            if index is None:
                raise GeneratorError(f"cannot name the operations of {spec_name}: {error}") from None
            if index not in entries or index in helped or error.document != trial.source:
                dropped.add(index)
                continue
            helped.add(index)
            resource_path, _ = infer_names(*keys[index])
            if resource_path and resource_path[0] in RESERVED_CLIENT_ATTRS and resource_path[0] not in roots:
                # `/organization/...` would shadow `client.organization`: named under a stand-in root.
                roots[resource_path[0]] = resource_path[0] + _STAND_IN
            elif not (resource_path and roots.get(resource_path[0]) == resource_path[0] + _STAND_IN):
                # Named like another operation, or a reserved name: the operationId names it instead.
                method_name = safe_identifier(snake(entries[index].operation_id or ""))
                entries[index] = replace(entries[index], method_name=method_name)
    named: dict[tuple[str, str], tuple[tuple[str, ...], Operation, NameSource]] = {}
    if sdk is None:
        return named
    stand_ins = {target: segment for segment, target in roots.items() if target == segment + _STAND_IN}
    for resource_path, operation in _operations(sdk):
        key = (operation.path, operation.http_method)
        index = by_key.get(key)
        if index is None or index not in entries:
            continue  # a selected operation: named by the selection-only run
        source: NameSource = "parser"
        if index in helped or resource_path[0] in stand_ins:
            source = "provisional"
            resource_path = (stand_ins.get(resource_path[0], resource_path[0]), *resource_path[1:])
        named[key] = (resource_path, operation, source)
    return named


def _entry_of(error: SpecError, trial: SdkConfig, spec_name: str, by_key: dict[tuple[str, str], int]) -> int | None:
    """The sdk.yaml entry (index) a parser error is about."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in error.pointer.split("/")[1:]]
    if error.document == trial.source and len(tokens) >= 2 and tokens[0] == "operations" and tokens[1].isdigit():
        return int(tokens[1])
    if error.document == spec_name and len(tokens) >= 3 and tokens[0] == "paths":
        return by_key.get((tokens[1], tokens[2]))
    return None


def _label(resource_path: tuple[str, ...], name: str) -> str:
    return ".".join(("client", *resource_path, name))


def _spec_params(doc: dict[str, Any], path: str, method: str, op: dict[str, Any]) -> dict[tuple[str, str], _Spec]:
    """(location, wire name) -> (schema, required, deprecated) for every parameter and top-level body field."""
    out: dict[tuple[str, str], _Spec] = {}
    item = as_dict(doc["paths"][path]) or {}
    for raw in [*(as_list(item.get("parameters")) or []), *(as_list(op.get("parameters")) or [])]:
        param = as_dict(_deref(doc, raw)) or {}
        location, name = param.get("in"), param.get("name")
        if location in _LOCATIONS and isinstance(name, str):
            required = bool(param.get("required")) or location == "path"
            out[(str(location), name)] = (param.get("schema", {}), required, param.get("deprecated") is True)
    body = as_dict(_deref(doc, op.get("requestBody"))) or {}
    content = as_dict(body.get("content")) or {}
    media = json_media(content) or as_dict(content.get("multipart/form-data")) or {}
    schema = as_dict(media.get("schema"))
    if schema is not None:
        try:
            flat = flatten_object(doc, schema)
        except KeyError:
            return out
        for name, prop in flat.properties.items():
            prop_schema = as_dict(prop.schema) or {}
            if not prop_schema.get("readOnly"):
                deprecated = prop_schema.get("deprecated") is True
                out.setdefault(("body", name), (prop.schema, name in flat.required, deprecated))
    return out


def _body_kind(doc: dict[str, Any], op: dict[str, Any]) -> str | None:
    body = as_dict(_deref(doc, op.get("requestBody")))
    if body is None:
        return None
    content = as_dict(body.get("content")) or {}
    if json_media(content) is not None:
        return "json"
    return "multipart" if "multipart/form-data" in content else next(iter(content), None)


def _success(doc: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    responses = as_dict(op.get("responses")) or {}
    codes = sorted(code for code in responses if str(code).startswith("2"))
    return (as_dict(_deref(doc, responses[codes[0]])) if codes else None) or {}


def _deref(doc: dict[str, Any], node: Any) -> Any:
    for _ in range(8):
        ref = (as_dict(node) or {}).get("$ref")
        if not isinstance(ref, str):
            return node
        try:
            node = resolve_ref(doc, ref)
        except KeyError:
            return None
    return node


def _response_schema(doc: dict[str, Any], op: dict[str, Any]) -> Any:
    media = json_media(as_dict(_success(doc, op).get("content")))
    return media.get("schema") if media is not None else None


def _from_ir(
    doc: dict[str, Any], op: Operation, resource_path: tuple[str, ...], *, selected: bool, source: NameSource
) -> MethodSurface:
    spec_op: dict[str, Any] = doc["paths"][op.path][op.http_method]
    schemas = _spec_params(doc, op.path, op.http_method, spec_op)
    params = tuple(
        ParamSurface(
            name=p.name,
            wire_name=p.wire_name,
            location=p.location,
            required=p.required,
            schema=schemas[(p.location, p.wire_name)][0] if (p.location, p.wire_name) in schemas else {},
            deprecated=p.deprecated,
        )
        for p in op.params
    )
    returns = f"{op.page.sync_class}[{op.page.item_name}]" if op.page is not None else op.response.expr
    return MethodSurface(
        label=_label(resource_path, op.name),
        operation_id=op.operation_id,
        http_method=op.http_method,
        path=op.path,
        selected=selected,
        name_source=source,
        params=params,
        body_kind=op.body_kind,
        returns=returns,
        response_schema=_response_schema(doc, spec_op),
        stream_chunk=op.stream.chunk_name if op.stream is not None else None,
        stream_terminator=op.stream.terminator if op.stream is not None else None,
        deprecated=op.deprecated,
    )


def _from_spec(doc: dict[str, Any], config: SdkConfig, path: str, method: str, op: dict[str, Any]) -> MethodSurface:
    """An operation the parser could not name: inferred names, types read from the spec."""
    resource_path, name = infer_names(path, method)
    params = tuple(
        ParamSurface(
            name=safe_identifier(wire), wire_name=wire, location=loc, required=req, schema=schema, deprecated=dep
        )
        for (loc, wire), (schema, req, dep) in sorted(
            _spec_params(doc, path, method, op).items(), key=lambda kv: (kv[0][0] != "path", not kv[1][1], kv[0][1])
        )
    )
    content = as_dict(_success(doc, op).get("content")) or {}
    schema = as_dict(_response_schema(doc, op))
    ref = (schema or {}).get("$ref")
    if not content:
        returns = "None"
    elif isinstance(ref, str) and schema_name(ref):
        returns = str(schema_name(ref))
    else:
        returns = "httpx.Response" if schema is None or schema.get("type") == "string" else "object"
    sse_ref = (as_dict((as_dict(content.get("text/event-stream")) or {}).get("schema")) or {}).get("$ref")
    chunk = schema_name(sse_ref) if isinstance(sse_ref, str) else None
    return MethodSurface(
        label=_label(resource_path, name),
        operation_id=str(op.get("operationId")),
        http_method=method,
        path=path,
        selected=False,
        name_source="inferred",
        params=params,
        body_kind=_body_kind(doc, op),
        returns=returns,
        response_schema=schema,
        stream_chunk=chunk,
        stream_terminator=config.stream_terminator if chunk else None,
        deprecated=bool(op.get("deprecated")),
    )
