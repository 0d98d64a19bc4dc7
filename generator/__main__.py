"""Command line: ``python -m generator {sync-spec,generate,check-drift,diff}``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import GeneratorError


def _sync_spec(args: argparse.Namespace) -> int:
    from .config import load_config
    from .sync import sync_spec

    config_path = Path(args.config)
    config = load_config(config_path)
    if args.source:
        upstream = Path(args.source)
    elif config.upstream_spec:
        # Relative to the repository root, i.e. the folder above spec/.
        upstream = (config_path.resolve().parent.parent / config.upstream_spec).resolve()
    else:
        raise GeneratorError("no upstream spec: pass --from PATH or set upstream_spec in sdk.yaml")
    started = time.perf_counter()
    report = sync_spec(
        upstream,
        config,
        Path(args.descriptions),
        Path(args.output),
        allow_missing=args.allow_missing_descriptions,
    )
    for missing in report.missing:
        print(f"warning: description missing: {missing}", file=sys.stderr)
    print(
        f"wrote {args.output}: {report.operation_count} operations, {report.schema_count} schemas "
        f"({time.perf_counter() - started:.1f}s)"
    )
    return 0


def _generate(args: argparse.Namespace) -> int:
    from .pipeline import generate

    started = time.perf_counter()
    # No --config: the repository's SDK (spec/sdk.yaml) when --spec is not given either, else config-less.
    config = args.config or (None if args.spec else "spec/sdk.yaml")
    if args.package and config is not None:
        raise GeneratorError("--package is for config-less generation; sdk.yaml names the package")
    spec = args.spec or "spec/openapi.yaml"
    result = generate(Path(spec), Path(config) if config else None, Path(args.output), package=args.package)
    print(
        f"generated {args.output}: {len(result.written)} file(s) written, {len(result.removed)} removed, "
        f"{result.unchanged} unchanged ({time.perf_counter() - started:.1f}s)"
    )
    return 0


def _check_drift(args: argparse.Namespace) -> int:
    from .config import load_config
    from .diff import upstream_drift
    from .drift import check_drift

    config_path = Path(args.config)
    upstream: Path | None = Path(args.source) if args.source else None
    if upstream is None:
        config = load_config(config_path)
        if config.upstream_spec:
            upstream = (config_path.resolve().parent.parent / config.upstream_spec).resolve()
    report = check_drift(Path(args.spec), config_path, Path(args.descriptions), Path(args.output), upstream)
    upstream_report = upstream_drift(Path(args.spec), config_path, upstream)  # the selection vs upstream, in SDK terms
    report.notes.extend(upstream_report.notes)
    report.problems.extend(upstream_report.problems)
    for note in report.notes:
        print(f"note: {note}")
    if report.problems:
        for problem in report.problems:
            print(f"drift: {problem}", file=sys.stderr)
        return 1
    print("no drift: the spec and the generated code are what the generator makes now")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from .diff import diff_files, format_json, format_text

    report = diff_files(Path(args.old), Path(args.new), Path(args.config), selected_only=args.selected)
    print(format_json(report) if args.format == "json" else format_text(report))
    return 1 if args.fail_on == "breaking" and report.has_breaking else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="The oai SDK generator.")
    sub = parser.add_subparsers(dest="command", required=True)

    sync = sub.add_parser("sync-spec", help="derive spec/openapi.yaml from the upstream spec")
    sync.add_argument("--from", dest="source", help="upstream spec (default: upstream_spec in sdk.yaml)")
    sync.add_argument("--config", default="spec/sdk.yaml")
    sync.add_argument("--descriptions", default="spec/descriptions.yaml")
    sync.add_argument("--output", default="spec/openapi.yaml")
    sync.add_argument(
        "--allow-missing-descriptions",
        action="store_true",
        help="write the spec even if some operation, parameter or body property has no description",
    )
    sync.set_defaults(func=_sync_spec)

    gen = sub.add_parser(
        "generate",
        help="generate the SDK from spec/openapi.yaml, or a self-contained package from any OpenAPI 3 spec",
        description="With no --spec: the oai SDK (spec/openapi.yaml + spec/sdk.yaml -> generated/). With --spec "
        "and no --config: config-less, names, base URL and auth inferred from the spec, and the output is an "
        "installable package (DIR/pyproject.toml, DIR/<package>/ with the core copied in).",
    )
    gen.add_argument("--spec", help="an OpenAPI 3.0/3.1 document, YAML or JSON (default: spec/openapi.yaml)")
    gen.add_argument("--config", help="sdk.yaml (default: spec/sdk.yaml without --spec, none with it)")
    gen.add_argument("--package", help="config-less: the package name (default: from info.title)")
    gen.add_argument("--output", default="generated")
    gen.set_defaults(func=_generate)

    drift = sub.add_parser("check-drift", help="fail if spec/openapi.yaml or the generated code is stale")
    drift.add_argument("--from", dest="source", help="upstream spec (default: upstream_spec in sdk.yaml)")
    drift.add_argument("--spec", default="spec/openapi.yaml")
    drift.add_argument("--config", default="spec/sdk.yaml")
    drift.add_argument("--descriptions", default="spec/descriptions.yaml")
    drift.add_argument("--output", default="generated")
    drift.set_defaults(func=_check_drift)

    diff = sub.add_parser("diff", help="breaking changes and features between two specs, in SDK terms")
    diff.add_argument("old", help="the spec before")
    diff.add_argument("new", help="the spec after")
    diff.add_argument("--config", default="spec/sdk.yaml")
    diff.add_argument("--fail-on", choices=["breaking"], help="exit 1 when a change of this kind is found")
    diff.add_argument("--format", choices=["text", "json"], default="text")
    diff.add_argument("--selected", action="store_true", help="only the operations sdk.yaml selects")
    diff.set_defaults(func=_diff)

    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
