"""Run the official openai-python test suite against oai and against the official package, side by side.

    python scripts/official_suite.py REPO [--rev REV] [--work DIR] [--target oai|openai|both] [-n 2]
                                          [--spec SPEC] [--openai-version 3.57.0] [--tests PATH...]
                                          [-- PYTEST ARGS]

REPO is a clone of openai-python (bare or not; e.g. a mirror or a fetched copy). The script:

1. exports ``tests/`` at REV (default HEAD) into ``DIR/openai/tests`` as it is, and into ``DIR/oai/tests``
   rewritten for oai (below);
2. makes a venv ``DIR/venv`` (once) with this checkout installed editable, the official package
   (``openai==VERSION``) and what the suite imports (pytest, pytest-asyncio, pytest-xdist, respx, httpx2, rich);
3. starts Steady (``scripts/e2e/servers.py``, built into ~/.cache/oai-e2e) on the upstream spec
   ``../shared/reference/openai-openapi.yaml`` with the official suite's wire-format flags, and stops it by
   pid at the end;
4. runs ``tests/api_resources`` and ``tests/test_streaming.py`` of each copy with the official pytest settings
   (``asyncio_mode=auto``, session loop, ``filterwarnings=error``, ``xfail_strict``), writes ``DIR/<target>.xml``
   (JUnit) and prints the counts and the failures grouped by cause (``DIR/<target>-causes.txt``).

The oai copy differs from the official in these ways only (``rewrite_for_oai``):

- the package name: ``openai`` -> ``oai`` in imports (``OpenAI`` / ``AsyncOpenAI`` keep their names);
- the HTTP library: the official SDK is built on ``httpx2`` and its suite mocks it with a bundled respx fork
  (``tests.respx2``); oai is built on ``httpx``, so the copy uses ``httpx`` and ``respx`` (same API):
  ``httpx2`` -> ``httpx``, ``respx2`` -> ``respx``, ``DefaultHttpx2Client`` -> ``DefaultHttpxClient``;
- test helpers keep the official package's private imports (``tests/utils.py``: ``openai._types``,
  ``openai._utils``, ``openai._compat``; ``tests/conftest.py``: ``openai._utils.is_dict``): they are generic
  typing helpers of the harness, not behaviour under test. Two checks of ``tests/utils.py`` name the SDK's
  classes and follow oai's: "a model" is ``oai.BaseModel`` (was ``openai._models.BaseModel``) and "binary
  content" is ``oai.HttpxBinaryResponseContent`` (the official checks its private class name);
- test modules that import the private ``openai._legacy_response`` for ``HttpxBinaryResponseContent`` get it
  from oai's root, where oai exports that name.

``tests/test_streaming.py`` drives the private ``openai._streaming.Stream(...)._iter_events()``: oai has that
module path (``oai._streaming``, on oai's own decoder and stream classes). Not run: ``tests/lib`` (private
``openai.lib._parsing``, ``openai._utils``, inline snapshots of object reprs).
``docs/compat.md`` has the figures measured with it.
"""

from __future__ import annotations

import argparse
import collections
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "reference" / "openai-openapi.yaml"
DEFAULT_TESTS = ["tests/api_resources", "tests/test_streaming.py"]
SUITE_DEPS = ["pytest", "pytest-asyncio", "pytest-xdist", "respx", "httpx2", "rich"]

PYTEST_INI = """[pytest]
addopts = --tb=short -p no:cacheprovider
xfail_strict = true
asyncio_mode = auto
asyncio_default_fixture_loop_scope = session
filterwarnings =
    error
"""


def git(repo: Path, *args: str) -> bytes:
    bare = (repo / "HEAD").is_file() and (repo / "objects").is_dir()
    prefix = ["git", f"--git-dir={repo}"] if bare else ["git", "-C", str(repo)]
    return subprocess.run([*prefix, *args], check=True, capture_output=True).stdout


def export_tests(repo: Path, rev: str, dest: Path) -> str:
    """Write ``tests/`` of ``rev`` into ``dest/tests``; returns the full commit id."""
    commit = git(repo, "rev-parse", f"{rev}^{{commit}}").decode().strip()
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = git(repo, "archive", "--format=tar", commit, "tests")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    (dest / "pytest.ini").write_text(PYTEST_INI)
    return commit


# `from openai...` / `import openai...`, except the private helper modules the harness keeps on the official package.
_PACKAGE_IMPORT = re.compile(r"\b(from|import) openai\b(?!\.(?:_types|_utils|_compat)\b)")


def rewrite_for_oai(tests: Path) -> None:
    for path in sorted(tests.rglob("*.py")):
        rel = path.relative_to(tests).as_posix()
        if rel.startswith("respx2/"):
            continue  # the official suite's httpx2 fork of respx; the oai copy uses respx itself
        text = path.read_text()
        text = text.replace("import openai._legacy_response as _legacy_response", "import oai as _legacy_response")
        if rel == "utils.py":
            text = text.replace("from openai._models import BaseModel", "from oai import BaseModel")
            text = text.replace(
                'origin.__name__ == "HttpxBinaryResponseContent"',
                "origin is _oai.HttpxBinaryResponseContent",
            ).replace(
                'value.__class__.__name__ == "HttpxBinaryResponseContent"',
                "isinstance(value, _oai.HttpxBinaryResponseContent)",
            )
            text = text.replace("import rich\n", "import rich\n\nimport oai as _oai\n", 1)
        # The package name, except the private helper modules kept on the official package.
        text = _PACKAGE_IMPORT.sub(r"\1 oai", text)
        # The HTTP library oai is built on, and the respx that mocks it.
        text = text.replace("from tests.respx2 import MockRouter", "from respx import MockRouter")
        text = text.replace('pytest_plugins = ["tests.respx2.plugin"]\n', "")
        text = text.replace("Httpx2", "Httpx").replace("httpx2", "httpx").replace("respx2", "respx")
        path.write_text(text)
    shutil.rmtree(tests / "respx2", ignore_errors=True)


def ensure_venv(work: Path, openai_version: str) -> Path:
    venv = work / "venv"
    python = venv / "bin" / "python"
    stamp = venv / f".ready-{openai_version}"
    if not stamp.exists():
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        packages = ["-e", f"{REPO_ROOT}[aiohttp]", f"openai[aiohttp]=={openai_version}", *SUITE_DEPS]
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
        stamp.write_text("")
    return python


def run_pytest(python: Path, root: Path, base_url: str, jobs: int, extra: list[str], xml: Path) -> int:
    env = {**os.environ, "TEST_API_BASE_URL": base_url, "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("OPENAI_API_KEY", "OPENAI_ADMIN_KEY", "OPENAI_BASE_URL", "OAI_RECORD", "OAI_REPLAY"):
        env.pop(name, None)
    cmd = [str(python), "-m", "pytest", "-q", f"--junitxml={xml}", "-rN"]
    cmd += ["-n", str(jobs)] if jobs > 1 else ["-p", "no:xdist"]
    return subprocess.run([*cmd, *extra], cwd=root, env=env, check=False).returncode


def _cause(message: str) -> str:
    """A failure's cause with the test-specific parts (ids, numbers, quoted names) blanked."""
    line = next((ln for ln in message.splitlines() if ln.strip()), "")[:300]
    line = re.sub(r"'(?![A-Za-z_][A-Za-z0-9_.]{0,60}')[^']*'", "'…'", line)
    line = re.sub(r"`[^`]*`", "`…`", line)
    line = re.sub(r"0x[0-9a-f]+|\d+", "N", line)
    return line


def summarize(xml: Path, out: Path) -> dict[str, int]:
    tree = ET.parse(xml)
    counts = collections.Counter[str]()
    causes = collections.Counter[str]()
    examples: dict[str, str] = {}
    for case in tree.iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed" if child.tag == "failure" else "error"
                cause = _cause(child.get("message") or child.text or "")
                causes[cause] += 1
                examples.setdefault(cause, f"{case.get('classname')}::{case.get('name')}")
            elif child.tag == "skipped":
                outcome = "skipped"
        counts[outcome] += 1
    with out.open("w") as f:
        for cause, n in causes.most_common():
            f.write(f"{n:5d}  {cause}\n       e.g. {examples[cause]}\n")
    return dict(counts)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("repo", type=Path, help="a clone of openai-python (bare or not)")
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--work", type=Path, default=Path("/tmp/official-suite"))
    parser.add_argument("--target", choices=["oai", "openai", "both"], default="both")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--openai-version", default="3.57.0")
    parser.add_argument("-n", "--jobs", type=int, default=2)
    parser.add_argument("--tests", nargs="+", default=DEFAULT_TESTS, help="what pytest collects (default: %(default)s)")
    own, pytest_args = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    args = parser.parse_args(own)

    work: Path = args.work.resolve()
    targets = ["oai", "openai"] if args.target == "both" else [args.target]
    commit = ""
    for target in targets:
        commit = export_tests(args.repo.resolve(), args.rev, work / target)
        if target == "oai":
            rewrite_for_oai(work / target / "tests")
    python = ensure_venv(work, args.openai_version)

    sys.path.insert(0, str(REPO_ROOT))
    from scripts.e2e import servers  # noqa: PLC0415 (starts and stops Steady by pid)

    server = servers.start_steady(args.spec.resolve())
    results: dict[str, dict[str, int]] = {}
    try:
        for target in targets:
            xml = work / f"{target}.xml"
            run_pytest(python, work / target, server.base_url, args.jobs, [*args.tests, *pytest_args], xml)
            results[target] = summarize(xml, work / f"{target}-causes.txt")
    finally:
        server.stop()
    print(f"\nofficial tests at {commit[:12]}, Steady on {args.spec.name}")
    for target, counts in results.items():
        total = sum(counts.values())
        causes = work / f"{target}-causes.txt"
        print(f"{target:7s} {counts.get('passed', 0):5d} passed of {total} ({counts}); causes: {causes}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
