"""Errors raised by the generator, each naming where in which document the problem is."""

from __future__ import annotations

from collections.abc import Iterable


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a JSON pointer from unescaped tokens: ``pointer("paths", "/models")`` -> ``/paths/~1models``."""
    return "".join("/" + escape_pointer_token(token) for token in tokens)


def join_pointer(base: str, *tokens: str | int) -> str:
    return base + pointer(*tokens)


class GeneratorError(Exception):
    """A problem the user has to fix in an input file (not a bug in the generator)."""


class SpecError(GeneratorError):
    """A problem at one JSON pointer of one input document."""

    def __init__(self, document: str, json_pointer: str, problem: str) -> None:
        self.document = document
        self.pointer = json_pointer
        self.problem = problem
        super().__init__(f"{document}#{json_pointer or '/'}: {problem}")


class SpecErrors(GeneratorError):
    """Several :class:`SpecError` found in one pass, reported together."""

    def __init__(self, errors: Iterable[SpecError]) -> None:
        self.errors = list(errors)
        lines = [f"{len(self.errors)} problem(s) found:"] + [f"  {error}" for error in self.errors]
        super().__init__("\n".join(lines))
