"""``python -m generator diff OLD NEW``: what changes for SDK users between two versions of the spec.

Both specs go through the generator's own stages (preprocess, parser) with the
same sdk.yaml, so methods are compared under their SDK names
(``client.chat.completions.create``) and types under their public model names.
Each change is classified as breaking, a feature or a note, with the semver
bump it calls for; the verdict is the largest bump. The rules are listed in
docs/diff.md.

The same engine, restricted to the operations sdk.yaml selects, is the
upstream step of ``python -m generator check-drift`` (:func:`upstream_drift`).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .config import SdkConfig, load_config
from .diff_schema import Bump, Expander, Finding, SchemaComparer, Severity, as_dict, finding
from .diff_surface import MethodSurface, ParamSurface, Surface, build_surface
from .specutil import schema_name
from .yamlio import load_yaml

_ORDER: dict[Bump, int] = {"patch": 0, "minor": 1, "major": 2}
_TITLES: dict[Severity, str] = {"breaking": "Breaking changes", "feature": "Features", "note": "Notes"}


@dataclass(frozen=True)
class Change:
    severity: Severity
    bump: Bump
    code: str
    method: str  # SDK name: client.chat.completions.create
    where: str  # parameter or model path; "" for the method itself
    message: str
    selected: bool  # the method is generated into the SDK (sdk.yaml selects it)


@dataclass
class DiffReport:
    old: str
    new: str
    changes: list[Change] = field(default_factory=lambda: [])
    compared: int = 0  # methods present on both sides
    added: int = 0
    removed: int = 0
    provisional: list[str] = field(default_factory=lambda: [])  # names the parser could not settle alone
    seconds: float = 0.0

    @property
    def verdict(self) -> Bump:
        verdict: Bump = "patch"
        for change in self.changes:
            if _ORDER[change.bump] > _ORDER[verdict]:
                verdict = change.bump
        return verdict

    def count(self, severity: Severity, *, selected: bool = False) -> int:
        return sum(1 for c in self.changes if c.severity == severity and (c.selected or not selected))

    @property
    def has_breaking(self) -> bool:
        return any(c.severity == "breaking" for c in self.changes)


# -- building the report --------------------------------------------------------------------


def diff_specs(
    old: Any, new: Any, config: SdkConfig, *, old_name: str, new_name: str, selected_only: bool = False
) -> DiffReport:
    """Compare two parsed spec documents under ``config``."""
    started = time.perf_counter()
    old_surface = build_surface(old, config, old_name, selected_only=selected_only)
    new_surface = build_surface(new, config, new_name, selected_only=selected_only)
    report = compare_surfaces(old_surface, new_surface)
    report.seconds = time.perf_counter() - started
    return report


def diff_files(old: Path, new: Path, config_path: Path, *, selected_only: bool = False) -> DiffReport:
    started = time.perf_counter()
    config = load_config(config_path)
    old_doc, new_doc = load_yaml(old, document=str(old)), load_yaml(new, document=str(new))
    report = diff_specs(old_doc, new_doc, config, old_name=str(old), new_name=str(new), selected_only=selected_only)
    report.seconds = time.perf_counter() - started
    return report


def compare_surfaces(old: Surface, new: Surface) -> DiffReport:
    report = DiffReport(old=old.name, new=new.name)
    comparer = SchemaComparer(old.doc, new.doc)
    removed = [label for label in old.methods if label not in new.methods]
    added = [label for label in new.methods if label not in old.methods]
    # A method whose name changed but whose operation did not (same operationId): renamed, not removed + added.
    added_ids = {new.methods[label].operation_id: label for label in added}
    renamed: dict[str, str] = {}
    for label in removed:
        target = added_ids.get(old.methods[label].operation_id)
        if target is not None and target not in renamed.values():
            renamed[label] = target

    def add(method: MethodSurface, *items: Finding) -> None:
        report.changes.extend(
            Change(item.severity, item.bump, item.code, method.label, item.where, item.message, method.selected)
            for item in items
        )

    for label in removed:
        method = old.methods[label]
        if label in renamed:
            target = new.methods[renamed[label]]
            add(method, finding("breaking", "method-renamed", "", f"renamed to {target.label}"))
            add(method, *_compare_methods(comparer, method, target))  # listed under the name users call today
            report.compared += 1
        else:
            add(method, finding("breaking", "method-removed", "", f"method removed ({method.endpoint})"))
            report.removed += 1
    for label in added:
        method = new.methods[label]
        if label not in renamed.values():
            add(method, finding("feature", "method-added", "", f"method added ({method.endpoint})"))
            report.added += 1
    for label, method in old.methods.items():
        if label in new.methods:
            add(new.methods[label], *_compare_methods(comparer, method, new.methods[label]))
            report.compared += 1
    report.provisional = sorted(
        {m.label for s in (old, new) for m in s.methods.values() if m.name_source in ("provisional", "inferred")}
    )
    order = {label: i for i, label in enumerate(sorted({*old.methods, *new.methods}))}
    report.changes.sort(key=lambda c: order.get(c.method, len(order)))  # stable: a method's changes keep their order
    return report


def _compare_methods(comparer: SchemaComparer, old: MethodSurface, new: MethodSurface) -> list[Finding]:
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()

    def emit(item: Finding) -> None:
        if (item.where, item.message) not in seen:
            seen.add((item.where, item.message))
            found.append(item)

    if old.endpoint != new.endpoint:
        emit(finding("breaking", "endpoint-changed", "", f"endpoint changed: {old.endpoint} → {new.endpoint}"))
    if new.deprecated and not old.deprecated:
        emit(finding("note", "deprecated", "", "method deprecated"))
    elif old.deprecated and not new.deprecated:
        emit(finding("note", "undeprecated", "", "method no longer deprecated", "patch"))
    if old.body_kind != new.body_kind and old.body_kind and new.body_kind:
        emit(finding("note", "body-encoding-changed", "", f"request body {old.body_kind} → {new.body_kind}", "patch"))

    requests = comparer.expander("request")
    for item in _compare_params(requests, old.params, new.params):
        emit(item)

    responses = comparer.expander("response")
    # A name inferred without the parser has its return type read from the spec, not the IR: not comparable.
    comparable = (old.name_source == "inferred") == (new.name_source == "inferred")
    if old.returns != new.returns and comparable:
        emit(finding("breaking", "return-type-changed", "", f"return type changed: {old.returns} → {new.returns}"))
    for item in _compare_response(responses, old.response_schema, new.response_schema):
        emit(item)
    if old.stream_chunk is None and new.stream_chunk is not None:
        emit(finding("feature", "stream-added", "", f"now streams ({new.stream_chunk} events)"))
    elif old.stream_chunk is not None and new.stream_chunk is None:
        emit(finding("breaking", "stream-removed", "", "no longer streams"))
    elif old.stream_chunk is not None and new.stream_chunk is not None:
        if old.stream_chunk != new.stream_chunk:
            emit(
                finding(
                    "breaking",
                    "stream-chunk-changed",
                    "",
                    f"stream chunk type changed: {old.stream_chunk} → {new.stream_chunk}",
                )
            )
        if old.stream_terminator != new.stream_terminator:
            emit(
                finding(
                    "note",
                    "stream-terminator-changed",
                    "",
                    f"stream terminator {old.stream_terminator!r} → {new.stream_terminator!r}",
                    "patch",
                )
            )
        for item in responses.component(old.stream_chunk, new.stream_chunk, new.stream_chunk):
            emit(item)
    return found


def _describe(param: ParamSurface) -> str:
    where = "" if param.location == "body" else f"{param.location} "
    return f"{where}parameter `{param.name}`"


def _compare_params(requests: Expander, old: tuple[ParamSurface, ...], new: tuple[ParamSurface, ...]) -> list[Finding]:
    found: list[Finding] = []
    old_by_key = {p.key: p for p in old}
    new_by_key = {p.key: p for p in new}
    # The same wire name in another place (query -> body): moved, compared as one parameter.
    pairs: list[tuple[ParamSurface, ParamSurface]] = []
    moved_old: set[tuple[str, str]] = set()
    moved_new: set[tuple[str, str]] = set()
    for key, param in old_by_key.items():
        if key in new_by_key:
            pairs.append((param, new_by_key[key]))
            continue
        other = next(
            (p for k, p in new_by_key.items() if k not in old_by_key and k[1] == key[1] and k not in moved_new), None
        )
        if other is not None:
            moved_old.add(key)
            moved_new.add(other.key)
            found.append(
                finding(
                    "breaking",
                    "parameter-moved",
                    other.name,
                    f"{_describe(param)} moved from {param.location} to {other.location}",
                )
            )
            pairs.append((param, other))
    for key, param in old_by_key.items():
        if key not in new_by_key and key not in moved_old:
            found.append(finding("breaking", "parameter-removed", param.name, f"{_describe(param)} removed"))
    for key, param in new_by_key.items():
        if key in old_by_key or key in moved_new:
            continue
        if param.required:
            found.append(
                finding("breaking", "parameter-added-required", param.name, f"new required {_describe(param)}")
            )
        else:
            found.append(finding("feature", "parameter-added", param.name, f"new optional {_describe(param)}"))
    for before, after in sorted(pairs, key=lambda pair: pair[1].name):
        if before.required != after.required:
            if after.required:
                found.append(finding("breaking", "became-required", after.name, "optional → required"))
            else:
                found.append(finding("feature", "became-optional", after.name, "required → optional"))
        if after.deprecated and not before.deprecated:
            found.append(finding("note", "deprecated", after.name, "deprecated"))
        elif before.deprecated and not after.deprecated:
            found.append(finding("note", "undeprecated", after.name, "no longer deprecated", "patch"))
        found.extend(requests.root(before.schema, after.schema, after.name))
    return found


def _compare_response(responses: Expander, old: Any, new: Any) -> list[Finding]:
    if as_dict(old) is None or as_dict(new) is None:
        return []  # no JSON body on one side: the return type says so
    old_name, new_name = _component_name(old), _component_name(new)
    if old_name is not None and new_name is not None:  # a rename is the return type's change, not repeated here
        return responses.component(old_name, new_name, new_name)
    return responses.root(old, new, new_name or old_name or "response")


def _component_name(schema: Any) -> str | None:
    ref = (as_dict(schema) or {}).get("$ref")
    return schema_name(ref) if isinstance(ref, str) else None


# -- output -----------------------------------------------------------------------------------


def format_text(report: DiffReport) -> str:
    lines = [f"API diff {report.old} → {report.new}"]
    for severity in ("breaking", "feature", "note"):
        changes = [c for c in report.changes if c.severity == severity]
        if not changes:
            continue
        lines.append("")
        lines.append(f"{_TITLES[severity]} ({len(changes)}):")
        by_method: dict[str, list[Change]] = {}
        for change in changes:
            by_method.setdefault(change.method, []).append(change)
        for method, items in by_method.items():
            mark = "*" if method in report.provisional else ""
            if len(items) == 1 and not items[0].where:
                lines.append(f"  {method}{mark}: {items[0].message}")
                continue
            lines.append(f"  {method}{mark}")
            for item in items:
                lines.append(f"    {item.where + ': ' if item.where else ''}{item.message}")
    if any(c.method in report.provisional for c in report.changes):
        lines.append("")
        lines.append(
            "* provisional name: the naming rules need an sdk.yaml entry for this operation "
            "(shown under its operationId or the inferred path)"
        )
    lines.append("")
    lines.append(summary_line(report))
    lines.append(f"Verdict: {report.verdict}")
    return "\n".join(lines)


def summary_line(report: DiffReport) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    counts = (
        f"{report.count('breaking')} breaking, {plural(report.count('feature'), 'feature')}, "
        f"{plural(report.count('note'), 'note')}"
    )
    selected = (
        f"in the SDK's selection: {report.count('breaking', selected=True)} breaking, "
        f"{plural(report.count('feature', selected=True), 'feature')}, "
        f"{plural(report.count('note', selected=True), 'note')}"
    )
    methods = (
        f"{plural(report.compared, 'method')} compared, {report.removed} removed, {report.added} added; "
        f"{report.seconds:.1f}s"
    )
    return f"Summary: {counts} ({selected}); {methods}"


def format_json(report: DiffReport) -> str:
    data = {
        "old": report.old,
        "new": report.new,
        "verdict": report.verdict,
        "summary": {
            "breaking": report.count("breaking"),
            "feature": report.count("feature"),
            "note": report.count("note"),
            "methods_compared": report.compared,
            "methods_added": report.added,
            "methods_removed": report.removed,
        },
        "provisional_names": report.provisional,
        "changes": [asdict(c) for c in report.changes],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


# -- check-drift's upstream step --------------------------------------------------------------


@dataclass
class UpstreamDrift:
    notes: list[str] = field(default_factory=lambda: [])
    problems: list[str] = field(default_factory=lambda: [])


def upstream_drift(spec_path: Path, config_path: Path, upstream_path: Path | None) -> UpstreamDrift:
    """spec/openapi.yaml against the upstream spec, for the selected operations, in SDK terms.

    Prose is never compared (ours is our own). Any difference in the facts is a
    problem: the committed spec no longer says what upstream says, and sync-spec
    brings it back.
    """
    result = UpstreamDrift()
    if upstream_path is None:
        result.notes.append("no upstream spec configured (upstream_spec in sdk.yaml); upstream check skipped")
        return result
    if not upstream_path.exists():
        result.notes.append(f"upstream spec not found at {upstream_path}; upstream check skipped")
        return result
    report = diff_files(spec_path, upstream_path, config_path, selected_only=True)
    if not report.changes:
        result.notes.append(
            f"upstream: the {report.compared} selected methods match {upstream_path.name} ({report.seconds:.1f}s)"
        )
        return result
    listing = "\n".join("    " + line for line in format_text(report).splitlines()[2:])
    result.problems.append(
        f"{spec_path} no longer matches {upstream_path.name} for the selected operations "
        f"(run `python -m generator sync-spec`, then `python -m generator generate`); "
        f"what upstream changed, in SDK terms:\n{listing}"
    )
    return result
