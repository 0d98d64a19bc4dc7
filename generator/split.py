"""Split datamodel-codegen's single models module into modules that load only what a resource needs.

Importing all ~1,300 response models at once costs over a second, so ``oai.types._models``
is a package of small modules instead. Each model goes to the module of its *signature*:
the set of resource groups (``chat.completions``, ``responses``, ``admin.organization.users``
...) whose operations reach it through references. So

* a resource's module imports exactly the models its operations can return, nothing else
  (every module whose signature contains its group, and only those);
* there are no import cycles: when ``A`` refers to ``B``, every group that reaches ``A``
  reaches ``B``, so ``B``'s signature contains ``A``'s, and a module imports only from
  modules with a strictly larger signature.

The tool's own ``--module-split-mode`` is broken on this spec (shared notes P9); this works
on its output with ``ast``: top-level definitions (classes, type aliases, with their
attribute docstrings) keep their text and relative order.
"""

from __future__ import annotations

import ast
import hashlib
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field

from .models import defined_names

OTHER_MODULE = "other"  # models no operation reaches (error bodies, list wrappers nobody returns)
_MAX_NAME = 60


@dataclass
class SplitModels:
    modules: dict[str, str] = field(default_factory=lambda: {})  # module name -> source
    module_of: dict[str, str] = field(default_factory=lambda: {})  # definition -> module name


@dataclass
class _Definition:
    name: str
    text: str
    refs: set[str]


def _parse(source: str) -> tuple[list[str], list[_Definition]]:
    tree = ast.parse(source)
    # Lines as ast counts them: "\n" only (str.splitlines would also split at U+2028 and friends,
    # which may sit in a docstring, and shift every slice after it).
    lines = re.findall(r"[^\n]*\n|[^\n]+$", source)
    prelude: list[str] = []
    definitions: list[_Definition] = []
    classes, aliases = defined_names(tree)
    names = classes | aliases
    for node in tree.body:
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
        assert node.end_lineno is not None
        text = "".join(lines[start : node.end_lineno])
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            prelude.append(text)
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            if definitions:  # an attribute docstring: belongs to the definition above it
                definitions[-1].text += text
            continue
        if isinstance(node, ast.ClassDef):
            name = node.name
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
        else:
            raise ValueError(f"unexpected top-level statement in the models module (line {node.lineno}): {text[:80]}")
        refs: set[str] = set()
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id in names:
                refs.add(sub.id)
            elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                # Quoted forward references ("Foo", "list[Foo]").
                refs.update(word for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", sub.value) if word in names)
        refs.discard(name)
        definitions.append(_Definition(name, text, refs))
    return prelude, definitions


def module_name(signature: frozenset[str]) -> str:
    """``{"chat.completions"}`` -> ``chat_completions``; several groups are joined by ``__``."""
    if not signature:
        return OTHER_MODULE
    parts = sorted(group.replace(".", "_") for group in signature)
    name = "__".join(parts)
    if len(name) <= _MAX_NAME:
        return name
    digest = hashlib.sha1("\n".join(parts).encode()).hexdigest()[:10]
    return f"shared_{len(parts)}_{digest}"


def _docstring(signature: frozenset[str]) -> str:
    if not signature:
        return "Response models that no selected operation returns (error bodies, list wrappers)."
    clients = ", ".join(f"``client.{g}``" for g in sorted(signature))
    return "\n".join(textwrap.wrap(f"Response models used by {clients}.", 100, break_on_hyphens=False)) + (
        "\n" if len(signature) > 2 else ""
    )


def split_models(source: str, roots: Mapping[str, set[str]], header: str) -> SplitModels:
    """``roots``: group -> the model names its operations use directly."""
    prelude, definitions = _parse(source)
    by_name = {d.name: d for d in definitions}
    signature: dict[str, set[str]] = {d.name: set() for d in definitions}
    for group, names in roots.items():
        stack = [n for n in names if n in by_name]
        seen: set[str] = set()
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            stack.extend(by_name[name].refs - seen)
        for name in seen:
            signature[name].add(group)

    result = SplitModels()
    members: dict[str, list[_Definition]] = {}
    docstrings: dict[str, str] = {}
    for definition in definitions:
        key = frozenset(signature[definition.name])
        module = module_name(key)
        docstrings[module] = _docstring(key)
        result.module_of[definition.name] = module
        members.setdefault(module, []).append(definition)

    # One level deeper than the single module was: relative imports of the package gain a dot.
    imports = "".join(re.sub(r"^from \.(\.*)_core", r"from ..\1_core", line) for line in prelude)
    for module, defs in sorted(members.items()):
        own = {d.name for d in defs}
        needed: dict[str, set[str]] = {}
        for definition in defs:
            for ref in definition.refs - own:
                needed.setdefault(result.module_of[ref], set()).add(ref)
        siblings = "".join(f"from .{m} import {', '.join(sorted(n))}\n" for m, n in sorted(needed.items()))
        body = "\n\n".join(d.text.rstrip("\n") + "\n" for d in defs)
        result.modules[module] = f'{header}\n"""{docstrings[module]}"""\n\n{imports}{siblings}\n\n{body}'
    return result
