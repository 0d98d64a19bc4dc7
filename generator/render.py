"""Stage 5: IR -> source text through the Jinja2 templates in templates/.

This module prepares what the templates show (signatures, docstrings, import
blocks) from the IR; the templates only lay it out. One template per artefact:
``client``, ``resource``, ``resource_package``, ``package_init``, ``types_init``,
``params``, ``version``, ``resources_init``.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import jinja2

from .ir import PAGE_CLASSES, Name, Operation, Param, ParamDef, PyType, Resource, Sdk
from .params import py_literal

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# The core's public names re-exported from the package root (docs/architecture.md).
PAGE_EXPORTS = tuple(sorted(prefix + name for prefix in ("Async", "Sync") for name in PAGE_CLASSES.values()))
"""oai._core's page classes, re-exported by ``oai.pagination`` (where the official SDK has its own)."""

CORE_REEXPORTS = (
    "NOT_GIVEN",
    "NotGiven",
    "Stream",
    "AsyncStream",
    "SSEDecoder",
    "ServerSentEvent",
    "SSEEventTooLarge",
    "UnknownStreamEvent",
    "Omit",
    "OpenAIError",
    "APIError",
    "APIStatusError",
    "APIConnectionError",
    "APITimeoutError",
    "APIResponseValidationError",
    "APIStreamError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
)

DOC_WIDTH = 100  # docstring text wraps here (indentation comes on top, line limit is 120)

_EXTRA_ARGS = (
    ("extra_headers", "Headers sent with this request on top of the client's."),
    ("extra_query", "Query parameters added to this request's URL."),
    ("extra_body", "JSON properties merged into the request body."),
    ("timeout", "Timeout for this request in seconds (or an ``httpx.Timeout``), instead of the client's."),
)


def _docstring_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def paragraphs(text: str | None, width: int = DOC_WIDTH) -> list[str]:
    """Wrap ``text`` into lines, keeping blank-line paragraph breaks."""
    if not text:
        return []
    lines: list[str] = []
    for block in _docstring_text(text.strip()).split("\n\n"):
        if lines:
            lines.append("")
        lines.extend(textwrap.wrap(" ".join(block.split()), width=width, break_on_hyphens=False) or [""])
    return lines


def docstring(lines: list[str], indent: str) -> str:
    """A docstring at ``indent`` (the indentation of the code it documents)."""
    if not lines:
        return ""
    if len(lines) == 1 and len(indent) + len(lines[0]) + 6 <= 120 and not lines[0].endswith('"'):
        return f'{indent}"""{lines[0]}"""\n'
    body = "".join(f"{indent}{line}\n" if line else "\n" for line in lines)
    return f'{indent}"""{lines[0]}\n{body[len(indent) + len(lines[0]) + 1 :]}{indent}"""\n'


# -- imports ------------------------------------------------------------------------------


class Imports:
    """Collects what one generated module imports and prints the import block."""

    def __init__(self, depth: int, model_module: Callable[[str], str] | None = None) -> None:
        self.depth = depth  # number of dots to reach the package root
        self.model_module = model_module or (lambda name: "types._models")
        self._from: dict[str, set[str]] = defaultdict(set)
        self._plain: set[str] = set()
        self._type_only: dict[str, set[str]] = defaultdict(set)

    def rel(self, module: str) -> str:
        return "." * self.depth + module

    def add(self, module: str, *names: str) -> None:
        self._from[module].update(names)

    def add_type_only(self, module: str, *names: str) -> None:
        self._type_only[module].update(names)

    def add_names(self, names: Iterable[Name]) -> None:
        for name in names:
            if name.origin == "httpx":
                self._plain.add("httpx")
            elif name.origin == "core":
                self.add(self.rel("_core"), name.name)
            elif name.origin == "models":
                self.add(self.rel(self.model_module(name.name)), name.name)
            elif name.origin == "params":
                # Annotations only (the modules use ``from __future__ import annotations``): loading the
                # request types would cost every resource import a 5,000-line module.
                self.add("typing", "TYPE_CHECKING")
                self.add_type_only(self.rel("types._params"), name.name)
            else:
                self.add(name.origin, name.name)

    def render(self) -> str:
        lines = ["from __future__ import annotations", ""]
        lines += [f"import {module}" for module in sorted(self._plain)]
        for module in sorted(self._from):
            lines.append(f"from {module} import {', '.join(sorted(self._from[module]))}")
        if self._type_only:
            if "TYPE_CHECKING" not in self._from.get("typing", set()):
                raise AssertionError("add typing.TYPE_CHECKING when adding type-only imports")
            lines += ["", "if TYPE_CHECKING:"]
            for module in sorted(self._type_only):
                lines.append(f"    from {module} import {', '.join(sorted(self._type_only[module]))}")
        return "\n".join(lines) + "\n"


# -- views --------------------------------------------------------------------------------


@dataclass
class SignatureView:
    params: list[str]
    returns: str
    overload: bool = False
    docstring: str = ""
    positional: list[str] = field(default_factory=list[str])


@dataclass
class MethodView:
    name: str
    signatures: list[SignatureView]
    call: list[tuple[str, str]]  # keyword, expression of the single request() call
    is_coroutine: bool = False  # ``async def`` + ``await`` (async list methods return a paginator instead)
    deprecated: bool = False


@dataclass
class ResourceView:
    resource: Resource
    class_name: str  # "Completions" / "AsyncCompletions"
    base: str  # SyncAPIResource / AsyncAPIResource
    is_async: bool
    doc: str
    methods: list[MethodView]
    children: list[tuple[str, str, str]]  # attr, class name, module (relative import)
    raw_class: str
    streaming_class: str
    raw_wrapper: str
    streaming_wrapper: str
    child_raw: list[tuple[str, str, str]] = field(default_factory=lambda: [])
    child_streaming: list[tuple[str, str, str]] = field(default_factory=lambda: [])


def _param_annotation(param: Param, *, stream_override: str | None = None) -> str:
    if stream_override is not None:
        return f"{param.name}: {stream_override}"
    if param.required:
        return f"{param.name}: {param.type.expr}"
    return f"{param.name}: {param.type.expr} | NotGiven = NOT_GIVEN"


_EXTRA_SIGNATURE = [
    "# Per-request options, applied on top of the client's settings:",
    "extra_headers: Headers | None = None",
    "extra_query: Query | None = None",
    "extra_body: Body | None = None",
    "timeout: Timeout | NotGiven = NOT_GIVEN",
]


class Renderer:
    def __init__(self, sdk: Sdk, header: str) -> None:
        self.sdk = sdk
        self.header = header
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,
        )
        self.env.filters["pyrepr"] = py_literal

    def _template(self, name: str, **context: object) -> str:
        return self.env.get_template(name).render(header=self.header, sdk=self.sdk, **context)

    # -- files ----------------------------------------------------------------------------

    def render_all(self) -> dict[PurePosixPath, str]:
        pkg = PurePosixPath(self.sdk.package)
        files: dict[PurePosixPath, str] = {
            pkg / "__init__.py": self.package_init(),
            pkg / "_client.py": self.client(),
            pkg / "_version.py": self._template("version.py.jinja", version=self.sdk.version),
            pkg / "pagination.py": self._template("pagination.py.jinja", names=PAGE_EXPORTS),
            pkg / "resources" / "__init__.py": self._template("resources_init.py.jinja"),
            pkg / "types" / "__init__.py": self.types_init(),
            pkg / "types" / "_params.py": self.params(),
        }
        for resource in self.sdk.all_resources():
            parts = resource.module.split(".")
            files[pkg / "resources" / PurePosixPath(*parts[:-1]) / f"{parts[-1]}.py"] = self.resource(resource)
            if resource.is_package:
                files[pkg / "resources" / PurePosixPath(*resource.path) / "__init__.py"] = self.resource_package(
                    resource
                )
        return files

    def package_init(self) -> str:
        clients = sorted([self.sdk.sync_client, self.sdk.async_client])
        lib = _lib_entries(self.sdk.lib_exports.get("package", {}), ".")
        exports = sorted(
            {*clients, *CORE_REEXPORTS, *(name for name, _, _ in lib), "__version__"},
            key=lambda n: (n.startswith("_"), n),
        )
        return self._template(
            "package_init.py.jinja",
            clients=clients,
            core_names=sorted(CORE_REEXPORTS),
            exports=exports,
            lib=lib,
            lib_grouped=_grouped(lib),
        )

    def client(self) -> str:
        imports = Imports(depth=1)
        imports.add("functools", "cached_property")
        imports.add("._core", "AsyncAPIClient", "SyncAPIClient")
        imports.add("._version", "__version__")
        imports.add("typing", "TYPE_CHECKING")
        for resource in self.sdk.resources:
            module = ".resources." + resource.import_module
            imports.add_type_only(module, resource.class_name, "Async" + resource.class_name)
        resources = [
            (r.attr, r.class_name, ".resources." + r.import_module, paragraphs(self._resource_doc(r), 100))
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
            resources.append((attr, target.class_name, module, paragraphs(doc, 100)))
        return self._template("client.py.jinja", imports=imports.render(), resources=resources, docstring=docstring)

    def types_init(self) -> str:
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
        for name, module, attr in _lib_entries(self.sdk.lib_exports.get("types", {}), "."):
            entries.append((name, module, attr))
        entries.sort()
        names = [e[0] for e in entries]
        grouped: dict[str, list[str]] = defaultdict(list)
        for name, module, attr in entries:
            grouped[module].append(attr if name == attr else f"{attr} as {name}")
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            raise RuntimeError(f"public type names defined twice: {dupes}")
        return self._template("types_init.py.jinja", entries=entries, grouped=sorted(grouped.items()))

    def params(self) -> str:
        imports = Imports(depth=2)
        used: set[Name] = set()
        defs: list[dict[str, object]] = []
        needs_required = False
        for definition in self.sdk.params:
            defs.append(self._param_def_view(definition))
            if definition.kind == "typeddict":
                for f in definition.fields:
                    used |= f.type.names
                    needs_required = needs_required or f.required
            else:
                assert definition.alias is not None
                used |= definition.alias.names
        used = {n for n in used if n.origin != "params"}
        imports.add_names(used)
        if any(d.kind == "typeddict" for d in self.sdk.params):
            imports.add("typing_extensions", "TypedDict")
        if needs_required:
            imports.add("typing_extensions", "Required")
        if any(d.kind == "alias" for d in self.sdk.params):
            imports.add("typing", "TypeAlias")
        names = sorted(d.name for d in self.sdk.params)
        return self._template("params.py.jinja", imports=imports.render(), defs=defs, names=names)

    def _param_def_view(self, definition: ParamDef) -> dict[str, object]:
        view: dict[str, object] = {"name": definition.name, "kind": definition.kind}
        view["doc"] = docstring(paragraphs(definition.description), "    " if definition.kind == "typeddict" else "")
        if definition.kind == "alias":
            assert definition.alias is not None
            expr = definition.alias.expr
            view["expr"] = f'"{expr}"' if definition.quote_alias else expr
            return view
        fields: list[dict[str, str]] = []
        functional = not all(f.name.isidentifier() and not _is_keyword(f.name) for f in definition.fields)
        for f in definition.fields:
            annotation = f"Required[{f.type.expr}]" if f.required else f.type.expr
            fields.append(
                {
                    "name": f.name,
                    "key": py_literal(f.name),
                    "annotation": annotation,
                    "doc": docstring(paragraphs(f.description), "    "),
                }
            )
        view["fields"] = fields
        view["functional"] = functional
        return view

    # -- resources ------------------------------------------------------------------------

    def _resource_doc(self, resource: Resource) -> str:
        ops = ", ".join(f"``{op.name}``" for op in resource.operations)
        children = ", ".join(f"``{c.attr}``" for c in resource.children)
        parts = []
        if ops:
            parts.append(f"Operations: {ops}.")
        if children:
            parts.append(f"Sub-resources: {children}.")
        title = " ".join(resource.path).replace("_", " ")
        return f"The {title} endpoints. " + " ".join(parts)

    def resource_package(self, resource: Resource) -> str:
        names = self._class_names(resource)
        return self._template(
            "resource_package.py.jinja",
            module=resource.path[-1],
            names=sorted(names),
            title=" ".join(resource.path).replace("_", " "),
        )

    @staticmethod
    def _class_names(resource: Resource) -> list[str]:
        c = resource.class_name
        return [
            c,
            f"Async{c}",
            f"{c}WithRawResponse",
            f"Async{c}WithRawResponse",
            f"{c}WithStreamingResponse",
            f"Async{c}WithStreamingResponse",
        ]

    def resource(self, resource: Resource) -> str:
        depth = len(resource.module.split("."))  # resources/<...>/<module>.py -> dots to the package root
        imports = Imports(depth=depth + 1, model_module=self.sdk.model_module)
        imports.add("functools", "cached_property")
        core = {"SyncAPIResource", "AsyncAPIResource"}
        if resource.operations:
            core |= {"NOT_GIVEN", "NotGiven", "Headers", "Query", "Body", "Timeout", "make_request_options"}
            core |= {
                "to_raw_response_wrapper",
                "to_streamed_response_wrapper",
                "async_to_raw_response_wrapper",
                "async_to_streamed_response_wrapper",
            }
        views: list[ResourceView] = []
        for is_async in (False, True):
            views.append(self._resource_view(resource, is_async, imports, core))
        imports.add(imports.rel("_core"), *sorted(core))
        if resource.children:
            imports.add("typing", "TYPE_CHECKING")
            for child in resource.children:
                module = "." + (child.import_module.split(".")[-1])
                imports.add_type_only(module, *self._class_names(child))
        return self._template(
            "resource.py.jinja",
            imports=imports.render(),
            views=views,
            names=self._class_names(resource),
            module_doc=docstring(
                paragraphs(
                    f"``client.{'.'.join(resource.path)}``: the sync and async resource classes, "
                    "and their raw- and streaming-response views."
                ),
                "",
            ),
            docstring=docstring,
        )

    def _resource_view(self, resource: Resource, is_async: bool, imports: Imports, core: set[str]) -> ResourceView:
        prefix = "Async" if is_async else ""
        cls = prefix + resource.class_name
        methods = [self._method_view(op, is_async, imports, core) for op in resource.operations]
        children = [(c.attr, prefix + c.class_name, "." + c.import_module.split(".")[-1]) for c in resource.children]
        base = "AsyncAPIResource" if is_async else "SyncAPIResource"
        mixin = self.sdk.resource_mixins.get(resource.path)
        if mixin is not None:  # handwritten helpers (lib/) come first, so they can use the generated methods
            module, name = mixin[1 if is_async else 0].rpartition(".")[::2]
            imports.add(imports.rel(module), name)
            base = f"{name}, {base}"
        return ResourceView(
            resource=resource,
            class_name=cls,
            base=base,
            is_async=is_async,
            doc=docstring(paragraphs(self._resource_doc(resource), DOC_WIDTH), "    "),
            methods=methods,
            children=children,
            raw_class=f"{cls}WithRawResponse",
            streaming_class=f"{cls}WithStreamingResponse",
            raw_wrapper="async_to_raw_response_wrapper" if is_async else "to_raw_response_wrapper",
            streaming_wrapper="async_to_streamed_response_wrapper" if is_async else "to_streamed_response_wrapper",
            child_raw=[(a, f"{c}WithRawResponse", m) for a, c, m in children],
            child_streaming=[(a, f"{c}WithStreamingResponse", m) for a, c, m in children],
        )

    def _method_doc(self, op: Operation) -> list[str]:
        lines = paragraphs(op.summary) or [f"Call ``{op.http_method.upper()} {op.path}``."]
        if op.description:
            lines += ["", *paragraphs(op.description)]
        args: list[str] = []
        for param in op.params:
            text = param.description or ""
            if param.deprecated and "deprecated" not in text.lower():
                text = f"Deprecated. {text}".strip()
            wrapped = textwrap.wrap(
                f"{param.name}: {_docstring_text(' '.join(text.split()))}",
                width=DOC_WIDTH - 2,
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
            args += [*wrapped, ""]
        for name, text in _EXTRA_ARGS:
            args += [f"{name}: {text}", ""]
        lines += ["", "Args:", *(f"  {a}" if a else "" for a in args[:-1])]
        return lines

    def _method_view(self, op: Operation, is_async: bool, imports: Imports, core: set[str]) -> MethodView:
        names: set[Name] = set()
        for param in op.params:
            names |= param.type.names
        names |= op.response.names
        if op.stream is not None:
            names |= op.stream.chunk.names
            names.add(Name("typing", "Literal"))
        if op.page is not None:
            names |= op.page.item.names
        imports.add_names(names)

        doc = docstring(self._method_doc(op), "        ")
        required = [p for p in op.params if p.required]
        optional = [p for p in op.params if not p.required]
        stream_cls_name = "AsyncStream" if is_async else "Stream"
        page_cls = None
        if op.page is not None:
            page_cls = op.page.async_class if is_async else op.page.sync_class
            core.add(page_cls)
            returns = f"{page_cls}[{op.page.item_name}]"
            if is_async:  # awaitable for the first page, and ``async for`` over every item
                core.add("AsyncPaginator")
                returns = f"AsyncPaginator[{op.page.item_name}, {returns}]"
        else:
            returns = op.response.expr

        signatures: list[SignatureView] = []
        flag = op.stream.param if op.stream else None
        stream_type = ""
        if op.stream is not None:
            core.add(stream_cls_name)
            stream_type = f"{stream_cls_name}[{op.stream.chunk_name}]"
        if op.stream is not None and flag is not None:
            assert not flag.required, "a required stream switch leaves no non-streaming call"
            none = " | None" if flag.type.is_nullable else ""
            others = [p for p in optional if p is not flag]
            req = [_param_annotation(p) for p in required]
            opt = [_param_annotation(p) for p in others]
            if op.stream.value is True:
                plain_type, stream_value, either = f"Literal[False]{none}", "Literal[True]", "bool"
                impl_type = f"bool{none}"
            else:  # an enum field: ``stream_format="sse"`` streams, its other values do not
                plain_type = f"Literal[{', '.join(py_literal(v) for v in op.stream.other_values)}]{none}"
                stream_value = f"Literal[{py_literal(op.stream.value)}]"
                either = impl_type = flag.type.expr
            signatures.append(
                SignatureView(
                    params=[
                        *req,
                        *sorted([*opt, f"{flag.name}: {plain_type} | NotGiven = NOT_GIVEN"], key=_sort_key),
                    ],
                    returns=returns,
                    overload=True,
                    docstring=doc,
                )
            )
            signatures.append(
                SignatureView(
                    params=[*req, f"{flag.name}: {stream_value}", *opt],
                    returns=stream_type,
                    overload=True,
                    docstring=doc,
                )
            )
            signatures.append(
                SignatureView(
                    params=[*req, f"{flag.name}: {either}", *opt],
                    returns=f"{returns} | {stream_type}",
                    overload=True,
                    docstring=doc,
                )
            )
            signatures.append(
                SignatureView(
                    params=[*req, *sorted([*opt, f"{flag.name}: {impl_type} | NotGiven = NOT_GIVEN"], key=_sort_key)],
                    returns=f"{returns} | {stream_type}",
                )
            )
            imports.add("typing", "overload")
        elif op.stream is not None:
            signatures.append(
                SignatureView(params=[_param_annotation(p) for p in op.params], returns=stream_type, docstring=doc)
            )
        else:
            signatures.append(
                SignatureView(params=[_param_annotation(p) for p in op.params], returns=returns, docstring=doc)
            )
        # The last path parameter (the object the call is about) comes first and may be passed by
        # position, as in the official SDK: ``client.models.retrieve("gpt-4o")``,
        # ``client.beta.threads.runs.retrieve(run_id, thread_id=...)``. Everything else is keyword-only.
        positional = [_param_annotation(p) for p in op.path_params[-1:]]
        for sig in signatures:
            sig.positional = positional
            sig.params = [p for p in sig.params if p not in positional] + list(_EXTRA_SIGNATURE)

        # The single core call.
        path_expr = _path_expr(op)
        if op.path_params:
            core.add("path_param")
        call: list[tuple[str, str]] = [("", f'"{op.http_method}"'), ("", path_expr)]
        call.append(("body", _dict_expr(op.body_params)))
        call.append(("query", _dict_expr(op.query_params, op.fixed_query)))
        files = _dict_expr(op.file_params)
        if any(p.part_type for p in op.file_params):
            files = "{" + ", ".join(f"{py_literal(p.wire_name)}: {_part_expr(p)}" for p in op.file_params) + "}"
            if any(p.part_type and _is_json_type(p.part_type) for p in op.file_params):
                imports.add("json", "dumps")
        if op.body_kind == "multipart" and files == "None":
            files = "{}"  # a form without file fields is still sent as a form
        call.append(("files", files))
        cast_to = _cast_expr(op.response)
        if op.response_is_alias:  # a union alias is no ``type[...]``: say which type it stands for
            imports.add("typing", "cast")
            cast_to = f'cast("type[{cast_to}]", {cast_to})'
        call.append(("cast_to", cast_to))
        if op.stream is not None:
            if flag is None:
                streams = "True"
            elif op.stream.value is True:
                streams = f"{flag.name} is True"
            else:
                streams = f"{flag.name} == {py_literal(op.stream.value)}"
            call.append(("stream", streams))
            if op.stream.envelope:  # the core builds each chunk from the SSE event's name and data
                imports.add("typing", "Annotated")
                core.add("EVENT_ENVELOPE")
                call.append(("stream_cls", f"{stream_cls_name}[Annotated[{op.stream.chunk_name}, EVENT_ENVELOPE]]"))
            else:
                call.append(("stream_cls", stream_type))
            call.append(("stream_terminator", py_literal(op.stream.terminator)))
        else:
            call.append(("stream", "False"))
            call.append(("stream_cls", "None"))
        call.append(("page", f"{page_cls}[{op.page.item_name}]" if op.page and page_cls else "None"))
        headers = "extra_headers"
        if op.header_params:
            headers = "{" + ", ".join([*(_header_item(p) for p in op.header_params), "**(extra_headers or {})"]) + "}"
        call.append(
            (
                "options",
                f"make_request_options(extra_headers={headers}, extra_query=extra_query, "
                "extra_body=extra_body, timeout=timeout)",
            )
        )
        return MethodView(
            name=op.name,
            signatures=signatures,
            call=call,
            is_coroutine=is_async and op.page is None,
            deprecated=op.deprecated,
        )


def _lib_entries(names: dict[str, str], dots: str) -> list[tuple[str, str, str]]:
    """sdk.yaml ``lib_exports`` as ``(name, module relative to the importing package, attribute)``."""
    return sorted((name, dots + module, name) for name, module in names.items())


def _grouped(entries: list[tuple[str, str, str]]) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for name, module, _ in entries:
        grouped[module].append(name)
    return sorted(grouped.items())


def _sort_key(param_line: str) -> str:
    return param_line.split(":", 1)[0]


def _is_keyword(name: str) -> bool:
    import keyword

    return keyword.iskeyword(name)


def _path_expr(op: Operation) -> str:
    path = op.path.split("?", 1)[0]
    if not op.path_params:
        return py_literal(path)
    for param in op.path_params:
        path = path.replace("{" + param.wire_name + "}", "{path_param(" + param.name + ")}")
    return "f" + py_literal(path)


def _dict_expr(params: tuple[Param, ...], fixed: tuple[tuple[str, str], ...] = ()) -> str:
    if not params and not fixed:
        return "None"
    items = [f"{py_literal(k)}: {py_literal(v)}" for k, v in fixed]
    items += [f"{py_literal(p.wire_name)}: {p.name}" for p in params]
    return "{" + ", ".join(items) + "}"


def _is_json_type(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def _part_expr(param: Param) -> str:
    """A multipart field with its own content type (the spec's ``encoding``): ``(None, bytes, type)``."""
    if param.part_type is None:
        return param.name
    if _is_json_type(param.part_type):
        data = f"dumps({param.name}).encode()"
    elif param.type.expr == "str":
        data = f"{param.name}.encode()"
    else:
        data = f"str({param.name}).encode()"
    part = f"(None, {data}, {py_literal(param.part_type)})"
    if param.required:
        return part
    return f"{param.name} if isinstance({param.name}, NotGiven) else {part}"


def _header_item(param: Param) -> str:
    """A header parameter as a ``**{...}`` entry: left out when not given, lists joined by commas (style simple)."""
    value = param.name
    if param.type.expr.startswith("Sequence["):
        value = f'",".join({param.name})'
    elif param.type.expr != "str":
        value = f"str({param.name})"
    entry = f"{{{py_literal(param.wire_name)}: {value}}}"
    if param.required:
        return f"**{entry}"
    return f"**({entry} if not isinstance({param.name}, NotGiven) else {{}})"


def _cast_expr(response: PyType) -> str:
    return "NoneType" if response.expr == "None" else response.expr
