"""The names of the pre-1.0 ``openai`` API (``openai.ChatCompletion.create(...)``), kept so that old code fails clearly.

The official SDK keeps these fifteen names at its top level as placeholders: looking at them works
(``hasattr``, attribute access, ``dir(openai)``), using them raises an error explaining the 1.0 change.
``oai.ChatCompletion`` and the others behave the same; the error also names the client attribute
that replaced the class. They are not in ``oai.__all__`` and not declared to type checkers.
"""

from __future__ import annotations

from typing import Any, NoReturn

from .._core import OpenAIError

__all__ = ["APIRemovedInV1", "APIRemovedInV1Proxy", "SYMBOLS"]

_REPLACEMENTS: dict[str, str] = {
    "Audio": "client.audio.transcriptions / .translations / .speech",
    "ChatCompletion": "client.chat.completions",
    "Completion": "client.completions",
    "Customer": "",
    "Deployment": "",
    "Edit": "client.chat.completions (the edits endpoint was retired)",
    "Embedding": "client.embeddings",
    "Engine": "client.models",
    "ErrorObject": "the exceptions (oai.APIError and its subclasses)",
    "File": "client.files",
    "FineTune": "client.fine_tuning.jobs",
    "FineTuningJob": "client.fine_tuning.jobs",
    "Image": "client.images",
    "Model": "client.models",
    "Moderation": "client.moderations",
}

SYMBOLS = tuple(_REPLACEMENTS)
"""The pre-1.0 names the package root keeps."""


class APIRemovedInV1(OpenAIError):
    """A pre-1.0 name (``oai.ChatCompletion``...) was used: the API is now reached through a client."""

    def __init__(self, *, symbol: str) -> None:
        replacement = _REPLACEMENTS.get(symbol, "")
        instead = f" Its replacement is {replacement}." if replacement else ""
        super().__init__(
            f"oai.{symbol} is the interface of openai<1.0, which this SDK (like openai>=1.0) does not have. "
            "Create a client and call its resources instead: client = oai.OpenAI(); "
            f"client.chat.completions.create(model=..., messages=...).{instead} "
            "The openai 1.0 migration guide lists every change: https://github.com/openai/openai-python/discussions/742"
        )
        self.symbol = symbol


class APIRemovedInV1Proxy:
    """Stands for a pre-1.0 name: any attribute is the proxy itself, and calling it raises :class:`APIRemovedInV1`."""

    __slots__ = ("_symbol",)

    def __init__(self, *, symbol: str) -> None:
        self._symbol = symbol

    def __getattr__(self, name: str) -> APIRemovedInV1Proxy:
        if name.startswith("__") and name.endswith("__"):  # copy, pickle, inspect: no pretending there
            raise AttributeError(name)
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise APIRemovedInV1(symbol=self._symbol)

    def __repr__(self) -> str:
        return f"<removed in openai 1.0: oai.{self._symbol}>"


def __getattr__(name: str) -> APIRemovedInV1Proxy:
    if name not in _REPLACEMENTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    proxy = APIRemovedInV1Proxy(symbol=name)
    globals()[name] = proxy
    return proxy
