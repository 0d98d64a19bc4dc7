"""The resources of a package's module-level client (``oai.chat``, ``oai.files``...), built on first use.

``oai.chat`` is a stand-in: each attribute read on it is read on the ``chat`` resource of the client
current at that moment (the package's ``_load_client()`` builds it from the module's settings, and
builds it again when one of them changed), so ``from oai import chat`` keeps working after
``oai.api_key = ...``. Nothing is built, and nothing beyond this module imported, by ``import oai``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["module_resource"]


class _ModuleResource:
    __slots__ = ("_load", "_name")

    def __init__(self, load: Callable[[], object], name: str) -> None:
        self._load = load
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(getattr(self._load(), self._name), attribute)

    def __dir__(self) -> list[str]:
        return dir(getattr(self._load(), self._name))

    def __repr__(self) -> str:
        return f"<module-level client resource {self._name!r} (built on first use)>"


def module_resource(load: Callable[[], object], name: str) -> Any:
    """A stand-in for ``load().<name>``, resolved again on every attribute read (see the module docstring)."""
    return _ModuleResource(load, name)
