"""Two runs on the same input give byte-identical output; reruns leave the tree alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import CONFIG, DESCRIPTIONS, SPEC


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_two_runs_are_byte_identical(generated: Path, tmp_path: Path) -> None:
    from generator.pipeline import generate

    generate(SPEC, CONFIG, tmp_path, quiet=True, use_cache=False)  # a second real run, not a cache hit
    first, second = _snapshot(generated), _snapshot(tmp_path)
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], f"{name} differs between runs"


def test_rerun_writes_nothing(tmp_path: Path) -> None:
    from generator.pipeline import generate

    generate(SPEC, CONFIG, tmp_path, quiet=True)
    result = generate(SPEC, CONFIG, tmp_path, quiet=True)
    assert result.written == [] and result.removed == []


def test_every_generated_file_starts_with_the_header(generated: Path) -> None:
    from generator.writer import HEADER_PREFIX

    files = sorted(generated.rglob("*.py"))
    assert files
    for path in files:
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith(HEADER_PREFIX), path


def test_check_drift(tmp_path: Path) -> None:
    from generator.drift import check_drift
    from generator.pipeline import generate
    from generator.writer import HEADER_PREFIX

    generate(SPEC, CONFIG, tmp_path, quiet=True)
    # From the cache: what is under test is the comparison. A real second run is test_two_runs_are_byte_identical's
    # (and `make check-drift` regenerates for real in CI).
    clean = check_drift(SPEC, CONFIG, DESCRIPTIONS, tmp_path, None, use_cache=True)
    assert clean.problems == [] and "not checked" in clean.notes[0]

    client = tmp_path / "oai" / "_client.py"
    client.write_text(client.read_text(encoding="utf-8") + "\n# edited by hand\n", encoding="utf-8")
    (tmp_path / "oai" / "stale.py").write_text(f"{HEADER_PREFIX} long ago. Do not edit.\n", encoding="utf-8")
    (tmp_path / "oai" / "_core").mkdir()
    (tmp_path / "oai" / "_core" / "x.py").write_text(f"{HEADER_PREFIX} but under _core\n", encoding="utf-8")
    problems = check_drift(SPEC, CONFIG, DESCRIPTIONS, tmp_path, None, use_cache=True).problems
    assert len(problems) == 2
    assert "_client.py is out of date" in problems[0] and "+# edited by hand" not in problems[0]
    assert "-# edited by hand" in problems[0]
    assert "stale.py is a generated file the generator no longer produces" in problems[1]


def test_check_drift_compares_every_generated_file(tmp_path: Path) -> None:
    """Not only ``*.py``: a lost ``py.typed`` or a stale generated data file is drift too."""
    from generator.drift import check_drift
    from generator.pipeline import generate
    from generator.writer import HEADER_PREFIX

    result = generate(SPEC, CONFIG, tmp_path, quiet=True)
    assert (tmp_path / "oai" / "py.typed").read_text(encoding="utf-8").startswith(HEADER_PREFIX)
    assert any(rel.suffix != ".py" for rel in result.files)
    (tmp_path / "oai" / "py.typed").unlink()
    (tmp_path / "oai" / "old.json").write_text(f"{HEADER_PREFIX} long ago\n", encoding="utf-8")
    problems = check_drift(SPEC, CONFIG, DESCRIPTIONS, tmp_path, None, use_cache=True).problems
    assert any("py.typed is missing" in p for p in problems), problems
    assert any("old.json is a generated file the generator no longer produces" in p for p in problems), problems


def test_unchanged_inputs_come_from_the_cache(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rerun with the same spec, config, templates and generator skips the stages, with the same result.

    (Its speed is a figure of generator/README.md, measured there, not asserted here.)"""
    from generator import pipeline

    pipeline.generate(SPEC, CONFIG, tmp_path, quiet=True)  # stores the entry (or hits the one `generated` stored)

    def stages_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the stages ran although the inputs are unchanged")

    monkeypatch.setattr(pipeline, "_run_stages", stages_run)
    result = pipeline.generate(SPEC, CONFIG, tmp_path / "again", quiet=True)
    assert result.sdk is None  # the IR is built only by the stages
    assert _snapshot(tmp_path / "again") == _snapshot(generated)
    assert len(result.written) == len(result.files)


def test_cache_key_follows_every_input(tmp_path: Path) -> None:
    from generator.cache import cache_key

    spec, config = tmp_path / "openapi.yaml", tmp_path / "sdk.yaml"
    spec.write_bytes(SPEC.read_bytes())
    config.write_bytes(CONFIG.read_bytes())
    key = cache_key(spec, config)
    assert cache_key(spec, config) == key
    config.write_bytes(CONFIG.read_bytes() + b"\n# a comment changes the key too\n")
    assert cache_key(spec, config) != key
    config.write_bytes(CONFIG.read_bytes())
    spec.write_bytes(SPEC.read_bytes().replace(b"openapi:", b"openapi: ", 1))
    assert cache_key(spec, config) != key
