"""Stage 5a: IR -> views, the data each template lays out (nothing here prints Python).

:mod:`generator.ir` says what the SDK has (resources, operations, parameters); this
module decides how each generated file presents it: which names a module imports,
each method's signatures (overloads for streams, positional and keyword-only
parameters), the docstrings' lines, and the arguments of the one core call a method
makes. The Python shapes themselves (a ``def``, a dict literal, an f-string path) are
the macros in ``templates/_macros.jinja``; :mod:`generator.render` feeds these views to
the templates and returns the file map.

Views hold Python *expressions* for types (``Sequence[ChatCompletionToolParam] | None``)
and identifiers that :mod:`generator.naming` made valid; every text from the spec is
already escaped by :mod:`generator.escape`.
"""

from __future__ import annotations

import builtins
import re
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .core_api import CoreNames
from .escape import doc_text, fstring_text, py_literal
from .ir import Name, Operation, Param, ParamDef, Resource, ResultBy, Sdk

DOC_WIDTH = 100  # docstring text wraps here (indentation comes on top, line limit is 120)

_EXTRA_ARGS = (
    ("extra_headers", "Headers sent with this request on top of the client's."),
    ("extra_query", "Query parameters added to this request's URL."),
    ("extra_body", "JSON properties merged into the request body."),
    ("timeout", "Timeout for this request in seconds (or an ``httpx.Timeout``), instead of the client's."),
)
"""The official SDK's per-call options, each documented in every method's docstring; the core's others
(``make_request_options``'s further parameters) are named together in one closing entry."""

_OPTIONS_COMMENT = "Per-request options, applied on top of the client's settings:"


def paragraphs(text: object, width: int = DOC_WIDTH) -> list[str]:
    """Docstring lines for ``text``: escaped, wrapped, blank-line paragraph breaks kept."""
    if not text or not isinstance(text, str):  # a spec may put anything where text belongs
        return []
    lines: list[str] = []
    for block in doc_text(text.strip()).split("\n\n"):
        if lines:
            lines.append("")
        lines.extend(textwrap.wrap(" ".join(block.split()), width=width, break_on_hyphens=False) or [""])
    return lines


# -- imports ------------------------------------------------------------------------------


class Imports:
    """Collects what one generated module imports; the template prints the block."""

    def __init__(self, core: CoreNames, depth: int, model_module: Callable[[str], str] | None = None) -> None:
        self.core = core
        self.depth = depth  # number of dots to reach the package root
        self.model_module: Callable[[str], str] = model_module or (lambda name: "types._models")
        self.modules: set[str] = set()  # ``import x``
        self.names: dict[str, set[str]] = defaultdict(set)  # ``from x import a, b``
        self.type_only: dict[str, set[str]] = defaultdict(set)  # the same, under ``if TYPE_CHECKING:``

    def rel(self, module: str) -> str:
        return "." * self.depth + module

    def add(self, module: str, *names: str) -> None:
        self.names[module].update(names)

    def add_core(self, *names: str) -> None:
        """Names from the core package; each must be one it exports (its ``__all__``)."""
        self.names[self.rel("_core")].update(self.core.require(*names))

    def add_type_only(self, module: str, *names: str) -> None:
        self.type_only[module].update(names)
        self.add("typing", "TYPE_CHECKING")

    def add_names(self, names: Iterable[Name]) -> None:
        for name in names:
            if name.origin == "httpx":
                self.modules.add("httpx")
            elif name.origin == "core":
                self.add_core(name.name)
            elif name.origin == "models":
                self.add(self.rel(self.model_module(name.name)), name.name)
            elif name.origin == "params":
                # Annotations only (the modules use ``from __future__ import annotations``): loading the
                # request types would cost every resource import a 5,000-line module.
                self.add_type_only(self.rel("types._params"), name.name)
            else:
                self.add(name.origin, name.name)

    @property
    def view(self) -> ImportsView:
        return ImportsView(
            modules=sorted(self.modules),
            names=[(m, sorted(n)) for m, n in sorted(self.names.items())],
            type_only=[(m, sorted(n)) for m, n in sorted(self.type_only.items())],
        )


@dataclass(frozen=True)
class ImportsView:
    modules: list[str]
    names: list[tuple[str, list[str]]]
    type_only: list[tuple[str, list[str]]]


# -- views --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamView:
    """``name: annotation = default`` in a signature, after an optional comment line."""

    name: str
    annotation: str
    default: str | None = None
    comment: str | None = None


@dataclass
class SignatureView:
    keyword: list[ParamView]
    returns: str
    overload: bool = False
    doc: list[str] = field(default_factory=list[str])  # docstring lines; none for the implementation
    positional: list[ParamView] = field(default_factory=list[ParamView])


@dataclass(frozen=True)
class EntryView:
    """One ``key: value`` of a dict literal: ``key`` a Python literal, ``value`` an expression."""

    key: str
    value: str


@dataclass(frozen=True)
class PartView:
    """A multipart field: a file, or (with a content type, the spec's ``encoding``) a part of its own."""

    key: str  # Python literal of the field name
    name: str  # the parameter
    content_type: str | None = None  # Python literal; None: the value goes as it is
    data: str = ""  # with a content type: "json" / "text" / "str", how the value becomes bytes
    required: bool = True


@dataclass(frozen=True)
class HeaderView:
    key: str  # Python literal of the header name
    name: str  # the parameter
    convert: str  # "" (a str), "join" (a list, comma-separated), "str"
    required: bool


@dataclass(frozen=True)
class PathView:
    """The request path: fixed text and path parameters, in order (``"/models/"``, ``model``)."""

    pieces: list[tuple[str, str]]  # ("text", escaped f-string text), ("param", identifier), ("tail", a literal)
    literal: str | None  # the whole path as a literal when it has no parameter


@dataclass
class CallView:
    """The arguments of the single ``self._client.request(...)`` call of a method."""

    http_method: str  # a literal
    path: PathView
    body: list[EntryView] | None
    whole_body: str | None  # the parameter that is the whole body (or its raw_body(...)), when not an object of fields
    body_wrapper: str | None  # form_body: the core call that encodes the fields (urlencoded), else None (JSON)
    query: list[EntryView] | None
    files: list[PartView] | None
    cast_to: str
    cast_alias: bool  # ``cast("type[X]", X)``: a union alias is no ``type[...]``
    stream: str | None  # expression saying whether this call streams (None: never)
    stream_cls: str | None
    stream_terminator: str | None  # a literal
    page: str | None
    headers: list[HeaderView]
    options: list[str] = field(default_factory=list[str])  # the per-call options passed on, after extra_headers
    page_import: tuple[str, str] | None = None  # (module, page class) the method imports before the call
    security: str | None = None  # a literal: the operation's key is the client's admin_api_key
    json_without_files: bool = False  # the form is sent only when a file is given (the operation takes JSON too)
    text_when: str | None = None  # result_by: when this expression holds, the body is returned as text (``str``)


@dataclass
class MethodView:
    name: str
    signatures: list[SignatureView]
    call: CallView
    is_coroutine: bool = False  # ``async def`` + ``await`` (async list methods return a paginator instead)
    deprecated: str | None = None  # the warning text as a literal: the method is ``@deprecated(...)``


@dataclass
class ResourceView:
    resource: Resource
    class_name: str  # "Completions" / "AsyncCompletions"
    base: str  # SyncAPIResource / AsyncAPIResource
    is_async: bool
    doc: list[str]
    methods: list[MethodView]
    children: list[tuple[str, str, str]]  # attr, class name, module (relative import)
    raw_class: str
    streaming_class: str
    raw_wrapper: str
    streaming_wrapper: str
    child_raw: list[tuple[str, str, str]] = field(default_factory=lambda: [])
    child_streaming: list[tuple[str, str, str]] = field(default_factory=lambda: [])
    helper_raw: list[str] = field(default_factory=lambda: [])  # mixin methods with_raw_response wraps too
    helper_streaming: list[str] = field(default_factory=lambda: [])  # and with_streaming_response


@dataclass
class ResourceModuleView:
    imports: ImportsView
    names: list[str]  # __all__
    doc: list[str]
    views: list[ResourceView]


@dataclass
class ClientResourceView:
    attr: str
    class_name: str
    module: str
    doc: list[str]


@dataclass
class ClientView:
    imports: ImportsView
    resources: list[ClientResourceView]
    sync_doc: list[str]
    async_doc: list[str]
    attributes: list[tuple[str, str]] = field(default_factory=lambda: [])  # class attribute, literal
    auth_kind: str = "bearer"  # "bearer" is the core's own ``auth_headers``; others override it
    auth_name: str = ""  # literal of the header / query parameter name
    auth_label: str = ""  # the same name, for a docstring


@dataclass
class TypedDictFieldView:
    name: str
    key: str  # Python literal (functional syntax)
    annotation: str
    doc: list[str]


@dataclass
class ParamDefView:
    name: str
    kind: str  # "typeddict" / "alias"
    doc: list[str]
    expr: str = ""  # alias target
    fields: list[TypedDictFieldView] = field(default_factory=lambda: [])
    functional: bool = False  # some key is no identifier: ``X = TypedDict("X", {...})``


@dataclass
class ParamsView:
    imports: ImportsView
    names: list[str]
    defs: list[ParamDefView]


def _param(param: Param, *, annotation: str | None = None) -> ParamView:
    if annotation is not None:
        return ParamView(param.name, annotation)
    if param.required:
        return ParamView(param.name, param.type.expr)
    return ParamView(param.name, f"{param.type.expr} | NotGiven", "NOT_GIVEN")


def _optional(name: str, annotation: str) -> ParamView:
    return ParamView(name, f"{annotation} | NotGiven", "NOT_GIVEN")


def _by_name(params: list[ParamView]) -> list[ParamView]:
    return sorted(params, key=lambda p: p.name)


@dataclass(frozen=True)
class _Switch:
    """A stream switch's annotations: the value that streams, one known only at run time, the implementation's."""

    flag: Param
    streams: str  # ``Literal[True]``, ``Literal["sse"]``
    either: str  # ``bool``, or the enum's whole type
    implementation: str

    def signatures(
        self, required: list[ParamView], rest: list[ParamView], returns: str, stream_type: str, doc: list[str]
    ) -> list[SignatureView]:
        """After the non-streaming overloads: the streaming one, the either one, and the implementation."""
        both = f"{returns} | {stream_type}"
        return [
            SignatureView([*required, _param(self.flag, annotation=self.streams), *rest], stream_type, True, doc),
            SignatureView([*required, _param(self.flag, annotation=self.either), *rest], both, True, doc),
            SignatureView([*required, *_by_name([*rest, _optional(self.flag.name, self.implementation)])], both),
        ]


def class_names(resource: Resource) -> list[str]:
    """The six classes of one resource module: sync/async, each plain, raw-response and streaming-response."""
    c = resource.class_name
    return [
        c,
        f"Async{c}",
        f"{c}WithRawResponse",
        f"Async{c}WithRawResponse",
        f"{c}WithStreamingResponse",
        f"Async{c}WithStreamingResponse",
    ]


class Planner:
    """Builds the view of every generated file from the IR."""

    def __init__(self, sdk: Sdk, core: CoreNames) -> None:
        self.sdk = sdk
        self.core = core

    # -- package root, client, types ------------------------------------------------------

    def package_init(self) -> dict[str, object]:
        clients = sorted([self.sdk.sync_client, self.sdk.async_client])
        # Core names the core loads on first use are re-exported the same way, through the lazy table.
        core_names = sorted(n for n in self.core.reexports if n not in self.core.lazy)
        lazy_core = [(n, "._core", n) for n in self.core.reexports if n in self.core.lazy]
        lib = sorted(_lib_entries(self.sdk.lib_exports.get("package", {}), ".") + lazy_core)
        unlisted = _lib_entries(self.sdk.lib_exports.get("package_unlisted", {}), ".")
        exports = sorted(
            {
                *clients,
                "Client",
                "AsyncClient",
                "VERSION",
                *core_names,
                *(n for n, _, _ in lib),
                "__version__",
                "__title__",
            },
            key=lambda n: (n.startswith("_"), n),
        )
        module_resources: list[tuple[str, str, str]] = []
        if self.sdk.module_client is not None:
            self.core.require("module_resource", "DEFAULT_TIMEOUT", "DEFAULT_MAX_RETRIES", "Timeout")
            module_resources = sorted(
                [(r.attr, r.class_name, ".resources." + r.import_module) for r in self.sdk.resources]
                + [(a, t.class_name, ".resources." + t.import_module) for a, t in self.sdk.resource_aliases.items()]
                + [
                    (a, p.rpartition(".")[2], "." + p.rpartition(".")[0])
                    for a, (p, _) in self.sdk.lib_resources.items()
                ]
            )
        return {
            "clients": clients,
            "sync_client": self.sdk.sync_client,
            "async_client": self.sdk.async_client,
            "core_names": core_names,
            "exports": exports,
            "doc": paragraphs(self.sdk.package_doc),
            "lib": sorted(lib + unlisted),
            "lib_grouped": _grouped(lib),
            "module_client": "." + self.sdk.module_client if self.sdk.module_client else None,
            "module_resources": module_resources,
        }

    def pyproject(self) -> dict[str, object]:
        """``pyproject.toml`` of a self-contained package; every value a TOML basic string (JSON's escaping)."""
        import json

        return {
            "name": json.dumps(self.sdk.package.replace("_", "-")),
            "version": json.dumps(self.sdk.version),
            "description": json.dumps(" ".join(self.sdk.package_doc.split())),
            "dependencies": [json.dumps(d) for d in runtime_dependencies()],
            "package": json.dumps(self.sdk.package),
        }

    def pagination(self) -> list[str]:
        return sorted(self.core.page_classes)

    def client(self) -> ClientView:
        imports = Imports(self.core, depth=1)
        imports.add("functools", "cached_property")
        imports.add_core("AsyncAPIClient", "SyncAPIClient")
        imports.add("._version", "__version__")
        for resource in self.sdk.resources:
            module = ".resources." + resource.import_module
            imports.add_type_only(module, resource.class_name, "Async" + resource.class_name)
        resources = [
            ClientResourceView(r.attr, r.class_name, ".resources." + r.import_module, paragraphs(_resource_doc(r)))
            for r in self.sdk.resources
        ]
        taken = {r.class_name for r in self.sdk.resources}
        for attr, target in sorted(self.sdk.resource_aliases.items()):
            if target.class_name in taken:
                raise RuntimeError(f"resource alias {attr!r}: class name {target.class_name!r} is imported twice")
            taken.add(target.class_name)
            module = ".resources." + target.import_module
            imports.add_type_only(module, target.class_name, "Async" + target.class_name)
            doc = f"The same resource as ``client.{'.'.join(target.path)}`` (the official SDK's place for it)."
            resources.append(ClientResourceView(attr, target.class_name, module, paragraphs(doc)))
        for attr, (path, doc) in sorted(self.sdk.lib_resources.items()):  # written by hand (lib/)
            module, _, class_name = path.rpartition(".")
            if class_name in taken:
                raise RuntimeError(f"lib resource {attr!r}: class name {class_name!r} is imported twice")
            taken.add(class_name)
            imports.add_type_only("." + module, class_name, "Async" + class_name)
            resources.append(ClientResourceView(attr, class_name, "." + module, paragraphs(doc)))
        attributes: list[tuple[str, str]] = []
        if not self.sdk.openai_headers:
            attributes += [("_organization_env", "None"), ("_project_env", "None")]
        auth = self.sdk.auth
        if not auth.required or auth.kind == "none":
            attributes.append(("_api_key_required", "False"))
        if auth.kind == "basic":
            imports.add("base64", "b64encode")
        if self.sdk.admin_api_key_env:
            attributes.append(("_admin_api_key_env", py_literal(self.sdk.admin_api_key_env)))
        return ClientView(
            imports=imports.view,
            resources=resources,
            sync_doc=self._client_doc(False),
            async_doc=self._client_doc(True),
            attributes=attributes,
            auth_kind=auth.kind,
            auth_name=py_literal(auth.name or ""),
            auth_label=doc_text(" ".join((auth.name or "").split())),
        )

    def _client_doc(self, is_async: bool) -> list[str]:
        sdk = self.sdk
        return [
            f"{'Asynchronous' if is_async else 'Synchronous'} client for {doc_text(' '.join(sdk.spec_title.split()))}.",
            "",
            f"The API key comes from the ``api_key`` argument or the ``{doc_text(sdk.api_key_env)}`` environment",
            f"variable; the base URL from ``base_url``, ``{doc_text(sdk.base_url_env)}``, or "
            f"``{doc_text(sdk.default_base_url)}``.",
        ]

    def types_init(self) -> dict[str, object]:
        entries: list[tuple[str, str, str]] = []  # public name, module, attribute

        def module(name: str) -> str:
            return self.sdk.model_module(name).removeprefix("types.")

        for name in self.sdk.models:
            entries.append((name, module(name), name))
        for alias, target in self.sdk.model_aliases.items():
            if alias not in self.sdk.models:
                entries.append((alias, module(target), target))
        for definition in self.sdk.params:
            entries.append((definition.name, "_params", definition.name))
        for definition in self.sdk.official_params:
            entries.append((definition.name, "_official_params", definition.name))
        entries += _lib_entries(self.sdk.lib_exports.get("types", {}), ".")
        own = {e[0] for e in entries}
        entries += [e for e in self.sdk.type_exports if e[0] not in own]
        entries.sort()
        names = [e[0] for e in entries]
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            raise RuntimeError(f"public type names defined twice: {dupes}")
        grouped: dict[str, list[str]] = defaultdict(list)
        for name, mod, attr in entries:
            grouped[mod].append(attr if name == attr else f"{attr} as {name}")
        return {"entries": entries, "grouped": sorted(grouped.items())}

    def params(self, official: bool = False) -> ParamsView:
        """``types/_params.py``, or with ``official`` ``types/_official_params.py``: the request types only the
        official type modules need (generator/official_types.py), apart so that importing a request type an
        operation uses does not load them; it imports what it uses of ``_params`` at run time."""
        imports = Imports(self.core, depth=2)
        definitions = self.sdk.official_params if official else self.sdk.params
        used: set[Name] = set()
        for definition in definitions:
            if definition.kind == "typeddict":
                for f in definition.fields:
                    used |= f.type.names
            else:
                assert definition.alias is not None
                used |= definition.alias.names
        imports.add_names(n for n in used if n.origin != "params")
        if official:
            base = {d.name for d in self.sdk.params}
            imports.add("._params", *sorted(n.name for n in used if n.origin == "params" and n.name in base))
        if any(d.kind == "typeddict" for d in definitions):
            imports.add("typing_extensions", "TypedDict")
        if any(f.required for d in definitions for f in d.fields):
            imports.add("typing_extensions", "Required")
        if any(d.kind == "alias" for d in definitions):
            imports.add("typing", "TypeAlias")
        defined: set[str] = {d.name for d in self.sdk.params} if official else set()
        defs: list[ParamDefView] = []
        for definition in definitions:
            defs.append(self._param_def(definition, defined | {"__builtins__"}))
            defined.add(definition.name)
        return ParamsView(imports=imports.view, names=sorted(d.name for d in definitions), defs=defs)

    @staticmethod
    def _param_def(definition: ParamDef, defined: set[str]) -> ParamDefView:
        """``defined``: the request types defined above this one. The module evaluates its annotations at once
        (no ``from __future__ import annotations``: TypedDict then sees ``Required[...]`` and lists the key in
        ``__required_keys__``), so a type naming one not defined yet (or itself) is quoted, inside
        ``Required[...]`` for a required key."""
        view = ParamDefView(name=definition.name, kind=definition.kind, doc=paragraphs(definition.description))
        if definition.kind == "alias":
            assert definition.alias is not None
            expr = definition.alias.expr
            view.expr = py_literal(expr) if definition.quote_alias else expr
            return view
        view.functional = not all(f.name.isidentifier() and not _is_keyword(f.name) for f in definition.fields)
        for f in definition.fields:
            pending = {n.name for n in f.type.names if n.origin == "params"} - defined
            expr = py_literal(f.type.expr) if pending else f.type.expr
            annotation = f"Required[{expr}]" if f.required else expr
            view.fields.append(
                TypedDictFieldView(
                    name=f.name, key=py_literal(f.name), annotation=annotation, doc=paragraphs(f.description)
                )
            )
        return view

    # -- resources ------------------------------------------------------------------------

    def resource_package(self, resource: Resource) -> dict[str, object]:
        return {
            "module": resource.path[-1],
            "names": sorted(class_names(resource)),
            "title": " ".join(resource.path).replace("_", " "),
        }

    def resource(self, resource: Resource) -> ResourceModuleView:
        depth = len(resource.module.split("."))  # resources/<...>/<module>.py -> dots to the package root
        imports = Imports(self.core, depth=depth + 1, model_module=self.sdk.model_module)
        imports.add("functools", "cached_property")
        imports.add_core("SyncAPIResource", "AsyncAPIResource")
        if resource.operations:
            imports.add_core("NOT_GIVEN", "NotGiven")
            self._options_imports(imports)
            imports.add_core(
                "to_raw_response_wrapper",
                "to_streamed_response_wrapper",
                "async_to_raw_response_wrapper",
                "async_to_streamed_response_wrapper",
            )
        views = [self._resource_view(resource, is_async, imports) for is_async in (False, True)]
        for child in resource.children:
            module = "." + (child.import_module.split(".")[-1])
            imports.add_type_only(module, *class_names(child))
        doc = paragraphs(
            f"``client.{'.'.join(resource.path)}``: the sync and async resource classes, "
            "and their raw- and streaming-response views."
        )
        names = class_names(resource)
        exported = self.sdk.resource_exports.get(resource.path)
        if exported is not None:  # classes that live elsewhere and that code imports from here
            module, extra = exported
            imports.add(imports.rel(module), *extra)
            names = [*names, *extra]
        return ResourceModuleView(imports=imports.view, names=names, doc=doc, views=views)

    def _resource_view(self, resource: Resource, is_async: bool, imports: Imports) -> ResourceView:
        prefix = "Async" if is_async else ""
        cls = prefix + resource.class_name
        methods = [self._method(op, is_async, imports) for op in resource.operations]
        children = [(c.attr, prefix + c.class_name, "." + c.import_module.split(".")[-1]) for c in resource.children]
        base = "AsyncAPIResource" if is_async else "SyncAPIResource"
        wrapped = self.sdk.mixin_wrapped.get(resource.path, ((), ()))
        mixin = self.sdk.resource_mixins.get(resource.path)
        if mixin is not None:  # written elsewhere (lib/ helpers, realtime connect()), first among the bases
            module, _, name = mixin[1 if is_async else 0].rpartition(".")
            imports.add(imports.rel(module), name)
            base = f"{name}, {base}"
        return ResourceView(
            resource=resource,
            class_name=cls,
            base=base,
            is_async=is_async,
            doc=paragraphs(_resource_doc(resource)),
            methods=methods,
            children=children,
            raw_class=f"{cls}WithRawResponse",
            streaming_class=f"{cls}WithStreamingResponse",
            raw_wrapper="async_to_raw_response_wrapper" if is_async else "to_raw_response_wrapper",
            streaming_wrapper="async_to_streamed_response_wrapper" if is_async else "to_streamed_response_wrapper",
            child_raw=[(a, f"{c}WithRawResponse", m) for a, c, m in children],
            child_streaming=[(a, f"{c}WithStreamingResponse", m) for a, c, m in children],
            helper_raw=list(wrapped[0]),
            helper_streaming=list(wrapped[1]),
        )

    def _method_doc(self, op: Operation) -> list[str]:
        lines = paragraphs(op.summary) or paragraphs(f"Call ``{op.http_method.upper()} {op.path}``.")
        if op.description:
            lines += ["", *paragraphs(op.description)]
        args: list[str] = []
        for param in op.params:
            text = param.description if isinstance(param.description, str) else ""
            if param.deprecated and "deprecated" not in text.lower():
                text = f"Deprecated. {text}".strip()
            if not text.strip():
                continue
            wrapped = textwrap.wrap(
                f"{param.name}: {doc_text(' '.join(text.split()))}",
                width=DOC_WIDTH - 2,
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
            args += [*wrapped, ""]
        for name, text in _EXTRA_ARGS:
            args += [f"{name}: {text}", ""]
        official = {name for name, _ in _EXTRA_ARGS}
        others = [o.name for o in self.core.request_options if o.name not in official]
        if others:
            text = f"{', '.join(others)}: per-request options too (see ``RequestOptions``)."
            args += [*textwrap.wrap(text, width=DOC_WIDTH - 2, subsequent_indent="  ", break_on_hyphens=False), ""]
        lines += ["", "Args:", *(f"  {a}" if a else "" for a in args[:-1])]
        return lines

    def _signatures(self, op: Operation, returns: str, stream_type: str, doc: list[str]) -> list[SignatureView]:
        """One signature, or for a switchable stream the three overloads and the implementation."""
        flag = op.stream.param if op.stream else None
        if op.result_by is not None:
            return self._result_signatures(op, op.result_by, returns, stream_type, doc)
        if op.stream is None or flag is None:
            params = [_param(p) for p in op.params]
            return [SignatureView(keyword=params, returns=stream_type if op.stream else returns, doc=doc)]
        assert not flag.required, "a required stream switch leaves no non-streaming call"
        none = " | None" if flag.type.is_nullable else ""
        required = [_param(p) for p in op.params if p.required]
        others = [_param(p) for p in op.params if not p.required and p is not flag]
        if op.stream.value is True:
            plain_type, stream_value, either = f"Literal[False]{none}", "Literal[True]", "bool"
            impl_type = f"bool{none}"
        else:  # an enum field: ``stream_format="sse"`` streams, its other values do not
            plain_type = f"Literal[{', '.join(py_literal(v) for v in op.stream.other_values)}]{none}"
            stream_value = f"Literal[{py_literal(op.stream.value)}]"
            either = impl_type = flag.type.expr
        plain = SignatureView([*required, *_by_name([*others, _optional(flag.name, plain_type)])], returns, True, doc)
        switch = _Switch(flag, stream_value, either, impl_type)
        return [plain, *switch.signatures(required, others, returns, stream_type, doc)]

    def _result_signatures(
        self, op: Operation, by: ResultBy, returns: str, stream_type: str, doc: list[str]
    ) -> list[SignatureView]:
        """sdk.yaml ``result_by``: an overload per result type (``response_format="text"`` -> ``str``), one for a
        value only known at run time, then, for a switchable stream, its two overloads; and the implementation."""
        selector = by.param
        flag = op.stream.param if op.stream else None
        assert op.stream is None or (flag is not None and op.stream.value is True), "checked by the parser"
        whole = returns if returns == "str" or all(c.type.expr != "str" for c in by.cases) else f"{returns} | str"
        required = [_param(p) for p in op.params if p.required]
        others = [_param(p) for p in op.params if not p.required and p is not selector and p is not flag]
        none = " | None" if flag is not None and flag.type.is_nullable else ""
        plain = [_optional(flag.name, f"Literal[False]{none}")] if flag is not None else []
        signatures: list[SignatureView] = []
        for case in by.cases:
            values = f"Literal[{', '.join(py_literal(v) for v in case.values)}]"
            if case.default:  # also the call that leaves the parameter out
                params = [*required, *_by_name([*others, *plain, _optional(selector.name, values)])]
            else:
                params = [*required, _param(selector, annotation=values), *_by_name([*others, *plain])]
            signatures.append(SignatureView(params, case.type.expr, True, doc))
        signatures.append(SignatureView([*required, *_by_name([*others, *plain, _param(selector)])], whole, True, doc))
        rest = _by_name([*others, _param(selector)])
        if flag is None:
            return [*signatures, SignatureView([*required, *rest], whole)]
        switch = _Switch(flag, "Literal[True]", "bool", f"bool{none}")
        return [*signatures, *switch.signatures(required, rest, whole, stream_type, doc)]

    def _method(self, op: Operation, is_async: bool, imports: Imports) -> MethodView:
        names: set[Name] = set()
        for param in op.params:
            names |= param.type.names
        names |= op.response.names
        if op.stream is not None:
            names |= op.stream.chunk.names
            names.add(Name("typing", "Literal"))
        if op.page is not None:
            names |= op.page.item.names
        if op.result_by is not None:
            for case in op.result_by.cases:
                names |= case.type.names
            names.add(Name("typing", "Literal"))
        imports.add_names(names)

        stream_cls_name = "AsyncStream" if is_async else "Stream"
        page_cls = None
        if op.page is not None:
            page_cls = self.core.page_class(op.page.kind, is_async)
            self._core_import(imports, page_cls)
            returns = f"{page_cls}[{op.page.item_name}]"
            if is_async:  # awaitable for the first page, and ``async for`` over every item
                self._core_import(imports, "AsyncPaginator")
                returns = f"AsyncPaginator[{op.page.item_name}, {returns}]"
        else:
            returns = op.response.expr
        stream_type = ""
        if op.stream is not None:
            imports.add_core(stream_cls_name)
            stream_type = f"{stream_cls_name}[{op.stream.chunk_name}]"

        signatures = self._signatures(op, returns, stream_type, self._method_doc(op))
        if op.deprecation is not None:
            imports.add("typing_extensions", "deprecated")
        if len(signatures) > 1:
            imports.add("typing", "overload")
        # The last path parameter (the object the call is about) comes first and may be passed by
        # position, as in the official SDK: ``client.models.retrieve("gpt-4o")``,
        # ``client.beta.threads.runs.retrieve(run_id, thread_id=...)``. Everything else is keyword-only.
        positional = [_param(p) for p in op.path_params[-1:]]
        for sig in signatures:
            sig.positional = positional
            sig.keyword = [p for p in sig.keyword if p not in positional] + self._options_signature()
        return MethodView(
            name=op.name,
            signatures=signatures,
            call=self._call(op, is_async, imports, page_cls, stream_type),
            is_coroutine=is_async and op.page is None,
            deprecated=py_literal(op.deprecation) if op.deprecation is not None else None,
        )

    def _core_import(self, imports: Imports, name: str) -> None:
        """A core name the module needs at its top, or (one the core loads lazily) for annotations only:
        a method that uses it at run time imports it itself (:meth:`_call`)."""
        if name in self.core.lazy:
            imports.add_type_only(imports.rel("_core"), *self.core.require(name))
        else:
            imports.add_core(name)

    def _options_signature(self) -> list[ParamView]:
        """The per-call options every method takes: ``make_request_options``'s keyword parameters, as declared."""
        return [
            ParamView(o.name, o.annotation, o.default, comment=None if i else _OPTIONS_COMMENT)
            for i, o in enumerate(self.core.request_options)
        ]

    def _options_imports(self, imports: Imports) -> None:
        """The core names the per-call options' annotations and defaults use (builtins need none)."""
        used = {n for o in self.core.request_options for n in o.names if not hasattr(builtins, n)}
        imports.add_core("make_request_options", *sorted(used))

    def _call(
        self, op: Operation, is_async: bool, imports: Imports, page_cls: str | None, stream_type: str
    ) -> CallView:
        if op.path_params:
            imports.add_core("path_param")
        files = [_part(p) for p in op.file_params] or None
        if any(p.data == "json" for p in files or ()):
            imports.add("json", "dumps")
        if op.body_kind == "multipart" and files is None:
            files = []  # a form without file fields is still sent as a form
        cast_to = "NoneType" if op.response.expr == "None" else op.response.expr
        if op.response_is_alias:
            imports.add("typing", "cast")
        text_when = None
        if op.result_by is not None:  # the values whose answer is the text itself (``response_format="srt"``)
            texts = [py_literal(v) for case in op.result_by.cases if case.type.expr == "str" for v in case.values]
            if texts:
                text_when = f"{op.result_by.param.name} in ({', '.join(texts)}{',' if len(texts) == 1 else ''})"
        stream = stream_cls = terminator = None
        if op.stream is not None:
            flag = op.stream.param
            if flag is None:
                stream = "True"
            elif op.stream.value is True:
                stream = f"{flag.name} is True"
            else:
                stream = f"{flag.name} == {py_literal(op.stream.value)}"
            stream_cls = stream_type
            if op.stream.envelope:  # the core builds each chunk from the SSE event's name and data
                imports.add("typing", "Annotated")
                imports.add_core("EVENT_ENVELOPE")
                prefix = "AsyncStream" if is_async else "Stream"
                stream_cls = f"{prefix}[Annotated[{op.stream.chunk_name}, EVENT_ENVELOPE]]"
            terminator = py_literal(op.stream.terminator)
        fixed = [EntryView(py_literal(k), py_literal(v)) for k, v in op.fixed_query]
        query = _entries(op.query_params)
        whole_body = op.whole_body.name if op.whole_body else None
        body_wrapper = None
        if op.body_kind == "raw" and whole_body is not None:  # sent as it is, with the spec's media type
            imports.add_core("raw_body")
            whole_body = f"raw_body({whole_body}, {py_literal(op.body_content_type or 'application/octet-stream')})"
        elif op.body_kind == "form":  # fields urlencoded
            imports.add_core("form_body")
            body_wrapper = "form_body"
        return CallView(
            http_method=py_literal(op.http_method),
            path=_path(op),
            body=_entries(op.body_params),
            whole_body=whole_body,
            body_wrapper=body_wrapper,
            query=fixed + (query or []) if (fixed or query is not None) else None,
            files=files,
            cast_to=cast_to,
            cast_alias=op.response_is_alias,
            stream=stream,
            stream_cls=stream_cls,
            stream_terminator=terminator,
            page=f"{page_cls}[{op.page.item_name}]" if op.page and page_cls else None,
            page_import=(imports.rel("_core"), page_cls) if page_cls in self.core.lazy else None,
            headers=[_header(p) for p in op.header_params],
            options=[o.name for o in self.core.request_options if o.name != "extra_headers"],
            security=py_literal(op.security) if op.security else None,
            text_when=text_when,
            json_without_files=op.json_without_files and files is not None,
        )


def runtime_dependencies() -> list[str]:
    """The core's runtime dependencies: oai's own ``[project].dependencies`` (pyproject.toml, a plain
    list of strings there; read without tomllib, which Python 3.10 lacks)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"^dependencies = \[(.*?)^\]", text, re.MULTILINE | re.DOTALL)
    return re.findall(r'"([^"]+)"', block.group(1)) if block else []


def _resource_doc(resource: Resource) -> str:
    ops = ", ".join(f"``{op.name}``" for op in resource.operations)
    children = ", ".join(f"``{c.attr}``" for c in resource.children)
    parts: list[str] = []
    if ops:
        parts.append(f"Operations: {ops}.")
    if children:
        parts.append(f"Sub-resources: {children}.")
    title = " ".join(resource.path).replace("_", " ")
    return f"The {title} endpoints. " + " ".join(parts)


def _is_keyword(name: str) -> bool:
    import keyword

    return keyword.iskeyword(name)


def _path(op: Operation) -> PathView:
    """The path template split at its parameters. Only a ``{name}`` that is a declared path parameter
    becomes one; any other text, braces included, stays fixed text (escaped for the f-string)."""
    path = op.path.split("?", 1)[0]
    if not op.path_params:
        return PathView(pieces=[], literal=py_literal(path))
    by_wire = {p.wire_name: p.name for p in op.path_params}
    pieces: list[tuple[str, str]] = []
    text = ""
    position = 0
    for match in _TEMPLATE_FIELD.finditer(path):
        if match.group(1) not in by_wire:
            continue
        text += path[position : match.start()]
        if text:
            pieces.append(("text", fstring_text(text)))
        pieces.append(("param", by_wire[match.group(1)]))
        text, position = "", match.end()
    text += path[position:]
    if text:
        pieces.append(("tail", py_literal(text)))
    return PathView(pieces=pieces, literal=None)


_TEMPLATE_FIELD = re.compile(r"\{([^{}]*)\}")


def _entries(params: Iterable[Param]) -> list[EntryView] | None:
    entries = [EntryView(py_literal(p.wire_name), p.name) for p in params]
    return entries or None


def _part(param: Param) -> PartView:
    if param.part_type is None:
        return PartView(py_literal(param.wire_name), param.name)
    content_type = param.part_type
    if content_type == "application/json" or content_type.endswith("+json"):
        data = "json"
    elif param.type.expr == "str":
        data = "text"
    else:
        data = "str"
    return PartView(py_literal(param.wire_name), param.name, py_literal(content_type), data, param.required)


def _header(param: Param) -> HeaderView:
    if param.type.expr.startswith("Sequence["):
        convert = "join"
    elif param.type.expr != "str":
        convert = "str"
    else:
        convert = ""
    return HeaderView(py_literal(param.wire_name), param.name, convert, param.required)


def _lib_entries(names: dict[str, str], dots: str) -> list[tuple[str, str, str]]:
    """sdk.yaml ``lib_exports`` as ``(name, module relative to the importing package, attribute)``."""
    return sorted((name, dots + module, name) for name, module in names.items())


def _grouped(entries: list[tuple[str, str, str]]) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for name, module, _ in entries:
        grouped[module].append(name)
    return sorted(grouped.items())
