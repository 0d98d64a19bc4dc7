"""The official SDK's type modules: ``oai.types.chat``, ``oai.types.responses``, ``oai.types.beta.threads`` ...

sdk.yaml's ``official_types`` section names a facts file (``spec/official_types.yaml``, written by
``scripts/official_types.py`` from the installed ``openai`` package: every public name of its
``openai.types`` tree, by module, with its kind). Each name is resolved to something we generate, by
the first rule that applies:

1. ``override``: sdk.yaml's ``official_types.names`` (``Name`` or ``types.module:Name``) ->
   ``schema:<component>``, ``operation:<operationId>`` or ``unmapped``;
2. ``same name``: a component schema of the same name (after ``model_renames``; a request-side name,
   ``...Param`` or anything in ``types.shared_params``, is matched without its ``Param`` suffix first),
   then the same name ignoring case and underscores (``AdminAPIKey`` / ``AdminApiKey``);
3. ``operation``: ``<Resource><Method>Params`` / ``<Resource><Method>Response`` in the module of the
   resource's parent (``types.chat.CompletionCreateParams`` for ``client.chat.completions.create``): the
   params become a TypedDict of the operation's body and query fields, the response is the model the
   method returns (the item model for a page);
4. ``unmapped``: no counterpart in the spec (an API oai does not generate, such as ``client.beta.agents``):
   the name still imports, as ``UnmappedModel`` (a model keeping whatever fields it is given), a
   ``dict[str, object]`` for request types, or ``object`` for other aliases (``types/_unmapped.py``).

The side follows the official kind: TypedDicts (and request-side aliases) resolve to the request type of
the schema (``types/_params.py``), models and response-side aliases to the model. A schema the official
SDK has a model of but no operation returns gets its model built too (it joins the model roots).
Classes are found through the generator's own tables (the models datamodel-codegen defined, the
request types :class:`~generator.params.ParamTypes` names), never by their generated names.
"""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from .errors import pointer
from .ir import Operation, ParamDef, PyType, Resource, Sdk, TypedDictField
from .naming import is_identifier, pascal
from .params import ParamTypes
from .specutil import SCHEMA_REF_PREFIX
from .yamlio import load_yaml

KINDS = ("model", "typeddict", "class", "alias")
# (model, steps such as "[](type=x)", whether only a class will do) -> the model (class or alias) they reach
Walk = Callable[[str, str, bool], "str | None"]
UNMAPPED_MODULE = "_unmapped"
UNMAPPED = {"model": "UnmappedModel", "param": "UnmappedParams", "alias": "UnmappedType"}
_VARIANT_SUFFIXES = ("NonStreaming", "Streaming", "Base")  # CompletionCreateParamsStreaming -> ...Params


@dataclass(frozen=True)
class OfficialTypesConfig:
    facts: str  # the facts file, relative to sdk.yaml
    names: dict[str, str] = field(default_factory=lambda: {})  # "Name" / "types.mod:Name" -> target
    submodules: str | None = None  # the per-type submodules' facts file, relative to sdk.yaml


def parse_config(raw: Any, err: Callable[[str, str], None]) -> OfficialTypesConfig | None:
    if raw is None:
        return None
    where = pointer("official_types")
    if not isinstance(raw, dict) or not isinstance(raw.get("facts"), str):
        err(where, "expected a mapping with `facts: <file next to sdk.yaml>`")
        return None
    names: dict[str, str] = {}
    for key, target in (raw.get("names") or {}).items():
        ok = isinstance(target, str) and (target == "unmapped" or target.startswith(("schema:", "operation:", "ref:")))
        if not ok:
            err(
                pointer("official_types", "names", str(key)),
                "expected schema:<name>, operation:<id>, ref:<types.module:Name.field[]...> or unmapped",
            )
            continue
        names[str(key)] = target
    submodules = raw.get("submodules")
    if submodules is not None and not isinstance(submodules, str):
        err(pointer("official_types", "submodules"), "expected the name of a file next to sdk.yaml")
        submodules = None
    return OfficialTypesConfig(facts=raw["facts"], names=names, submodules=submodules)


@dataclass(frozen=True)
class Official:
    """One public name of the official package: ``module`` is dotted below it (``types.beta.threads``)."""

    module: str
    name: str
    kind: str

    @property
    def request_side(self) -> bool:
        return (
            self.kind == "typeddict"
            or self.module.split(".")[-1] == "shared_params"
            or (self.kind == "alias" and self.name.endswith(("Param", "Params")))  # ImageEditParams: a union
        )


def load_facts(path: Path) -> list[Official]:
    """Every name of the facts file; a module without names is listed as one ``Official`` with ``name=""``."""
    raw = load_yaml(path, document=str(path))
    found: list[Official] = []
    for module, names in sorted((raw.get("modules") or {}).items()):
        if not names:
            found.append(Official(module, "", "module"))
        for name, kind in sorted((names or {}).items()):
            if kind not in KINDS or not is_identifier(name):
                raise ValueError(f"{path}: {module}.{name}: not a name with one of the kinds {KINDS}")
            found.append(Official(module, name, kind))
    return found


def load_returns(path: Path) -> dict[str, str]:
    """The facts file's ``returns``: ``types.module:Name`` -> the method returning it, with steps
    (``beta.chatkit.threads.list[]``)."""
    raw = load_yaml(path, document=str(path))
    returns = raw.get("returns") or {}
    if not isinstance(returns, dict) or not all(isinstance(v, str) for v in returns.values()):
        raise ValueError(f"{path}: returns: expected `types.module:Name: method.path[steps]` entries")
    return {str(k): str(v) for k, v in returns.items()}


def _norm(name: str) -> str:
    return name.lower().replace("_", "")


@dataclass
class Decision:
    official: Official
    rule: str  # override / same name / same name (case) / operation / unmapped
    schema: str | None = None
    operation: Operation | None = None
    public: str = ""  # set by resolve(): the class (or alias) it names
    origin: str = ""  # the module (dotted below types) that defines ``public``


class OfficialTypes:
    """Matches the facts against the spec (before models are built) and the IR (after)."""

    def __init__(
        self,
        doc: dict[str, Any],
        config: OfficialTypesConfig,
        facts: list[Official],
        renames: dict[str, str],
        returns: Mapping[str, str] | None = None,
    ):
        self.config = config
        self.returns = dict(returns or {})
        self.modules = sorted({o.module for o in facts})
        facts = [o for o in facts if o.name]
        self.facts = facts
        self.schemas: dict[str, Any] = doc.get("components", {}).get("schemas", {})
        self.renames = renames
        by_norm: dict[str, list[str]] = {}
        for schema in self.schemas:
            by_norm.setdefault(_norm(schema), []).append(schema)
        self._by_norm = by_norm
        self.decisions = [self._by_schema(o) for o in facts]

    # -- stage 1: the spec ----------------------------------------------------------------

    def _override(self, o: Official) -> str | None:
        return self.config.names.get(f"{o.module}:{o.name}", self.config.names.get(o.name))

    def _schema(self, name: str) -> str | None:
        """The component of that name in the spec as preprocessed, where ``model_renames`` are applied: the
        spec's own name of a renamed component (``CreateChatCompletionResponse``) finds it too."""
        name = self.renames.get(name, name)
        return name if name in self.schemas else None

    def _by_schema(self, o: Official) -> Decision:
        target = self._override(o)
        if target is not None:
            if target.startswith("schema:"):
                schema = self._schema(target.removeprefix("schema:"))
                if schema is None:
                    raise ValueError(f"official_types.names: {o.name}: no component schema {target!r}")
                return Decision(o, "override", schema=schema)
            return Decision(o, "override" if target == "unmapped" else "pending")
        names = [o.name]
        if o.request_side and o.name.endswith("Param"):
            names.insert(0, o.name.removesuffix("Param"))
        candidates = [(c, rule) for name in names for c, rule in _candidates(name, o.request_side)]
        for name, rule in candidates:
            schema = self._schema(name)
            if schema is not None:
                return Decision(o, rule, schema=schema)
        for name, rule in candidates:
            matches = self._by_norm.get(_norm(name), [])
            if len(matches) == 1:
                return Decision(o, f"{rule} (case)", schema=matches[0])
        return Decision(o, "pending")

    def model_roots(self) -> tuple[str, ...]:
        """Components the official SDK has a model of: built as models even when no operation returns them.

        Not a component the spec names ``...Param``: it is request-side by name, and a model of that name
        would push its request type to ``...ParamParam``, renaming a type code already imports."""
        return tuple(
            sorted(
                {d.schema for d in self.decisions if d.schema and not d.official.request_side}
                - {name for name in self.schemas if name.endswith("Param")}
            )
        )

    # -- stage 2: the IR ------------------------------------------------------------------

    def resolve(
        self,
        sdk: Sdk,
        params: ParamTypes,
        model_names: set[str],
        module_of: Callable[[str], str],
        renames: Mapping[str, str] | None = None,
        walk: Walk | None = None,
        core: Collection[str] = (),
    ) -> list[Decision]:
        """Decide every name; ``module_of(model)`` is the module (dotted below ``types``) defining a model.

        ``renames``: component -> the model that stands for it where the models stage renamed one
        (a ``...Param`` component a response reaches is the model ``...`` or ``...Input``).

        ``walk(model, steps)``: the one model class the steps (``[]``, ``(type=x)``) lead to from ``model``, or
        None; with it, an official model the facts' ``returns`` names is the model our method of the same path
        returns (rule ``returned``), unless sdk.yaml overrides the name.

        ``core``: the names the core exports; an official name of ``openai.types`` itself the spec has no
        counterpart of is the core's class of that name (``WebSocketConnectionOptions``: rule ``core``).

        Request types are defined in ``params`` as needed: run it before ``sdk.params`` is read."""
        operations = self._operation_index(sdk)
        lib = sdk.lib_exports.get("types", {})  # ParsedChatCompletion...: written in lib/, exported by oai.types
        taken = {d.name for d in params.definitions} | set(params.component_names()) | model_names
        made: dict[str, str] = {}  # operationId -> the TypedDict made of its parameters
        methods = self._method_index(sdk) if walk is not None else {}
        for d in self.decisions:
            o = d.official
            if walk is not None and o.kind == "model" and not o.request_side and self._override(o) is None:
                returned = self._returned(o, methods, walk)
                if returned is not None and returned in model_names:
                    d.rule, d.schema, d.operation = "returned", None, self._returning(o, methods)
                    d.public, d.origin = returned, module_of(returned)
                    continue
            if d.rule == "pending" and o.name in lib:
                d.rule, d.public, d.origin = "helper", o.name, f".{lib[o.name]}"
                continue
            if d.rule == "pending" and o.module == "types" and o.name in core:
                d.rule, d.public, d.origin = "core", o.name, "._core"
                continue
            if d.rule == "pending":
                target = self._override(o)
                if target is not None and target.startswith("ref:"):
                    continue  # below, once the name it starts from is decided
                if target is not None and target.startswith("operation:"):
                    op_id = target.removeprefix("operation:")
                    op = next((op for op, _ in operations.values() if op.operation_id == op_id), None)
                    if op is None:
                        raise ValueError(f"official_types.names: {o.name}: no operation {op_id!r}")
                    d.operation, d.rule = op, "override"
                else:
                    found = operations.get((o.module, _norm(_strip_variant(o.name))))
                    if found is not None:
                        d.operation, d.rule = found[0], "operation"
            if d.schema is not None:
                self._resolve_schema(d, params, model_names, module_of, renames or {})
            elif d.operation is not None:
                self._resolve_operation(d, operations, params, taken, made, module_of)
            if not d.public:
                if d.schema is not None and d.rule == "override":
                    raise ValueError(f"official_types.names: {o.name}: {d.schema!r} has no generated type")
                d.rule = "unmapped"
                side = "param" if o.request_side else ("model" if o.kind == "model" else "alias")
                d.public, d.origin = UNMAPPED[side], UNMAPPED_MODULE
        for d in self.decisions:
            target = self._override(d.official)
            if target is not None and target.startswith("ref:"):
                self._resolve_ref(d, target.removeprefix("ref:"), walk, module_of)
        return self.decisions

    def _resolve_ref(self, d: Decision, ref: str, walk: Walk | None, module_of: Callable[[str], str]) -> None:
        """An override ``ref:types.chat:ChatCompletionMessage.tool_calls[]``: the model our types have at that
        place (the steps of spec/official_submodules.yaml's refs), from the model the named official name is."""
        o = d.official
        module, _, rest = ref.partition(":")
        name = re.match(r"\w*", rest).group(0)  # type: ignore[union-attr]
        anchor = next((a for a in self.decisions if (a.official.module, a.official.name) == (module, name)), None)
        found = None
        if walk is not None and anchor is not None and anchor.origin.startswith("_models."):
            found = walk(anchor.public, rest[len(name) :], o.kind == "model")
        if o.request_side or found is None:
            raise ValueError(f"official_types.names: {o.name}: ref {ref!r} reaches no response model")
        d.rule, d.public, d.origin = "override", found, module_of(found)

    def _resolve_schema(
        self,
        d: Decision,
        params: ParamTypes,
        model_names: set[str],
        module_of: Callable[[str], str],
        renames: Mapping[str, str],
    ) -> None:
        assert d.schema is not None
        if d.official.request_side:
            name = params.type_of({"$ref": SCHEMA_REF_PREFIX + d.schema}, d.schema).expr
            definition = params.definition(name)
            if d.official.kind == "typeddict" and definition is not None and definition.alias is not None:
                # A nullable object (``X | None``): the official TypedDict is the object itself.
                members = [m for m in definition.alias.expr.split(" | ") if m != "None"]
                member = params.definition(members[0]) if len(members) == 1 else None
                if member is not None and member.kind == "typeddict":
                    name = member.name
            d.public, d.origin = name, "_params"
            return
        renamed = renames.get(d.schema, d.schema)
        for candidate in (renamed, pascal(renamed)):
            if candidate in model_names:
                d.public, d.origin = candidate, module_of(candidate)
                return

    @staticmethod
    def _method_index(sdk: Sdk) -> dict[str, Operation]:
        """``beta.chatkit.threads.retrieve`` -> the operation of that client method."""
        index: dict[str, Operation] = {}

        def add(resource: Resource) -> None:
            for op in resource.operations:
                index[".".join((*resource.path, op.name))] = op
            for child in resource.children:
                add(child)

        for resource in sdk.resources:
            add(resource)
        return index

    def _returning(self, o: Official, methods: Mapping[str, Operation]) -> Operation | None:
        where = self.returns.get(f"{o.module}:{o.name}")
        match = re.match(r"[\w.]+", where or "")
        return methods.get(match.group(0)) if match is not None else None

    def _returned(self, o: Official, methods: Mapping[str, Operation], walk: Walk) -> str | None:
        """The model our method returns where the official one returns ``o`` (the facts' ``returns``)."""
        where = self.returns.get(f"{o.module}:{o.name}")
        op = self._returning(o, methods)
        if where is None or op is None:
            return None
        steps = re.sub(r"^[\w.]+", "", where)
        if steps.startswith("[]"):
            if op.page is None:
                return None
            start, steps = op.page.item_name, steps[2:]
        elif op.page is not None:
            return None
        else:
            start = _single_model(op.response)
        if start is None:
            return None
        return walk(start, steps, True) if steps else start

    def _operation_index(self, sdk: Sdk) -> dict[tuple[str, str], tuple[Operation, str]]:
        """(official module, normalized name) -> (operation, "params" | "response")."""
        index: dict[tuple[str, str], tuple[Operation, str]] = {}

        def add(resource: Resource) -> None:
            # In the module of the resource's parent (types.chat.CompletionCreateParams), or of the resource
            # itself when it is a package there (types.responses.ResponseCreateParams).
            for module in (".".join(("types", *resource.path[:-1])), ".".join(("types", *resource.path))):
                for stem in _singulars(resource.path[-1]):
                    for op in resource.operations:
                        for suffix, what in (("Params", "params"), ("Response", "response")):
                            index.setdefault((module, _norm(stem + op.name + suffix)), (op, what))
            for child in resource.children:
                add(child)

        for resource in sdk.resources:
            add(resource)
        return index

    def _resolve_operation(
        self,
        d: Decision,
        operations: dict[tuple[str, str], tuple[Operation, str]],
        params: ParamTypes,
        taken: set[str],
        made: dict[str, str],
        module_of: Callable[[str], str],
    ) -> None:
        op = d.operation
        assert op is not None
        if d.official.request_side:
            name = made.get(op.operation_id)
            if name is None:
                name = _unique(pascal(op.operation_id) + "Params", taken)
                fields = tuple(
                    TypedDictField(name=p.wire_name, type=p.type, required=p.required, description=p.description)
                    for p in op.params
                    if p.location in ("body", "query") and not p.whole_body
                )
                params.add_definition(
                    ParamDef(
                        name=name,
                        kind="typeddict",
                        description=f"The keyword arguments of ``{op.operation_id}`` as one dictionary.",
                        fields=fields,
                    )
                )
                made[op.operation_id] = name
            d.public, d.origin = name, "_params"
            return
        model = op.page.item_name if op.page is not None else _single_model(op.response)
        if model is not None:
            d.public, d.origin = model, module_of(model)


def _candidates(name: str, request_side: bool) -> list[tuple[str, str]]:
    """Component names an official name may stand for, with the rule each follows, most likely first.

    A stem (the name; without its ``Response`` word; the chat names' ``Request`` / ``Response`` forms;
    ``Deleted`` or a trailing ``Grader`` moved to the front) combined with an ending (as it is; ``+Object``,
    ``+Resource``, ``+Param``; ``...Item`` as ``...Resource``; ``...Event`` as ``...StreamingEvent``)."""
    stems = [(name, "")]
    if name.startswith("ChatCompletion"):
        rest = name.removeprefix("ChatCompletion")
        request = [
            ("ChatCompletionRequest" + rest, "chat request"),
            ("ChatCompletionRequestMessage" + rest, "chat request"),
        ]
        response = [("ChatCompletionResponse" + rest, "chat response")]
        stems += request if request_side else response + request
    if "Response" in name[1:] or name.startswith("Response"):  # ResponseFunctionToolCall -> FunctionToolCall
        stems.append((name.replace("Response", "", 1), "without Response"))
    if "Deleted" in name[1:]:  # ConversationDeletedResource -> DeletedConversationResource
        stems.append(("Deleted" + name.replace("Deleted", "", 1), "Deleted first"))
    if name.endswith("Grader") and name != "Grader":  # LabelModelGrader -> GraderLabelModel
        stems.append(("Grader" + name.removesuffix("Grader"), "Grader first"))
    out: list[tuple[str, str]] = []
    for stem, how in stems:
        endings = [(stem, "")]
        endings += [(stem + suffix, f"+{suffix}") for suffix in ("Object", "Resource")]  # VectorStore -> ...Object
        if not stem.endswith("Param"):  # ApplyPatchTool -> ApplyPatchToolParam (the spec's name for the tool)
            endings.append((stem + "Param", "+Param"))
        if stem.endswith("Item"):  # ResponseFunctionToolCallItem -> FunctionToolCallResource
            endings.append((stem.removesuffix("Item") + "Resource", "Item as Resource"))
        if stem.endswith("Event"):  # ResponseShellCallCommandAddedEvent -> ...StreamingEvent
            endings.append((stem.removesuffix("Event") + "StreamingEvent", "+Streaming"))
        for candidate, ending in endings:
            out.append((candidate, ", ".join(r for r in (how, ending) if r) or "same name"))
    if name.endswith("Deleted"):  # VectorStoreDeleted -> DeleteVectorStoreResponse
        out.append(("Delete" + name.removesuffix("Deleted") + "Response", "deleted response"))
    return out


def _strip_variant(name: str) -> str:
    for suffix in _VARIANT_SUFFIXES:
        if name.endswith("Params" + suffix):
            return name.removesuffix(suffix)
    return name


def _singulars(attr: str) -> list[str]:
    """``completions`` -> completion; ``batches`` -> batch; ``entries`` -> entry; ``audio`` as it is."""
    out = [attr]
    if attr.endswith("ies"):
        out.append(attr[:-3] + "y")
    if attr.endswith(("ches", "shes", "sses", "xes")):
        out.append(attr[:-2])
    if attr.endswith("s"):
        out.append(attr[:-1])
    return [pascal(a) for a in out]


def _single_model(response: PyType | None) -> str | None:
    if response is None:
        return None
    models = [n for n in response.names if n.origin == "models"]
    if len(models) == 1 and response.expr == models[0].name:
        return models[0].name
    return None


def _unique(name: str, taken: set[str]) -> str:
    base, number = name, 2
    while name in taken:
        name = f"{base.removesuffix('Params')}{number}Params"
        number += 1
    taken.add(name)
    return name


# -- rendering ----------------------------------------------------------------------------

MODULE_TEMPLATE = "official_types_module.py.jinja"
UNMAPPED_TEMPLATE = "official_types_unmapped.py.jinja"

Entry = tuple[str, str, str]  # public name, origin module (relative to the rendered module), attribute


def package_entries(
    modules: list[str],
    decisions: list[Decision],
    existing: dict[str, list[Entry]],
    flat: list[Entry] | None = None,
) -> dict[str, dict[str, tuple[str, str, str]]]:
    """Module -> public name -> (origin, attribute, why) for every official package module, the flat ``types``
    included. ``origin`` is relative to ``types`` (``_models.chat_completion``; ``.lib._parsed_chat`` is above
    it). ``existing``: module -> entries another stage already exports there (``types.realtime``'s events,
    origins relative to that package); ``flat``: the flat ``types``' own entries (origins relative to it).
    Both win over the decisions, as they do in the modules rendered."""
    out: dict[str, dict[str, tuple[str, str, str]]] = {}
    for module in modules:
        up = "." * len(module.split("."))  # from types/<parts>/__init__.py up to types
        merged: dict[str, tuple[str, str, str]] = {}
        for public, origin, attr in existing.get(module, []):
            merged[public] = (origin.removeprefix(up), attr, "")
        if module == "types":
            for public, origin, attr in flat or []:
                merged.setdefault(public, (origin, attr, ""))
        for d in decisions:
            if d.official.module == module:
                merged.setdefault(d.official.name, (d.origin, d.public, _why(d)))
        out[module] = merged
    return out


def render(
    modules: list[str],
    decisions: list[Decision],
    sdk: Sdk,
    header: str,
    existing: dict[str, list[Entry]],
) -> dict[PurePosixPath, str]:
    """``types/<module>/__init__.py`` for every official module below ``types`` and ``types/_unmapped.py``.

    ``existing``: module -> entries another stage already exports there (``types.realtime``'s events);
    they are kept, the official names they lack are added."""
    from .render import environment

    env = environment()
    pkg = PurePosixPath(sdk.package)
    files: dict[PurePosixPath, str] = {}
    entries = package_entries(modules, decisions, existing)
    for module in modules:
        if module == "types":
            continue  # the flat oai.types: plan.types_init() adds what it lacks
        parts = module.split(".")[1:]
        up = "." * (len(parts) + 1)  # from types/<parts>/__init__.py up to types
        rows = sorted((public, up + origin, attr, why) for public, (origin, attr, why) in entries[module].items())
        grouped: dict[str, list[str]] = {}
        for public, origin, attr, _ in rows:
            grouped.setdefault(origin, []).append(attr if attr == public else f"{attr} as {public}")
        unmapped = sorted(d.official.name for d in decisions if d.official.module == module and d.rule == "unmapped")
        files[pkg / "types" / PurePosixPath(*parts) / "__init__.py"] = env.get_template(MODULE_TEMPLATE).render(
            header=header,
            package=sdk.package,
            module=module,
            rows=rows,
            grouped=sorted((m, sorted(set(a))) for m, a in grouped.items()),
            unmapped=unmapped,
        )
    files[pkg / "types" / f"{UNMAPPED_MODULE}.py"] = env.get_template(UNMAPPED_TEMPLATE).render(
        header=header, names=UNMAPPED
    )
    return files


OFFICIAL_PARAMS_MODULE = "_official_params"


def move_params(decisions: list[Decision], official_params: set[str]) -> None:
    """The request types defined for the official names alone live in ``types/_official_params.py``."""
    for d in decisions:
        if d.origin == "_params" and d.public in official_params:
            d.origin = OFFICIAL_PARAMS_MODULE


def _why(d: Decision) -> str:
    """The decision, for the comment beside the name: ``chat request: ChatCompletionRequestUserMessage``."""
    if d.schema is not None:
        return f"{d.rule}: {d.schema}"
    if d.rule == "override" and d.operation is None:
        return f"override: {d.public}"
    if d.rule in ("helper", "core"):
        return f"{d.rule}: {d.origin.lstrip('.')}"
    if d.operation is not None and d.rule != "unmapped":
        return f"{d.rule}: {d.operation.operation_id}"
    return "no counterpart in the spec"


class _Ruled(Protocol):
    @property
    def rule(self) -> str: ...


def summary(decisions: Iterable[_Ruled]) -> dict[str, int]:
    """How many names each rule resolved (package-level decisions, or the submodules')."""
    return dict(sorted(Counter(d.rule for d in decisions).items()))


def root_entries(decisions: list[Decision]) -> list[tuple[str, str, str]]:
    """The official names of ``openai.types`` itself, for the flat ``oai.types`` (which adds those it lacks)."""
    return sorted((d.official.name, d.origin, d.public) for d in decisions if d.official.module == "types")


__all__ = [
    "Decision",
    "Official",
    "OfficialTypes",
    "OfficialTypesConfig",
    "load_facts",
    "parse_config",
    "render",
    "root_entries",
    "summary",
]
