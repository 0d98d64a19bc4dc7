"""Write spec/official_types.yaml: every public name of the official ``openai`` package's ``openai.types`` tree.

Facts only (module paths, names, and what kind of object each name is), read from the installed package:

    .venv/bin/python scripts/official_types.py            # rewrite spec/official_types.yaml
    .venv/bin/python scripts/official_types.py --check    # exit 1 if the file is out of date

A module is public when no part of its dotted path starts with ``_``. A package module's public names
are what it binds at the top level (``from .x import X as X``), minus submodules and names starting
with ``_``. Kinds: ``model`` (a pydantic model class), ``typeddict``, ``class`` (any other class) and
``alias`` (a type alias: a union, a ``Literal``...). The generator (generator/official_types.py)
renders ``oai.types.<module>`` from this list; tests/test_official_types.py imports every name.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

import yaml

TARGET = Path(__file__).resolve().parent.parent / "spec" / "official_types.yaml"


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


def render(version: str, modules: dict[str, dict[str, str]]) -> str:
    header = (
        "# Facts: the public names of the official `openai` package's `openai.types` tree, by module\n"
        "# (`types.chat` is `openai.types.chat`), each with its kind: model (pydantic), typeddict, class, alias.\n"
        f"# Read from openai {version} as installed in the venv by scripts/official_types.py;\n"
        "# refresh with `.venv/bin/python scripts/official_types.py` after upgrading `openai`.\n"
        "# The generator renders oai.types.<module> from it (spec/sdk.yaml `official_types`).\n"
    )
    body = yaml.safe_dump({"openai_version": version, "modules": modules}, sort_keys=True, width=120)
    return header + body


def main() -> int:
    parser = argparse.ArgumentParser(description="Write spec/official_types.yaml from the installed openai package.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from the installed package")
    args = parser.parse_args()
    text = render(*collect())
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run scripts/official_types.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    modules = yaml.safe_load(text)["modules"]
    print(f"wrote {TARGET}: {sum(len(names) for names in modules.values())} names in {len(modules)} modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
