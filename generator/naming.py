"""Every identifier the generator prints: any string in, a valid, non-shadowing Python name out.

A spec names things freely: ``2fa``, ``class``, ``__init__``, ``größe``, ``x-api-key``,
``""``, ``$filter``, and two names that differ only in case or punctuation
(``petId`` and ``pet_id``). The functions here turn such strings into identifiers a
person would choose, the same way every run (no hashes of dict order, no counters that
depend on iteration order except where the caller sorts):

* words are split at punctuation and camelCase boundaries, then joined as ``snake``
  (modules, methods, parameters, attributes) or ``Pascal`` (classes);
* non-ASCII letters are folded to ASCII where Unicode gives a decomposition
  (``größe`` -> ``grosse``); what remains non-ASCII is dropped;
* a name that is empty after that, or starts with a digit, gets the kind's word in
  front (``param_2fa``, ``Model2fa``); a leading underscore would make it private;
* keywords and names the generated code itself uses get a ``_`` appended
  (``from`` -> ``from_``, ``timeout`` -> ``timeout_``);
* :func:`unique` settles collisions after conversion with ``_2``, ``_3`` ... in the order
  the caller gives (callers pass sorted or document-ordered input).

Wire names are never changed: they stay in the dict keys, aliases and paths the
generated code sends, printed through :mod:`generator.escape`.
"""

from __future__ import annotations

import builtins
import keyword
import re
import sys
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[A-Za-z0-9]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Names a generated method parameter must not take: the method's own keyword arguments, and the
# names its body calls (a parameter called ``str`` or ``cast`` would break the call it shadows).
RESERVED_PARAM_NAMES = frozenset(
    {
        "self",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "str",
        "isinstance",
        "cast",
        "dumps",
        "path_param",
        "make_request_options",
        "NOT_GIVEN",
        "NotGiven",
        "NoneType",
        "Annotated",
        "EVENT_ENVELOPE",
    }
)

# Python names a class or module of the generated package must not take: builtins (a model called
# ``str`` would shadow it in every module that imports it) and the typing names templates import.
RESERVED_CLASS_NAMES = frozenset(
    {
        *(name for name in dir(builtins) if name[:1].isupper()),
        "Any",
        "Annotated",
        "Literal",
        "Optional",
        "Union",
        "Sequence",
        "Mapping",
        "TypeAlias",
        "TypeAliasType",
        "TypedDict",
        "Required",
        "NotRequired",
        "Field",
        "RootModel",
        "ConfigDict",
        "BaseModel",
        "NoneType",
        "TYPE_CHECKING",
        "cached_property",
        "overload",
    }
)


def words(text: str) -> list[str]:
    """``webSearch_options`` / ``web-search options`` / ``Größe2`` -> ``["web", "Search", "options"]`` ..."""
    folded = unicodedata.normalize("NFKD", text).replace("ß", "ss").encode("ascii", "ignore").decode("ascii")
    out: list[str] = []
    for chunk in _WORD.findall(folded):
        out.extend(w for w in _CAMEL_BOUNDARY.split(chunk) if w)
    return out


def pascal(name: str) -> str:
    """``web_search_options`` / ``web-search`` / ``webSearch`` -> ``WebSearchOptions`` / ``WebSearch``."""
    return "".join(w[:1].upper() + w[1:] for w in words(name))


def snake(name: str) -> str:
    """``fineTuning`` / ``fine-tuning`` -> ``fine_tuning``."""
    return "_".join(w.lower() for w in words(name))


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.match(name)) and not keyword.iskeyword(name)


def _finish(ident: str, prefix: str, reserved: Iterable[str]) -> str:
    if not ident or ident[0].isdigit():
        ident = prefix + ident
    if keyword.iskeyword(ident) or ident in reserved:
        ident += "_"
    return ident


def safe_identifier(name: str, reserved: Iterable[str] = RESERVED_PARAM_NAMES, *, prefix: str = "param_") -> str:
    """A Python identifier for a wire name: ``include[]`` -> ``include``, ``from`` -> ``from_``,
    ``petId`` -> ``pet_id``, ``2fa`` -> ``param_2fa``. A valid snake_case name is kept as it is."""
    if _IDENTIFIER.match(name) and name == name.lower() and not name.startswith("_"):
        ident = name
    else:
        ident = snake(name)
    return _finish(ident, prefix, reserved)


def attribute_name(name: str, reserved: Iterable[str] = (), *, prefix: str = "x_") -> str:
    """A public attribute or module name (resources, methods): snake_case, never private or a keyword."""
    return _finish(snake(name), prefix, reserved)


def class_name(name: str, reserved: Iterable[str] = RESERVED_CLASS_NAMES, *, prefix: str = "Model") -> str:
    """A class name: an identifier that is already PascalCase is kept (``HTTPError``), others are
    converted (``pet-status`` -> ``PetStatus``); a reserved name (a builtin, a typing name) gets the
    ``prefix`` word appended (``List`` -> ``ListModel``), one that starts with a digit in front."""
    if _IDENTIFIER.match(name) and name[:1].isupper() and "_" not in name:
        ident = name
    else:
        ident = pascal(name)
    if not ident or ident[0].isdigit():
        ident = prefix + ident
    if keyword.iskeyword(ident) or ident in set(reserved):
        ident += prefix
    return ident


def package_name(title: str) -> str:
    """A package name from an API title's words: ``Petstore`` -> ``petstore``. A name that is taken where
    the package is imported (a standard-library module, a dependency, a builtin) gets ``_api``
    appended (``JSON`` -> ``json_api``), so installing the client never shadows ``import json``."""
    name = snake(title) or "api"
    if not name[0].isalpha():
        name = "api_" + name
    taken = {*sys.stdlib_module_names, *dir(builtins), "httpx", "pydantic", "typing_extensions", "anyio", "test"}
    if keyword.iskeyword(name) or name in taken:
        name += "_api"
    return name


def unique(name: str, taken: set[str], *, separator: str = "_") -> str:
    """``name``, or ``name_2``, ``name_3`` ... : the first not in ``taken`` (which it is then added to)."""
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{name}{separator}{number}"
        number += 1
    taken.add(candidate)
    return candidate
