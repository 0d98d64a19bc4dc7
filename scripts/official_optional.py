"""Write spec/official_optional.yaml: what the official ``openai`` package leaves optional where the spec (and so
oai) requires it.

Facts only, read from the installed official package and compared with the generated ``oai`` package:

    .venv/bin/python scripts/official_optional.py            # rewrite the file
    .venv/bin/python scripts/official_optional.py --check    # exit 1 if it is out of date

Two lists:

- ``fields``: response model fields. Every method both clients have (the same attribute path, sync classes)
  pairs its official result type with oai's; the pairing walks down both in step (a field by its wire name, a
  list item, a dict value, a union member by its tag: ``type``, ``role``, ``object`` or ``event``). A field the
  official model does not require (it has a default) and the oai model does is listed under the oai model that
  declares it (a base class, for an inherited field). The generator makes it ``X | None = None``.
- ``parameters``: method parameters. A keyword parameter the official method takes with a default and the
  oai method without one is listed under the method's path (``skills.create``). The generator gives it
  ``NOT_GIVEN``.

Once the generator has applied an entry, oai no longer requires the field, so an entry of the file being
rewritten stays while the official package still leaves it optional; the generator refuses an entry the spec
does not require (the spec changed: rerun this script).
"""

from __future__ import annotations

import argparse
import functools
import inspect
import sys
import types
import typing
from pathlib import Path
from typing import Any

import yaml

TARGET = Path(__file__).resolve().parent.parent / "spec" / "official_optional.yaml"
TAGS = ("type", "role", "object", "event")

HEADER = """\
# What the official `openai` package leaves optional where the spec requires it: response model fields (the oai
# model -> wire names) and method parameters (method path -> parameter names). Facts,
# written by scripts/official_optional.py from the installed packages (`--check` compares); read by the
# generator (generator/official_optional.py, sdk.yaml `official_optional`). Do not edit by hand.
"""


class _Names(dict[str, Any]):
    """Globals for evaluating a return annotation: the module's own names, then the package's types."""

    def __init__(self, module: types.ModuleType, fallbacks: list[Any]) -> None:
        super().__init__(vars(module))
        self.fallbacks = fallbacks

    def __missing__(self, key: str) -> Any:
        for fallback in self.fallbacks:
            value = getattr(fallback, key, None)
            if value is not None:
                return value
        raise KeyError(key)


def return_type(function: Any, fallbacks: list[Any]) -> Any:
    annotation = inspect.signature(function).return_annotation
    if isinstance(annotation, str):
        module = sys.modules[function.__module__]
        names = _Names(module, fallbacks)
        return eval(annotation, {}, names)  # noqa: S307 (annotations of installed packages)
    return annotation


def resources(client: object, prefix: str = "") -> dict[str, Any]:
    """Every resource object below ``client`` by its attribute path."""
    found: dict[str, Any] = {}
    for name in dir(type(client)):
        if name.startswith("_") or name in ("with_raw_response", "with_streaming_response", "threads"):
            continue
        if not isinstance(getattr(type(client), name, None), (property, functools.cached_property)):
            continue
        try:
            value = getattr(client, name)
        except Exception:
            continue
        if hasattr(value, "_client") or hasattr(value, "_get"):
            path = f"{prefix}{name}"
            found[path] = value
            found.update(resources(value, f"{path}."))
    return found


def methods(resource: object) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in vars(type(resource)).items():
        if inspect.isfunction(value) and not name.startswith("_"):  # the class's own: generated, not lib helpers
            out[name] = value
    return out


def flatten(tp: Any) -> list[Any]:
    """The classes a type expression can hold at its top: through ``Optional``/unions, ``Annotated``, aliases."""
    seen: list[Any] = []
    stack = [tp]
    while stack:
        t = stack.pop(0)
        if type(t).__name__ == "TypeAliasType":  # typing's or typing_extensions'
            stack.insert(0, t.__value__)
            continue
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            stack.insert(0, typing.get_args(t)[0])
        elif origin in (typing.Union, types.UnionType):
            stack[0:0] = list(typing.get_args(t))
        elif t is not type(None):
            seen.append(t)
    return seen


def containers(tp: Any) -> tuple[str, list[Any]]:
    """``("list", [item])``, ``("dict", [value])``, or ``("", classes)`` for one level of a type."""
    classes = flatten(tp)
    for kind, origins in (("list", (list, typing.List)), ("dict", (dict, typing.Dict))):  # noqa: UP006
        inner = [typing.get_args(c) for c in classes if typing.get_origin(c) in origins]
        if inner and len(inner) == len(classes):
            return kind, [args[-1] for args in inner if args]
    return "", classes


def models_in(tp: Any) -> list[type]:
    """The pydantic models a result type holds: itself, a page's or stream's item, a union's members."""
    import pydantic

    found: list[type] = []
    for t in flatten(tp):
        if inspect.isclass(t) and issubclass(t, pydantic.BaseModel):
            found.append(t)
        elif typing.get_origin(t) is not None:
            origin = typing.get_origin(t)
            if inspect.isclass(origin) and issubclass(origin, pydantic.BaseModel) or origin in (list, typing.List):  # noqa: UP006
                for arg in typing.get_args(t):
                    found.extend(models_in(arg))
            else:
                for arg in typing.get_args(t):
                    found.extend(models_in(arg))
    return found


def fields(model: type) -> dict[str, tuple[str, Any]]:
    """Wire name -> (python name, field info)."""
    model.model_rebuild()  # type: ignore[attr-defined]
    return {(info.alias or name): (name, info) for name, info in model.model_fields.items()}  # type: ignore[attr-defined]


def tag(model: type) -> frozenset[str]:
    for wire in TAGS:
        entry = fields(model).get(wire)
        if entry is None:
            continue
        values: set[str] = set()
        for t in flatten(entry[1].annotation):
            if typing.get_origin(t) is typing.Literal:
                values.update(str(v) for v in typing.get_args(t))
        if values:
            return frozenset(values)
    return frozenset()


def pair(official: list[type], ours: list[type]) -> list[tuple[type, type]]:
    if len(official) == 1 and len(ours) == 1:
        return [(official[0], ours[0])]
    pairs: list[tuple[type, type]] = []
    for o in official:
        o_tag = tag(o)
        if not o_tag:
            continue
        matches = [m for m in ours if tag(m) & o_tag]
        if len(matches) == 1:
            pairs.append((o, matches[0]))
    return pairs


class Walk:
    def __init__(self, listed: dict[str, set[str]]) -> None:
        self.listed = listed  # the file's current entries (kept while the official package agrees)
        self.fields: dict[str, set[str]] = {}
        self.seen: set[tuple[type, type]] = set()

    def models(self, official: type, ours: type) -> None:
        if (official, ours) in self.seen:
            return
        self.seen.add((official, ours))
        ours_fields = fields(ours)
        for wire, (_, o_info) in fields(official).items():
            mine = ours_fields.get(wire)
            if mine is None:
                continue
            _, m_info = mine
            owner = ours.__name__
            if (
                ours.__module__.startswith("oai.types._models")
                and not o_info.is_required()
                and (m_info.is_required() or wire in self.listed.get(owner, set()))
            ):
                self.fields.setdefault(owner, set()).add(wire)
            self.types(o_info.annotation, m_info.annotation)

    def types(self, official: Any, ours: Any) -> None:
        import pydantic

        o_kind, o_inner = containers(official)
        m_kind, m_inner = containers(ours)
        if o_kind != m_kind:
            return
        if o_kind:
            self.types(o_inner[0], m_inner[0])
            return
        o_models = [c for c in o_inner if inspect.isclass(c) and issubclass(c, pydantic.BaseModel)]
        m_models = [c for c in m_inner if inspect.isclass(c) and issubclass(c, pydantic.BaseModel)]
        for o, m in pair(o_models, m_models):
            self.models(o, m)


def _listed(current: dict[str, Any], key: str) -> dict[str, set[str]]:
    entries: dict[str, list[str]] = current.get(key) or {}
    return {owner: set(names) for owner, names in entries.items()}


def collect(current: dict[str, Any]) -> dict[str, Any]:
    import oai
    import oai.pagination
    import oai.types
    import openai
    import openai.pagination
    import openai.types

    official_client = openai.OpenAI(api_key="sk-facts", base_url="http://127.0.0.1:9")
    our_client = oai.OpenAI(api_key="sk-facts", admin_api_key="sk-facts", base_url="http://127.0.0.1:9")
    official_resources = resources(official_client)
    our_resources = resources(our_client)
    walk = Walk(_listed(current, "fields"))
    listed_params = _listed(current, "parameters")
    unreadable: list[str] = []
    parameters: dict[str, set[str]] = {}
    for path in sorted(set(official_resources) & set(our_resources)):
        official_methods = methods(official_resources[path])
        our_methods = methods(our_resources[path])
        for name in sorted(set(official_methods) & set(our_methods)):
            o_sig = inspect.signature(official_methods[name])
            m_sig = inspect.signature(our_methods[name])
            method_path = f"{path}.{name}"
            for param, o_param in o_sig.parameters.items():
                m_param = m_sig.parameters.get(param)
                if m_param is None or o_param.kind is not inspect.Parameter.KEYWORD_ONLY:
                    continue
                required_here = m_param.default is inspect.Parameter.empty
                if o_param.default is not inspect.Parameter.empty and (
                    required_here or param in listed_params.get(method_path, set())
                ):
                    parameters.setdefault(method_path, set()).add(param)
            try:
                o_result = return_type(official_methods[name], [openai.types, openai.pagination, openai])
                m_result = return_type(our_methods[name], [oai.types, oai.pagination, oai])
            except (NameError, AttributeError, SyntaxError, TypeError) as exc:
                unreadable.append(f"{method_path}: {exc}")
                continue
            o_models, m_models = models_in(o_result), models_in(m_result)
            for o, m in pair(o_models, m_models):
                walk.models(o, m)
    for line in unreadable:
        print(f"warning: result type not read, not walked: {line}", file=sys.stderr)
    return {
        "source": f"openai {openai.__version__}",
        "fields": {k: sorted(v) for k, v in sorted(walk.fields.items())},
        "parameters": {k: sorted(v) for k, v in sorted(parameters.items())},
    }


def render(facts: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(facts, sort_keys=False, width=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    current: dict[str, Any] = yaml.safe_load(TARGET.read_text(encoding="utf-8")) if TARGET.exists() else {}
    text = render(collect(current or {}))
    if args.check:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run scripts/official_optional.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    facts = yaml.safe_load(text)
    print(
        f"{TARGET}: {sum(map(len, facts['fields'].values()))} fields, "
        f"{sum(map(len, facts['parameters'].values()))} parameters"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
