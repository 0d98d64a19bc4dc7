"""Write spec/official_types.yaml and spec/official_submodules.yaml: every public name of the official ``openai``
package's ``openai.types`` tree, its packages and its per-type submodules.

Facts only (module paths, names, what kind of object each name is, and where a nested type sits in a
package-level one), read from the installed package:

    .venv/bin/python scripts/official_types.py            # rewrite both files
    .venv/bin/python scripts/official_types.py --check    # exit 1 if either file is out of date

A module is public when no part of its dotted path starts with ``_``. A package module's public names
are what it binds at the top level (``from .x import X as X``), minus submodules and names starting
with ``_``. Kinds: ``model`` (a pydantic model class), ``typeddict``, ``class`` (any other class) and
``alias`` (a type alias: a union, a ``Literal``...). The generator (generator/official_types.py)
renders ``oai.types.<module>`` from this list; tests/generator/test_official_types.py imports every name.

The submodules (``openai/types/chat/chat_completion.py``: every public ``.py`` file that is not a package's
``__init__``) go to official_submodules.yaml, each public name with its kind and, where one is found, the
place it has in a package-level name (the ``ref`` grammar is in that file's header). A submodule's public
names are the classes and type aliases it defines at its top level, what it re-exports (``import X as X``)
and its ``__all__``.
"""

from __future__ import annotations

import argparse
import ast
import collections.abc
import functools
import importlib
import inspect
import pkgutil
import sys
import typing
from collections import deque
from pathlib import Path

import yaml

TARGET = Path(__file__).resolve().parent.parent / "spec" / "official_types.yaml"
SUBMODULES = TARGET.with_name("official_submodules.yaml")
TAGS = ("type", "role", "object", "event")  # the fields a union member is told apart by
MAX_DEPTH = 8  # steps from a package-level name to a nested type


def kind_of(value: object) -> str:
    import pydantic
    from typing_extensions import is_typeddict

    if inspect.isclass(value):
        if issubclass(value, pydantic.BaseModel):
            return "model"
        return "typeddict" if is_typeddict(value) else "class"
    return "alias"


def collect() -> tuple[str, dict[str, dict[str, str]]]:
    import openai
    import openai.types

    packages = ["openai.types"] + sorted(
        info.name
        for info in pkgutil.walk_packages(openai.types.__path__, "openai.types.")
        if info.ispkg and not any(part.startswith("_") for part in info.name.split("."))
    )
    modules: dict[str, dict[str, str]] = {}
    for dotted in packages:
        module = importlib.import_module(dotted)
        names: dict[str, str] = {}
        for name, value in sorted(vars(module).items()):
            if name.startswith("_") or inspect.ismodule(value) or name == "annotations":
                continue
            names[name] = kind_of(value)
        modules[dotted.removeprefix("openai.")] = names
    return openai.__version__, modules


def _public(name: str) -> bool:
    return not name.startswith("_") and name != "annotations"


def submodule_names(dotted: str, path: Path) -> list[str]:
    """The public names of one submodule file, read with ``ast``: its top-level classes and assignments, its
    ``import X as X`` re-exports and its ``__all__``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    if target.id == "__all__" and isinstance(node.value, (ast.List, ast.Tuple)):
                        names.update(str(e.value) for e in node.value.elts if isinstance(e, ast.Constant))
                    names.add(target.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.name for a in node.names if a.asname == a.name)
    module = importlib.import_module(dotted)
    kept: list[str] = []
    for name in sorted(names):
        value = getattr(module, name, None)
        if not _public(name) or value is None or inspect.ismodule(value):
            continue
        if inspect.isfunction(value) or isinstance(value, (str, int, float, frozenset, set, tuple, dict, list)):
            continue  # a constant or a helper, not a type
        kept.append(name)
    return kept


def _same(a: object, b: object) -> bool:
    if a is b:
        return True
    if inspect.isclass(a) or inspect.isclass(b):
        return False
    try:
        return bool(a == b)
    except Exception:
        return False


def _strip(tp: object) -> object:
    """``Optional[X]``, ``Required[X]``, ``Annotated[X, ...]`` -> ``X`` (a union keeps its other members)."""
    while True:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Annotated:
            tp = args[0]
        elif origin is not None and getattr(origin, "_name", None) in ("Required", "NotRequired", "ReadOnly"):
            tp = args[0]
        elif origin is not None and str(origin).endswith(("Required", "NotRequired", "ReadOnly")):
            tp = args[0]
        elif _is_union(tp):
            members = [a for a in args if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def _is_union(tp: object) -> bool:
    import types as pytypes

    origin = typing.get_origin(tp)
    return origin is typing.Union or origin is pytypes.UnionType


@functools.cache
def _fields(cls: type) -> dict[str, object]:
    """A model's or TypedDict's fields by wire name, with their annotations as written (``Annotated`` kept)."""
    model_fields = getattr(cls, "model_fields", None)
    if model_fields is None:
        try:
            hints = typing.get_type_hints(cls, include_extras=True)
        except Exception:
            return {}
        return {name: tp for name, tp in hints.items() if not name.startswith("_")}
    fields: dict[str, object] = {}
    for name, info in model_fields.items():
        tp = info.annotation
        for klass in cls.__mro__:
            raw = vars(klass).get("__annotations__", {}).get(name)
            if raw is None:
                continue
            if isinstance(raw, str):
                try:
                    raw = eval(raw, vars(sys.modules[klass.__module__]))  # noqa: S307 (the official package's own annotation)
                except Exception:
                    raw = tp
            tp = raw
            break
        fields[info.alias or name] = tp
    return fields


def _tag(cls: object) -> str | None:
    """The one literal value of a union member's ``type`` (``role``, ...) field: how a ref selects it."""
    if not inspect.isclass(cls):
        return None
    fields = _fields(cls)
    for name in TAGS:
        tp = _strip(fields.get(name))
        if typing.get_origin(tp) is typing.Literal and len(typing.get_args(tp)) == 1:
            return f"{name}={typing.get_args(tp)[0]}"
    return None


def _steps(tp: object) -> list[tuple[str, object]]:
    """The types one step below ``tp``, each with the text of that step."""
    base = _strip(tp)
    origin = typing.get_origin(base)
    args = typing.get_args(base)
    if _is_union(base):
        members = [_strip(m) for m in args if m is not type(None)]
        return [(f"({tag})", m) for m in members if (tag := _tag(m)) is not None]
    if origin in (dict, collections.abc.Mapping) and len(args) == 2:
        return [("{}", args[1])]
    if origin is not None and origin is not typing.Literal and origin is not type and len(args) >= 1:
        return [("[]", args[0])]  # List, Iterable, SequenceNotStr...
    if inspect.isclass(base) and origin is None:
        return [(f".{name}", field_tp) for name, field_tp in _fields(base).items()]
    return []


def _find(anchor: object, target: object) -> str | None:
    """The shortest steps from ``anchor`` (a package-level type) down to ``target``, or None.

    A union is crossed without a step when the next field is on every member (the streaming and non-streaming
    variants of a request) and with a ``(tag=value)`` step otherwise."""
    queue: deque[tuple[object, str]] = deque([(anchor, "")])
    seen_classes: set[int] = set()
    seen: list[object] = []  # unions and other typing objects: compared by equality
    while queue:
        tp, path = queue.popleft()
        if path and _same(_strip(tp), target) or (path and _same(tp, target)):
            return path
        if _depth(path) >= MAX_DEPTH:
            continue
        base = _strip(tp)
        if inspect.isclass(base):
            if id(base) in seen_classes:
                continue
            seen_classes.add(id(base))
        elif any(_same(base, s) for s in seen):
            continue
        else:
            seen.append(base)
        if _is_union(base):
            members = [_strip(m) for m in typing.get_args(base) if m is not type(None)]
            classes = [m for m in members if inspect.isclass(m)]
            if classes and len(classes) == len(members):
                shared: set[str] = set(_fields(classes[0]))
                for other in classes[1:]:
                    shared &= set(_fields(other))
                for name in sorted(shared):
                    queue.append((_fields(classes[0])[name], f"{path}.{name}"))
        for step, below in _steps(tp):
            queue.append((below, path + step))
    return None


def collect_submodules(
    packages: dict[str, dict[str, str]],
) -> dict[str, dict[str, str]]:
    """Every public submodule file of ``openai.types``: its names, kinds and (where found) refs."""
    import openai.types

    exported: list[tuple[str, str, object]] = []  # (package module, name, object)
    for module in sorted(packages):
        imported = importlib.import_module("openai." + module)
        for name in sorted(packages[module]):
            exported.append((module, name, getattr(imported, name)))
    root = Path(openai.types.__path__[0])
    out: dict[str, dict[str, str]] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        if path.name == "__init__.py" or any(part.startswith("_") for part in rel.parts):
            continue
        dotted = "openai.types." + ".".join(rel.parts)
        module_key = dotted.removeprefix("openai.")
        parent = module_key.rsplit(".", 1)[0]
        module = importlib.import_module(dotted)
        names: dict[str, str] = {}
        for name in submodule_names(dotted, path):
            value = getattr(module, name)
            ref = _ref(parent, name, value, module, exported)
            names[name] = f"{kind_of(value)} {ref}" if ref else kind_of(value)
        out[module_key] = names
    return out


def _ref(parent: str, name: str, value: object, module: object, exported: list[tuple[str, str, object]]) -> str | None:
    same = [(m, n) for m, n, v in exported if _same(v, value)]
    if same:
        same.sort(key=lambda mn: (mn[0] != parent, mn[1] != name, mn[0].count("."), mn))
        return "{}:{}".format(*same[0])
    # nested: from a package-level type this submodule (or the module defining the class) also holds
    home = getattr(value, "__module__", None) if inspect.isclass(value) else None
    holders = {id(getattr(module, n)) for n in vars(module) if _public(n)}
    if home is not None and home in sys.modules:
        holders |= {id(v) for n, v in vars(sys.modules[home]).items() if _public(n)}
    anchors = [(m, n, v) for m, n, v in exported if id(v) in holders]
    anchors.sort(key=lambda mnv: (mnv[0] != parent, mnv[0].count("."), mnv[0], mnv[1]))
    found: list[tuple[int, int, str]] = []
    for rank, (m, n, v) in enumerate(anchors):
        steps = _find(v, value)
        if steps is not None:
            found.append((_depth(steps), rank, f"{m}:{n}{steps}"))
    return min(found)[2] if found else None


def _depth(steps: str) -> int:
    return sum(steps.count(c) for c in ".[{(")


def _returned(tp: object) -> list[tuple[str, object]]:
    """What a method's return annotation hands back, with the steps to it: the type itself (no step), or a page's
    item (``[]``), and a union's members by their tag (``(type=message)``). A ``Stream`` or a binary body: nothing."""
    base = _strip(tp)
    if _is_union(base):
        tagged = [(f"({tag})", m) for m in map(_strip, typing.get_args(base)) if (tag := _tag(m)) is not None]
        steps = [step for step, _ in tagged]
        return [(step, m) for step, m in tagged if steps.count(step) == 1]  # a tag two members share tells nothing
    page = getattr(base, "__pydantic_generic_metadata__", None)
    if page and page.get("origin") is not None and type(page["origin"]).__name__ != "NoneType":
        args = page.get("args") or ()
        if len(args) != 1:
            return []
        item = _strip(args[0])
        if _is_union(item):
            return [(f"[]{step}", m) for step, m in _returned(item)]
        return [("[]", item)]
    if inspect.isclass(base) and typing.get_origin(base) is None:
        return [("", base)]
    return []


def collect_returns(packages: dict[str, dict[str, str]]) -> dict[str, str]:
    """Package-level official model -> the client method that returns it (``beta.chatkit.threads.retrieve``), with
    the steps from its result (``beta.chatkit.threads.list[]``: a page's item; ``(type=x)``: a union member). The
    generator maps a name to what our method of the same path returns, so ``isinstance(result, Name)`` holds."""
    from openai import OpenAI

    exported: dict[int, str] = {}
    for module in sorted(packages, key=lambda m: (m.count("."), m), reverse=True):
        imported = importlib.import_module("openai." + module)
        for name, kind in sorted(packages[module].items()):
            if kind == "model":
                exported[id(getattr(imported, name))] = f"{module}:{name}"
    found: dict[str, list[str]] = {}

    def walk(resource: object, path: list[str], seen: set[type]) -> None:
        for attr in sorted(dir(type(resource))):
            if attr.startswith("_") or attr.startswith("with_"):
                continue
            static = inspect.getattr_static(type(resource), attr, None)
            if isinstance(static, functools.cached_property):
                child = getattr(resource, attr)
                if type(child).__module__.startswith("openai.resources") and type(child) not in seen:
                    walk(child, [*path, attr], seen | {type(child)})
            elif inspect.isfunction(static):
                try:
                    returns = typing.get_type_hints(static).get("return")
                except Exception:
                    continue
                for step, cls in _returned(returns):
                    name = exported.get(id(cls))
                    if name is not None:
                        found.setdefault(name, []).append(".".join([*path, attr]) + step)

    walk(OpenAI(api_key="facts", base_url="http://127.0.0.1:9"), [], set())
    return {name: min(paths, key=lambda p: (p.count("["), p.count("("), len(p), p)) for name, paths in found.items()}


def render(version: str, modules: dict[str, dict[str, str]], returns: dict[str, str] | None = None) -> str:
    header = (
        "# Facts: the public names of the official `openai` package's `openai.types` tree, by module\n"
        "# (`types.chat` is `openai.types.chat`), each with its kind: model (pydantic), typeddict, class, alias.\n"
        f"# Read from openai {version} as installed in the venv by scripts/official_types.py;\n"
        "# refresh with `.venv/bin/python scripts/official_types.py` after upgrading `openai`.\n"
        "# The generator renders oai.types.<module> from it (spec/sdk.yaml `official_types`).\n"
        "# `returns`: a model -> the client method that returns it (`beta.chatkit.threads.list[]`: a page's item;\n"
        "# `(type=x)`: the member of a union with that tag); the generator maps the name to what our method returns.\n"
    )
    doc: dict[str, object] = {"openai_version": version, "modules": modules}
    if returns:
        doc["returns"] = returns
    body = yaml.safe_dump(doc, sort_keys=True, width=120)
    return header + body


def render_submodules(version: str, modules: dict[str, dict[str, str]]) -> str:
    header = (
        "# Facts: the public names of every submodule file of the official `openai` package's `openai.types` tree\n"
        "# (`types.chat.chat_completion` is openai/types/chat/chat_completion.py), by module. Each name has its kind\n"
        "# (model, typeddict, class, alias) and, where one was found, a ref: the package-level official name\n"
        "# (spec/official_types.yaml) it is, or the place it has inside one:\n"
        "#   `types.chat:ChatCompletion`                     the same object as that package-level name\n"
        "#   `types.chat:ChatCompletionChunk.choices[].delta` the type found by steps below that name: `.name`\n"
        "#       a field (its wire name), `[]` a list's item, `{}` a dict's value, `(type=message)` the union\n"
        "#       member whose `type` field is that literal\n"
        f"# Read from openai {version} as installed in the venv by scripts/official_types.py (the same command as\n"
        "# official_types.yaml). The generator renders oai/types/<module path>.py from it; names without a ref,\n"
        "# or whose ref finds no generated type, are placeholders.\n"
    )
    body = yaml.safe_dump({"openai_version": version, "modules": modules}, sort_keys=True, width=120)
    return header + body


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Write spec/official_types.yaml and spec/official_submodules.yaml from the installed openai."
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a file differs from the installed package")
    args = parser.parse_args()
    version, packages = collect()
    texts = {
        TARGET: render(version, packages, collect_returns(packages)),
        SUBMODULES: render_submodules(version, collect_submodules(packages)),
    }
    if args.check:
        stale = [path for path, text in texts.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path} is out of date: run scripts/official_types.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")
        modules = yaml.safe_load(text)["modules"]
        print(f"wrote {path}: {sum(len(names) for names in modules.values())} names in {len(modules)} modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
