"""Shared fixtures for the generator's tests."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import CONFIG, SPEC


@pytest.fixture(scope="session", autouse=True)
def _generator_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The generator's output cache in a scratch folder: shared by this session's tests, never the developer's.

    Under xdist the folder is the run's, shared by its workers (their base folders sit side by side), so a full
    generation one worker stored is a cache hit for the other."""
    previous = os.environ.get("OAI_GENERATOR_CACHE")
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder = root / "generator-cache"
    folder.mkdir(exist_ok=True)
    os.environ["OAI_GENERATOR_CACHE"] = str(folder)
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
    # One worker generates while the other waits for its cache entry: one full run instead of one per worker
    # (the run is CPU-bound and the workers share two cores).
    lock = Path(os.environ["OAI_GENERATOR_CACHE"]) / "generated.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        generate(SPEC, CONFIG, output, quiet=True)
    return output
