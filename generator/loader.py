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


def load_inputs(spec_path: Path, config_path: Path) -> LoadedInput:
    spec_name = spec_path.as_posix()
    config = load_config(config_path, document=config_path.as_posix())
    spec = load_yaml(spec_path, document=spec_name)
    validate_spec(spec, spec_name, config)
    return LoadedInput(spec=spec, config=config, spec_name=spec_name)


def validate_spec(spec: Any, name: str, config: SdkConfig) -> None:
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
    if errors:
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
            if key != "$ref":
                _check_refs(doc, value, ptr + pointer(key), err)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_refs(doc, value, ptr + pointer(index), err)
