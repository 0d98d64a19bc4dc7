"""``python -m generator generate``: the stages in order, nothing written until all succeed."""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .loader import load_inputs
from .models import generate_models
from .naming import pascal
from .parser import Parser
from .preprocess import preprocess
from .render import Renderer
from .specutil import SCHEMA_REF_PREFIX, find_operation, schema_name
from .split import split_models
from .writer import HEADER_PREFIX, RUFF_CONFIG, ruff_format_tree, ruff_lint_tree, write_tree

HEADER = f"{HEADER_PREFIX} from the OpenAPI spec (python -m generator generate). Do not edit."

MODELS_INIT = (
    f"{HEADER}\n"
    '"""Response models (pydantic), one module per set of resources that use them.\n\n'
    "Import them from ``oai.types``; each module loads on first use, so a client that only\n"
    'streams chat completions never builds the Responses or admin models.\n"""\n'
)

_DEFINED = re.compile(r"^(?:class (\w+)\(|(\w+) = TypeAliasType\(|(\w+): TypeAlias\b)", re.MULTILINE)


@dataclass
class GenerateResult:
    written: list[Path] = field(default_factory=lambda: [])
    removed: list[Path] = field(default_factory=lambda: [])
    unchanged: int = 0
    files: dict[PurePosixPath, str] = field(default_factory=lambda: {})


def response_schema_names(doc: dict[str, Any], config: Any) -> set[str]:
    """Component schemas reachable from the selected operations' responses and stream chunks."""
    roots: list[Any] = []
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


def generate(spec_path: Path, config_path: Path, output: Path, *, quiet: bool = False) -> GenerateResult:
    loaded = load_inputs(spec_path, config_path)
    config = loaded.config
    doc = preprocess(loaded.spec, config.model_renames)

    model_components = response_schema_names(doc, config)
    models_doc = {
        **doc,
        "components": {
            "schemas": {n: s for n, s in doc["components"]["schemas"].items() if n in model_components},
        },
        "paths": {},
    }
    with tempfile.TemporaryDirectory(prefix="oai-generate-") as tmp_name:
        tmp = Path(tmp_name)
        settings = tmp / "settings"
        settings.mkdir()
        (settings / "ruff.toml").write_text(RUFF_CONFIG, encoding="utf-8")
        models_source = generate_models(models_doc, HEADER, settings)

        defined = {next(g for g in m.groups() if g) for m in _DEFINED.finditer(models_source)}
        aliases = {m.group(2) or m.group(3) for m in _DEFINED.finditer(models_source) if not m.group(1)}
        public: set[str] = set()
        for component in model_components:
            if component in defined:
                public.add(component)
            elif pascal(component) in defined:
                public.add(pascal(component))
        sdk = Parser(doc, config, loaded.spec_name, public, aliases).parse()
        sdk.version = config.version

        split = split_models(models_source, sdk.model_groups(), HEADER)
        sdk.model_modules = split.module_of
        files = Renderer(sdk, HEADER).render_all()
        models_dir = PurePosixPath(config.package) / "types" / "_models"
        files[models_dir / "__init__.py"] = MODELS_INIT
        for module, text in split.modules.items():
            files[models_dir / f"{module}.py"] = text

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

    written, removed = write_tree(output, formatted, protected=(f"{config.package}/_core",))
    return GenerateResult(written=written, removed=removed, unchanged=len(formatted) - len(written), files=formatted)
