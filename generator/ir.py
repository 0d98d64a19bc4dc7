"""The intermediate representation the templates render: resources, operations, parameters.

It is built by :mod:`generator.parser` from the preprocessed spec and holds
everything a template needs, already decided (Python names, type expressions,
imports), so that templates only lay text out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .config import AuthConfig
from .core_api import page_base

# Where a name used in a type expression is imported from, relative to the package root.
Origin = Literal["typing", "typing_extensions", "collections.abc", "types", "httpx", "core", "models", "params"]


@dataclass(frozen=True, order=True)
class Name:
    origin: Origin
    name: str


@dataclass(frozen=True)
class PyType:
    """A Python type expression plus the names it needs imported."""

    expr: str
    names: frozenset[Name] = frozenset()

    def union(self, *others: PyType) -> PyType:
        parts: list[str] = []
        for part in (self, *others):
            if part.expr not in parts:
                parts.append(part.expr)
        names = self.names.union(*(o.names for o in others))
        return PyType(" | ".join(parts), names)

    @property
    def is_nullable(self) -> bool:
        return "None" in (p.strip() for p in self.expr.split("|"))


ParamLocation = Literal["path", "query", "header", "body"]


@dataclass(frozen=True)
class Param:
    name: str  # Python keyword argument
    wire_name: str  # name in the path template, query string, header or JSON body
    location: ParamLocation
    type: PyType  # without NotGiven
    required: bool
    description: str | None = None
    deprecated: bool = False
    is_file: bool = False  # multipart: goes into ``files=``
    part_type: str | None = None  # multipart: sent as its own part of this content type (spec ``encoding``)
    whole_body: bool = False  # the whole JSON body (an array, a union...), not one of its fields


@dataclass(frozen=True)
class StreamInfo:
    chunk: PyType  # one event's payload type
    chunk_name: str  # its model name, for Stream[...] subscripts
    terminator: str | None
    param: Param | None  # the body field that switches streaming on (None: always streams)
    value: bool | str | int = True  # the value of ``param`` that streams (``stream=True``, ``stream_format="sse"``)
    other_values: tuple[str | int, ...] = ()  # for an enum ``param``: its values that do not stream
    envelope: bool = False  # ``chunk`` is built from the whole SSE event (``event`` line + ``data``)


@dataclass(frozen=True)
class ResultCase:
    """The values of a ``result_by`` parameter that give one result type."""

    values: tuple[str, ...]
    type: PyType
    default: bool = False  # also what a call without the parameter returns


@dataclass(frozen=True)
class ResultBy:
    """sdk.yaml ``result_by``: an overload per result type, chosen by the value of ``param``."""

    param: Param
    cases: tuple[ResultCase, ...]


@dataclass(frozen=True)
class PageInfo:
    kind: Literal["page", "cursor", "next_cursor", "next_page"]
    item: PyType
    item_name: str

    @property
    def sync_class(self) -> str:
        return "Sync" + page_base(self.kind)

    @property
    def async_class(self) -> str:
        return "Async" + page_base(self.kind)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    http_method: str  # lower case
    path: str  # as in the spec: /models/{model}
    name: str  # Python method name
    summary: str | None
    description: str | None
    params: tuple[Param, ...]
    # json: fields as JSON; multipart: a form with files; form: fields urlencoded; raw: one parameter, the whole body
    body_kind: Literal["json", "multipart", "form", "raw"] | None
    response: PyType  # cast_to (the item type for pages)
    stream: StreamInfo | None = None
    body_content_type: str | None = None  # the media type of a raw body (body_kind "raw")
    page: PageInfo | None = None
    deprecated: bool = False
    deprecation: str | None = None  # the DeprecationWarning text when the method warns (sdk.yaml, or a default)
    fixed_query: tuple[tuple[str, str], ...] = ()  # from a query string in the spec's path (`?beta=true`)
    response_is_alias: bool = False  # a union type alias, not a class: ``cast_to`` needs a ``cast``
    models: frozenset[str] = frozenset()  # every model the operation returns (list wrapper, page item, chunk)
    security: Literal["admin"] | None = None  # "admin": secured by sdk.yaml client.admin_key's scheme
    json_without_files: bool = False  # multipart that also takes JSON: a call given no file sends JSON
    result_by: ResultBy | None = None  # overloads whose result type follows one parameter's value

    @property
    def path_params(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.location == "path")

    @property
    def query_params(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.location == "query")

    @property
    def header_params(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.location == "header")

    @property
    def body_params(self) -> tuple[Param, ...]:
        return tuple(
            p
            for p in self.params
            if p.location == "body" and not p.is_file and p.part_type is None and not p.whole_body
        )

    @property
    def whole_body(self) -> Param | None:
        return next((p for p in self.params if p.whole_body), None)

    @property
    def file_params(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.is_file or p.part_type is not None)


@dataclass
class Resource:
    attr: str  # attribute on the parent: "completions"
    class_name: str  # "Completions"
    path: tuple[str, ...]  # ("chat", "completions")
    operations: list[Operation] = field(default_factory=lambda: [])
    children: list[Resource] = field(default_factory=lambda: [])

    @property
    def is_package(self) -> bool:
        """Resources with sub-resources live in a package: resources/chat/{__init__,chat}.py."""
        return bool(self.children)

    @property
    def module(self) -> str:
        """Dotted module path below ``oai.resources``: ``chat.chat``, ``chat.completions``, ``models``."""
        if self.is_package:
            return ".".join((*self.path, self.path[-1]))
        return ".".join(self.path)

    @property
    def import_module(self) -> str:
        """Module to import the class from: the package for packages."""
        return ".".join(self.path)

    def walk(self) -> list[Resource]:
        out: list[Resource] = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass(frozen=True)
class TypedDictField:
    name: str  # wire name (TypedDict keys are wire names)
    type: PyType
    required: bool
    description: str | None
    deprecated: bool = False


@dataclass(frozen=True)
class ParamDef:
    """One definition in oai/types/_params.py: a TypedDict or a type alias."""

    name: str
    kind: Literal["typeddict", "alias"]
    description: str | None = None
    fields: tuple[TypedDictField, ...] = ()
    alias: PyType | None = None
    quote_alias: bool = False  # refers to names defined later (or itself)


@dataclass
class Sdk:
    package: str
    sync_client: str
    async_client: str
    api_key_env: str
    base_url_env: str
    default_base_url: str
    spec_title: str
    spec_version: str
    resources: list[Resource]
    models: list[str]  # public names defined in types/_models.py
    model_aliases: dict[str, str]  # spec name -> public name
    params: list[ParamDef]
    version: str = "0.0.0"
    package_doc: str = ""
    auth: AuthConfig = field(default_factory=AuthConfig)
    openai_headers: bool = True  # send OpenAI-Organization / OpenAI-Project (the core's defaults)
    module_client: str | None = None  # sdk.yaml client.module_client: lib module building the module-level client
    admin_api_key_env: str | None = None  # sdk.yaml client.admin_key.env: where the client's admin_api_key comes from
    self_contained: bool = False  # the core is copied in and a pyproject.toml written beside the package
    model_modules: dict[str, str] = field(default_factory=lambda: {})  # model -> module under types/_models/
    resource_aliases: dict[str, Resource] = field(default_factory=lambda: {})  # client attribute -> resource
    # Classes written elsewhere that a resource class inherits first (sdk.yaml resource_mixins for lib/ helpers,
    # generator/realtime.py for connect()): resource path -> (sync, async) dotted class paths below the package;
    # names a resource module re-exports from another module: resource path -> (dotted module below the package,
    # names) (the realtime connection classes); and names re-exported lazily from lib/ ("package"/"types" -> name
    # -> module).
    resource_mixins: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=lambda: {})
    # Helper methods of those mixins that the resource's with_raw_response / with_streaming_response wrap too.
    mixin_wrapped: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=lambda: {})
    resource_exports: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = field(default_factory=lambda: {})
    lib_exports: dict[str, dict[str, str]] = field(default_factory=lambda: {})
    lib_resources: dict[str, tuple[str, str]] = field(default_factory=lambda: {})  # attr -> (lib.mod.Class, doc)
    # Names the flat ``types`` module exports besides its own (the official SDK's ``openai.types`` names,
    # generator/official_types.py): (public name, module dotted below ``types``, attribute); its own win.
    type_exports: list[tuple[str, str, str]] = field(default_factory=lambda: [])
    official_params: list[ParamDef] = field(default_factory=lambda: [])  # types/_official_params.py

    def model_module(self, name: str) -> str:
        return "types._models." + self.model_modules.get(name, "other")

    def all_resources(self) -> list[Resource]:
        out: list[Resource] = []
        for resource in self.resources:
            out.extend(resource.walk())
        return out
