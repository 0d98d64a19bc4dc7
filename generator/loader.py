"""Stage 1: load spec/openapi.yaml and spec/sdk.yaml, and check them before anything is written.

Every problem is reported with the document and JSON pointer it sits at; all
problems found are raised together.
"""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import SdkConfig, load_config
from .errors import SpecError, SpecErrors, pointer
from .specutil import find_operation, resolve_ref, schema_name
from .yamlio import load_yaml


@dataclass(frozen=True)
class LoadedInput:
    spec: dict[str, Any]
    config: SdkConfig
    spec_name: str


MAX_NODES = 5_000_000
"""A document that expands to more values than this (YAML aliases can make a few lines expand
exponentially) is refused: every later stage walks it."""


def load_inputs(spec_path: Path, config_path: Path | None, package: str | None = None) -> LoadedInput:
    """Load the spec and its config; with no config (``config_path`` None) the config is inferred from
    the spec (:mod:`generator.infer`)."""
    spec_name = spec_path.as_posix()
    config = load_config(config_path, document=config_path.as_posix()) if config_path is not None else None
    spec = load_yaml(spec_path, document=spec_name)
    check_shape(spec, spec_name)
    if config is None:
        from .infer import infer_config

        if not isinstance(spec, dict) or not isinstance(spec.get("paths"), dict):
            validate_spec(spec, spec_name, None)
        inline_path_items(spec)
        name_operations(spec)
        config = infer_config(spec, spec_name, package)
    validate_spec(spec, spec_name, config)
    return LoadedInput(spec=spec, config=config, spec_name=spec_name)


def check_shape(doc: Any, name: str) -> None:
    """Refuse documents that are cyclic (YAML anchors) or expand past :data:`MAX_NODES` values."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(node: Any, ptr: str) -> int:
        if not isinstance(node, (dict, list)):
            return 1
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise SpecError(name, ptr, "the document refers to itself (a YAML alias inside its own anchor)")
        visiting.add(key)
        items = node.items() if isinstance(node, dict) else enumerate(node)
        total = 1
        for k, v in items:
            if not isinstance(k, (str, int)):
                raise SpecError(name, ptr, f"keys must be strings, found {type(k).__name__} {k!r:.40}")
            total += size(v, ptr + pointer(k))
            if total > MAX_NODES:
                raise SpecError(name, ptr, f"the document expands to more than {MAX_NODES:,} values (YAML aliases?)")
        visiting.discard(key)
        sizes[key] = total
        return total

    try:
        size(doc, "")
    except RecursionError:
        raise SpecError(name, "", "the document is nested too deeply") from None


def inline_path_items(spec: dict[str, Any]) -> None:
    """A path item given as a local ``$ref`` (3.1's ``components/pathItems``) in place of its target."""
    from .specutil import resolve_ref

    paths: dict[str, Any] = spec["paths"]
    for path, item in list(paths.items()):
        ref = item.get("$ref") if isinstance(item, dict) else None
        if isinstance(ref, str) and ref.startswith("#/"):
            try:
                target = resolve_ref(spec, ref)
            except KeyError:
                continue  # reported as a dangling $ref
            if isinstance(target, dict):
                paths[path] = {**target, **{k: v for k, v in item.items() if k != "$ref"}}


def name_operations(spec: dict[str, Any]) -> None:
    """Give every operation an ``operationId``: one from its method and path where the spec has none
    (``GET /pets/{petId}`` -> ``get_pets_pet_id``), and a numbered one where the spec repeats one."""
    from .naming import snake
    from .specutil import iter_operations

    taken: set[str] = set()
    pending: list[tuple[str, str, dict[str, Any]]] = []
    for path, method, op in iter_operations(spec):
        op_id = op.get("operationId")
        if isinstance(op_id, str) and op_id and op_id not in taken:
            taken.add(op_id)
        else:
            pending.append((path, method, op))
    for path, method, op in pending:
        given = op.get("operationId")
        base = given if isinstance(given, str) and given else snake(f"{method} {path}") or method
        candidate, number = base, 2
        while candidate in taken:
            candidate = f"{base}_{number}"
            number += 1
        taken.add(candidate)
        op["operationId"] = candidate


def validate_spec(spec: Any, name: str, config: SdkConfig | None) -> None:
    if not isinstance(spec, dict):
        raise SpecError(name, "", "expected an OpenAPI document (a mapping) at the top level")
    errors: list[SpecError] = []

    def err(ptr: str, problem: str) -> None:
        errors.append(SpecError(name, ptr, problem))

    version = spec.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        err(pointer("openapi"), f"expected an OpenAPI 3.x version string, got {version!r}")
    if not isinstance(spec.get("paths"), dict):
        err(pointer("paths"), "missing or not a mapping")
    components = spec.get("components", {})
    if not isinstance(components, dict) or not isinstance(components.get("schemas", {}), dict):
        err(pointer("components", "schemas"), "not a mapping")
    if errors or config is None:
        raise errors[0] if len(errors) == 1 else SpecErrors(errors)

    _check_refs(spec, spec, "", err)

    seen_ids: dict[str, str] = {}
    for path, item in spec["paths"].items():
        if not isinstance(item, dict):
            err(pointer("paths", path), "path item is not a mapping")
            continue
        for method, op in item.items():
            if method in ("parameters", "servers", "summary", "description") or method.startswith("x-"):
                continue
            ptr = pointer("paths", path, method)
            if not isinstance(op, dict):
                err(ptr, "operation is not a mapping")
                continue
            op_id = op.get("operationId")
            if not isinstance(op_id, str):
                err(ptr + "/operationId", "missing")
            elif op_id in seen_ids:
                err(ptr + "/operationId", f"duplicate operationId {op_id!r} (also at {seen_ids[op_id]})")
            else:
                seen_ids[op_id] = ptr
            if not isinstance(op.get("responses"), dict):
                err(ptr + "/responses", "missing or not a mapping")

    schemas: dict[str, Any] = spec.get("components", {}).get("schemas", {})
    for selection in config.operations:
        if find_operation(spec, selection) is None:
            errors.append(SpecError(config.source, selection.pointer, f"{selection.describe()} is not in {name}"))
        elif selection.stream and selection.stream.union:
            for member in selection.stream.union:
                if member not in schemas:
                    errors.append(
                        SpecError(
                            config.source,
                            selection.pointer + "/stream/union",
                            f"no component schema {member!r} in {name}",
                        )
                    )
        elif selection.stream and selection.stream.chunk_schema and selection.stream.chunk_schema not in schemas:
            errors.append(
                SpecError(
                    config.source,
                    selection.pointer + "/stream/chunk_schema",
                    f"no component schema {selection.stream.chunk_schema!r} in {name}",
                )
            )
    for old, new in config.model_renames.items():
        if old not in schemas:
            errors.append(
                SpecError(config.source, pointer("model_renames", old), f"no component schema {old!r} in {name}")
            )
        elif new != old and new in schemas:
            errors.append(
                SpecError(config.source, pointer("model_renames", old), f"{new!r} is already a component schema name")
            )
    if errors:
        raise errors[0] if len(errors) == 1 else SpecErrors(errors)


def _check_refs(doc: dict[str, Any], node: Any, ptr: str, err: Any) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref is not None:
            if not isinstance(ref, str):
                err(ptr + "/$ref", "$ref is not a string")
            else:
                try:
                    resolve_ref(doc, ref)
                except KeyError:
                    what = f"schema {schema_name(ref)!r}" if schema_name(ref) else repr(ref)
                    err(ptr + "/$ref", f"dangling $ref: {what} does not exist")
        for key, value in node.items():
            # Vendor extensions (``x-...``) are free-form: a ``$ref`` in one is not ours to follow.
            if key != "$ref" and not (isinstance(key, str) and key.startswith("x-")):
                _check_refs(doc, value, ptr + pointer(key), err)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_refs(doc, value, ptr + pointer(index), err)
