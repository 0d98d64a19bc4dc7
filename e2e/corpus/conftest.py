"""The corpus tier of ``make e2e`` (marker ``corpus``): public specs generated config-less, installed
into a fresh virtual environment, imported, and called through a local server."""

from __future__ import annotations

import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from .sources import CACHE

HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "corpus: public specs generated config-less, installed and called")


@pytest.hookimpl(tryfirst=True)  # before `-m corpus` deselects by the marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.corpus)
            item.add_marker(pytest.mark.timeout(900))


@pytest.fixture(scope="session")
def corpus_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment (no oai, nothing of this repository) with the build backend the
    generated pyproject.toml names, so each package installs without network build isolation."""
    folder = tmp_path_factory.mktemp("corpus-venv")
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    python = folder / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "hatchling>=1.25",
            "httpx>=0.27",
            "pydantic>=2.10",
            "typing-extensions>=4.12",
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return python


@pytest.fixture(scope="session")
def corpus_results() -> Iterator[dict[str, dict[str, object]]]:
    """Each spec's stages (generate, install, import, call, stream), written to the cache folder at the
    end for the README's pass rate."""
    results: dict[str, dict[str, object]] = {}
    yield results
    import json

    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True), encoding="utf-8")
    passed = sum(1 for r in results.values() if r.get("passed"))
    print(f"\n[corpus] {passed} of {len(results)} specs passed every stage", file=sys.stderr)
