"""Our descriptions: spec/descriptions.yaml plus every spec/descriptions/*.yaml, merged.

All files share one layout (see the comment at the top of spec/descriptions.yaml).
They are read in a fixed order (the main file, then the folder's files sorted by
name) and merged entry by entry: the same text in two files is fine, two
different texts for one entry is an error naming both files, so that several
writers can work on separate files without stepping on each other.
"""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SpecError, SpecErrors, pointer
from .yamlio import load_yaml


@dataclass
class Descriptions:
    """The merged overlay and, for every entry, the file it came from."""

    overlay: dict[str, Any] = field(default_factory=lambda: {})
    files: list[Path] = field(default_factory=lambda: [])
    _sources: dict[tuple[str, ...], str] = field(default_factory=lambda: {})

    def source(self, *path: str | int) -> str:
        """The file that holds the entry at ``path`` (or its nearest described parent)."""
        key = tuple(str(p) for p in path)
        while key:
            if key in self._sources:
                return self._sources[key]
            key = key[:-1]
        return self.files[0].as_posix() if self.files else "spec/descriptions.yaml"


def description_files(main: Path) -> list[Path]:
    """``main`` (when it exists) and then ``<main's folder>/<main's stem>/*.yaml`` sorted by name."""
    files = [main] if main.exists() else []
    folder = main.parent / main.stem
    if folder.is_dir():
        files += sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return files


def load_descriptions(main: Path) -> Descriptions:
    """Read and merge every description file; conflicting entries are reported together."""
    result = Descriptions(files=description_files(main))
    errors: list[SpecError] = []
    for path in result.files:
        name = path.as_posix()
        data = load_yaml(path, document=name)
        if data is None:
            continue
        if not isinstance(data, dict):
            raise SpecError(name, "", "expected a mapping at the top level")
        _merge(result.overlay, data, (), name, result._sources, errors)
    if errors:
        raise errors[0] if len(errors) == 1 else SpecErrors(errors)
    return result


def merge_overlays(*overlays: dict[str, Any]) -> dict[str, Any]:
    """Merge already parsed overlays (tests and callers holding dicts); conflicts raise."""
    merged: dict[str, Any] = {}
    sources: dict[tuple[str, ...], str] = {}
    errors: list[SpecError] = []
    for index, overlay in enumerate(overlays):
        _merge(merged, overlay, (), f"<overlay {index}>", sources, errors)
    if errors:
        raise errors[0] if len(errors) == 1 else SpecErrors(errors)
    return merged


def _merge(
    into: dict[str, Any],
    data: dict[str, Any],
    path: tuple[str, ...],
    name: str,
    sources: dict[tuple[str, ...], str],
    errors: list[SpecError],
) -> None:
    for key, value in data.items():
        here = (*path, str(key))
        if isinstance(value, dict):
            existing = into.get(key)
            if existing is None:
                into[key] = {}
                sources.setdefault(here, name)
            elif not isinstance(existing, dict):
                # A text in one file, a mapping in another (`schemas.X: text` vs `schemas.X.properties`).
                if not _text_vs_mapping_ok(existing, value):
                    errors.append(_conflict(here, sources.get(here, "?"), name))
                    continue
                into[key] = {"description": existing}
            _merge(into[key], value, here, name, sources, errors)
        else:
            if value is None:
                continue
            if key in into:
                existing = into[key]
                if isinstance(existing, dict) and isinstance(value, str) and _text_vs_mapping_ok(value, existing):
                    if existing.get("description") in (None, value):
                        existing["description"] = value
                        continue
                if existing != value:
                    errors.append(_conflict(here, sources.get(here, "?"), name))
                continue
            into[key] = value
            sources[here] = name


def _text_vs_mapping_ok(text: Any, mapping: dict[str, Any]) -> bool:
    """``schemas.X: "text"`` is shorthand for ``schemas.X.description: "text"``."""
    return isinstance(text, str) and (mapping.get("description") in (None, text))


def _conflict(path: tuple[str, ...], first: str, second: str) -> SpecError:
    return SpecError(
        second,
        pointer(*path),
        f"conflicts with the entry for the same path in {first}: one text per entry (or the same text in both)",
    )
