"""Name conversions shared by the parser and the type renderers."""

from __future__ import annotations

import keyword
import re

_WORD = re.compile(r"[A-Za-z0-9]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Names a generated method parameter must not take: they are the method's own
# keyword arguments or would shadow what the generated code uses.
RESERVED_PARAM_NAMES = frozenset({"self", "extra_headers", "extra_query", "extra_body", "timeout"})


def pascal(name: str) -> str:
    """``web_search_options`` / ``web-search`` / ``webSearch`` -> ``WebSearchOptions`` / ``WebSearch``."""
    words: list[str] = []
    for chunk in _WORD.findall(name):
        words.extend(_CAMEL_BOUNDARY.split(chunk))
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def snake(name: str) -> str:
    """``fineTuning`` / ``fine-tuning`` -> ``fine_tuning``."""
    words: list[str] = []
    for chunk in _WORD.findall(name):
        words.extend(_CAMEL_BOUNDARY.split(chunk))
    return "_".join(w.lower() for w in words if w)


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.match(name)) and not keyword.iskeyword(name)


def safe_identifier(name: str) -> str:
    """A Python identifier for a wire name: ``include[]`` -> ``include``, ``from`` -> ``from_``."""
    ident = snake(name) if not _IDENTIFIER.match(name) else name
    if not ident or ident[0].isdigit():
        ident = "_" + ident
    if keyword.iskeyword(ident) or ident in RESERVED_PARAM_NAMES:
        ident += "_"
    return ident
