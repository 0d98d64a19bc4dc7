"""Paths and helpers shared by the generator's tests."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # `import generator` works from any working directory
    sys.path.insert(0, str(REPO))

SPEC = REPO / "spec" / "openapi.yaml"
CONFIG = REPO / "spec" / "sdk.yaml"
DESCRIPTIONS = REPO / "spec" / "descriptions.yaml"
REFERENCE = REPO.parent / "shared" / "reference" / "openai-openapi.yaml"
FAKE_CORE = Path(__file__).resolve().parent / "fake_core"

needs_reference = pytest.mark.skipif(
    not REFERENCE.exists(), reason=f"upstream reference spec not found at {REFERENCE} (../shared is absent)"
)


def install_fake_core(output: Path) -> None:
    """Put the test stand-in for oai._core next to generated code, so it imports without the real core."""
    target = output / "oai" / "_core"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(FAKE_CORE, target, ignore=shutil.ignore_patterns("__pycache__"))
