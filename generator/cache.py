"""A cache of ``generate``'s output, keyed by everything the output depends on.

The key hashes the spec, sdk.yaml, every template and every module of the
generator, plus the versions of Python and of the tools whose output we keep
(datamodel-code-generator, ruff, Jinja2, PyYAML). When nothing of that changed,
``generate`` takes the formatted files from the cache instead of running the
stages again, and still writes them through the same per-file comparison, so the
output folder ends up exactly as a full run would leave it.

The cache lives in ``.venv/.generator-cache`` (or ``build/generator-cache`` when
there is no ``.venv``; ``$OAI_GENERATOR_CACHE`` overrides both); both are
gitignored. Only the few newest entries are kept.
"""
# pyright: standard
# (walks untyped JSON/YAML documents: strict mode would need a cast at every dict access)

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from importlib import metadata
from pathlib import Path, PurePosixPath

GENERATOR_DIR = Path(__file__).resolve().parent
REPO = GENERATOR_DIR.parent
TEMPLATES = REPO / "templates"
CORE_DIR = REPO / "generated" / "oai" / "_core"
_KEEP = 4
_TOOLS = ("datamodel-code-generator", "ruff", "jinja2", "pyyaml", "pydantic")


def cache_dir() -> Path:
    override = os.environ.get("OAI_GENERATOR_CACHE")
    if override:
        return Path(override)
    venv = REPO / ".venv"
    return venv / ".generator-cache" if venv.is_dir() else REPO / "build" / "generator-cache"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


def cache_key(spec_path: Path, config_path: Path | None, package: str | None = None) -> str:
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(label.encode() + b"\0" + len(data).to_bytes(8, "big") + data)

    add("spec", spec_path.read_bytes())
    add("config", config_path.read_bytes() if config_path is not None else b"<inferred>")
    if config_path is not None:  # files sdk.yaml names (official_types.facts) sit beside it
        for path in sorted(config_path.parent.glob("*.yaml")):
            add("beside-config:" + path.name, path.read_bytes())
    add("package", (package or "").encode())
    for path in sorted(CORE_DIR.rglob("*.py")):  # copied into config-less packages
        add("core:" + path.relative_to(CORE_DIR).as_posix(), path.read_bytes())
    for path in sorted(TEMPLATES.glob("*.jinja")):
        add("template:" + path.name, path.read_bytes())
    for path in sorted(GENERATOR_DIR.glob("*.py")):
        add("generator:" + path.name, path.read_bytes())
    add("python", platform.python_version().encode())
    for tool in _TOOLS:
        add("tool:" + tool, _version(tool).encode())
    return digest.hexdigest()


def load(key: str) -> dict[PurePosixPath, str] | None:
    path = cache_dir() / f"{key}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("key") != key or not isinstance(raw.get("files"), dict):
        return None
    files: dict[str, str] = raw["files"]
    return {PurePosixPath(rel): text for rel, text in files.items()}


def store(key: str, files: dict[PurePosixPath, str]) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"key": key, "files": {str(rel): text for rel, text in sorted(files.items())}})
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(tmp, folder / f"{key}.json")
        entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time
