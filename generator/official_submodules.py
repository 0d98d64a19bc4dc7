"""The official SDK's per-type submodules: ``oai.types.chat.chat_completion``, ``oai.types.completion_usage`` ...

Official code imports from the file a type is defined in as often as from its package
(``from openai.types.chat.chat_completion import ChatCompletion, Choice``). sdk.yaml's
``official_types.submodules`` names a facts file (``spec/official_submodules.yaml``, written by
``scripts/official_types.py``): every public submodule file of the official ``openai.types`` tree, its names,
their kinds and, where the script found one, a *ref*: the package-level official name the object is
(``types.chat:ChatCompletion``), or its place inside one (``types.chat:ChatCompletionChunk.choices[].delta``:
a field's type, ``[]`` a list's item, ``{}`` a dict's value, ``(type=message)`` the union member with that tag).

Each name is resolved by the first rule that applies:

1. ``same``: a ref with no steps names a package-level official name, resolved as the package modules
   resolve it (generator/official_types.py); the submodule exports the same type;
2. ``structural``: the ref's steps are walked through our own generated types, from the one the anchor
   resolved to: the fields of our models (``types/_models``, read from datamodel-codegen's output with
   ``ast``) or of our request TypedDicts (``types/_params``), list items, dict values and union members
   picked by their tag. ``chat_completion.Choice`` is ``ChatCompletion.choices[]``, which in our models is
   ``ChatCompletionChoice``. The walk must end on one named type of the right sort (a class for an
   official model or TypedDict);
   A field our models type as an unnamed union (``ChatCompletion.moderation.input``) is written out as a
   type alias of its members where the official name is an alias (``ModerationInput``) (rule ``union``);
3. ``variant``: ``<X>Params{Base,Streaming,NonStreaming}`` is the package-level ``<X>Params``;
4. ``unmapped``: a placeholder from ``types/_unmapped.py``, as for the package modules.

Each submodule file imports only the modules defining its names, so importing one builds only that family
of models; ``import oai`` imports none of them.
"""
# pyright: standard
# (walks ``ast`` nodes of generated code: strict mode would need a cast at every node access)

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .ir import ParamDef, Sdk
from .naming import is_identifier
from .official_types import KINDS, UNMAPPED, UNMAPPED_MODULE, _strip_variant
from .yamlio import load_yaml

TEMPLATE = "official_submodule.py.jinja"
_STEP = re.compile(r"\.([A-Za-z_$@][\w$@-]*)|\[\]|\{\}|\((\w+)=([^)]*)\)")
_WRAPPERS = {"Annotated", "Required", "NotRequired", "ReadOnly"}
_MAPPINGS = {"dict", "Dict", "Mapping"}
_SCALARS = {"str", "int", "float", "bool"}
_SEQUENCES = {"list", "List", "Sequence", "Iterable", "SequenceNotStr", "set", "Set", "tuple", "Tuple"}


@dataclass(frozen=True)
class SubOfficial:
    """One public name of an official submodule (``module``: ``types.chat.chat_completion``)."""

    module: str
    name: str
    kind: str
    ref: str | None = None

    @property
    def parent(self) -> str:
        return self.module.rsplit(".", 1)[0]


def load_facts(path: Path) -> list[SubOfficial]:
    """Every name of the submodule facts file; a module without names is one ``SubOfficial`` with ``name=""``."""
    raw = load_yaml(path, document=str(path))
    found: list[SubOfficial] = []
    for module, names in sorted((raw.get("modules") or {}).items()):
        if not all(is_identifier(part) for part in str(module).split(".")):
            raise ValueError(f"{path}: {module!r} is not a dotted module path")
        if not names:
            found.append(SubOfficial(module, "", "module"))
        for name, value in sorted((names or {}).items()):
            kind, _, ref = str(value).partition(" ")
            if kind not in KINDS or not is_identifier(name):
                raise ValueError(f"{path}: {module}.{name}: not a name with one of the kinds {KINDS}")
            found.append(SubOfficial(module, name, kind, ref.strip() or None))
    return found


def parse_ref(ref: str) -> tuple[str, str, list[tuple[str, ...]]]:
    """``types.chat:ChatCompletion.choices[].logprobs`` -> (module, name, steps); a step is ``("field", wire)``,
    ``("item",)``, ``("value",)`` or ``("tag", field, value)``."""
    module, _, rest = ref.partition(":")
    match = re.match(r"[A-Za-z_]\w*", rest)
    if not module or match is None:
        raise ValueError(f"not a ref: {ref!r}")
    name, tail = match.group(0), rest[match.end() :]
    steps: list[tuple[str, ...]] = []
    position = 0
    while position < len(tail):
        step = _STEP.match(tail, position)
        if step is None:
            raise ValueError(f"not a ref: {ref!r} (at {tail[position:]!r})")
        text = step.group(0)
        if text.startswith("."):
            steps.append(("field", step.group(1)))
        elif text == "[]":
            steps.append(("item",))
        elif text == "{}":
            steps.append(("value",))
        else:
            steps.append(("tag", step.group(2), step.group(3)))
        position = step.end()
    return module, name, steps


# -- our types, as written ----------------------------------------------------------------


class Side:
    """One side of our types (the response models, or the request types): the named types, the fields of
    each class, the expression of each alias, as ``ast`` nodes."""

    def __init__(
        self,
        classes: dict[str, dict[str, ast.expr]],
        aliases: dict[str, ast.expr],
        bases: dict[str, list[str]],
    ):
        self.classes = classes
        self.aliases = aliases
        self.bases = bases

    def fields(self, name: str) -> dict[str, ast.expr]:
        out: dict[str, ast.expr] = {}
        for base in self.bases.get(name, []):
            if base in self.classes:
                out.update(self.fields(base))
        out.update(self.classes.get(name, {}))
        return out

    @classmethod
    def of_models(cls, source: str) -> Side:
        classes: dict[str, dict[str, ast.expr]] = {}
        aliases: dict[str, ast.expr] = {}
        bases: dict[str, list[str]] = {}
        for node in ast.parse(source).body:
            if isinstance(node, ast.ClassDef):
                fields: dict[str, ast.expr] = {}
                for item in node.body:
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        fields[_wire_name(item.target.id, item.annotation)] = item.annotation
                classes[node.name] = fields
                bases[node.name] = [b.id for b in node.bases if isinstance(b, ast.Name)]
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                aliases[node.targets[0].id] = _alias_value(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                aliases[node.target.id] = _alias_value(node.value)
        return cls(classes, aliases, bases)

    @classmethod
    def of_params(cls, definitions: list[ParamDef]) -> Side:
        classes: dict[str, dict[str, ast.expr]] = {}
        aliases: dict[str, ast.expr] = {}
        for d in definitions:
            if d.kind == "typeddict":
                classes[d.name] = {f.name: _parse(f.type.expr) for f in d.fields}
            elif d.alias is not None:
                aliases[d.name] = _parse(d.alias.expr)
        return cls(classes, aliases, {})


def _parse(expr: str) -> ast.expr:
    return ast.parse(expr.strip().strip("\"'"), mode="eval").body


def _alias_value(value: ast.expr) -> ast.expr:
    """``TypeAliasType("X", <expr>)`` -> the expression."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "TypeAliasType":
        if len(value.args) >= 2:
            return value.args[1]
    return value


def _wire_name(attr: str, annotation: ast.expr) -> str:
    """A model field's wire name: ``Field(alias="schema")`` inside ``Annotated``, else the attribute."""
    for node in ast.walk(annotation):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Field":
            for keyword in node.keywords:
                if keyword.arg == "alias" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return attr


def _subscript(node: ast.expr) -> tuple[str, list[ast.expr]] | None:
    if isinstance(node, ast.Subscript):
        head = node.value
        name = head.id if isinstance(head, ast.Name) else head.attr if isinstance(head, ast.Attribute) else None
        if name is None:
            return None
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        return name, args
    return None


def _members(node: ast.expr) -> list[ast.expr]:
    """A union's members (``A | B``, ``Union[A, B]``, ``Optional[A]``), without ``None``; else ``[node]``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _members(node.left) + _members(node.right)
    sub = _subscript(node)
    if sub is not None and sub[0] in ("Union", "Optional"):
        return [m for arg in sub[1] for m in _members(arg)]
    if isinstance(node, ast.Constant) and node.value is None:
        return []
    return [node]


def _bare(node: ast.expr) -> ast.expr:
    """Without ``Annotated[...]``, ``Required[...]`` and the like, and ``| None``."""
    while True:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node = _parse(node.value)
            continue
        sub = _subscript(node)
        if sub is not None and sub[0] in _WRAPPERS and sub[1]:
            node = sub[1][0]
            continue
        members = _members(node)
        if len(members) == 1 and members[0] is not node:
            node = members[0]
            continue
        return node


class Walker:
    """Follows a ref's steps through one side of our types."""

    def __init__(self, side: Side):
        self.side = side

    def _expand(self, node: ast.expr, depth: int = 0) -> Iterator[ast.expr]:
        """The forms a type takes: itself, then (for a named alias) its expression, and a union's members."""
        node = _bare(node)
        yield node
        if depth > 8:
            return
        if isinstance(node, ast.Name) and node.id in self.side.aliases:
            yield from self._expand(self.side.aliases[node.id], depth + 1)
        members = _members(node)
        if len(members) > 1:
            for member in members:
                yield from self._expand(member, depth + 1)

    def step(self, node: ast.expr, step: tuple[str, ...]) -> ast.expr | None:
        what = step[0]
        for form in self._expand(node):
            if what == "field" and isinstance(form, ast.Name) and form.id in self.side.classes:
                found = self.side.fields(form.id).get(step[1])
                if found is not None:
                    return found
            sub = _subscript(form)
            if what == "item" and sub is not None and sub[0] in _SEQUENCES and sub[1]:
                return sub[1][0]
            if what == "value" and sub is not None and sub[0] in _MAPPINGS and len(sub[1]) == 2:
                return sub[1][1]
            if what == "tag" and isinstance(form, ast.Name) and self._has_tag(form.id, step[1], step[2]):
                return form
        return None

    def _has_tag(self, name: str, field: str, value: str) -> bool:
        if name not in self.side.classes:
            return False
        annotation = self.side.fields(name).get(field)
        if annotation is None:
            return False
        for form in self._expand(annotation):
            sub = _subscript(form)
            if sub is not None and sub[0] == "Literal":
                return any(isinstance(a, ast.Constant) and a.value == value for a in sub[1])
        return False

    def walk(self, start: str, steps: list[tuple[str, ...]]) -> str | tuple[str, ...] | None:
        """The one named type the steps end on; or the members of the union they end on, when each is a named
        type or a builtin scalar (``ModerationInput``: ``Results | Error``, a field's type our models leave
        unnamed); or None."""
        node: ast.expr | None = ast.Name(id=start)
        for step in steps:
            assert node is not None
            node = self.step(node, step)
            if node is None:
                return None
        assert node is not None
        end = _bare(node)
        if isinstance(end, ast.Name) and self._named(end.id):
            return end.id
        members = _members(end)
        if len(members) > 1 and all(isinstance(m, ast.Name) for m in members):
            names = tuple(m.id for m in members if isinstance(m, ast.Name))
            if all(self._named(n) or n in _SCALARS for n in names):
                return names
        return None

    def _named(self, name: str) -> bool:
        return name in self.side.classes or name in self.side.aliases


def model_walk(models: Side) -> Callable[[str, str, bool], str | None]:
    """``walk(model, steps, classes_only)`` for official_types' ``returned`` rule and ``ref:`` overrides: the one
    model (a class, or with ``classes_only`` false also a named alias) ``steps`` (ref steps, as
    ``[](type=message)``) lead to from ``model``, or None."""
    walker = Walker(models)

    def walk(start: str, steps: str, classes_only: bool) -> str | None:
        found = walker.walk(start, parse_ref(f"types:{start}{steps}")[2])
        if not isinstance(found, str):
            return None
        return found if found in models.classes or (not classes_only and found in models.aliases) else None

    return walk


# -- deciding -----------------------------------------------------------------------------


@dataclass
class SubDecision:
    official: SubOfficial
    rule: str  # same / structural / union / variant / unmapped
    origin: str  # relative to ``types`` (``_models.chat_completion``; ``.lib.x`` is above it); "" for a union
    attr: str
    members: tuple[tuple[str, str], ...] = ()  # a union's members: (origin, attribute); a builtin has origin ""


def resolve(
    facts: list[SubOfficial],
    packages: dict[str, dict[str, tuple[str, str, str]]],
    models: Side,
    params: Side,
    module_of: Callable[[str], str],
    official_params: set[str],
) -> list[SubDecision]:
    """Decide every submodule name. ``packages``: official_types.package_entries() (module -> name ->
    (origin relative to types, attribute, why)); ``module_of(model)``: the module (below ``types``) defining it."""
    walkers = {"models": Walker(models), "params": Walker(params)}
    out: list[SubDecision] = []
    for o in facts:
        if not o.name:
            continue
        found = _decide(o, packages, walkers, module_of, official_params)
        if found is None:
            side = "param" if _request_side(o) else ("model" if o.kind == "model" else "alias")
            found = SubDecision(o, "unmapped", UNMAPPED_MODULE, UNMAPPED[side])
        out.append(found)
    return out


def _request_side(o: SubOfficial) -> bool:
    return (
        o.kind == "typeddict"
        or ".shared_params." in f".{o.module}."
        or (o.kind == "alias" and (o.name.endswith(("Param", "Params")) or o.module.endswith(("_param", "_params"))))
    )


def _decide(
    o: SubOfficial,
    packages: dict[str, dict[str, tuple[str, str, str]]],
    walkers: dict[str, Walker],
    module_of: Callable[[str], str],
    official_params: set[str],
) -> SubDecision | None:
    if o.ref is None:
        variant = packages.get(o.parent, {}).get(_strip_variant(o.name))
        if variant is not None and _strip_variant(o.name) != o.name and variant[0] != UNMAPPED_MODULE:
            return SubDecision(o, "variant", variant[0], variant[1])
        return None
    module, name, steps = parse_ref(o.ref)
    anchor = packages.get(module, {}).get(name)
    if anchor is None or anchor[0] == UNMAPPED_MODULE:
        return None
    origin, attr = anchor[0], anchor[1]
    if not steps:
        return SubDecision(o, "same", origin, attr)
    side = (
        "models" if origin.startswith("_models.") else "params" if origin in ("_params", "_official_params") else None
    )
    if side is None:
        return None  # a helper or a placeholder: nothing to walk
    found = walkers[side].walk(attr, steps)
    if found is None:
        return None

    def origin_of(name: str) -> str:
        if side == "models":
            return module_of(name)
        return "_official_params" if name in official_params else "_params"

    if isinstance(found, tuple):
        if o.kind != "alias":
            return None  # an official class must stay a class
        members = tuple((origin_of(m) if m not in _SCALARS else "", m) for m in found)
        return SubDecision(o, "union", "", "", members)
    if o.kind in ("model", "typeddict") and found not in walkers[side].side.classes:
        return None  # an official class must stay a class
    return SubDecision(o, "structural", origin_of(found), found)


# -- rendering ----------------------------------------------------------------------------


def render(
    facts: list[SubOfficial],
    decisions: list[SubDecision],
    sdk: Sdk,
    header: str,
    keep: Collection[PurePosixPath] = (),
) -> dict[PurePosixPath, str]:
    """``types/<module path>.py`` for every official submodule: its names imported from where they are defined.

    ``keep``: files another stage writes (``types/websocket_connection_options.py``): not replaced."""
    from .render import environment

    env = environment()
    template = env.get_template(TEMPLATE)
    pkg = PurePosixPath(sdk.package)
    by_module: dict[str, list[SubDecision]] = {}
    for o in facts:
        by_module.setdefault(o.module, [])
    for d in decisions:
        by_module[d.official.module].append(d)
    files: dict[PurePosixPath, str] = {}
    for module, found in sorted(by_module.items()):
        parts = module.split(".")[1:]
        path = pkg / "types" / PurePosixPath(*parts[:-1]) / f"{parts[-1]}.py"
        if path in keep:
            continue
        up = "." * len(parts)  # from types/<parts>.py up to types
        grouped: dict[str, list[str]] = {}
        for d in found:
            public = d.official.name
            if d.rule != "union":
                grouped.setdefault(up + d.origin, []).append(d.attr if d.attr == public else f"{d.attr} as {public}")
        bound = {d.official.name: (d.origin, d.attr) for d in found if d.rule != "union"}
        unions: list[tuple[str, str]] = []
        for d in sorted((d for d in found if d.rule == "union"), key=lambda d: d.official.name):
            # the members under their own names, unless one of them is a public name of this module for another type
            clash = any(origin and bound.get(attr, (origin, attr)) != (origin, attr) for origin, attr in d.members)
            if clash or d.official.name in {attr for _, attr in d.members}:
                d.rule, d.origin, d.attr, d.members = "unmapped", UNMAPPED_MODULE, UNMAPPED["alias"], ()
                grouped.setdefault(up + d.origin, []).append(f"{d.attr} as {d.official.name}")
                continue
            for origin, attr in d.members:
                if origin:
                    grouped.setdefault(up + origin, []).append(attr)
            unions.append((d.official.name, " | ".join(attr for _, attr in d.members)))
        files[path] = template.render(
            header=header,
            package=sdk.package,
            module=module,
            names=sorted(d.official.name for d in found),
            grouped=sorted((origin, sorted(set(attrs))) for origin, attrs in grouped.items()),
            unions=unions,
            unmapped=sorted(d.official.name for d in found if d.rule == "unmapped"),
        )
    return files


__all__ = ["SubDecision", "SubOfficial", "load_facts", "model_walk", "parse_ref", "render", "resolve"]
