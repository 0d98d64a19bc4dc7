"""Shared fixtures for the generator's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import CONFIG, SPEC


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SDK generated once from the repository spec into a scratch folder."""
    from generator.pipeline import generate

    output = tmp_path_factory.mktemp("generated")
    generate(SPEC, CONFIG, output, quiet=True)
    return output
