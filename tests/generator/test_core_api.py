"""The generator reads the core's exports from its ``__all__`` (never importing it) and checks its uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core_api import CoreNames, page_base
from generator.errors import GeneratorError


def _core(tmp_path: Path, init: str, models: str | None = None) -> Path:
    core = tmp_path / "_core"
    core.mkdir()
    (core / "__init__.py").write_text(init, encoding="utf-8")
    if models is not None:
        (core / "_models.py").write_text(models, encoding="utf-8")
    return core


def test_names_come_from_all_without_importing(tmp_path: Path) -> None:
    canary = tmp_path / "imported"
    init = (
        f"open({str(canary)!r}, 'w').close()\n"
        "__all__ = ['SyncCursorPage', 'AsyncCursorPage', 'SyncPage', 'AsyncPage',\n"
        "           'Stream', 'NOT_GIVEN', 'path_param']\n"
    )
    core = CoreNames.load(_core(tmp_path, init, "__all__ = ('BaseModel', 'with_output_text', 'parse_model')\n"))
    assert not canary.exists(), "the core must be read, not imported"
    assert core.page_kinds == ("page", "cursor")
    assert core.page_classes == ("AsyncCursorPage", "AsyncPage", "SyncCursorPage", "SyncPage")
    assert core.reexports == ("NOT_GIVEN", "Stream"), "functions are plumbing; pages live in .pagination"
    assert core.model_decorators == ("with_output_text",)
    assert core.page_class("cursor", True) == "AsyncCursorPage"
    with pytest.raises(GeneratorError, match=r"__all__ lacks SyncNextPage"):
        core.page_class("next_page", False)


def test_an_all_that_is_not_a_literal_list_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GeneratorError, match="literal list of strings"):
        CoreNames.load(_core(tmp_path, "__all__ = sorted(globals())\n"))
    with pytest.raises(GeneratorError, match="no __all__"):
        CoreNames.load(_core(tmp_path / "x", "") if (tmp_path / "x").mkdir() is None else tmp_path)


def test_page_class_names() -> None:
    assert [page_base(k) for k in ("page", "cursor", "next_cursor", "next_page")] == [
        "Page",
        "CursorPage",
        "NextCursorPage",
        "NextPage",
    ]


def test_the_real_core_exports_what_the_openai_sdk_uses() -> None:
    core = CoreNames.load()
    assert set(core.page_kinds) == {"page", "cursor", "conversation_cursor", "next_cursor", "next_page"}
    assert "with_output_text" in core.model_decorators
    assert {"NOT_GIVEN", "Stream", "APIError", "RateLimitError"} <= set(core.reexports)
