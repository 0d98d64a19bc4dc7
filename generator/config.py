"""spec/sdk.yaml: what to generate, under which names."""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .core_api import CoreNames
from .errors import SpecError, SpecErrors, pointer
from .yamlio import load_yaml

if TYPE_CHECKING:
    from .official_types import OfficialTypesConfig
    from .realtime import RealtimeConfig

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Unset:
    """Marks a config key that was not written (as opposed to written as null)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class StreamConfig:
    """Streaming for one operation, where the spec does not declare it."""

    chunk_schema: str | None = None  # component schema name of one event's data
    terminator: Any = UNSET  # str, None (no sentinel) or UNSET (use stream_defaults)
    union: tuple[str, ...] = ()  # chunk_schema is made (at generate time) as a union of these components
    discriminator: str = "object"  # ... told apart by this property
    param: str | None = None  # body field that switches streaming on (default: `stream`)
    value: Any = True  # the value of that field that means "stream" (`stream_format: sse`)
    envelope: bool = False  # chunk_schema describes the whole SSE event: {"event": <event line>, "data": <data>}


def stream_unions(config: SdkConfig) -> dict[str, dict[str, Any]]:
    """Component schemas sdk.yaml defines for streams (``stream.union``): name -> ``oneOf`` schema."""
    unions: dict[str, dict[str, Any]] = {}
    for op in config.operations:
        if op.stream is not None and op.stream.union and op.stream.chunk_schema:
            unions[op.stream.chunk_schema] = {
                "oneOf": [{"$ref": "#/components/schemas/" + name} for name in op.stream.union],
                "discriminator": {"propertyName": op.stream.discriminator},
            }
    return unions


@dataclass(frozen=True)
class MethodVariant:
    """One entry of an operation's ``also:``: the same operation once more, as a method of another name
    (the official SDK keeps deprecated methods beside their replacements: ``files.retrieve_content``)."""

    method_name: str
    page: Any = UNSET  # as OperationConfig.page, decided for this method alone
    deprecated: str | None = None  # as OperationConfig.deprecated
    text: bool = False  # the 2xx body is returned decoded, as ``str``


@dataclass(frozen=True)
class ResultByConfig:
    """``result_by``: the result's type follows one enum parameter (``response_format`` of the audio endpoints:
    ``"json"`` gives one model, ``"text"`` a ``str``), so each value gets an overload saying which."""

    param: str  # the parameter's wire name
    cases: tuple[tuple[str, str], ...]  # (value, component schema name or "str"); the first is the default


@dataclass(frozen=True)
class OperationConfig:
    """One selected operation and the names it gets in the SDK."""

    index: int  # position in sdk.yaml, for error pointers
    operation_id: str | None
    method: str | None
    path: str | None
    resource: str | None = None  # dotted: "chat.completions"
    method_name: str | None = None
    stream: StreamConfig | None = None
    page: Any = UNSET  # a kind of CoreNames.page_kinds, None (not a page), or UNSET (by the response shape)
    deprecated: str | None = None  # the DeprecationWarning text (the method warns even if the spec does not mark it)
    binary: bool = False  # the 2xx body is file content the spec leaves undescribed: BinaryAPIResponse, not None
    text: bool = False  # the 2xx body is returned decoded, as ``str`` (whatever the spec declares)
    also: tuple[MethodVariant, ...] = ()  # more methods for this operation (same resource, other names)
    result_by: ResultByConfig | None = None  # overloads by the value of one parameter
    at: str | None = None  # where errors about it point (config-less: the operation in the spec)

    @property
    def pointer(self) -> str:
        return self.at if self.at is not None else pointer("operations", self.index)

    def describe(self) -> str:
        if self.operation_id:
            return f"operationId {self.operation_id!r}"
        return f"{(self.method or '').upper()} {self.path}"


AUTH_KINDS = ("bearer", "header", "query", "basic", "none")


@dataclass(frozen=True)
class AuthConfig:
    """How the API key is sent: ``Authorization: Bearer`` (the core's default), a header or query
    parameter of its own (``name``), HTTP basic (the key is ``user:password``), or not at all."""

    kind: str = "bearer"
    name: str | None = None  # the header or query parameter for ``header`` / ``query``
    required: bool = True  # False: a client can be made without a key (the API has open operations)


@dataclass(frozen=True)
class Mixin:
    """Handwritten classes (under the package's ``lib/``) that a generated resource class inherits first.

    Dotted paths below the package root, ending in the class name:
    ``lib._sync.responses_resource.ResponsesHelpers``.
    """

    sync: str
    async_: str
    raw: tuple[str, ...] = ()  # helper methods the resource's ``with_raw_response`` wraps too
    streaming: tuple[str, ...] = ()  # and its ``with_streaming_response``

    @staticmethod
    def split(path: str) -> tuple[str, str]:
        """``(module below the package, class name)``."""
        module, _, name = path.rpartition(".")
        return module, name


LIB_EXPORT_TARGETS = ("package", "package_unlisted", "types")
"""Where ``lib_exports`` names can be re-exported: the package root, or ``<package>.types``.

``package_unlisted``: the package root resolves the name on first use but neither lists it in ``__all__``
nor declares it to type checkers (the official SDK's removed v0 names, which it hides the same way)."""


@dataclass(frozen=True)
class AdminKeyConfig:
    """``client.admin_key``: operations secured by ``scheme`` authenticate with the client's ``admin_api_key``."""

    scheme: str
    env: str


@dataclass(frozen=True)
class ClientConfig:
    sync_class: str
    async_class: str
    api_key_env: str
    base_url_env: str
    default_base_url: str
    openai_headers: bool = True  # OpenAI-Organization / OpenAI-Project from OPENAI_ORG_ID / OPENAI_PROJECT_ID
    auth: AuthConfig = field(default_factory=AuthConfig)
    # The module-level client (``import oai; oai.api_key = ...; oai.chat...``): the lib/ module whose
    # ``load_client(package_module)`` builds it from the package's settings; None: no module-level client.
    module_client: str | None = None
    # A second key for some operations (OpenAI's admin endpoints): the spec's security scheme that marks them
    # and the environment variable of the key; those operations send ``admin_api_key`` when the client has one.
    admin_key: AdminKeyConfig | None = None


@dataclass(frozen=True)
class SdkConfig:
    package: str
    version: str
    client: ClientConfig
    upstream_spec: str | None
    stream_terminator: str | None
    operations: tuple[OperationConfig, ...]
    model_renames: dict[str, str] = field(default_factory=lambda: {})
    inline_models: dict[str, str] = field(default_factory=lambda: {})  # "Schema/properties/x/items" -> name
    header_parameters: dict[str, str] = field(default_factory=lambda: {})  # header (lower case) -> Python name
    model_decorators: dict[str, str] = field(default_factory=lambda: {})  # model name -> oai._core._models decorator
    resource_roots: dict[str, str] = field(default_factory=lambda: {})  # first path segment -> dotted resource
    resource_aliases: dict[str, str] = field(default_factory=lambda: {})  # client attribute -> dotted resource
    resource_mixins: dict[str, Mixin] = field(default_factory=lambda: {})  # dotted resource -> handwritten bases
    lib_exports: dict[str, dict[str, str]] = field(default_factory=lambda: {})  # "package"/"types" -> name -> module
    # Client attributes written by hand: attr -> (lib.<module>.<Class>, docstring); the async class is Async<Class>.
    lib_resources: dict[str, tuple[str, str]] = field(default_factory=lambda: {})
    source: str = "spec/sdk.yaml"
    package_doc: str | None = None  # the package's docstring (default: built from the spec's title)
    infer: bool = False  # settle naming clashes by operationId instead of reporting them (config-less mode)
    copy_core: bool = False  # write the core into the package (a self-contained package; config-less mode)
    realtime: RealtimeConfig | None = None  # client.realtime.connect(): the event unions (generator/realtime.py)
    # component schema -> property -> its schema: fields the official SDK has and the upstream spec lacks
    added_properties: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: {})
    official_types: OfficialTypesConfig | None = None  # oai.types.<module> under the official names
    official_optional: str | None = None  # facts file next to sdk.yaml: what the official SDK leaves optional


def load_config(path: Path, *, document: str | None = None) -> SdkConfig:
    """Read and validate sdk.yaml. All problems found are raised together."""
    name = document or str(path)
    raw = load_yaml(path, document=name)
    return parse_config(raw, name)


def parse_config(raw: Any, name: str) -> SdkConfig:
    errors: list[SpecError] = []
    core = CoreNames.load()

    def err(ptr: str, problem: str) -> None:
        errors.append(SpecError(name, ptr, problem))

    if not isinstance(raw, dict):
        raise SpecError(name, "", "expected a mapping at the top level")

    def req_str(mapping: dict[str, Any], key: str, base: tuple[str | int, ...]) -> str:
        value = mapping.get(key)
        if not isinstance(value, str) or not value:
            err(pointer(*base, key), "missing or not a non-empty string")
            return ""
        return value

    package = req_str(raw, "package", ())
    if package and not _IDENTIFIER.match(package):
        err(pointer("package"), f"{package!r} is not a Python identifier")

    version = str(raw.get("version", "0.0.0"))

    client_raw = raw.get("client")
    if not isinstance(client_raw, dict):
        err(pointer("client"), "missing or not a mapping")
        client_raw = {}
    client = ClientConfig(
        sync_class=req_str(client_raw, "sync_class", ("client",)),
        async_class=req_str(client_raw, "async_class", ("client",)),
        api_key_env=req_str(client_raw, "api_key_env", ("client",)),
        base_url_env=req_str(client_raw, "base_url_env", ("client",)),
        default_base_url=req_str(client_raw, "default_base_url", ("client",)),
        openai_headers=client_raw.get("openai_headers", True) is not False,
        auth=_parse_auth(client_raw.get("auth"), err),
        module_client=_module_client(client_raw.get("module_client"), err),
        admin_key=_parse_admin_key(client_raw.get("admin_key"), err),
    )

    upstream = raw.get("upstream_spec")
    if upstream is not None and not isinstance(upstream, str):
        err(pointer("upstream_spec"), "not a string")
        upstream = None

    defaults = raw.get("stream_defaults") or {}
    terminator: str | None = "[DONE]"
    if not isinstance(defaults, dict):
        err(pointer("stream_defaults"), "not a mapping")
    elif "terminator" in defaults:
        terminator = defaults["terminator"]
        if terminator is not None and not isinstance(terminator, str):
            err(pointer("stream_defaults", "terminator"), "must be a string or null")
            terminator = None

    operations: list[OperationConfig] = []
    ops_raw = raw.get("operations")
    if not isinstance(ops_raw, list) or not ops_raw:
        err(pointer("operations"), "missing or not a non-empty list")
        ops_raw = []
    for index, entry in enumerate(ops_raw):
        op = _parse_operation(entry, index, err)
        if op is not None:
            operations.append(op)

    renames_raw = raw.get("model_renames") or {}
    renames: dict[str, str] = {}
    if not isinstance(renames_raw, dict):
        err(pointer("model_renames"), "not a mapping")
    else:
        for old, new in renames_raw.items():
            if not isinstance(new, str) or not _IDENTIFIER.match(new) or keyword.iskeyword(new):
                err(pointer("model_renames", str(old)), f"{new!r} is not a valid class name")
                continue
            renames[str(old)] = new
        targets = sorted(renames.values())
        for dup in {t for t in targets if targets.count(t) > 1}:
            err(pointer("model_renames"), f"two schemas renamed to {dup!r}")

    inline_raw = raw.get("inline_models") or {}
    inline: dict[str, str] = {}
    if not isinstance(inline_raw, dict):
        err(pointer("inline_models"), "not a mapping")
    else:
        for where, new in inline_raw.items():
            if not isinstance(new, str) or not _IDENTIFIER.match(new) or keyword.iskeyword(new):
                err(pointer("inline_models", str(where)), f"{new!r} is not a valid class name")
                continue
            inline[str(where)] = new

    headers_raw = raw.get("header_parameters") or {}
    header_names: dict[str, str] = {}
    if not isinstance(headers_raw, dict):
        err(pointer("header_parameters"), "not a mapping")
    else:
        for header, py_name in headers_raw.items():
            if not isinstance(py_name, str) or not _IDENTIFIER.match(py_name) or keyword.iskeyword(py_name):
                err(pointer("header_parameters", str(header)), f"{py_name!r} is not a valid parameter name")
                continue
            header_names[str(header).lower()] = py_name

    decorators_raw = raw.get("model_decorators") or {}
    decorators: dict[str, str] = {}
    if not isinstance(decorators_raw, dict):
        err(pointer("model_decorators"), "not a mapping")
    else:
        for model, decorator in decorators_raw.items():
            if decorator not in core.model_decorators:
                known = ", ".join(core.model_decorators)
                err(pointer("model_decorators", str(model)), f"{decorator!r} is not a model decorator (known: {known})")
                continue
            decorators[str(model)] = decorator

    roots_raw = raw.get("resource_roots") or {}
    roots: dict[str, str] = {}
    if not isinstance(roots_raw, dict):
        err(pointer("resource_roots"), "not a mapping")
    else:
        for segment, target in roots_raw.items():
            if not isinstance(target, str) or not all(
                _IDENTIFIER.match(part) and not keyword.iskeyword(part) for part in target.split(".")
            ):
                err(pointer("resource_roots", str(segment)), f"{target!r} is not a dotted list of identifiers")
                continue
            roots[str(segment)] = target

    aliases_raw = raw.get("resource_aliases") or {}
    aliases: dict[str, str] = {}
    if not isinstance(aliases_raw, dict):
        err(pointer("resource_aliases"), "not a mapping")
    else:
        for attr, target in aliases_raw.items():
            valid = isinstance(target, str) and all(
                _IDENTIFIER.match(part) and not keyword.iskeyword(part) for part in target.split(".")
            )
            if not valid or not _IDENTIFIER.match(str(attr)):
                err(pointer("resource_aliases", str(attr)), f"{attr!r}: {target!r} is not attribute: dotted.resource")
                continue
            aliases[str(attr)] = target

    from .realtime import parse_config as parse_realtime  # realtime.py imports specutil, which imports this module

    realtime = parse_realtime(raw.get("realtime"), err)
    from .official_types import parse_config as parse_official_types

    official_types = parse_official_types(raw.get("official_types"), err)

    official_optional = raw.get("official_optional")
    if official_optional is not None and not isinstance(official_optional, str):
        err(pointer("official_optional"), "expected the name of a file next to sdk.yaml")
        official_optional = None

    package_doc = raw.get("package_doc")
    if package_doc is not None and not isinstance(package_doc, str):
        err(pointer("package_doc"), "not a string")
        package_doc = None

    mixins = _parse_mixins(raw.get("resource_mixins") or {}, err)
    added = _parse_added_properties(raw.get("added_properties") or {}, err)
    exports = _parse_lib_exports(raw.get("lib_exports") or {}, err)
    lib_resources = _parse_lib_resources(raw.get("lib_resources") or {}, err)

    if errors:
        raise errors[0] if len(errors) == 1 else SpecErrors(errors)
    return SdkConfig(
        package_doc=package_doc,
        infer=raw.get("infer") is True,
        copy_core=raw.get("copy_core") is True,
        realtime=realtime,
        official_types=official_types,
        official_optional=official_optional,
        resource_aliases=aliases,
        resource_mixins=mixins,
        added_properties=added,
        lib_exports=exports,
        lib_resources=lib_resources,
        resource_roots=roots,
        package=package,
        version=version,
        client=client,
        upstream_spec=upstream,
        stream_terminator=terminator,
        operations=tuple(operations),
        model_renames=renames,
        inline_models=inline,
        header_parameters=header_names,
        model_decorators=decorators,
        source=name,
    )


def _parse_admin_key(raw: Any, err: Any) -> AdminKeyConfig | None:
    if raw is None:
        return None
    scheme = raw.get("scheme") if isinstance(raw, dict) else None
    env = raw.get("env") if isinstance(raw, dict) else None
    if not isinstance(scheme, str) or not scheme or not isinstance(env, str) or not env:
        err(pointer("client", "admin_key"), "expected a mapping with scheme: (a security scheme) and env: (a variable)")
        return None
    return AdminKeyConfig(scheme=scheme, env=env)


def _parse_auth(raw: Any, err: Any) -> AuthConfig:
    if raw is None:
        return AuthConfig()
    if not isinstance(raw, dict) or raw.get("kind") not in AUTH_KINDS:
        err(pointer("client", "auth"), f"expected a mapping with kind: one of {', '.join(AUTH_KINDS)}")
        return AuthConfig()
    kind = str(raw["kind"])
    name = raw.get("name")
    if kind in ("header", "query") and (not isinstance(name, str) or not name):
        err(pointer("client", "auth", "name"), f"auth kind {kind!r} needs the {kind} name")
        name = None
    return AuthConfig(kind=kind, name=name, required=raw.get("required", True) is not False)


def _dotted(value: object) -> bool:
    return isinstance(value, str) and all(
        _IDENTIFIER.match(part) and not keyword.iskeyword(part) for part in value.split(".")
    )


def _parse_mixins(raw: Any, err: Any) -> dict[str, Mixin]:
    """``resource_mixins``: dotted resource -> ``{sync: lib.x.Class, async: lib.x.AsyncClass}``."""
    if not isinstance(raw, dict):
        err(pointer("resource_mixins"), "not a mapping")
        return {}
    mixins: dict[str, Mixin] = {}
    for resource, entry in raw.items():
        where = pointer("resource_mixins", str(resource))
        if not _dotted(resource):
            err(where, f"{resource!r} is not a dotted resource path")
            continue
        if not isinstance(entry, dict) or not {"sync", "async"} <= set(entry) <= {"sync", "async", "raw", "streaming"}:
            err(where, "expected a mapping with the keys sync and async (and optionally raw, streaming)")
            continue
        paths = (entry["sync"], entry["async"])
        if not all(_dotted(path) and str(path).startswith("lib.") for path in paths):
            err(where, "sync and async must be dotted paths to classes under the package's lib/ folder")
            continue
        wrapped: list[tuple[str, ...]] = []
        for key in ("raw", "streaming"):
            names = entry.get(key) or []
            if not isinstance(names, list) or not all(
                isinstance(n, str) and _IDENTIFIER.match(n) for n in cast("list[object]", names)
            ):
                err(pointer("resource_mixins", str(resource), key), "expected a list of method names")
                names = []
            wrapped.append(tuple(cast("list[str]", names)))
        mixins[str(resource)] = Mixin(sync=str(paths[0]), async_=str(paths[1]), raw=wrapped[0], streaming=wrapped[1])
    return mixins


ADDED_PROPERTY_KEYWORDS = ("$ref", "anyOf", "default", "deprecated", "description", "enum", "format", "items", "type")
"""What an ``added_properties`` entry may say: structural facts, and our own description."""


def _parse_added_properties(raw: Any, err: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """``added_properties``: component schema -> property name -> the property's schema (with a description)."""
    if not isinstance(raw, dict):
        err(pointer("added_properties"), "not a mapping")
        return {}
    added: dict[str, dict[str, dict[str, Any]]] = {}
    for schema, properties in raw.items():
        if not isinstance(properties, dict) or not properties:
            err(pointer("added_properties", str(schema)), "expected a mapping of property names to schemas")
            continue
        for name, prop in properties.items():
            where = pointer("added_properties", str(schema), str(name))
            if not isinstance(prop, dict):
                err(where, "expected the property's schema (a mapping)")
                continue
            unknown = sorted(str(k) for k in prop if k not in ADDED_PROPERTY_KEYWORDS)
            if unknown:
                err(where, f"unknown keywords {', '.join(unknown)} (known: {', '.join(ADDED_PROPERTY_KEYWORDS)})")
                continue
            description = prop.get("description")
            if not isinstance(description, str) or not description.strip():
                err(where + "/description", "missing: every added property needs its description (our own words)")
                continue
            added.setdefault(str(schema), {})[str(name)] = dict(prop)
    return added


def _module_client(raw: Any, err: Any) -> str | None:
    """``client.module_client``: ``lib.<module>`` (dotted, below the package), or absent."""
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.startswith("lib.") or not all(p.isidentifier() for p in raw.split(".")):
        err(pointer("client", "module_client"), f"{raw!r} is not lib.<module>")
        return None
    return raw


def _parse_lib_exports(raw: Any, err: Any) -> dict[str, dict[str, str]]:
    """``lib_exports``: ``package`` / ``types`` -> public name -> module under ``lib/`` that defines it."""
    if not isinstance(raw, dict):
        err(pointer("lib_exports"), "not a mapping")
        return {}
    exports: dict[str, dict[str, str]] = {}
    for target, names in raw.items():
        if target not in LIB_EXPORT_TARGETS:
            err(pointer("lib_exports", str(target)), f"{target!r} is not one of {', '.join(LIB_EXPORT_TARGETS)}")
            continue
        if not isinstance(names, dict):
            err(pointer("lib_exports", str(target)), "not a mapping")
            continue
        exports[target] = {}
        for name, module in names.items():
            if not _IDENTIFIER.match(str(name)) or not _dotted(module) or not str(module).startswith("lib"):
                err(pointer("lib_exports", str(target), str(name)), f"{name!r}: {module!r} is not name: lib.module")
                continue
            exports[target][str(name)] = str(module)
    return exports


def _parse_lib_resources(raw: Any, err: Any) -> dict[str, tuple[str, str]]:
    """``lib_resources``: client attribute -> ``{class: lib.<module>.<Class>, doc: text}``."""
    if not isinstance(raw, dict):
        err(pointer("lib_resources"), "not a mapping")
        return {}
    resources: dict[str, tuple[str, str]] = {}
    for attr, entry in raw.items():
        where = pointer("lib_resources", str(attr))
        if not _IDENTIFIER.match(str(attr)) or keyword.iskeyword(str(attr)) or str(attr).startswith("_"):
            err(where, f"{attr!r} is not a public attribute name")
            continue
        if not isinstance(entry, dict) or set(entry) != {"class", "doc"}:
            err(where, "expected a mapping with exactly the keys class and doc")
            continue
        path, doc = entry["class"], entry["doc"]
        if not (_dotted(path) and str(path).startswith("lib.") and str(path).count(".") >= 2):
            err(where, f"{path!r} is not lib.<module>.<Class>")
            continue
        if not isinstance(doc, str) or not doc.strip():
            err(where, "doc must be a non-empty string")
            continue
        resources[str(attr)] = (str(path), doc)
    return resources


def _parse_operation(entry: Any, index: int, err: Any) -> OperationConfig | None:
    base = ("operations", index)
    if not isinstance(entry, dict):
        err(pointer(*base), "expected a mapping with operationId, or method and path")
        return None
    known = {
        "operationId",
        "method",
        "path",
        "resource",
        "method_name",
        "stream",
        "page",
        "deprecated",
        "binary",
        "text",
        "also",
        "result_by",
    }
    for key in entry:
        if key not in known:
            err(pointer(*base, str(key)), f"unknown key (known: {', '.join(sorted(known))})")
    op_id = entry.get("operationId")
    method = entry.get("method")
    path = entry.get("path")
    if op_id is None and (method is None or path is None):
        err(pointer(*base), "needs operationId, or both method and path")
        return None
    if method is not None:
        method = str(method).lower()
        if method not in HTTP_METHODS:
            err(pointer(*base, "method"), f"unknown HTTP method {method!r}")
    resource = entry.get("resource")
    if resource is not None:
        if not isinstance(resource, str) or not all(
            _IDENTIFIER.match(part) and not keyword.iskeyword(part) for part in resource.split(".")
        ):
            err(pointer(*base, "resource"), f"{resource!r} is not a dotted list of identifiers")
            resource = None
    method_name = entry.get("method_name")
    if method_name is not None and (
        not isinstance(method_name, str) or not _IDENTIFIER.match(method_name) or keyword.iskeyword(method_name)
    ):
        err(pointer(*base, "method_name"), f"{method_name!r} is not a valid method name")
        method_name = None
    stream: StreamConfig | None = None
    stream_raw = entry.get("stream")
    if stream_raw is not None:
        if not isinstance(stream_raw, dict):
            err(pointer(*base, "stream"), "not a mapping")
        else:
            chunk = stream_raw.get("chunk_schema")
            if chunk is not None and not isinstance(chunk, str):
                err(pointer(*base, "stream", "chunk_schema"), "not a string")
                chunk = None
            term = stream_raw.get("terminator", UNSET)
            if term is not UNSET and term is not None and not isinstance(term, str):
                err(pointer(*base, "stream", "terminator"), "must be a string or null")
                term = UNSET
            param = stream_raw.get("param")
            if param is not None and not isinstance(param, str):
                err(pointer(*base, "stream", "param"), "not a string")
                param = None
            value = stream_raw.get("value", True)
            if not isinstance(value, (str, bool, int)):
                err(pointer(*base, "stream", "value"), "must be a string, boolean or integer")
                value = True
            union_raw = stream_raw.get("union") or []
            if not isinstance(union_raw, list) or not all(isinstance(u, str) for u in union_raw):
                err(pointer(*base, "stream", "union"), "must be a list of component schema names")
                union_raw = []
            if union_raw and not chunk:
                err(pointer(*base, "stream", "chunk_schema"), "a `union` needs the name to give it in chunk_schema")
            discriminator = stream_raw.get("discriminator", "object")
            if not isinstance(discriminator, str):
                err(pointer(*base, "stream", "discriminator"), "not a string")
                discriminator = "object"
            envelope = stream_raw.get("envelope", False)
            if not isinstance(envelope, bool):
                err(pointer(*base, "stream", "envelope"), "must be true or false")
                envelope = False
            if envelope and not chunk:
                err(pointer(*base, "stream", "chunk_schema"), "an `envelope` stream needs its event schema here")
            for key in stream_raw:
                if key not in ("chunk_schema", "terminator", "param", "value", "union", "discriminator", "envelope"):
                    known_keys = "chunk_schema, discriminator, envelope, param, terminator, union, value"
                    err(pointer(*base, "stream", str(key)), f"unknown key (known: {known_keys})")
            stream = StreamConfig(
                chunk_schema=chunk,
                terminator=term,
                param=param,
                value=value,
                union=tuple(union_raw),
                discriminator=discriminator,
                envelope=envelope,
            )
    deprecated, page, text = _method_keys(entry, base, err)
    binary = entry.get("binary", False)
    if not isinstance(binary, bool):
        err(pointer(*base, "binary"), "must be true or false")
        binary = False
    if binary and text:
        err(pointer(*base, "text"), "an operation returns its body as bytes (binary) or as text, not both")
    return OperationConfig(
        index=index,
        operation_id=str(op_id) if op_id is not None else None,
        method=method,
        path=str(path) if path is not None else None,
        resource=resource,
        method_name=method_name,
        stream=stream,
        page=page,
        deprecated=deprecated,
        binary=binary,
        text=text,
        also=_parse_also(entry.get("also"), base, err),
        result_by=_parse_result_by(entry.get("result_by"), base, err),
    )


def _parse_result_by(raw: Any, base: tuple[str | int, ...], err: Any) -> ResultByConfig | None:
    """``result_by: {param: <wire name>, cases: {<value>: <schema name> | str, ...}}``; the first case is what
    the operation returns when the parameter is not given."""
    if raw is None:
        return None
    where = (*base, "result_by")
    if not isinstance(raw, dict):
        err(pointer(*where), "expected a mapping with param and cases")
        return None
    for key in raw:
        if key not in ("param", "cases"):
            err(pointer(*where, str(key)), "unknown key (known: cases, param)")
    param = raw.get("param")
    cases = raw.get("cases")
    if not isinstance(param, str) or not param:
        err(pointer(*where, "param"), "must be the parameter's name")
        return None
    if not isinstance(cases, dict) or not cases:
        err(pointer(*where, "cases"), "must map each value to a component schema name or str")
        return None
    pairs: list[tuple[str, str]] = []
    for value, result in cases.items():
        if not isinstance(value, str) or not isinstance(result, str) or not result:
            err(pointer(*where, "cases", str(value)), "must map a string value to a component schema name or str")
            continue
        pairs.append((value, result))
    return ResultByConfig(param=param, cases=tuple(pairs)) if pairs else None


def _method_keys(entry: dict[str, Any], base: tuple[str | int, ...], err: Any) -> tuple[str | None, Any, bool]:
    """``deprecated``, ``page`` and ``text``: the keys an operation entry and its ``also`` entries share."""
    deprecated = entry.get("deprecated")
    if deprecated is not None and (not isinstance(deprecated, str) or not deprecated.strip()):
        err(pointer(*base, "deprecated"), "must be the warning's text (a non-empty string)")
        deprecated = None
    page = entry.get("page", UNSET)
    kinds = CoreNames.load().page_kinds
    if page is not UNSET and page is not None and page not in kinds:
        err(pointer(*base, "page"), f"{page!r} is not a page kind (known: {', '.join(kinds)}, or null)")
        page = UNSET
    text = entry.get("text", False)
    if not isinstance(text, bool):
        err(pointer(*base, "text"), "must be true or false")
        text = False
    if text and page not in (UNSET, None):
        err(pointer(*base, "text"), "a method that returns the body as text returns no page (set page: null)")
    return deprecated, page, text


def _parse_also(raw: Any, base: tuple[str | int, ...], err: Any) -> tuple[MethodVariant, ...]:
    """``also``: a list of further methods for the operation, each ``method_name`` (required) and the
    optional ``deprecated``, ``page`` and ``text``."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        err(pointer(*base, "also"), "must be a non-empty list of mappings with method_name")
        return ()
    variants: list[MethodVariant] = []
    names: set[str] = set()
    for index, entry in enumerate(raw):
        where = (*base, "also", index)
        if not isinstance(entry, dict):
            err(pointer(*where), "expected a mapping with method_name")
            continue
        for key in entry:
            if key not in ("method_name", "deprecated", "page", "text"):
                err(pointer(*where, str(key)), "unknown key (known: deprecated, method_name, page, text)")
        name = entry.get("method_name")
        if not isinstance(name, str) or not _IDENTIFIER.match(name) or keyword.iskeyword(name):
            err(pointer(*where, "method_name"), f"{name!r} is not a valid method name")
            continue
        if name in names:
            err(pointer(*where, "method_name"), f"{name!r} is given twice in this `also` list")
            continue
        names.add(name)
        deprecated, page, text = _method_keys(entry, where, err)
        variants.append(MethodVariant(method_name=name, page=page, deprecated=deprecated, text=text))
    return tuple(variants)
