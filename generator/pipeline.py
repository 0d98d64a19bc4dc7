"""``python -m generator generate``: the stages in order, nothing written until all succeed."""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

import copy
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, cast

from .errors import GeneratorError, SpecError
from .ir import Sdk
from .naming import pascal
from .specutil import SCHEMA_REF_PREFIX, find_operation, schema_name
from .writer import HANDWRITTEN, HEADER_PREFIX, RUFF_CONFIG, ruff_format_tree, ruff_lint_tree, write_tree

HEADER = f"{HEADER_PREFIX} from the OpenAPI spec (python -m generator generate). Do not edit."

MODELS_INIT = (
    f"{HEADER}\n"
    '"""Response models (pydantic), one module per set of resources that use them.\n\n'
    "Import them from ``oai.types``; each module loads on first use, so a client that only\n"
    'streams chat completions never builds the Responses or admin models.\n"""\n'
)


@dataclass
class GenerateResult:
    written: list[Path] = field(default_factory=lambda: [])
    removed: list[Path] = field(default_factory=lambda: [])
    unchanged: int = 0
    files: dict[PurePosixPath, str] = field(default_factory=lambda: {})
    sdk: Sdk | None = None  # the IR, when this run built it (not taken from the cache)


def response_schema_names(doc: dict[str, Any], config: Any, extra_roots: tuple[str, ...] = ()) -> set[str]:
    """Component schemas reachable from the selected operations' responses and stream chunks (and ``extra_roots``)."""
    roots: list[Any] = [{"$ref": SCHEMA_REF_PREFIX + name} for name in extra_roots]
    for selection in config.operations:
        found = find_operation(doc, selection)
        if found is None:
            continue
        roots.append(found[2].get("responses"))
        if selection.stream and selection.stream.chunk_schema:
            name = config.model_renames.get(selection.stream.chunk_schema, selection.stream.chunk_schema)
            roots.append({"$ref": SCHEMA_REF_PREFIX + name})
    schemas: dict[str, Any] = doc.get("components", {}).get("schemas", {})
    responses: dict[str, Any] = doc.get("components", {}).get("responses", {})
    names: set[str] = set()
    stack = roots
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = schema_name(ref)
                if name is not None and name not in names and name in schemas:
                    names.add(name)
                    stack.append(schemas[name])
                elif ref.startswith("#/components/responses/"):
                    stack.append(responses.get(ref.rsplit("/", 1)[1]))
            stack.extend(v for k, v in node.items() if k != "$ref")
        elif isinstance(node, list):
            stack.extend(node)
    return names


class Progress:
    """Stage-by-stage progress on stderr (``python -m generator generate`` takes several seconds)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        if self.enabled:
            print(f"  {stage:<58} {now - self.last:5.1f}s", file=sys.stderr, flush=True)
        self.last = now


def generate(
    spec_path: Path,
    config_path: Path | None,
    output: Path,
    *,
    package: str | None = None,
    quiet: bool = False,
    use_cache: bool = True,
    progress: bool | None = None,
) -> GenerateResult:
    """Run every stage and write ``output``; nothing is written unless all stages succeed.

    ``config_path`` None: config-less, the config is inferred from the spec (:mod:`generator.infer`)
    and the output is a self-contained package: ``output/<package>/`` with the core copied in, and
    ``output/pyproject.toml`` (``pip install output``). ``package`` names it (config-less only).

    With ``use_cache``, a run whose inputs (spec, config, templates, generator code, tool
    versions) are those of an earlier run takes that run's files from the cache (generator.cache)
    and only compares and writes them. ``progress`` (default: not ``quiet``) reports each stage.
    """
    from . import cache

    step = Progress(not quiet if progress is None else progress)
    key = cache.cache_key(spec_path, config_path, package) if use_cache else None
    formatted = cache.load(key) if key is not None else None
    sdk: Sdk | None = None
    if formatted is not None:
        step("inputs unchanged: output taken from the cache")
    else:
        formatted, sdk = _run_stages(spec_path, config_path, package, quiet, step)
        if key is not None:
            cache.store(key, formatted)
    root = next(rel.parts[0] for rel in sorted(formatted) if len(rel.parts) > 1)
    # Handwritten folders (the core, the helpers in lib/) are the source where they live (generated/oai/...);
    # they are written only where the run copies them in (a self-contained package gets the core).
    copied = {folder for folder in HANDWRITTEN if PurePosixPath(root, folder, "__init__.py") in formatted}
    protected = tuple(f"{root}/{folder}" for folder in HANDWRITTEN if folder not in copied)
    written, removed = write_tree(output, formatted, protected=protected)
    step(f"write {output}: {len(written)} changed, {len(removed)} removed")
    return GenerateResult(
        written=written, removed=removed, unchanged=len(formatted) - len(written), files=formatted, sdk=sdk
    )


def _run_stages(
    spec_path: Path, config_path: Path | None, package: str | None, quiet: bool, step: Progress
) -> tuple[dict[PurePosixPath, str], Sdk]:
    from . import official_optional, official_submodules, official_types, realtime
    from .core_api import CoreNames
    from .loader import load_inputs
    from .models import build_models
    from .nesting import name_nested_models
    from .parser import Parser
    from .preprocess import prepare_spec
    from .render import Renderer
    from .split import split_models

    loaded = load_inputs(spec_path, config_path, package)
    config = loaded.config
    step(f"load + validate {spec_path.name}, {config_path.name if config_path else 'no config (inferred)'}")
    doc = prepare_spec(loaded.spec, config)

    official = None
    if config.official_types is not None and config_path is not None:  # oai.types.chat ... (official names)
        facts = official_types.load_facts(config_path.parent / config.official_types.facts)
        returns = official_types.load_returns(config_path.parent / config.official_types.facts)
        official = official_types.OfficialTypes(doc, config.official_types, facts, config.model_renames, returns)
    extra_roots = realtime.schema_roots(config) + (official.model_roots() if official is not None else ())
    model_components = response_schema_names(doc, config, extra_roots)
    models_doc = {
        **doc,
        "components": {
            "schemas": copy.deepcopy({n: s for n, s in doc["components"]["schemas"].items() if n in model_components}),
        },
        "paths": {},
    }
    nested = name_nested_models(models_doc, doc["components"]["schemas"])
    optional = None
    if config.official_optional is not None and config_path is not None:  # what the official SDK leaves optional
        optional_path = config_path.parent / config.official_optional
        optional = official_optional.load_facts(optional_path)
        official_optional.apply_fields(models_doc, optional, config.official_optional)
    step(f"preprocess ({len(model_components)} response schemas)")
    with tempfile.TemporaryDirectory(prefix="oai-generate-") as tmp_name:
        tmp = Path(tmp_name)
        settings = tmp / "settings"
        settings.mkdir()
        (settings / "ruff.toml").write_text(RUFF_CONFIG, encoding="utf-8")
        try:
            models = build_models(models_doc, HEADER, settings, config.model_decorators)
        except GeneratorError:
            raise
        except RecursionError:
            raise SpecError(loaded.spec_name, "/components/schemas", "schemas nested too deeply to build") from None
        except Exception as exc:  # the tool's own errors name no place in the spec: say which part it was
            raise SpecError(
                loaded.spec_name, "/components/schemas", f"datamodel-code-generator cannot build these schemas: {exc}"
            ) from exc
        step("response models (datamodel-code-generator)")

        public: set[str] = {n for n in nested.added if n in models.names}
        for component in model_components:
            component = nested.renames.get(component, component)
            if component in models.names:
                public.add(component)
            elif pascal(component) in models.names:
                public.add(pascal(component))
        parser = Parser(doc, config, loaded.spec_name, public, set(models.aliases))
        sdk = parser.parse()
        if optional is not None and config.official_optional is not None:
            official_optional.apply_parameters(sdk, optional, config.official_optional)
        if not quiet:
            for warning in parser.warnings:
                print(f"warning: {warning}", file=sys.stderr)
        sdk.version = config.version
        live = None
        if config.realtime is not None:  # client.realtime.connect(): models, send helpers, types/realtime
            live = realtime.build(
                doc, config.realtime, sdk, parser.params, public, source=loaded.spec_name, config_source=config.source
            )
            sdk.params = parser.params.definitions  # the helpers' parameter types joined them
        step(f"resource tree ({sum(len(r.operations) for r in sdk.all_resources())} operations)")

        families: dict[str, str] = {}  # model -> its family: the component it is, or the one it is nested in
        for component in models_doc["components"]["schemas"]:
            model: str = component if component in models.names else pascal(component)
            families[model] = nested.roots.get(component) or component
        split = split_models(models.source, families, HEADER)
        sdk.model_modules = split.module_of
        decisions = None
        model_side = official_submodules.Side.of_models(models.source) if official is not None else None
        if official is not None and model_side is not None:
            operations_use = len(parser.params.definitions)
            decisions = official.resolve(
                sdk,
                parser.params,
                public,
                lambda model: sdk.model_module(model).removeprefix("types."),
                nested.renames,
                official_submodules.model_walk(model_side),
                CoreNames.load().names,
            )
            # The request types only the official names need go to their own module (types/_official_params.py).
            sdk.official_params = parser.params.definitions[operations_use:]
            official_types.move_params(decisions, {d.name for d in sdk.official_params})
            sdk.type_exports = official_types.root_entries(decisions)
        renderer = Renderer(sdk, HEADER)
        files = renderer.render_all()
        superseded: set[PurePosixPath] = set()  # files the official submodules replace with more names
        if live is not None:
            realtime_files = realtime.render(live, sdk, HEADER, CoreNames.load())
            files.update(realtime_files)
            types_dir = PurePosixPath(config.package, *live.types_package)
            superseded = {p for p in realtime_files if p.parent == types_dir and p.name != "__init__.py"}
        if official is not None and decisions is not None and model_side is not None:
            existing = {".".join(live.types_package): realtime.types_entries(live, sdk)} if live is not None else {}
            files.update(official_types.render(official.modules, decisions, sdk, HEADER, existing))
            if not quiet:
                counts = ", ".join(f"{rule}: {n}" for rule, n in official_types.summary(decisions).items())
                print(f"official type names: {counts}", file=sys.stderr)
            submodules_file = config.official_types.submodules if config.official_types is not None else None
            if submodules_file is not None and config_path is not None:  # oai.types.chat.chat_completion ...
                sub_facts = official_submodules.load_facts(config_path.parent / submodules_file)
                sub_decisions = official_submodules.resolve(
                    sub_facts,
                    official_types.package_entries(
                        official.modules,
                        decisions,
                        existing,
                        cast("list[tuple[str, str, str]]", renderer.plan.types_init()["entries"]),
                    ),
                    model_side,
                    official_submodules.Side.of_params(parser.params.definitions),
                    lambda model: sdk.model_module(model).removeprefix("types."),
                    {d.name for d in sdk.official_params},
                )
                keep = set(files) - superseded
                files.update(official_submodules.render(sub_facts, sub_decisions, sdk, HEADER, keep))
                if not quiet:
                    counts = ", ".join(f"{r}: {n}" for r, n in official_types.summary(sub_decisions).items())
                    print(f"official submodule names: {counts}", file=sys.stderr)
        models_dir = PurePosixPath(config.package) / "types" / "_models"
        files[models_dir / "__init__.py"] = MODELS_INIT
        for module, text in split.modules.items():
            files[models_dir / f"{module}.py"] = text
        if config.copy_core:
            files.update(core_files(config.package))
        step(f"render templates, split models ({len(files)} files)")

        # Format in a scratch tree first, so the output only ever receives finished files.
        scratch = tmp / "out"
        for rel, text in files.items():
            target = scratch / Path(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        ruff_format_tree(scratch, settings)
        remaining = ruff_lint_tree(scratch, settings)
        if remaining and not quiet:
            print(f"warning: ruff still reports problems in the generated code:\n{remaining}", file=sys.stderr)
        formatted = {rel: (scratch / Path(rel)).read_text(encoding="utf-8") for rel in files}
        step("ruff fix + format")
    return formatted, sdk


CORE_HEADER = f"{HEADER_PREFIX}: a copy of oai's handwritten core (generated/oai/_core). Do not edit."


def core_files(package: str) -> dict[PurePosixPath, str]:
    """The core, copied into ``<package>/_core/`` of a self-contained package.

    Copied rather than depended on: no published package holds the core, and the generated code is
    checked against this very core's exports (:mod:`generator.core_api`), so the two must travel
    together; the core imports itself only relatively, so it works under any package name."""
    from .core_api import CORE_DIR

    files: dict[PurePosixPath, str] = {}
    for path in sorted(CORE_DIR.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        rel = PurePosixPath(package, "_core", *path.relative_to(CORE_DIR).parts)
        files[rel] = f"{CORE_HEADER}\n{path.read_text(encoding='utf-8')}"
    return files
