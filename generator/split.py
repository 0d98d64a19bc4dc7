"""Split datamodel-codegen's single models module into one module per schema family.

Importing all ~1,300 response models at once costs over a second, so ``oai.types._models``
is a package of small modules instead. A *family* is a component schema and the models nested in
it (``ChatCompletion``, ``ChatCompletionChoice``, ``ChatCompletionChoiceLogprobs``: see
:mod:`generator.nesting`), and its module is named after the component (``chat_completion.py``),
as the official SDK names its type modules. So

* a model's module depends on its own name only: adding, removing or changing an unrelated
  operation or schema never moves it;
* importing a model imports exactly the families it refers to, nothing else;
* there are no import cycles: the spec's components refer to each other without cycles (shared
  notes, section 1), a nested model is used only by its family, and the rare cycle between
  families (none in the OpenAI spec) is merged into one module named after its first member.

The tool's own ``--module-split-mode`` is broken on this spec (shared notes P9); this works
on its output with ``ast``: top-level definitions (classes, type aliases, with their
attribute docstrings) keep their text and relative order.
"""

from __future__ import annotations

import ast
import keyword
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field

from .models import defined_names
from .naming import snake


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


def module_name(family: str) -> str:
    """``ChatCompletion`` -> ``chat_completion``; a leading digit or an empty name gets ``model_`` in front,
    a keyword ``_`` after it (``class_``)."""
    name = snake(family)
    name = name if name[:1].isalpha() else f"model_{name}"
    return f"{name}_" if keyword.iskeyword(name) else name


def _families(definitions: list[_Definition], family_of: Mapping[str, str]) -> dict[str, str]:
    """Definition -> the family it belongs to: its entry in ``family_of``; a definition the tool made up
    (not in ``family_of``) joins the family of the definitions that use it when they agree, else its own."""
    families = {d.name: family_of[d.name] for d in definitions if d.name in family_of}
    users: dict[str, set[str]] = {}
    for definition in definitions:
        for ref in definition.refs:
            users.setdefault(ref, set()).add(definition.name)
    changed = True
    while changed:
        changed = False
        for definition in definitions:
            if definition.name in families:
                continue
            using = users.get(definition.name, set())
            if using and all(u in families for u in using):
                owners = {families[u] for u in using}
                families[definition.name] = owners.pop() if len(owners) == 1 else definition.name
                changed = True
    for definition in definitions:  # unused, or used only by other made-up definitions still unplaced
        families.setdefault(definition.name, definition.name)
    return families


def _merge_cycles(graph: dict[str, set[str]]) -> dict[str, str]:
    """Module -> the module it is merged into: each strongly connected group becomes its first member."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    merged: dict[str, str] = {}
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, set())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                first = min(members)
                for member in members:
                    merged[member] = first
    return merged


def _docstring(names: list[str]) -> str:
    if len(names) == 1:
        return f"The ``{names[0]}`` model."
    text = f"``{names[0]}`` and the models nested in it."
    return "\n".join(textwrap.wrap(text, 100, break_long_words=False, break_on_hyphens=False)) + (
        "\n" if len(text) > 100 else ""
    )


def split_models(source: str, family_of: Mapping[str, str], header: str) -> SplitModels:
    """``family_of``: model -> the component it belongs to (itself, or the owner it is nested in)."""
    prelude, definitions = _parse(source)
    families = _families(definitions, family_of)
    modules = {d.name: module_name(families[d.name]) for d in definitions}
    graph: dict[str, set[str]] = {m: set() for m in modules.values()}
    for definition in definitions:
        graph[modules[definition.name]].update(modules[r] for r in definition.refs)
    for module, targets in graph.items():
        targets.discard(module)
    merged = _merge_cycles(graph)
    result = SplitModels()
    members: dict[str, list[_Definition]] = {}
    heads: dict[str, str] = {}
    for definition in definitions:
        module = merged.get(modules[definition.name], modules[definition.name])
        result.module_of[definition.name] = module
        members.setdefault(module, []).append(definition)
        if module_name(families[definition.name]) == module and families[definition.name] == definition.name:
            heads.setdefault(module, definition.name)

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
        head = heads.get(module, defs[0].name)
        names = [head, *(d.name for d in defs if d.name != head)]
        result.modules[module] = f'{header}\n"""{_docstring(names)}"""\n\n{imports}{siblings}\n\n{body}'
    return result
