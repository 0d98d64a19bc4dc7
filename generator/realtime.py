"""Realtime sessions: the spec's event unions -> models, send helpers, ``connect()`` and ``oai.types.realtime``.

The Realtime API is no HTTP operation: the client opens a WebSocket
(``client.realtime.connect(model=...)``) and both sides exchange JSON events,
each tagged by its ``type``. The spec describes them as two discriminated
unions, one per direction, which sdk.yaml's ``realtime`` section names. From them:

* **models**: both unions and every schema they reach join the response models,
  in the model group of the resource that gets ``connect()`` (so they load only
  when a realtime connection is used); the core parses server events by
  ``type`` and returns its ``UnknownRealtimeEvent`` for a type it does not know;
* **send helpers**: one method per client event type, grouped by the dotted
  type (``conversation.item.create`` -> ``connection.conversation.item.create(item=...)``,
  ``session.update`` -> ``connection.session.update(session=...)``), with keyword
  parameters typed from the event's fields (the request-side ``...Param``
  types), ``type`` left out and ``event_id`` optional. A client event added to
  the spec appears as a method after ``make generate``;
* **connect()** on that resource (``client.realtime``), through a generated
  mixin the resource classes inherit first (the plan's ``resource_mixins``),
  and the connection classes re-exported from the resource module, where the
  official SDK has them (``oai.resources.realtime.realtime.AsyncRealtimeConnection``);
* **oai.types.realtime**: the event classes under the official SDK's names
  (``ResponseTextDeltaEvent``, ``SessionUpdateEvent``, ``SessionUpdateEventParam``...),
  each also importable from its own module as there. A name is the event type
  in PascalCase plus ``Event`` unless sdk.yaml's ``realtime.names`` says otherwise.

The WebSocket machinery is the core's (``_core/_async/_realtime.py``); it imports
no generated type: the generated connection hands it the server-event union,
as a generated method hands ``cast_to`` to ``request()``.

The rest of the generator calls in at a few points: ``config`` (parse the
section), ``sync`` (schema roots, description coverage), ``pipeline`` (model
roots, the model group, building and rendering) and ``plan`` (mixins and
re-exports of a resource module).
"""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from .errors import GeneratorError, SpecError, SpecErrors, pointer
from .escape import doc_text, py_literal
from .naming import attribute_name, is_identifier, pascal, safe_identifier, snake
from .specutil import SCHEMA_REF_PREFIX, flatten_object, schema_name

if TYPE_CHECKING:  # config.py imports this module, and ir.py imports config.py
    from .ir import Name, PyType, Resource, Sdk

SECTION = "realtime"

CONNECTION_ATTRS = frozenset({"close", "off", "on", "once", "parse_event", "reconnects", "recv", "recv_bytes", "send"})
"""The public attributes of the core's connection class: no send helper or helper group may take these names."""

CONNECT_TEMPLATE = "realtime_connection.py.jinja"
TYPES_INIT_TEMPLATE = "realtime_types_init.py.jinja"
TYPES_MODULE_TEMPLATE = "realtime_types_module.py.jinja"
OPTIONS_TEMPLATE = "realtime_options.py.jinja"


# -- sdk.yaml ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RealtimeConfig:
    """sdk.yaml's ``realtime`` section."""

    resource: str  # dotted resource that gets connect(): "realtime"
    client_events: str  # component schema: the union of the events a client sends
    server_events: str  # ... and of those a server sends
    names: dict[str, str] = field(default_factory=lambda: {})  # event component -> public name in types/realtime


def parse_config(raw: Any, err: Callable[[str, str], None]) -> RealtimeConfig | None:
    """The ``realtime`` section, or None when sdk.yaml has none; problems go to ``err(pointer, text)``."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        err(pointer(SECTION), "expected a mapping with resource, client_events and server_events")
        return None
    known = {"resource", "client_events", "server_events", "names"}
    for key in raw:
        if key not in known:
            err(pointer(SECTION, str(key)), f"unknown key (known: {', '.join(sorted(known))})")
    values: dict[str, str] = {}
    for key in ("resource", "client_events", "server_events"):
        value = raw.get(key)
        if not isinstance(value, str) or not all(is_identifier(part) for part in value.split(".")):
            err(pointer(SECTION, key), f"{value!r} is not {'a dotted resource' if key == 'resource' else 'a schema'}")
            return None
        values[key] = value
    names: dict[str, str] = {}
    names_raw = raw.get("names") or {}
    if not isinstance(names_raw, dict):
        err(pointer(SECTION, "names"), "not a mapping")
    else:
        for schema, name in names_raw.items():
            if not isinstance(name, str) or not is_identifier(name):
                err(pointer(SECTION, "names", str(schema)), f"{name!r} is not a valid class name")
                continue
            names[str(schema)] = name
    return RealtimeConfig(values["resource"], values["client_events"], values["server_events"], names)


def schema_roots(config: Any) -> tuple[str, ...]:
    """The event unions sdk.yaml names (``sync-spec`` copies them and what they reach; they become models)."""
    realtime: RealtimeConfig | None = getattr(config, "realtime", None)
    return () if realtime is None else (realtime.client_events, realtime.server_events)


# -- the spec's event unions ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    schema: str  # component name
    type: str  # its ``type`` value: "conversation.item.create"


def variants(doc: dict[str, Any], union: str, source: str) -> list[Variant]:
    """The members of an event union with their ``type``; an error names the place in the spec that breaks it."""
    schemas = doc.get("components", {}).get("schemas", {})
    where = pointer("components", "schemas", union)
    schema = schemas.get(union)
    members = (schema.get("anyOf") or schema.get("oneOf")) if isinstance(schema, dict) else None
    if not isinstance(members, list) or not members:
        raise SpecError(source, where, "a realtime event union must be an anyOf/oneOf of $refs")
    found: list[Variant] = []
    for index, member in enumerate(members):
        ref = member.get("$ref") if isinstance(member, dict) else None
        name = schema_name(ref) if isinstance(ref, str) else None
        if name is None or name not in schemas:
            raise SpecError(source, f"{where}/anyOf/{index}", "each realtime event must be a $ref to a component")
        prop = (flatten_object(doc, schemas[name], name).properties.get("type") or None) if name else None
        values = _tag_values(prop.schema if prop else None)
        if len(values) != 1:
            raise SpecError(
                source,
                pointer("components", "schemas", name),
                "a realtime event needs one `type` value (enum or const)",
            )
        found.append(Variant(name, values[0]))
    return found


def _tag_values(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    if "const" in schema:
        return [schema["const"]] if isinstance(schema["const"], str) else []
    enum = schema.get("enum")
    return [v for v in enum if isinstance(v, str)] if isinstance(enum, list) else []


def missing_descriptions(doc: dict[str, Any], config: Any, source: str) -> list[str]:
    """``sync-spec``'s coverage for the client events: each needs a description (the send helper's docstring) and
    so does each of its fields but ``type`` (the helper's parameters), like an operation and its body."""
    realtime: RealtimeConfig | None = getattr(config, "realtime", None)
    if realtime is None:
        return []
    schemas = doc["components"].get("schemas", {})
    missing: list[str] = []
    for variant in variants(doc, realtime.client_events, source):
        schema = schemas[variant.schema]
        if not schema.get("description"):
            missing.append(f"schemas/{variant.schema}/description (realtime client event {variant.type})")
        for name, prop in flatten_object(doc, schema, variant.schema).properties.items():
            if name != "type" and not prop.description:
                missing.append(f"schemas/{prop.declared_in}/properties/{name} (realtime client event {variant.type})")
    return missing


# -- what the SDK gets ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HelperParam:
    name: str  # Python keyword argument
    wire_name: str  # field of the event
    type: PyType
    required: bool
    description: str | None


@dataclass(frozen=True)
class Helper:
    """A send helper: ``connection.<group...>.<name>(**fields)`` sends one client event."""

    name: str
    event_type: str
    schema: str
    params: tuple[HelperParam, ...]
    description: str | None


@dataclass
class HelperGroup:
    """``connection.conversation`` / ``connection.conversation.item``: helpers and sub-groups."""

    path: tuple[str, ...]
    helpers: list[Helper] = field(default_factory=lambda: [])
    children: list[HelperGroup] = field(default_factory=lambda: [])

    def walk(self) -> list[HelperGroup]:
        out: list[HelperGroup] = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass(frozen=True)
class PublicName:
    """One name of ``oai.types.realtime``: ``public`` is the model (or request type) ``attr``."""

    public: str
    attr: str
    is_param: bool = False  # a request type (types/_params.py), not a model


@dataclass
class RealtimeSdk:
    """What sdk.yaml's ``realtime`` section generates (built by :func:`build`, rendered by :func:`render`)."""

    resource: Resource
    client_union: str
    server_union: str
    client_param: PyType  # the request-side union of the client events (``RealtimeClientEventParam``)
    root: HelperGroup  # path (): helpers with a one-word type are methods of the connection itself
    names: list[PublicName]

    @property
    def prefix(self) -> str:
        return self.resource.class_name  # "Realtime": RealtimeConnection, RealtimeSessionResource...

    @property
    def module(self) -> str:
        """The generated connection module, dotted below the package."""
        if self.resource.is_package:
            return ".".join(("resources", *self.resource.path, "_connection"))
        return ".".join(("resources", *self.resource.path[:-1], f"_{self.resource.attr}_connection"))

    @property
    def types_package(self) -> tuple[str, ...]:
        return ("types", *self.resource.path)

    def class_names(self) -> list[str]:
        """Every class of the connection module, sync then async."""
        own = [
            f"{self.prefix}Connection",
            f"{self.prefix}ConnectionManager",
            *(group_class(self.prefix, g.path) for g in self.root.walk() if g.path),
        ]
        return [*own, *(f"Async{name}" for name in own)]

    @property
    def mixin(self) -> str:
        return f"{self.prefix}Connect"


def group_class(prefix: str, path: tuple[str, ...]) -> str:
    """``("conversation", "item")`` -> ``RealtimeConversationItemResource`` (the official SDK's names)."""
    return prefix + "".join(pascal(part) for part in path) + "Resource"


def official_name(variant: Variant, names: dict[str, str]) -> str:
    """The official SDK's class name of an event: sdk.yaml's ``names``, else the type in PascalCase + ``Event``."""
    return names.get(variant.schema) or pascal(variant.type) + "Event"


def build(
    doc: dict[str, Any],
    config: RealtimeConfig,
    sdk: Sdk,
    params: Any,
    model_names: set[str],
    *,
    source: str,
    config_source: str,
) -> RealtimeSdk:
    """The realtime part of the SDK; ``params`` is the parser's request-side type builder (``ParamTypes``), which
    defines the ``...Param`` types the helpers take (the caller puts its definitions back on ``sdk.params``).
    Problems in the spec name ``source`` and a JSON pointer, problems of the section ``config_source``."""
    errors: list[SpecError] = []
    resource = _find(sdk.resources, tuple(config.resource.split(".")))
    if resource is None:
        where = pointer(SECTION, "resource")
        raise SpecError(config_source, where, f"no resource {config.resource!r} to add connect() to")
    for union in (config.client_events, config.server_events):
        if union not in model_names:
            raise GeneratorError(f"model {union!r} (sdk.yaml realtime) was not generated")
    client = variants(doc, config.client_events, source)
    server = variants(doc, config.server_events, source)
    schemas = doc["components"]["schemas"]

    root = HelperGroup(path=())
    for variant in client:
        segments = variant.type.split(".")
        group = root
        for depth, segment in enumerate(segments[:-1]):
            attr = attribute_name(segment, CONNECTION_ATTRS if depth == 0 else ())
            child = next((c for c in group.children if c.path[-1] == attr), None)
            if child is None:
                child = HelperGroup(path=(*group.path, attr))
                group.children.append(child)
            group = child
        name = attribute_name(segments[-1], CONNECTION_ATTRS if not group.path else ())
        clash = any(h.name == name for h in group.helpers) or any(c.path[-1] == name for c in group.children)
        if clash:
            errors.append(
                SpecError(
                    source,
                    pointer("components", "schemas", variant.schema),
                    f"{variant.type!r}: the name "
                    f"{'.'.join((*group.path, name))} is taken by another client event or group",
                )
            )
            continue
        group.helpers.append(_helper(schemas, variant, name, params))
    for group in root.walk():
        for child in group.children:
            if any(h.name == child.path[-1] for h in group.helpers):
                problem = f"client events make {'.'.join(child.path)} both a method and a group"
                errors.append(SpecError(source, pointer("components", "schemas", config.client_events), problem))

    names = [
        PublicName(config.client_events, config.client_events),
        PublicName(config.server_events, config.server_events),
    ]
    client_param = params.type_of({"$ref": SCHEMA_REF_PREFIX + config.client_events}, config.client_events)
    names.append(PublicName(client_param.expr, client_param.expr, is_param=True))
    for variant in client + server:
        if variant.schema not in model_names:
            raise GeneratorError(f"model {variant.schema!r} (a realtime event) was not generated")
        public = official_name(variant, config.names)
        names.append(PublicName(public, variant.schema))
        if variant in client:
            names.append(PublicName(public + "Param", params.param_name(variant.schema), is_param=True))
    events = {v.schema for v in client + server}
    for schema, public in sorted(config.names.items()):  # other models the events carry (ConversationItem...)
        if schema in events:
            continue
        if schema not in model_names:
            where = pointer(SECTION, "names", schema)
            errors.append(SpecError(config_source, where, f"{schema!r} is no model of the realtime events"))
            continue
        names.append(PublicName(public, schema))
        param = params.type_of({"$ref": SCHEMA_REF_PREFIX + schema}, schema)
        names.append(PublicName(public + "Param", param.expr, is_param=True))
    seen: dict[str, str] = {}
    for name in names:
        module = snake(name.public)
        for key in (name.public, module):
            if key in seen and seen[key] != name.attr:
                problem = f"two realtime types are named {key!r}: set realtime.names"
                errors.append(SpecError(config_source, pointer(SECTION, "names"), problem))
            seen[key] = name.attr
    if errors:
        raise errors[0] if len(errors) == 1 else SpecErrors(errors)

    info = RealtimeSdk(resource, config.client_events, config.server_events, client_param, root, names)
    if resource.path in sdk.resource_mixins:
        where = pointer(SECTION, "resource")
        raise SpecError(config_source, where, f"{config.resource!r} already inherits a class (resource_mixins)")
    sdk.resource_mixins[resource.path] = (f"{info.module}.{info.mixin}", f"{info.module}.Async{info.mixin}")
    sdk.resource_exports[resource.path] = (info.module, tuple(info.class_names()))
    return info


def _find(resources: list[Resource], path: tuple[str, ...]) -> Resource | None:
    for resource in resources:
        for node in resource.walk():
            if node.path == path:
                return node
    return None


def _helper(schemas: dict[str, Any], variant: Variant, name: str, params: Any) -> Helper:
    schema = schemas[variant.schema]
    fields, _ = params.object_fields(schema, variant.schema, variant.schema)
    out: list[HelperParam] = []
    for f in fields:
        if f.name == "type":
            continue
        py_name = safe_identifier(f.name)
        out.append(HelperParam(py_name, f.name, f.type, f.required and f.name != "event_id", f.description))
    out.sort(key=lambda p: (not p.required, p.name))
    return Helper(name, variant.type, variant.schema, tuple(out), schema.get("description"))


# -- views and files --------------------------------------------------------------------------------------------------


def _paragraphs(text: str | None) -> list[str]:
    from .plan import paragraphs

    return paragraphs(text)


@dataclass(frozen=True)
class ParamView:
    name: str
    annotation: str
    default: str | None


@dataclass(frozen=True)
class MethodView:
    name: str
    params: list[ParamView]
    doc: list[str]
    entries: list[tuple[str, str]]  # the event dict: (key literal, value expression)


@dataclass(frozen=True)
class GroupView:
    class_name: str  # without "Async"
    doc: list[str]
    children: list[tuple[str, str]]  # attribute, class name without "Async"
    methods: list[MethodView]


def _method(helper: Helper) -> MethodView:
    params = [
        ParamView(p.name, p.type.expr, None)
        if p.required
        else ParamView(p.name, f"{p.type.expr} | NotGiven", "NOT_GIVEN")
        for p in helper.params
    ]
    doc = _paragraphs(helper.description) or _paragraphs(f"Send a ``{helper.event_type}`` event.")
    args: list[str] = []
    for p in helper.params:
        if p.description:
            text = f"{p.name}: {doc_text(' '.join(p.description.split()))}"
            args += textwrap.wrap(text, width=98, subsequent_indent="  ", break_on_hyphens=False)
    if args:
        doc += ["", "Args:", *(f"  {a}" for a in args)]
    entries = [(py_literal("type"), py_literal(helper.event_type))]
    entries += [(py_literal(p.wire_name), p.name) for p in helper.params]
    return MethodView(helper.name, params, doc, entries)


def connection_view(info: RealtimeSdk, sdk: Sdk, core: Any) -> dict[str, object]:
    """What ``templates/realtime_connection.py.jinja`` lays out."""
    from .plan import Imports

    depth = len(info.module.split("."))  # dots from the connection module to the package root
    imports = Imports(core, depth=depth)
    imports.add("functools", "cached_property")
    imports.add("typing", "Any")
    imports.add_core(
        "NOT_GIVEN",
        "NotGiven",
        "Headers",
        "Query",
        "Timeout",
        "RealtimeReconnect",
        "WebSocketConnectionOptions",
        "SyncWebSocketConnectionOptions",
        "SyncAPIResource",
        "AsyncAPIResource",
        "RealtimeConnectionBase",
        "AsyncRealtimeConnectionBase",
        "RealtimeConnectionManagerBase",
        "AsyncRealtimeConnectionManagerBase",
        "RealtimeConnectionResource",
        "AsyncRealtimeConnectionResource",
    )
    names: set[Name] = set(info.client_param.names)
    for group in info.root.walk():
        for helper in group.helpers:
            for p in helper.params:
                names |= p.type.names
    imports.add_names(n for n in names if n.origin != "models")
    models_module = imports.rel(sdk.model_module(info.server_union))
    imports.add_type_only(models_module, info.server_union)
    imports.add_type_only(imports.rel(sdk.model_module(info.client_union)), info.client_union)
    groups = [
        GroupView(
            class_name=group_class(info.prefix, g.path),
            doc=_paragraphs(f"Send helpers for ``connection.{'.'.join(g.path)}``: one method per client event."),
            children=[(c.path[-1], group_class(info.prefix, c.path)) for c in g.children],
            methods=[_method(h) for h in g.helpers],
        )
        for g in info.root.walk()
        if g.path
    ]
    resource = ".".join(info.resource.path)
    return {
        "imports": imports.view,
        "names": sorted(info.class_names()),
        "doc": _paragraphs(
            f"``client.{resource}.connect()``: the Realtime connection classes and their send helpers, "
            "generated from the spec's client and server event unions."
        ),
        "prefix": info.prefix,
        "resource": resource,
        "server_union": info.server_union,
        "server_module": models_module,
        "event_types": f"{info.server_union}, {info.client_union} | {info.client_param.expr}",
        "connection_children": [(c.path[-1], group_class(info.prefix, c.path)) for c in info.root.children],
        "connection_methods": [_method(h) for h in info.root.helpers],
        "groups": groups,
        "mixin": info.mixin,
    }


def types_entries(info: RealtimeSdk, sdk: Sdk) -> list[tuple[str, str, str]]:
    """``types/realtime/__init__.py``'s names: (public name, module relative to it, attribute)."""
    up = "." * len(info.types_package)  # from types/realtime/x.py up to the package's "types"
    return sorted(
        (n.public, up + ("_params" if n.is_param else sdk.model_module(n.attr).removeprefix("types.")), n.attr)
        for n in info.names
    )


def render(info: RealtimeSdk, sdk: Sdk, header: str, core: Any) -> dict[PurePosixPath, str]:
    """The files: the connection module, ``types/<resource>/``, ``types/websocket_connection_options.py``."""
    from .render import environment

    env = environment()
    pkg = PurePosixPath(sdk.package)
    files: dict[PurePosixPath, str] = {}
    module = PurePosixPath(*info.module.split("."))
    view = connection_view(info, sdk, core)
    files[pkg / f"{module}.py"] = env.get_template(CONNECT_TEMPLATE).render(header=header, **view)

    types_dir = pkg / PurePosixPath(*info.types_package)
    entries = types_entries(info, sdk)
    resource = ".".join(info.resource.path)
    grouped: dict[str, list[str]] = {}
    for _, origin, attr in entries:
        grouped.setdefault(origin, []).append(attr)
    files[types_dir / "__init__.py"] = env.get_template(TYPES_INIT_TEMPLATE).render(
        header=header, resource=resource, entries=entries, grouped=sorted((m, sorted(a)) for m, a in grouped.items())
    )
    for public, origin, attr in entries:
        files[types_dir / f"{snake(public)}.py"] = env.get_template(TYPES_MODULE_TEMPLATE).render(
            header=header, public=public, origin=origin, attr=attr, resource=resource
        )
    files[pkg / "types" / "websocket_connection_options.py"] = env.get_template(OPTIONS_TEMPLATE).render(header=header)
    return files
