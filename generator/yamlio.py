"""YAML reading and deterministic writing."""

from __future__ import annotations

import json
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
    """Parse a YAML file, or a JSON one (``.json``, or text starting with ``{``) with the JSON loader:
    JSON is not quite YAML (YAML rejects the escaped surrogate pairs JSON uses for emoji). Syntax
    errors become a :class:`SpecError` with the line and column."""
    name = document or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(name, "", f"cannot read file: {getattr(exc, 'strerror', None) or exc}") from exc
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(name, "", f"invalid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
        except RecursionError as exc:
            raise SpecError(name, "", "invalid JSON: nested too deeply") from exc
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - CSafeLoader is the safe loader
    except RecursionError as exc:
        raise SpecError(name, "", "invalid YAML: nested too deeply") from exc
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
