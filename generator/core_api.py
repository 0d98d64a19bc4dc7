"""What the handwritten core exports, read from its ``__init__.py`` without importing it.

Generated code imports only names the core package exports (its ``__all__``), never a
module inside it, so the core can move code between its modules freely. The generator
reads that ``__all__`` with :mod:`ast` (importing the core would import httpx and
pydantic into the generator, and run its code), and checks every core name a template
uses against it: a name the core stopped exporting is a clear error at generate time,
not an ImportError in the generated package.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import GeneratorError
from .naming import pascal

CORE_DIR = Path(__file__).resolve().parent.parent / "generated" / "oai" / "_core"
"""The core every generated package uses (copied into config-less output packages)."""

MODELS_MODULE = "_models"
"""The core's models module: generated models derive from its ``BaseModel`` and may carry its class
decorators (sdk.yaml ``model_decorators``); both are read from that module's ``__all__``."""


PAGE_KINDS = ("page", "cursor", "conversation_cursor", "next_cursor", "next_page")
"""The ways a list response pages that the parser recognises by shape (:meth:`generator.parser.Parser._page`):
a whole list; ``after=<last id>``; ``after=<last_id>`` (only by sdk.yaml's ``page:``, where the official SDK
uses it); ``after=<next>``; ``page=<next_page>``. Each needs its page classes in the core: ``SyncPage``,
``SyncCursorPage``, ``SyncConversationCursorPage``, ``SyncNextCursorPage``, ``SyncNextPage`` and the async twins."""


def page_base(kind: str) -> str:
    """A page kind's class name without Sync/Async: ``cursor`` -> ``CursorPage``, ``next_page`` -> ``NextPage``."""
    return pascal(kind) if kind.endswith("page") else pascal(kind) + "Page"


def read_all(init: Path, variable: str = "__all__", *, required: bool = True) -> list[str]:
    """The string items of the module-level ``__all__ = [...]`` (or tuple, or another ``variable``) in ``init``."""
    try:
        tree = ast.parse(init.read_text(encoding="utf-8"), filename=str(init))
    except (OSError, SyntaxError) as exc:
        raise GeneratorError(f"cannot read the core's exports from {init}: {exc}") from exc
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if not any(isinstance(t, ast.Name) and t.id == variable for t in targets):
            continue
        items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else None
        names = [e.value for e in items or [] if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if items is None or len(names) != len(items):
            raise GeneratorError(f"{init}: {variable} must be a literal list of strings")
        return names
    if not required:
        return []
    raise GeneratorError(f"{init}: no {variable}")


def read_dict_keys(init: Path, variable: str) -> list[str]:
    """The string keys of the module-level dict literal ``variable = {...}`` in ``init`` (``[]`` without one)."""
    try:
        tree = ast.parse(init.read_text(encoding="utf-8"), filename=str(init))
    except (OSError, SyntaxError) as exc:
        raise GeneratorError(f"cannot read the core's exports from {init}: {exc}") from exc
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        targets = node.targets if isinstance(node, ast.Assign) else [target] if target is not None else []
        if not any(isinstance(t, ast.Name) and t.id == variable for t in targets):
            continue
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        keys = value.keys if isinstance(value, ast.Dict) else None
        names = [k.value for k in keys or [] if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        if keys is None or len(names) != len(keys):
            raise GeneratorError(f"{init}: {variable} must be a dict literal with string keys")
        return names
    return []


OPTIONS_MODULE = "_options"
"""The core's per-call options module: its ``make_request_options`` keyword parameters are the per-call
options every generated method takes (and passes on), its ``RequestOptions`` attribute docstrings their docs."""

OPTIONS_FUNCTION = "make_request_options"
OPTIONS_TYPE = "RequestOptions"


@dataclass(frozen=True)
class RequestOption:
    """One per-call option, as ``make_request_options`` declares it: ``name: annotation = default``."""

    name: str
    annotation: str
    default: str
    doc: str = ""
    names: frozenset[str] = frozenset()
    """The identifiers its annotation and default use (builtins or names the core exports)."""


def read_request_options(path: Path) -> tuple[RequestOption, ...]:
    """The keyword-only parameters of ``make_request_options`` in ``path``, in their order, with their docs."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError) as exc:
        raise GeneratorError(f"cannot read the per-call options from {path}: {exc}") from exc
    docs: dict[str, str] = {}
    function: ast.FunctionDef | None = None
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == OPTIONS_TYPE:
            for field, after in zip(node.body, [*node.body[1:], None], strict=True):
                if (
                    isinstance(field, ast.AnnAssign)
                    and isinstance(field.target, ast.Name)
                    and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)
                ):
                    docs[field.target.id] = " ".join(after.value.value.split())
        elif isinstance(node, ast.FunctionDef) and node.name == OPTIONS_FUNCTION:
            function = node
    if function is None:
        raise GeneratorError(f"{path}: no {OPTIONS_FUNCTION}()")
    args = function.args
    if args.args or args.posonlyargs or args.vararg or args.kwarg:
        raise GeneratorError(f"{path}: {OPTIONS_FUNCTION}() must take keyword-only parameters alone")
    options: list[RequestOption] = []
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if arg.annotation is None or default is None:
            raise GeneratorError(f"{path}: {OPTIONS_FUNCTION}() parameter {arg.arg!r} needs a type and a default")
        used = frozenset(n.id for part in (arg.annotation, default) for n in ast.walk(part) if isinstance(n, ast.Name))
        options.append(
            RequestOption(arg.arg, ast.unparse(arg.annotation), ast.unparse(default), docs.get(arg.arg, ""), used)
        )
    return tuple(options)


_PAGE_CLASS = re.compile(r"^Sync(\w*Page)$")


@dataclass(frozen=True)
class CoreNames:
    """The names the core package exports (``_core/__init__.py``'s ``__all__``) and its models module's."""

    names: frozenset[str]
    model_names: frozenset[str] = frozenset()
    source: str = "the core"
    request_options: tuple[RequestOption, ...] = ()
    """The per-call options (``_options.py``'s ``make_request_options``), in their order."""
    values: frozenset[str] = frozenset()
    """Lowercase names the package root re-exports too (``__reexported_values__``: ``not_given``, ``omit``)."""
    lazy: frozenset[str] = frozenset()
    """Names whose modules the core loads on first use (its ``_LAZY`` table): generated code that only
    needs them in annotations or inside a function must not import them at module level."""

    @classmethod
    def load(cls, core_dir: Path = CORE_DIR) -> CoreNames:
        return _load(core_dir)

    def require(self, *names: str) -> tuple[str, ...]:
        missing = sorted(n for n in names if n not in self.names)
        if missing:
            raise GeneratorError(f"{self.source}: __all__ lacks {', '.join(missing)}, which generated code uses")
        return names

    @property
    def page_classes(self) -> tuple[str, ...]:
        """``SyncXPage`` / ``AsyncXPage`` pairs: one pair per way a list response pages."""
        pairs = [n for n in self.names if _PAGE_CLASS.match(n) and "Async" + n[len("Sync") :] in self.names]
        return tuple(sorted([*pairs, *("Async" + n[len("Sync") :] for n in pairs)]))

    @property
    def page_kinds(self) -> tuple[str, ...]:
        """sdk.yaml's ``page:`` values: the kinds whose page classes the core exports."""
        return tuple(k for k in PAGE_KINDS if {"Sync" + page_base(k), "Async" + page_base(k)} <= self.names)

    def page_class(self, kind: str, is_async: bool) -> str:
        return self.require(("Async" if is_async else "Sync") + page_base(kind))[0]

    @property
    def reexports(self) -> tuple[str, ...]:
        """What the package root re-exports: every class and constant the core exports (its functions are
        plumbing for generated code), except the page classes, which ``<package>.pagination`` exports as
        the official SDK's ``openai.pagination`` does."""
        pages = set(self.page_classes)
        return tuple(sorted(n for n in self.names if (n[:1].isupper() or n in self.values) and n not in pages))

    @property
    def model_decorators(self) -> tuple[str, ...]:
        """Class decorators the core's models module offers for sdk.yaml's ``model_decorators``."""
        return tuple(sorted(n for n in self.model_names if n.startswith("with_")))


@functools.lru_cache(maxsize=4)
def _load(core_dir: Path) -> CoreNames:
    init = core_dir / "__init__.py"
    models = core_dir / f"{MODELS_MODULE}.py"
    model_names = frozenset(read_all(models)) if models.exists() else frozenset[str]()
    options_file = core_dir / f"{OPTIONS_MODULE}.py"
    options = read_request_options(options_file) if options_file.exists() else ()
    names = frozenset(read_all(init))
    values = frozenset(read_all(init, "__reexported_values__", required=False))
    if not values <= names:
        raise GeneratorError(f"{init}: __reexported_values__ names {sorted(values - names)}, which __all__ lacks")
    lazy = frozenset(read_dict_keys(init, "_LAZY"))
    if not lazy <= names:
        raise GeneratorError(f"{init}: _LAZY names {sorted(lazy - names)}, which __all__ lacks")
    return CoreNames(names, model_names, str(init), options, values, lazy)
