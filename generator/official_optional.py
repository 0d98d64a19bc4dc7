"""sdk.yaml's ``official_optional``: what the official SDK leaves optional where the spec requires it.

The facts file (``spec/official_optional.yaml``, written by ``scripts/official_optional.py`` from the installed
``openai`` package) has two lists:

- ``fields``: model name -> wire names. Each becomes optional in the response model (``X | None = None``):
  the name leaves the schema's ``required`` (or its ``allOf`` parts') in the copy the models are built from,
  never in the spec the request types are built from. Servers that leave such a field out (the official
  SDK accepts that, and vLLM or llama.cpp often do) then fit the model under strict response validation too.
- ``parameters``: method path (``skills.create``) -> Python parameter names. Each becomes an optional
  keyword (``NOT_GIVEN``), and an omitted one is not sent.

An entry that no longer matches (no such model, field, method or parameter, or one the spec does not
require) is an error naming the entry: the spec moved, and the script must be run again.
"""
# pyright: standard
# (walks the untyped spec dict)

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SpecError, SpecErrors
from .ir import Sdk
from .naming import pascal
from .specutil import schema_name
from .yamlio import load_yaml


@dataclass(frozen=True)
class OptionalFacts:
    source: str  # what they were read from ("openai 3.57.0")
    fields: dict[str, tuple[str, ...]]  # model name -> wire names
    parameters: dict[str, tuple[str, ...]]  # method path -> parameter names


def load_facts(path: Path) -> OptionalFacts:
    document = str(path)
    raw = load_yaml(path, document=document) or {}
    lists: dict[str, dict[str, tuple[str, ...]]] = {}
    for key in ("fields", "parameters"):
        entries = raw.get(key) or {}
        if not isinstance(entries, dict):
            raise SpecError(document, f"/{key}", "expected a mapping of names to lists of names")
        parsed: dict[str, tuple[str, ...]] = {}
        for owner, names in entries.items():
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise SpecError(document, f"/{key}/{owner}", "expected a list of names")
            parsed[str(owner)] = tuple(names)
        lists[key] = parsed
    return OptionalFacts(source=str(raw.get("source", "")), fields=lists["fields"], parameters=lists["parameters"])


def _required_lists(schema: dict[str, Any], schemas: dict[str, Any], seen: set[str]) -> list[list[Any]]:
    """The ``required`` lists that bind a schema's fields: its own, its ``allOf`` parts' and (through a
    ``$ref`` part) its bases' (the field then becomes optional in the base, which declares it)."""
    found: list[list[Any]] = []
    if isinstance(schema.get("required"), list):
        found.append(schema["required"])
    for part in schema.get("allOf") or []:
        if not isinstance(part, dict):
            continue
        ref = part.get("$ref")
        if isinstance(ref, str):
            base = schema_name(ref)
            if base is None or base in seen or not isinstance(schemas.get(base), dict):
                continue
            seen.add(base)
            part = schemas[base]
        found.extend(_required_lists(part, schemas, seen))
    return found


def apply_fields(models_doc: dict[str, Any], facts: OptionalFacts, document: str) -> int:
    """Drop each listed field from its model's ``required`` in ``models_doc`` (the copy the models are built
    from); return how many. Every entry must name a model and a field the schema requires."""
    schemas: dict[str, Any] = models_doc["components"]["schemas"]
    by_model = {name if name in schemas else pascal(name): name for name in schemas}
    by_model.update({name: name for name in schemas})
    problems: list[SpecError] = []
    count = 0
    for model, wires in sorted(facts.fields.items()):
        component = by_model.get(model)
        if component is None:
            problems.append(SpecError(document, f"/fields/{model}", "no response model of this name"))
            continue
        lists = _required_lists(schemas[component], schemas, {component})
        for wire in wires:
            holders = [lst for lst in lists if wire in lst]
            if not holders:
                problems.append(
                    SpecError(document, f"/fields/{model}", f"{wire!r}: the spec does not require it (any more)")
                )
                continue
            for lst in holders:
                lst.remove(wire)
            count += 1
    if problems:
        raise problems[0] if len(problems) == 1 else SpecErrors(problems)
    return count


def apply_parameters(sdk: Sdk, facts: OptionalFacts, document: str) -> int:
    """Make each listed method parameter optional in the IR; return how many."""
    methods = {
        ".".join((*resource.path, op.name)): (resource, index)
        for resource in sdk.all_resources()
        for index, op in enumerate(resource.operations)
    }
    problems: list[SpecError] = []
    count = 0
    for path, names in sorted(facts.parameters.items()):
        found = methods.get(path)
        if found is None:
            problems.append(SpecError(document, f"/parameters/{path}", "no generated method of this path"))
            continue
        resource, index = found
        op = resource.operations[index]
        params = list(op.params)
        for name in names:
            at = next((i for i, p in enumerate(params) if p.name == name), None)
            if at is None or not params[at].required:
                problems.append(
                    SpecError(document, f"/parameters/{path}", f"{name!r}: no required parameter of this name")
                )
                continue
            params[at] = dataclasses.replace(params[at], required=False)
            count += 1
        resource.operations[index] = dataclasses.replace(op, params=tuple(params))
    if problems:
        raise problems[0] if len(problems) == 1 else SpecErrors(problems)
    return count
