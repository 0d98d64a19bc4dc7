"""YAML reading and deterministic writing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import SpecError

try:  # libyaml is part of the PyYAML wheels; the pure-Python classes are the fallback.
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def load_yaml(path: Path, *, document: str | None = None) -> Any:
    """Parse a YAML file; syntax errors become a :class:`SpecError` with the line and column."""
    name = document or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(name, "", f"cannot read file: {exc.strerror or exc}") from exc
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - CSafeLoader is the safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError(name, "", f"invalid YAML{where}: {problem}") from exc


def dump_yaml(data: Any, *, header: str = "") -> str:
    """Serialise ``data`` the same way every time: insertion order, block style, fixed width."""
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100,
        indent=2,
    )
    return header + body
