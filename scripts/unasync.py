"""Write the sync half of the package from its async source, the way httpcore does.

Code that exists in a sync and an async form is written once, as async code in a
folder named ``_async/``; this script writes the sync form into the sibling
``_sync/`` folder by plain text substitution, then formats it with ruff::

    python scripts/unasync.py           # (re)write every _sync/ folder
    python scripts/unasync.py --check   # exit 1, with a diff, when a _sync/ file is not what it would write

Every ``_async/`` folder under ``generated/oai`` is converted; a new one needs no
registration. A file in ``_async/`` whose first line is ``# unasync: twin`` is a
*named twin*: what differs for real between the two worlds (sleeping, timed reads,
finalizers) is written by hand in both folders, and the script leaves both alone.

The substitutions, applied line by line:

* ``async def``/``async for``/``async with`` lose ``async``; ``await`` goes;
* the async protocol's names become the sync ones (``__aenter__`` -> ``__enter__``,
  ``aclose`` -> ``close``, ``aiter_bytes`` -> ``iter_bytes``, ``AsyncIterator`` ->
  ``Iterator``, ``httpx.AsyncClient`` -> ``httpx.Client``, ...);
* a name that starts with ``Async`` loses the prefix (``AsyncStream`` -> ``Stream``),
  except the few whose sync form the official SDK spells with ``Sync``
  (``AsyncPage`` -> ``SyncPage``, ``AsyncAPIClient`` -> ``SyncAPIClient``); a name
  that starts with ``async_`` loses it (``async_to_raw_response_wrapper``);
* the types that only exist because of ``await`` unwrap: ``Awaitable[X]`` and
  ``Coroutine[Any, Any, X]`` become ``X``, ``AsyncPaginator[Item, Page]`` becomes
  ``Page`` (a sync list call returns the first page itself);
* lines between ``# unasync: async-only`` and ``# unasync: end`` are dropped, and a
  line ending in ``# unasync: sync=<code>`` becomes ``<code>`` (same indentation):
  both are for the rare line with no mechanical sync form, and both stand out in
  review.

Then ``ruff check --fix`` (imports left unused by the unwrapping, import order,
``yield from`` where an ``async for`` loop only re-yielded) and
``ruff format`` with the repository's settings, so that the output is exactly what
``make lint`` accepts. Each written file starts with a header naming its source.
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generated" / "oai"

HEADER = (
    "# Written by scripts/unasync.py from {source}: do not edit.\n"
    "# Change the async source and run `make generate` (or `python scripts/unasync.py`).\n"
)
TWIN_MARK = "# unasync: twin"
ASYNC_ONLY = "# unasync: async-only"
END = "# unasync: end"
SYNC_LINE = "# unasync: sync="

# Exact names (whole words) with a sync form that the general rules below would get wrong or miss.
RENAMES: dict[str, str] = {
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "aclose": "close",
    "aread": "read",
    "aiter": "iter",
    "anext": "next",
    "aiter_raw": "iter_raw",
    "aiter_bytes": "iter_bytes",
    "aiter_text": "iter_text",
    "aiter_lines": "iter_lines",
    "aiter_official": "iter_official",  # oai's SSE decoder, the official SDK's reading of events
    "StopAsyncIteration": "StopIteration",
    "WebSocketConnectionOptions": "SyncWebSocketConnectionOptions",  # the sync websockets client has no write_limit
    "AsyncByteStream": "SyncByteStream",
    "handle_async_request": "handle_request",  # httpx's transport method
    "areserve": "reserve",  # oai.RateLimiter's async operations
    "aadjust": "adjust",
    "apause": "pause",
    # The official SDK's sync spellings with "Sync".
    "AsyncAPIClient": "SyncAPIClient",
    "AsyncAPIResource": "SyncAPIResource",
    "AsyncPage": "SyncPage",
    "AsyncCursorPage": "SyncCursorPage",
    "AsyncConversationCursorPage": "SyncConversationCursorPage",
    "AsyncNextCursorPage": "SyncNextCursorPage",
    "AsyncNextPage": "SyncNextPage",
    "_BaseAsyncPage": "_BaseSyncPage",
    "AsyncThrottle": "SyncThrottle",
    "_ReleasingAsyncStream": "_ReleasingSyncStream",
    "AsyncVerbs": "SyncVerbs",
}

_WORD = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
_KEYWORDS = re.compile(r"\basync (def|for|with)\b")
_AWAIT = re.compile(r"\bawait ")
# Generic types whose sync form is one of their arguments: name -> index of the argument kept.
_UNWRAP = {"Awaitable": 0, "Coroutine": 2, "AsyncPaginator": 1}
_UNWRAP_START = re.compile(r"\b(" + "|".join(_UNWRAP) + r")\[")


def _rename(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in RENAMES:
        return RENAMES[word]
    if word.startswith("Async") and word[5:6].isupper():
        return word[5:]
    if word.startswith("async_") and len(word) > 6:
        return word[6:]
    if word.startswith("_Async") and word[6:7].isupper():
        return "_" + word[6:]
    return word


def _split_args(text: str) -> list[str]:
    """Top-level comma-separated arguments of a subscript body."""
    args: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(text[start:i].strip())
            start = i + 1
    args.append(text[start:].strip())
    return args


def _unwrap_types(line: str) -> str:
    while True:
        match = _UNWRAP_START.search(line)
        if match is None:
            return line
        depth = 0
        for end in range(match.end() - 1, len(line)):
            if line[end] == "[":
                depth += 1
            elif line[end] == "]":
                depth -= 1
                if depth == 0:
                    break
        else:
            raise ValueError(f"unbalanced brackets in: {line.strip()}")
        args = _split_args(line[match.end() : end])
        keep = args[_UNWRAP[match.group(1)]]
        line = line[: match.start()] + keep + line[end + 1 :]


def convert(source: str) -> str:
    """The sync text of an async module (before formatting)."""
    out: list[str] = []
    skipping = False
    for line in source.splitlines(keepends=True):
        stripped = line.strip()
        if stripped == ASYNC_ONLY:
            skipping = True
            continue
        if stripped == END:
            skipping = False
            continue
        if skipping:
            continue
        if SYNC_LINE in line:
            indent = line[: len(line) - len(line.lstrip())]
            line = indent + line.split(SYNC_LINE, 1)[1].strip() + "\n"
            out.append(line)
            continue
        line = _KEYWORDS.sub(r"\1", line)
        line = _AWAIT.sub("", line)
        line = _unwrap_types(line)
        line = _WORD.sub(_rename, line)
        out.append(line)
    if skipping:
        raise ValueError(f"{ASYNC_ONLY} without {END}")
    return "".join(out)


def _format(texts: dict[Path, str]) -> dict[Path, str]:
    """``texts`` (keyed by their target path) fixed and formatted by ruff with the repository's settings.

    One ``ruff check --fix`` and one ``ruff format`` over a scratch copy, whatever the number of files.
    """
    if not texts:
        return {}
    with tempfile.TemporaryDirectory(prefix="unasync-") as scratch:
        names = {path: Path(scratch) / f"{i}_{path.name}" for i, path in enumerate(texts)}
        for path, text in texts.items():
            names[path].write_text(text)
        config = ["--config", str(ROOT / "pyproject.toml"), "--no-cache", "--quiet"]
        for args in (
            # F401/I001: imports the unwrapping left unused, import order; UP028: ``for x in it: yield x`` is a
            # ``yield from`` once ``async for`` has become ``for`` (the same iteration: nothing sends into these).
            ["check", "--fix", "--unsafe-fixes", "--select", "F401,I001,UP028", "--exit-zero"],
            ["format"],
        ):
            result = subprocess.run(
                [sys.executable, "-m", "ruff", *args, *config, scratch], capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                raise RuntimeError(f"ruff {args[0]} failed:\n{result.stderr}{result.stdout}")
        return {path: names[path].read_text() for path in texts}


def render(async_file: Path, root: Path = ROOT) -> str:
    """The sync text of ``async_file`` before formatting, with its header (the source named relative to ``root``)."""
    return HEADER.format(source=async_file.relative_to(root).as_posix()) + convert(async_file.read_text())


def plan(package: Path = PACKAGE) -> dict[Path, Path]:
    """Every sync file to write, mapped to its async source."""
    pairs: dict[Path, Path] = {}
    for async_dir in sorted(package.rglob("_async")):
        if not async_dir.is_dir():
            continue
        sync_dir = async_dir.with_name("_sync")
        for async_file in sorted(async_dir.glob("*.py")):
            if async_file.read_text().startswith(TWIN_MARK):
                if not (sync_dir / async_file.name).exists():
                    raise SystemExit(f"{async_file}: a twin needs its handwritten sync file in {sync_dir}")
                continue
            pairs[sync_dir / async_file.name] = async_file
    return pairs


def stale(pairs: dict[Path, Path], package: Path = PACKAGE) -> list[Path]:
    """Written files whose async source is gone."""
    found: list[Path] = []
    for sync_dir in sorted(package.rglob("_sync")):
        for path in sorted(sync_dir.glob("*.py")):
            if path not in pairs and path.read_text().startswith("# Written by scripts/unasync.py"):
                found.append(path)
    return found


def sync_tree(package: Path = PACKAGE, root: Path = ROOT, *, check: bool = False) -> list[str]:
    """Write (or with ``check``, compare) every ``_sync/`` file under ``package``; returns the problems found."""
    pairs = plan(package)
    problems: list[str] = []
    rendered = _format({sync_file: render(async_file, root) for sync_file, async_file in pairs.items()})
    for sync_file, wanted in rendered.items():
        current = sync_file.read_text() if sync_file.exists() else None
        if current == wanted:
            continue
        rel = sync_file.relative_to(root).as_posix()
        if check:
            diff = difflib.unified_diff(
                (current or "").splitlines(), wanted.splitlines(), f"{rel} (committed)", f"{rel} (unasync)", lineterm=""
            )
            problems.append(f"{rel} differs from what scripts/unasync.py writes:\n" + "\n".join(list(diff)[:40]))
        else:
            sync_file.parent.mkdir(parents=True, exist_ok=True)
            sync_file.write_text(wanted)
            print(f"unasync: wrote {rel}")
    for path in stale(pairs, package):
        rel = path.relative_to(root).as_posix()
        if check:
            problems.append(f"{rel} has no async source any more")
        else:
            path.unlink()
            print(f"unasync: removed {rel}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a _sync file differs")
    args = parser.parse_args(argv)
    problems = sync_tree(check=args.check)
    if problems:
        print("\n\n".join(problems), file=sys.stderr)
        print("\nRun `python scripts/unasync.py` (or `make generate`) to rewrite the sync modules.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
