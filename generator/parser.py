"""Stage 4: the preprocessed spec + sdk.yaml -> the intermediate representation (generator.ir).

Resource tree: the static path segments (``/chat/completions`` ->
``client.chat.completions``) unless sdk.yaml names the resource. Method names:
GET on a collection -> ``list``, GET on an item -> ``retrieve``, POST ->
``create`` (or the action segment: ``/jobs/{id}/cancel`` -> ``cancel``),
PUT/PATCH -> ``update``, DELETE -> ``delete``, unless sdk.yaml names it.
"""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

import ast
import dataclasses
import re
import urllib.parse
from typing import Any, Literal

from .config import UNSET, OperationConfig, SdkConfig
from .errors import GeneratorError, SpecError, SpecErrors, pointer
from .ir import Name, Operation, PageInfo, Param, PyType, Resource, ResultBy, ResultCase, Sdk, StreamInfo
from .naming import RESERVED_CLASS_NAMES, RESERVED_PARAM_NAMES, attribute_name, pascal, safe_identifier, snake, unique
from .params import ParamTypes
from .preprocess import TERMINATOR_KEY
from .specutil import body_media, find_operation, flatten_object, json_media, resolve_ref, schema_name

_LOCATIONS = ("path", "query", "header")

# Attributes of the core's client classes that a top-level resource must not shadow.
RESERVED_CLIENT_ATTRS = frozenset(
    {
        "api_key",
        "auth_headers",
        "base_url",
        "close",
        "copy",
        "default_headers",
        "default_query",
        "is_closed",
        "max_retries",
        "organization",
        "project",
        "request",
        "stream_deadline",
        "stream_idle_timeout",
        "timeout",
        "total_timeout",
        "user_agent",
        "webhook_secret",
        "websocket_base_url",
        "with_options",
        "with_raw_response",
        "with_streaming_response",
    }
)
# Attributes of every generated resource class.
RESERVED_RESOURCE_ATTRS = frozenset({"with_raw_response", "with_streaming_response"})


def infer_names(path: str, method: str) -> tuple[tuple[str, ...], str]:
    """(resource path, method name) for an operation, from its path and HTTP method.

    A POST to a static segment after a parameter (``/jobs/{id}/cancel``) is an
    action on the item; :meth:`Parser.parse` turns it back into ``create`` on a
    sub-resource when other operations make that segment a resource
    (``/containers/{id}/files``)."""
    base, _, query = path.partition("?")
    segments = [s for s in base.strip("/").split("/") if s]
    if "beta=true" in query.split("&"):  # `/responses?beta=true` is the beta twin of `/responses`
        segments = ["beta", *segments]
    is_param = [s.startswith("{") for s in segments]
    action: str | None = None
    if method == "post" and len(segments) >= 2 and not is_param[-1] and is_param[-2]:
        action = snake(segments[-1])
        segments, is_param = segments[:-1], is_param[:-1]
    resource = tuple(snake(s) for s, p in zip(segments, is_param, strict=True) if not p)
    on_item = bool(is_param) and is_param[-1]
    if action is not None:
        name = action
    elif method == "get":
        name = "retrieve" if on_item else "list"
    elif method == "post":
        name = "update" if on_item else "create"
    elif method in ("put", "patch"):
        name = "update"
    elif method == "delete":
        name = "delete"
    else:
        name = method
    return resource, name


_VERSION_SEGMENT = re.compile(r"^v\d+([a-z]+\d*)?$")


def _static_prefix(paths: list[str]) -> int:
    """How many leading segments every path shares and can lose: ``/api/v3/pet``, ``/api/v3/store`` -> 2.
    A path keeps at least one static segment of its own."""
    lists = [[s for s in p.partition("?")[0].strip("/").split("/") if s] for p in paths]
    if not lists:
        return 0
    common = 0
    for parts in zip(*lists, strict=False):
        if len(set(parts)) != 1 or parts[0].startswith("{"):
            break
        common += 1
    shortest = min(len([s for s in parts if not s.startswith("{")]) for parts in lists)
    return max(0, min(common, shortest - 1))


def infer_operation_names(
    found: list[tuple[str, str, dict[str, Any]] | None],
) -> dict[tuple[str, str], tuple[tuple[str, ...], str]]:
    """(resource path, method name) for every operation of a spec without a config.

    The path-and-verb inference of :func:`infer_names` on the paths without their shared prefix
    (``/api/v3``) and a leading version segment (``/v1``); operations on ``/`` go to their first
    tag's resource (or ``root``). Where that gives two operations one name, or a method the name of a
    sub-resource, each of them is named after its operationId instead (``find_pets_by_status``).
    Every name goes through :mod:`generator.naming`, so none is a keyword, private, or shadows the
    client's or a resource's own attributes."""
    ops = [f for f in found if f is not None]
    drop = _static_prefix([path for path, _, _ in ops])
    names: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}
    stripped: dict[tuple[str, str], str] = {}
    for path, method, _ in ops:
        base, sep, query = path.partition("?")
        segments = [s for s in base.strip("/").split("/") if s][drop:]
        if segments and _VERSION_SEGMENT.match(segments[0]) and len(segments) > 1:
            segments = segments[1:]
        stripped[(path, method)] = "/" + "/".join(segments) + sep + query
    resources: set[tuple[str, ...]] = set()
    for (_, method), short in stripped.items():
        inferred, name = infer_names(short, method)
        if not (method == "post" and inferred and name == _last_static(short)):
            resources.add(inferred)
    for path, method, op in ops:
        short = stripped[(path, method)]
        resource, name = infer_names(short, method)
        if method == "post" and (*resource, name) in resources:
            resource, name = (*resource, name), "create"
        if not resource:
            tags = op.get("tags")
            tag = tags[0] if isinstance(tags, list) and tags and isinstance(tags[0], str) else ""
            resource = (snake(tag) or "root",)
        resource = tuple(
            attribute_name(part, RESERVED_CLIENT_ATTRS if i == 0 else RESERVED_RESOURCE_ATTRS)
            for i, part in enumerate(resource)
        )
        names[(path, method)] = (resource, attribute_name(name, RESERVED_RESOURCE_ATTRS))
    # Clashes: two operations on one name, or a method named like a sub-resource of its resource.
    children = {r[:i] + (r[i],) for r, _ in names.values() for i in range(len(r))}
    by_name: dict[tuple[tuple[str, ...], str], list[tuple[str, str]]] = {}
    for key, (resource, name) in names.items():
        by_name.setdefault((resource, name), []).append(key)
    taken: dict[tuple[str, ...], set[str]] = {}
    for (resource, name), keys in by_name.items():
        if len(keys) == 1 and (*resource, name) not in children:
            taken.setdefault(resource, set()).add(name)
    op_ids = {(path, method): str(op.get("operationId") or f"{method} {path}") for path, method, op in ops}
    for (resource, name), keys in by_name.items():
        if len(keys) == 1 and (*resource, name) not in children:
            continue
        for key in keys:
            wanted = attribute_name(op_ids[key], RESERVED_RESOURCE_ATTRS)
            used = taken.setdefault(resource, set()) | {c[-1] for c in children if c[:-1] == resource}
            names[key] = (resource, unique(wanted, used))
            taken[resource].add(names[key][1])
    return names


def _last_static(path: str) -> str | None:
    segments = [s for s in path.partition("?")[0].strip("/").split("/") if s]
    if len(segments) >= 2 and not segments[-1].startswith("{") and segments[-2].startswith("{"):
        return snake(segments[-1])
    return None


_TEMPLATE_FIELD = re.compile(r"\{([^{}]*)\}")
NO_CONTENT = PyType("None", frozenset({Name("types", "NoneType")}))
ANY_JSON = PyType("object")  # a response or chunk with no model: the parsed JSON


def _media_base(media_type: object) -> str:
    return media_type.split(";", 1)[0].strip().lower() if isinstance(media_type, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    """A description or summary: text, or None (a spec may put anything there)."""
    return value if isinstance(value, str) else None


def _is_object(doc: dict[str, Any], schema: Any, depth: int = 0) -> bool:
    """Whether a body schema is an object with named fields (through ``$ref`` and ``allOf``)."""
    if not isinstance(schema, dict) or depth > 50:
        return False
    if isinstance(schema.get("$ref"), str):
        try:
            return _is_object(doc, resolve_ref(doc, schema["$ref"]), depth + 1)
        except KeyError:
            return False
    if schema.get("properties") or (schema.get("type") == "object" and "additionalProperties" not in schema):
        return True
    return any(_is_object(doc, part, depth + 1) for part in _list(schema.get("allOf")))


def _is_binary(media: Any) -> bool:
    schema = media.get("schema") if isinstance(media, dict) else None
    return isinstance(schema, dict) and schema.get("format") == "binary"


def _variants(selection: OperationConfig) -> list[OperationConfig]:
    """The selections of an operation's ``also`` methods: its own entry with that method's name, ``page``,
    ``text`` and ``deprecated`` (the entry's warning unless it has its own), and a pointer to it."""
    return [
        dataclasses.replace(
            selection,
            method_name=variant.method_name,
            page=variant.page,
            text=variant.text,
            binary=selection.binary and not variant.text,
            deprecated=variant.deprecated or selection.deprecated,
            also=(),
            at=selection.pointer + pointer("also", index),
        )
        for index, variant in enumerate(selection.also)
    ]


class Parser:
    def __init__(
        self,
        doc: dict[str, Any],
        config: SdkConfig,
        spec_name: str,
        model_names: set[str],
        alias_names: set[str] | None = None,
    ) -> None:
        self.doc = doc
        self.config = config
        self.spec_name = spec_name
        self.model_names = model_names
        self.alias_names = alias_names or set()  # models that are type aliases (unions), not classes
        from .core_api import CoreNames

        # A parameter never takes the name of a per-call option (the core's make_request_options).
        self.reserved_params = RESERVED_PARAM_NAMES | {o.name for o in CoreNames.load().request_options}
        self.params = ParamTypes(doc, model_names)
        self.errors: list[SpecError] = []
        self.warnings: list[str] = []
        self._taken_class_names: set[str] | None = None

    def parse(self) -> Sdk:
        roots: dict[str, Resource] = {}
        seen_methods: dict[tuple[tuple[str, ...], str], str] = {}
        found_ops = [(sel, find_operation(self.doc, sel)) for sel in self.config.operations]
        # Resources named by a path on its own (not as an action): an action of the same name is a create.
        resources: set[tuple[str, ...]] = set()
        for _, found in found_ops:
            if found is not None:
                inferred, name = infer_names(found[0], found[1])
                if not (found[1] == "post" and inferred and name == _last_static(found[0])):
                    resources.add(inferred)
        inferred_names = infer_operation_names([f for _, f in found_ops]) if self.config.infer else {}
        for selection, found in found_ops:
            if found is None:  # the loader already reported it
                continue
            path, method, op = found
            resource_path, method_name = infer_names(path, method)
            if method == "post" and (*resource_path, method_name) in resources:
                resource_path, method_name = (*resource_path, method_name), "create"
            if self.config.infer:
                resource_path, method_name = inferred_names[(path, method)]
            if resource_path and resource_path[0] in self.config.resource_roots:
                root = tuple(self.config.resource_roots[resource_path[0]].split("."))
                resource_path = (*root, *resource_path[1:])
            if selection.resource:
                resource_path = tuple(selection.resource.split("."))
            if selection.method_name:
                method_name = selection.method_name
            if not resource_path:
                self._error(selection, f"cannot infer a resource for {path}; set `resource` in sdk.yaml")
                continue
            if resource_path[0] in RESERVED_CLIENT_ATTRS or resource_path[0].startswith("_"):
                self._error(
                    selection,
                    f"resource {resource_path[0]!r} would shadow the client attribute of that name; "
                    "set `resource` in sdk.yaml",
                )
                continue
            methods = [(selection, method_name), *((v, v.method_name or "") for v in _variants(selection))]
            clash = False
            for chosen, name in methods:
                if name in RESERVED_RESOURCE_ATTRS or name.startswith("_"):
                    self._error(chosen, f"method name {name!r} is reserved; set `method_name` in sdk.yaml")
                    clash = True
                    continue
                key = (resource_path, name)
                if key in seen_methods:
                    self._error(
                        chosen,
                        f"{'.'.join(resource_path)}.{name} is also generated for {seen_methods[key]}; "
                        "set `method_name` in sdk.yaml",
                    )
                    clash = True
                    continue
                seen_methods[key] = op["operationId"]
            if clash:
                continue
            self._resource(roots, resource_path).operations.extend(self._operation(methods, path, method, op))
        for root in roots.values():
            for resource in root.walk():
                clashes = {op.name for op in resource.operations} & {c.attr for c in resource.children}
                for name in sorted(clashes):
                    op = next(o for o in resource.operations if o.name == name)
                    selection = next(
                        s
                        for s, f in found_ops
                        if f is not None and f[2] is not None and f[2].get("operationId") == op.operation_id
                    )
                    self._error(
                        selection,
                        f"method {'.'.join(resource.path)}.{name} clashes with the sub-resource of that name; "
                        "set `method_name` or `resource` in sdk.yaml",
                    )
        aliases: dict[str, Resource] = {}
        for attr, target in self.config.resource_aliases.items():
            where = pointer("resource_aliases", attr)
            found = self._find(roots, tuple(target.split(".")))
            if found is None:
                self.errors.append(SpecError(self.config.source, where, f"no resource {target!r} to alias"))
            elif attr in roots or attr in RESERVED_CLIENT_ATTRS or attr.startswith("_"):
                self.errors.append(SpecError(self.config.source, where, f"{attr!r} is already a client attribute"))
            else:
                aliases[attr] = found
        mixins: dict[tuple[str, ...], tuple[str, str]] = {}
        wrapped: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for dotted, mixin in self.config.resource_mixins.items():
            if self._find(roots, tuple(dotted.split("."))) is None:
                where = pointer("resource_mixins", dotted)
                self.errors.append(SpecError(self.config.source, where, f"no resource {dotted!r} to add helpers to"))
            else:
                mixins[tuple(dotted.split("."))] = (mixin.sync, mixin.async_)
                if mixin.raw or mixin.streaming:
                    wrapped[tuple(dotted.split("."))] = (mixin.raw, mixin.streaming)
        lib_resources: dict[str, tuple[str, str]] = {}
        for attr, entry in self.config.lib_resources.items():
            if attr in roots or attr in aliases or attr in RESERVED_CLIENT_ATTRS:
                where = pointer("lib_resources", attr)
                self.errors.append(SpecError(self.config.source, where, f"{attr!r} is already a client attribute"))
            else:
                lib_resources[attr] = entry
        if self.errors:
            raise self.errors[0] if len(self.errors) == 1 else SpecErrors(self.errors)

        renames = self.config.model_renames
        info = self.doc.get("info") or {}
        return Sdk(
            package=self.config.package,
            sync_client=self.config.client.sync_class,
            async_client=self.config.client.async_class,
            api_key_env=self.config.client.api_key_env,
            base_url_env=self.config.client.base_url_env,
            default_base_url=self.config.client.default_base_url,
            spec_title=str(info.get("title", "")),
            spec_version=str(info.get("version", "")),
            resources=[roots[name] for name in roots],
            models=sorted(self.model_names),
            model_aliases={old: new for old, new in sorted(renames.items()) if old != new and new in self.model_names},
            params=self.params.definitions,
            resource_aliases=aliases,
            package_doc=self.config.package_doc or f"{self.config.package}: a Python client for {info.get('title')}.",
            auth=self.config.client.auth,
            openai_headers=self.config.client.openai_headers,
            module_client=self.config.client.module_client,
            admin_api_key_env=self.config.client.admin_key.env if self.config.client.admin_key else None,
            self_contained=self.config.copy_core,
            resource_mixins=mixins,
            mixin_wrapped=wrapped,
            lib_exports=self.config.lib_exports,
            lib_resources=lib_resources,
        )

    # -- resources ------------------------------------------------------------------------

    @staticmethod
    def _find(roots: dict[str, Resource], path: tuple[str, ...]) -> Resource | None:
        node = roots.get(path[0])
        for part in path[1:]:
            if node is None:
                return None
            node = next((c for c in node.children if c.attr == part), None)
        return node

    def _class_name(self, attr: str) -> str:
        """A resource class name that shadows no model, request type or core name where it is imported."""
        taken = self._taken_class_names
        if taken is None:
            from .core_api import CoreNames

            taken = self._taken_class_names = (
                set(self.model_names)
                | set(self.params.component_names())
                | set(CoreNames.load().names)
                | set(RESERVED_CLASS_NAMES)
                | {self.config.client.sync_class, self.config.client.async_class}
            )
        base = pascal(attr) or "Resource"
        name = base if base not in taken and "Async" + base not in taken else base + "Resource"
        number = 2
        while name in taken or "Async" + name in taken:
            name, number = f"{base}Resource{number}", number + 1
        return name

    def _resource(self, roots: dict[str, Resource], path: tuple[str, ...]) -> Resource:
        node = roots.get(path[0])
        if node is None:
            node = roots[path[0]] = Resource(attr=path[0], class_name=self._class_name(path[0]), path=path[:1])
        for depth in range(1, len(path)):
            child = next((c for c in node.children if c.attr == path[depth]), None)
            if child is None:
                child = Resource(attr=path[depth], class_name=self._class_name(path[depth]), path=path[: depth + 1])
                node.children.append(child)
            node = child
        return node

    # -- operations -----------------------------------------------------------------------

    def _error(self, selection: OperationConfig, problem: str, *, in_spec: str | None = None) -> None:
        if in_spec is not None:
            self.errors.append(SpecError(self.spec_name, in_spec, problem))
        else:
            self.errors.append(SpecError(self.config.source, selection.pointer, problem))

    def _operation(
        self, methods: list[tuple[OperationConfig, str]], path: str, method: str, op: dict[str, Any]
    ) -> list[Operation]:
        """The operation's methods: the first of ``methods`` (its sdk.yaml entry), then its ``also`` entries.
        They share the parameters (parsed once, so every request type is made once) and differ in what
        they return and whether they warn."""
        selection = methods[0][0]
        op_id: str = op["operationId"]
        op_ptr = pointer("paths", path, method)
        hint = pascal(op_id)
        params: list[Param] = []

        # Path, query and header parameters (operation-level ones override path-level ones).
        infer = self.config.infer
        declared: dict[tuple[str, str], dict[str, Any]] = {}
        path_item = self.doc["paths"][path]
        for raw in [*_list(path_item.get("parameters")), *_list(op.get("parameters"))]:
            param = resolve_ref(self.doc, raw["$ref"]) if isinstance(raw, dict) and "$ref" in raw else raw
            if isinstance(param, dict) and param.get("in") in _LOCATIONS and isinstance(param.get("name"), str):
                declared[(param["in"], param["name"])] = param
        template = [m.group(1) for m in _TEMPLATE_FIELD.finditer(path.partition("?")[0])]
        for wire in template:
            if ("path", wire) not in declared:
                if not infer:
                    self._error(selection, f"path parameter {{{wire}}} is not declared", in_spec=op_ptr)
                    return []
                declared[("path", wire)] = {"in": "path", "name": wire, "required": True, "schema": {"type": "string"}}
        taken: set[str] = set()
        for (location, wire), param in declared.items():
            if location == "path" and wire not in template:
                continue  # declared but not in the path: nothing to fill in
            py_name = safe_identifier(wire, self.reserved_params)
            if location == "header" and wire.lower() in self.config.header_parameters:
                py_name = self.config.header_parameters[wire.lower()]  # sdk.yaml: the official SDK's name
            if py_name in taken:
                if not infer:
                    self._error(selection, f"two parameters are named {py_name!r} in Python", in_spec=op_ptr)
                    return []
                py_name = unique(f"{py_name}_{location}", taken)
            taken.add(py_name)
            schema = param.get("schema")
            params.append(
                Param(
                    name=py_name,
                    wire_name=wire,
                    location=location,  # type: ignore[arg-type]
                    type=self.params.type_of(schema if isinstance(schema, dict) else {}, hint + pascal(wire)),
                    required=bool(param.get("required")) or location == "path",
                    description=_text(param.get("description")),
                    deprecated=bool(param.get("deprecated")),
                )
            )

        # Request body.
        body_kind: Literal["json", "multipart", "form", "raw"] | None = None
        body_content_type: str | None = None
        json_without_files = False
        body = op.get("requestBody")
        if isinstance(body, dict):
            body = resolve_ref(self.doc, body["$ref"]) if "$ref" in body else body
            content = _dict(body.get("content"))
            chosen = body_media(content)
            media: dict[str, Any] | None = None
            if chosen is not None and chosen[0] == "multipart/form-data":
                media, body_kind = chosen[1], "multipart"
                json_without_files = json_media(content) is not None
            elif chosen is not None and chosen[0] != "multipart/form-data" and json_media(content) is chosen[1]:
                media, body_kind = chosen[1], "json"
            elif infer and isinstance(content.get("application/x-www-form-urlencoded"), dict):
                media, body_kind = content["application/x-www-form-urlencoded"], "form"
            elif infer and chosen is not None:
                # Any other media type (octet-stream, text, XML...): the whole body is one parameter, sent as it is.
                body_kind, body_content_type = "raw", chosen[0]
                params.append(
                    Param(
                        name=unique("body", taken),
                        wire_name="",
                        location="body",
                        type=PyType("FileContent | str", frozenset({Name("core", "FileContent")})),
                        required=bool(body.get("required")),
                        description=_text(body.get("description")) or f"The request body, sent as {chosen[0]}.",
                        whole_body=True,
                    )
                )
                taken.add("body")
            if infer and media is not None and not isinstance(media.get("schema"), dict):
                media = {**media, "schema": {}}
            if body_kind == "raw":
                pass
            elif media is None or not isinstance(media.get("schema"), dict):
                problem = f"unsupported request body media types: {sorted(content)}"
                if infer and not body.get("required"):
                    self.warnings.append(f"{self.spec_name}#{op_ptr}/requestBody: {problem}; the body is left out")
                elif infer:
                    self.warnings.append(f"{self.spec_name}#{op_ptr}/requestBody: {problem}; operation left out")
                    return []
                else:
                    self._error(selection, problem, in_spec=op_ptr)
                    return []
            else:
                body_schema = media["schema"]
                owner = schema_name(body_schema.get("$ref", "")) if "$ref" in body_schema else None
                body_hint = owner or f"{hint}Body"
                fields, flat = self.params.object_fields(body_schema, body_hint, owner)
                if infer and body_kind == "json" and not flat.properties and not _is_object(self.doc, body_schema):
                    # An array, a string, a union of objects...: the whole body is one parameter.
                    fields = []
                    params.append(
                        Param(
                            name=unique("body", taken),
                            wire_name="",
                            location="body",
                            type=self.params.type_of(body_schema, body_hint),
                            required=bool(body.get("required")),
                            description=_text(body.get("description")),
                            whole_body=True,
                        )
                    )
                encodings: dict[str, str] = {}
                if body_kind == "multipart":
                    for field_name, encoding in _dict(media.get("encoding")).items():
                        content_type = encoding.get("contentType") if isinstance(encoding, dict) else None
                        if isinstance(content_type, str) and content_type != "text/plain":
                            encodings[field_name] = content_type
                for field in fields:
                    is_file = body_kind == "multipart" and "FileTypes" in field.type.expr
                    py_name = safe_identifier(field.name, self.reserved_params)
                    if py_name in taken:
                        if not infer:
                            self._error(
                                selection,
                                f"body field {field.name!r} clashes with a parameter of the same name",
                                in_spec=op_ptr,
                            )
                            continue
                        py_name = unique(f"body_{py_name}", taken)
                    taken.add(py_name)
                    params.append(
                        Param(
                            name=py_name,
                            wire_name=field.name,
                            location="body",
                            type=field.type,
                            required=field.required,
                            description=field.description,
                            deprecated=field.deprecated,
                            is_file=is_file,
                            part_type=None if is_file else encodings.get(field.name),
                        )
                    )
        assert not any(p.name in self.reserved_params for p in params)

        # Path parameters first (in path order), then required, then optional, each sorted by name.
        path_order = [seg.strip("{}") for seg in path.split("/") if seg.startswith("{")]
        path_params = sorted(
            (p for p in params if p.location == "path"),
            key=lambda p: path_order.index(p.wire_name) if p.wire_name in path_order else len(path_order),
        )
        rest = sorted((p for p in params if p.location != "path"), key=lambda p: (not p.required, p.name))
        ordered = (*path_params, *rest)
        fixed_query = tuple(urllib.parse.parse_qsl(path.partition("?")[2], keep_blank_values=True))
        operations: list[Operation] = []
        for chosen, name in methods:
            response, success = self._response(chosen, op, op_ptr)
            if response is None:
                continue
            stream = self._stream(chosen, success, params, op_ptr)
            if stream is not None and chosen.text:
                self._error(chosen, "text: a streaming operation cannot return its body as text")
                continue
            page = self._page(chosen, method, op, params)
            result_by = self._result_by(chosen, params, page, stream)
            used = [response, *([stream.chunk] if stream else []), *([page.item] if page else [])]
            used += [case.type for case in result_by.cases] if result_by else []
            models = frozenset(n.name for t in used for n in t.names if n.origin == "models")
            if page is not None:
                response = page.item
            description = _text(op.get("description"))
            if chosen is not selection:  # an `also` method: the spec's description is the first method's
                first = operations[0] if operations else None
                description = f"The same request as ``{methods[0][1]}``"
                if chosen.text:
                    description += ", with the body returned as text (a ``str``)."
                elif page is None and first is not None and first.page is not None:
                    description += ", returning the whole response rather than a page."
                else:
                    description += "."
            operations.append(
                Operation(
                    operation_id=op_id,
                    fixed_query=fixed_query,
                    http_method=method,
                    path=path,
                    name=name,
                    summary=_text(op.get("summary")),
                    description=description,
                    params=ordered,
                    body_kind=body_kind,
                    body_content_type=body_content_type,
                    response=response,
                    stream=stream,
                    page=page,
                    deprecated=bool(op.get("deprecated")) or chosen.deprecated is not None,
                    deprecation=chosen.deprecated
                    or (f"{method.upper()} {path} is deprecated by the API." if op.get("deprecated") else None),
                    response_is_alias=response.expr in self.alias_names,
                    models=models,
                    security=self._security(op),
                    json_without_files=json_without_files,
                    result_by=result_by,
                )
            )
        return operations

    def _result_by(
        self, selection: OperationConfig, params: list[Param], page: PageInfo | None, stream: StreamInfo | None
    ) -> ResultBy | None:
        """sdk.yaml ``result_by``: the parameter it names and, per result type, the values that give it."""
        config = selection.result_by
        if config is None:
            return None
        if page is not None or selection.text:
            self._error(selection, "result_by: a method that returns a page or text has one result type")
            return None
        if stream is not None and (stream.param is None or stream.value is not True):
            self._error(selection, "result_by: the operation must stream on `stream=True`, or not stream")
            return None
        param = next((p for p in params if p.location in ("body", "query") and p.wire_name == config.param), None)
        if param is None or param.required:
            self._error(selection, f"result_by: {config.param!r} is not an optional body field or query parameter")
            return None
        groups: dict[str, list[str]] = {}
        for value, result in config.cases:
            name = result if result == "str" else self.config.model_renames.get(result, result)
            if name != "str" and name not in self.model_names:
                self._error(selection, f"result_by: {result!r} (for {value!r}) is not a generated model")
                return None
            groups.setdefault(name, []).append(value)
        default = config.cases[0][1]
        cases = tuple(
            ResultCase(
                values=tuple(values),
                type=PyType("str") if name == "str" else PyType(name, frozenset({Name("models", name)})),
                default=name == (default if default == "str" else self.config.model_renames.get(default, default)),
            )
            for name, values in groups.items()
        )
        return ResultBy(param=param, cases=cases)

    def _security(self, op: dict[str, Any]) -> Literal["admin"] | None:
        """ "admin" when the operation's security names sdk.yaml's admin key scheme (OpenAI's admin endpoints)."""
        admin = self.config.client.admin_key
        requirements = op.get("security")
        if admin is None or not isinstance(requirements, list):
            return None
        named = any(isinstance(r, dict) and admin.scheme in r for r in requirements)
        return "admin" if named else None

    def _model_type(self, schema: Any, ptr: str) -> PyType | None:
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        name = schema_name(ref) if isinstance(ref, str) else None
        if name is None:
            if self.config.infer:  # no schema at all (or one no model was made of): the JSON as it is
                return ANY_JSON
            self.errors.append(
                SpecError(self.spec_name, ptr, "response schemas must be a $ref to a component schema (give it a name)")
            )
            return None
        if name not in self.model_names:
            if self.config.infer:
                self.warnings.append(f"{self.spec_name}#{ptr}: no model was made of {name!r}; returned as plain JSON")
                return ANY_JSON
            raise GeneratorError(f"model {name!r} was not generated into types/_models.py")
        return PyType(name, frozenset({Name("models", name)}))

    def _response(
        self, selection: OperationConfig, op: dict[str, Any], op_ptr: str
    ) -> tuple[PyType | None, dict[str, Any]]:
        responses = _dict(op.get("responses"))
        codes = sorted(code for code in responses if str(code).startswith("2"))
        if not codes:
            if self.config.infer:  # only 101/3xx/errors (a protocol switch, a redirect): nothing to parse
                return NO_CONTENT, {}
            self._error(selection, "no 2xx response", in_spec=op_ptr + "/responses")
            return None, {}
        code = codes[0]
        response = _dict(responses[code])
        if "$ref" in response:
            response = _dict(resolve_ref(self.doc, response["$ref"]))
        content = _dict(response.get("content"))
        ptr = op_ptr + pointer("responses", code, "content")
        if selection.text:  # sdk.yaml: the body as text, whatever the spec declares
            return PyType("str"), response
        binary = PyType("BinaryAPIResponse", frozenset({Name("core", "BinaryAPIResponse")}))
        if not content:
            return (binary if selection.binary else NO_CONTENT), response
        if self.config.infer and {_media_base(t) for t in content} == {"text/event-stream"}:
            return NO_CONTENT, response  # a stream-only operation: the stream is its result
        media = json_media(content)
        schema = media.get("schema") if media is not None else None
        if any(_is_binary(m) for mt, m in content.items() if mt != "text/event-stream") or (
            isinstance(schema, dict) and schema.get("type") == "string"
        ):
            return binary, response  # file content: the caller reads the bytes
        if media is not None:
            return self._model_type(schema, ptr + pointer("application/json", "schema")), response
        if any(mt != "text/event-stream" for mt in content):
            return binary, response
        self._error(selection, f"unsupported response media types {sorted(content)}", in_spec=ptr)
        return None, response

    def _unwrap_sse_data(self, schema: Any) -> Any:
        """An event schema that describes the SSE fields (``{event, data, id}``) stands for its ``data``:
        the core hands the chunk type the data alone."""
        target = schema
        for _ in range(10):
            if not (isinstance(target, dict) and isinstance(target.get("$ref"), str)):
                break
            try:
                target = resolve_ref(self.doc, target["$ref"])
            except KeyError:
                return schema
        props = _dict(target.get("properties")) if isinstance(target, dict) else {}
        if "data" in props and set(props) <= {"event", "data", "id", "retry"}:
            return props["data"]
        return schema

    def _page_error(self, selection: OperationConfig, problem: str) -> None:
        if selection.page is not UNSET:
            self._error(selection, f"page: {selection.page!r} is set, but {problem}")

    def _stream(
        self, selection: OperationConfig, response: dict[str, Any], params: list[Param], op_ptr: str
    ) -> StreamInfo | None:
        content = _dict(response.get("content"))
        chunk: PyType | None = None
        sse = content.get("text/event-stream")
        if sse is None and self.config.infer:
            sse = next((m for t, m in content.items() if _media_base(t) == "text/event-stream"), None)
        sse_only = self.config.infer and {_media_base(t) for t in content} == {"text/event-stream"}
        if isinstance(sse, dict) and "schema" in sse:
            schema = self._unwrap_sse_data(sse["schema"]) if self.config.infer else sse["schema"]
            chunk = self._model_type(schema, op_ptr + "/responses/200/content/text~1event-stream/schema")
        elif self.config.infer and isinstance(sse, dict):
            chunk = ANY_JSON  # no schema: each event's data as JSON
        elif selection.stream and selection.stream.chunk_schema:
            name = self.config.model_renames.get(selection.stream.chunk_schema, selection.stream.chunk_schema)
            chunk = PyType(name, frozenset({Name("models", name)}))
            # A union sdk.yaml defines (stream.union) exists once the pipeline added it to the spec;
            # callers that parse the bare spec (the diff, the e2e case builder) get its name anyway.
            if name not in self.model_names and not selection.stream.union:
                raise GeneratorError(f"stream chunk model {name!r} was not generated into types/_models.py")
        if chunk is None:
            return None
        terminator = self.config.stream_terminator
        if isinstance(sse, dict) and isinstance(sse.get(TERMINATOR_KEY), str):  # the spec names one
            terminator = sse[TERMINATOR_KEY]
        if selection.stream is not None and selection.stream.terminator is not UNSET:
            terminator = selection.stream.terminator
        wire = (selection.stream.param if selection.stream else None) or "stream"
        value = selection.stream.value if selection.stream else True
        flag = next((p for p in params if p.location in ("body", "query") and p.wire_name == wire), None)
        if self.config.infer and flag is not None and (sse_only or flag.type.expr not in ("bool", "bool | None")):
            flag = None  # streams whatever it is given (or the switch is no boolean we can overload on)
        if self.config.infer and flag is None and not sse_only:
            return None  # JSON or a stream, and nothing to choose with: the JSON
        if flag is None and selection.stream is not None and selection.stream.param:
            self._error(selection, f"stream.param {wire!r} is not a body field or query parameter of this operation")
            return None
        others: tuple[str | int, ...] = ()
        if flag is not None and value is not True:
            literal = flag.type.expr.removesuffix(" | None")
            if not literal.startswith("Literal["):
                self._error(selection, f"stream.param {wire!r} must be an enum to switch streaming by a value")
                return None
            others = tuple(ast.literal_eval(f"[{literal[len('Literal[') : -1]}]"))
            if value not in others:
                self._error(selection, f"stream.value {value!r} is not a value of {wire!r} ({literal})")
                return None
            others = tuple(v for v in others if v != value)
        return StreamInfo(
            chunk=chunk,
            chunk_name=chunk.expr,
            terminator=terminator,
            param=flag,
            value=value,
            other_values=others,
            envelope=bool(selection.stream and selection.stream.envelope),
        )

    def _page(
        self, selection: OperationConfig, method: str, op: dict[str, Any], params: list[Param]
    ) -> PageInfo | None:
        """List operations by the shape of their response, unless sdk.yaml's ``page`` says otherwise.

        A ``data`` array, and: ``has_more`` + an ``after`` query parameter (cursor: the last item's id),
        ``has_more`` + ``next`` + ``after`` (the cursor is ``next``), ``has_more`` + ``next_page`` + a
        ``page`` query parameter (a page token); or no paging fields (the whole list).
        """
        if selection.page is None or selection.text or (method != "get" and selection.page is UNSET):
            return None
        responses = _dict(op.get("responses"))
        media = json_media(_dict(_dict(responses.get("200")).get("content")))
        schema = media.get("schema") if media else None
        if not isinstance(schema, dict) or "$ref" not in schema:
            return self._page_error(selection, "its response is not a named object schema")
        flat = flatten_object(self.doc, schema)
        data = flat.properties.get("data")
        if data is None or not isinstance(data.schema, dict) or data.schema.get("type") != "array":
            return self._page_error(selection, "its response has no `data` array")
        items = data.schema.get("items") or {}
        item_name = schema_name(items.get("$ref", "")) if isinstance(items, dict) else None
        if item_name is None or item_name not in self.model_names:
            return self._page_error(selection, "the items of its `data` array are not a named model")
        item = PyType(item_name, frozenset({Name("models", item_name)}))
        if selection.page is not UNSET:
            return PageInfo(kind=selection.page, item=item, item_name=item_name)
        query = {p.wire_name for p in params if p.location == "query"}
        if "has_more" in flat.properties:
            fields = set(flat.properties)
            if "next" in fields and "after" in query:
                return PageInfo(kind="next_cursor", item=item, item_name=item_name)
            if "next_page" in fields and "page" in query:
                return PageInfo(kind="next_page", item=item, item_name=item_name)
            if "after" in query and not ({"next", "next_page"} & fields):
                return PageInfo(kind="cursor", item=item, item_name=item_name)
            return None  # paginated in a way the core has no page class for
        object_prop = flat.properties.get("object")
        object_enum = object_prop.schema.get("enum") if object_prop and isinstance(object_prop.schema, dict) else None
        if object_enum == ["list"] or object_prop is None:
            return PageInfo(kind="page", item=item, item_name=item_name)
        return None
