"""Shared fixtures for the generator's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import CONFIG, SPEC


@pytest.fixture(scope="session", autouse=True)
def _generator_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The generator's output cache in a scratch folder: shared by this session's tests, never the developer's."""
    previous = os.environ.get("OAI_GENERATOR_CACHE")
    os.environ["OAI_GENERATOR_CACHE"] = str(tmp_path_factory.mktemp("generator-cache"))
    yield
    if previous is None:
        os.environ.pop("OAI_GENERATOR_CACHE", None)
    else:
        os.environ["OAI_GENERATOR_CACHE"] = previous


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SDK generated once from the repository spec into a scratch folder."""
    from generator.pipeline import generate

    output = tmp_path_factory.mktemp("generated")
    generate(SPEC, CONFIG, output, quiet=True)
    return output
