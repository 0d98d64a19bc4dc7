"""``python -m generator check-drift``: is what is committed what the generator would write now?

Two questions, answered without writing anything into the repository:

1. spec drift: does spec/openapi.yaml equal what sync-spec makes from the upstream
   spec and spec/descriptions.yaml? (Skipped when the upstream spec is absent.)
2. code drift: does every generated file under the output folder equal what
   ``generate`` makes from spec/openapi.yaml, with no stale generated file left over?
"""

from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .config import load_config
from .descriptions import load_descriptions
from .pipeline import generate
from .sync import SPEC_HEADER, build_spec
from .writer import HANDWRITTEN, is_generated
from .yamlio import dump_yaml, load_yaml


@dataclass
class DriftReport:
    problems: list[str] = field(default_factory=lambda: [])
    notes: list[str] = field(default_factory=lambda: [])


def _diff(name: str, old: str, new: str, limit: int = 20) -> str:
    lines = list(
        difflib.unified_diff(old.splitlines(), new.splitlines(), f"{name} (committed)", f"{name} (now)", lineterm="")
    )
    more = f"\n    ... {len(lines) - limit} more diff lines" if len(lines) > limit else ""
    return "\n".join("    " + line for line in lines[:limit]) + more


def check_drift(
    spec_path: Path,
    config_path: Path,
    descriptions_path: Path,
    output: Path,
    upstream_path: Path | None,
    *,
    use_cache: bool = False,
) -> DriftReport:
    """``use_cache=False`` (the default, what ``make check-drift`` does) really regenerates: the
    comparison must not trust an earlier run's output."""
    report = DriftReport()
    config = load_config(config_path)

    if upstream_path is None or not upstream_path.exists():
        report.notes.append(f"spec drift not checked: upstream spec not found at {upstream_path}")
    else:
        upstream = load_yaml(upstream_path)
        doc, sync_report = build_spec(
            upstream, config, load_descriptions(descriptions_path), upstream_name=upstream_path.name
        )
        if sync_report.missing:
            listed = "\n".join(f"    {m}" for m in sync_report.missing[:20])
            more = f"\n    ... {len(sync_report.missing) - 20} more" if len(sync_report.missing) > 20 else ""
            report.problems.append(
                f"{len(sync_report.missing)} description(s) missing; write them in spec/descriptions/*.yaml "
                f"(all of them: `python -m generator sync-spec --allow-missing-descriptions --output "
                f"/tmp/openapi.yaml`):\n{listed}{more}"
            )
        expected = dump_yaml(doc, header=SPEC_HEADER)
        current = spec_path.read_text(encoding="utf-8") if spec_path.exists() else ""
        if current != expected:
            report.problems.append(
                f"{spec_path} differs from what sync-spec makes from {upstream_path.name} "
                f"(run `python -m generator sync-spec`):\n{_diff(str(spec_path), current, expected)}"
            )

    with tempfile.TemporaryDirectory(prefix="oai-drift-") as tmp:
        result = generate(spec_path, config_path, Path(tmp), quiet=True, use_cache=use_cache)
    produced = {output / Path(rel): text for rel, text in result.files.items()}
    for path, text in sorted(produced.items()):
        if not path.exists():
            report.problems.append(f"{path} is missing (run `python -m generator generate`)")
            continue
        current = path.read_text(encoding="utf-8")
        if current != text:
            report.problems.append(f"{path} is out of date:\n{_diff(str(path), current, text)}")
    protected = [output / config.package / handwritten for handwritten in HANDWRITTEN]
    files = [p for p in output.rglob("*") if p.is_file() and "__pycache__" not in p.parts] if output.exists() else []
    for path in sorted(files):
        if path not in produced and not any(path.is_relative_to(p) for p in protected) and is_generated(path):
            report.problems.append(f"{path} is a generated file the generator no longer produces")
    return report
