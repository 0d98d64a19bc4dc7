"""The browser tier of ``make e2e`` (marker ``browser``): examples/web's page in headless Chromium,
in front of the example FastAPI app and a model server, each a process of its own stopped by pid."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import app as app  # the example app (module scope), in front of:
from tests.web.conftest import upstream as upstream  # the model server (module scope)

from ._cdp import Chromium, Page

HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: examples/web's page in headless Chromium")


@pytest.hookimpl(tryfirst=True)  # before `-m browser` deselects by the marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    chromium = Chromium()
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def page(browser: Chromium) -> Iterator[Page]:
    tab = browser.new_page()
    try:
        yield tab
    finally:
        tab.close()
