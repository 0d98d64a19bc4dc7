"""``scripts/unasync.py``: the sync half of the core is what the script writes from the async source."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("unasync", ROOT / "scripts" / "unasync.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["unasync"] = module
    spec.loader.exec_module(module)
    return module


unasync = _load()


def test_committed_sync_modules_are_what_the_script_writes() -> None:
    problems = unasync.sync_tree(check=True)
    assert problems == [], "\n".join(problems)


def test_a_hand_edit_to_a_sync_module_is_caught(tmp_path: Path) -> None:
    package = tmp_path / "generated" / "oai"
    shutil.copytree(ROOT / "generated" / "oai" / "_core", package / "_core")
    edited = package / "_core" / "_sync" / "_streaming.py"
    edited.write_text(edited.read_text().replace("def close(self) -> None:", "def close(self) -> None:  # tweak", 1))
    orphan = package / "_core" / "_sync" / "_gone.py"
    orphan.write_text("# Written by scripts/unasync.py from generated/oai/_core/_async/_gone.py: do not edit.\n")
    problems = unasync.sync_tree(package, tmp_path, check=True)
    assert len(problems) == 2
    assert "_sync/_streaming.py differs" in problems[0] and "# tweak" in problems[0]
    assert "_sync/_gone.py has no async source" in problems[1]
    # Writing repairs both.
    assert unasync.sync_tree(package, tmp_path) == []
    assert unasync.sync_tree(package, tmp_path, check=True) == []
    assert not orphan.exists()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("async def f(x: AsyncIterator[bytes]) -> None:", "def f(x: Iterator[bytes]) -> None:"),
        ("    async for chunk in response.aiter_raw():", "    for chunk in response.iter_raw():"),
        ("    async with await open_file(p) as f:", "    with open_file(p) as f:"),
        ("    return await self._http.aclose()", "    return self._http.close()"),
        ("class AsyncStream(Generic[_T]):", "class Stream(Generic[_T]):"),
        ("class AsyncCursorPage(Cursor[_T]):", "class SyncCursorPage(Cursor[_T]):"),
        ("x: httpx.AsyncClient = httpx.AsyncClient()", "x: httpx.Client = httpx.Client()"),
        ("f = async_to_raw_response_wrapper(g)", "f = to_raw_response_wrapper(g)"),
        ("def f() -> Coroutine[Any, Any, list[int] | None]:", "def f() -> list[int] | None:"),
        ("p: Callable[[R], Awaitable[dict[str, Any]]]", "p: Callable[[R], dict[str, Any]]"),
        ("def g() -> AsyncPaginator[_ItemT, _PageT]:", "def g() -> _PageT:"),
        ("    async def __aenter__(self) -> Self:", "    def __enter__(self) -> Self:"),
        ("except StopAsyncIteration:", "except StopIteration:"),
        ("    x = 1  # unasync: sync=y = 2", "    y = 2"),
    ],
)
def test_substitutions(source: str, expected: str) -> None:
    assert unasync.convert(source + "\n") == expected + "\n"


def test_async_only_blocks_are_dropped() -> None:
    source = "a = 1\n# unasync: async-only\nb = 2\n# unasync: end\nc = 3\n"
    assert unasync.convert(source) == "a = 1\nc = 3\n"
    with pytest.raises(ValueError, match="without"):
        unasync.convert("# unasync: async-only\nb = 2\n")
