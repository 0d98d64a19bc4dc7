"""Stage 3: response models through datamodel-codegen's Python API.

The option set follows the measurements in the shared notes (generator-facts.md §4):
component names survive (``use_type_alias``, no collapse flags), enums become
``Literal``s, nullability follows the spec (``strict_nullable``), and every
model derives from the core's ``BaseModel`` (``extra="allow"``,
``populate_by_name``, ``defer_build``). The ``model_rebuild()`` calls the tool
appends are removed: they would build every validator at import time.
"""

from __future__ import annotations

import ast
import copy
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from .core_api import MODELS_MODULE
from .errors import GeneratorError

BASE_CLASS = f"oai._core.{MODELS_MODULE}.BaseModel"

# ``format`` values mapped to plain types: pydantic's URL types rewrite the
# string (a trailing "/" is added), which an SDK must not do to server data.
TYPE_MAPPINGS = ["string+uri=string", "string+email=string", "string+uri-reference=string"]

_BASE_IMPORT = f"from .._core.{MODELS_MODULE} import BaseModel\n"
_REBUILD_LINE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.model_rebuild\(\)$\n?", re.MULTILINE)


@dataclass(frozen=True)
class Models:
    """The models module's source and what it defines at the top level."""

    source: str
    classes: frozenset[str]  # ``class X(BaseModel)``
    aliases: frozenset[str]  # type aliases (unions, literals): no ``type[...]``, so ``cast_to`` needs a ``cast``

    @property
    def names(self) -> frozenset[str]:
        return self.classes | self.aliases


def defined_names(module: str | ast.Module) -> tuple[frozenset[str], frozenset[str]]:
    """(classes, type aliases) a models module (source, or its parsed tree) defines at its top level."""
    classes: set[str] = set()
    aliases: set[str] = set()
    for node in (ast.parse(module) if isinstance(module, str) else module).body:
        if isinstance(node, ast.ClassDef):
            classes.add(node.name)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            aliases.add(node.targets[0].id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            aliases.add(node.target.id)
    return frozenset(classes), frozenset(aliases)


def build_models(spec: dict[str, Any], header: str, settings_dir: Path, decorators: dict[str, str]) -> Models:
    """Stage 3: the models module for the (preprocessed) spec dict, with sdk.yaml's decorators applied."""
    source = decorate_models(generate_models(spec, header, settings_dir), decorators)
    classes, aliases = defined_names(source)
    return Models(source, classes, aliases)


def generate_models(spec: dict[str, Any], header: str, settings_dir: Path) -> str:
    """Source text of ``oai/types/_models.py`` for the (preprocessed) spec dict."""
    from datamodel_code_generator import LiteralType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType, InputFileType, OpenAPIScope
    from datamodel_code_generator.format import Formatter

    options: dict[str, Any] = {
        "input_file_type": InputFileType.OpenAPI,
        "output_model_type": DataModelType.PydanticV2BaseModel,
        "target_python_version": PythonVersion.PY_310,
        "openapi_scopes": [OpenAPIScope.Schemas],
        "base_class": BASE_CLASS,
        "use_annotated": True,
        "enum_field_as_literal": LiteralType.All,
        "use_type_alias": True,
        "reuse_model": True,
        "strict_nullable": True,
        "use_schema_description": True,
        "use_field_description": True,
        "use_standard_collections": True,
        "use_union_operator": True,
        "use_double_quotes": True,
        "disable_timestamp": True,
        "type_mappings": TYPE_MAPPINGS,
        "formatters": [Formatter.RUFF_CHECK, Formatter.RUFF_FORMAT],
        "settings_path": settings_dir,
    }
    with warnings.catch_warnings():
        # The tool warns about its own future defaults; the options above are explicit.
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        result = generate(without_deprecated_fields(spec), **options)
    if not isinstance(result, str):
        raise RuntimeError("datamodel-codegen returned several modules; expected one")
    return postprocess_models(result, header)


def without_deprecated_fields(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with ``deprecated`` taken off object properties (a copy; operations keep theirs).

    datamodel-codegen turns a deprecated property into ``Field(deprecated=True)``, and pydantic then warns on
    every read of the field: reading ``completion.system_fingerprint`` or ``file.status`` (which the server
    still sends) would warn, and fail under ``-W error``, where the official SDK's models read quietly.
    """
    doc = copy.deepcopy(spec)

    def strip(node: object) -> None:
        if isinstance(node, dict):
            props = cast("dict[str, Any]", node).get("properties")
            if isinstance(props, dict):
                for prop in cast("dict[str, Any]", props).values():
                    if isinstance(prop, dict):
                        cast("dict[str, Any]", prop).pop("deprecated", None)
            for value in cast("dict[str, Any]", node).values():
                strip(value)
        elif isinstance(node, list):
            for item in cast("list[Any]", node):
                strip(item)

    strip(doc.get("components"))
    return doc


# ``Any`` in a model's field (a schema without a type: metadata, arguments, a map's values) reads as ``object``,
# as the official SDK types such fields: what the server sent, to be narrowed by the caller.
_ANY_FIELD = re.compile(r"(^    [A-Za-z_][A-Za-z0-9_]*: (?:.*[\[ ])?)Any\b(?=.*$)", re.MULTILINE)
_ALIAS_LINE = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*) = TypeAliasType\("\1", ([A-Za-z_][A-Za-z0-9_]*)\)$', re.MULTILINE)
_ALIAS_NAME = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*) = TypeAliasType\(\s*"\1",', re.MULTILINE)


def _flatten_alias_chains(source: str) -> str:
    """``Metadata = TypeAliasType("Metadata", BetaMetadata)`` where ``BetaMetadata`` is itself a type alias (two
    identical schemas, reused by datamodel-codegen) becomes ``Metadata = BetaMetadata``: the same alias under a
    second name, so that unwrapping an alias once (``__value__``) gives a type, as code that inspects the
    annotations expects, never another alias."""
    aliases = set(_ALIAS_NAME.findall(source))

    def flatten(match: re.Match[str]) -> str:
        name, target = match.group(1), match.group(2)
        return f"{name} = {target}" if target in aliases else match.group(0)

    return _ALIAS_LINE.sub(flatten, source)


def postprocess_models(source: str, header: str) -> str:
    lines = source.splitlines(keepends=True)
    # Drop the tool's own header comment block (it names "<dict>" as input).
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    text = "".join(lines).lstrip("\n")
    text = _REBUILD_LINE.sub("", text)
    text = _flatten_alias_chains(text)
    while (replaced := _ANY_FIELD.sub(r"\1object", text)) != text:  # one per line and pass
        text = replaced
    text = text.replace(f"from oai._core.{MODELS_MODULE} import BaseModel", _BASE_IMPORT.rstrip("\n"))
    return header + "\n" + text.rstrip("\n") + "\n"


def decorate_models(source: str, decorators: dict[str, str]) -> str:
    """Put sdk.yaml's ``model_decorators`` (core helpers such as ``with_output_text``) on their classes."""
    if not decorators:
        return source
    typed = False
    for model, decorator in sorted(decorators.items()):
        pattern = re.compile(rf"^class {re.escape(model)}\(", re.MULTILINE)
        found = pattern.search(source)
        if not found:
            raise GeneratorError(f"sdk.yaml model_decorators: no generated model named {model!r}")
        if decorator in _PROPERTIES:
            source, done = _as_property(source, found.start(), *_PROPERTIES[decorator])
            typed = typed or done
        source = pattern.sub(f"@{decorator}\nclass {model}(", source, count=1)
    names = ", ".join(["BaseModel", *sorted(set(decorators.values()))])
    source = source.replace(_BASE_IMPORT, f"from .._core.{MODELS_MODULE} import {names}\n", 1)
    if typed:
        source = _add_typing_import(source, "TYPE_CHECKING")
    return source


# Helpers that make a field a property: the field, and the type the property returns. The pydantic field goes
# (a value a server sends stays an extra, which the property returns), and type checkers see the property's type.
_PROPERTIES = {"with_output_text": ("output_text", "str")}


def _as_property(source: str, start: int, name: str, returns: str) -> tuple[str, bool]:
    """In the class starting at ``start``: the field ``name: X | None = None`` (and its docstring) -> a property
    returning ``returns``, declared for type checkers only (``if TYPE_CHECKING:``): checkers see the property's
    type and no constructor argument, pydantic no field; the decorator puts the real property on the class."""
    end = re.compile(r"^\S", re.MULTILINE).search(source, start + 1)
    stop = end.start() if end else len(source)
    body = source[start:stop]
    field = re.compile(rf"^    {re.escape(name)}: [^\n]*\n(    \"\"\"\n(?:    [^\n]*\n)*?    \"\"\"\n)?", re.MULTILINE)
    match = field.search(body)
    if match is None:
        return source, False
    doc = "".join("        " + line + "\n" for line in (match.group(1) or "").splitlines()) + "            ...\n"
    typed = f"    if TYPE_CHECKING:\n\n        @property\n        def {name}(self) -> {returns}:\n{doc}"
    body = body[: match.start()] + typed + body[match.end() :]
    return source[:start] + body + source[stop:], True


def _add_typing_import(source: str, name: str) -> str:
    found = re.search(r"^from typing import ([^\n(]+)$", source, re.MULTILINE)
    if found is None:
        future = "from __future__ import annotations\n"
        return source.replace(future, f"{future}\nfrom typing import {name}\n", 1)
    names = sorted({*(n.strip() for n in found.group(1).split(",")), name})
    return source[: found.start()] + f"from typing import {', '.join(names)}" + source[found.end() :]
