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
from dataclasses import dataclass
from pathlib import Path

from .errors import GeneratorError

CORE_DIR = Path(__file__).resolve().parent.parent / "generated" / "oai" / "_core"
"""The core every generated package uses (copied into config-less output packages)."""

PAGE_CLASSES = {  # page kind -> class name in the core, after Sync / Async
    "page": "Page",
    "cursor": "CursorPage",
    "next_cursor": "NextCursorPage",
    "next_page": "NextPage",
}

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


def page_base(kind: str) -> str:
    """A page kind's class name without ``Sync``/``Async``: ``cursor`` -> ``CursorPage``, ``page`` -> ``Page``."""
    return PAGE_CLASSES[kind]


def read_all(init: Path) -> list[str]:
    """The string items of the module-level ``__all__ = [...]`` (or tuple) in ``init``."""
    try:
        tree = ast.parse(init.read_text(encoding="utf-8"), filename=str(init))
    except (OSError, SyntaxError) as exc:
        raise GeneratorError(f"cannot read the core's exports from {init}: {exc}") from exc
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            value = node.value
            if isinstance(value, (ast.List, ast.Tuple)) and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
            ):
                return [e.value for e in value.elts]  # type: ignore[union-attr]
            raise GeneratorError(f"{init}: __all__ must be a literal list of strings")
    raise GeneratorError(f"{init}: no __all__")


@dataclass(frozen=True)
class CoreNames:
    names: frozenset[str]
    source: str = "the core"

    @classmethod
    def load(cls, core_dir: Path = CORE_DIR) -> CoreNames:
        init = core_dir / "__init__.py"
        return cls(frozenset(read_all(init)), str(init))

    def require(self, *names: str) -> tuple[str, ...]:
        missing = sorted(n for n in names if n not in self.names)
        if missing:
            raise GeneratorError(
                f"{self.source}: __all__ does not export {', '.join(missing)}, which generated code uses"
            )
        return names

    @property
    def reexports(self) -> tuple[str, ...]:
        """Core names the package root re-exports."""
        return self.require(*CORE_REEXPORTS)

    @property
    def page_kinds(self) -> tuple[str, ...]:
        return tuple(PAGE_CLASSES)

    @property
    def page_classes(self) -> tuple[str, ...]:
        return self.require(*(prefix + name for prefix in ("Async", "Sync") for name in PAGE_CLASSES.values()))

    def page_class(self, kind: str, is_async: bool) -> str:
        return self.require(("Async" if is_async else "Sync") + page_base(kind))[0]
