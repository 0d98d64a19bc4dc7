"""``client.beta.chat.completions``: where the official SDK first had ``parse`` and ``stream`` (async source).

The generated ``AsyncBeta`` class inherits :class:`AsyncBetaHelpers`
(sdk.yaml ``resource_mixins``); ``beta.chat.completions`` is the very
``chat.completions`` resource, so code written against either place runs.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ..._client import AsyncOpenAI
    from ...resources.chat.completions.completions import AsyncCompletions

__all__ = ["AsyncBetaChat", "AsyncBetaHelpers"]


class AsyncBetaChat:
    """``client.beta.chat``: only ``completions``, the same resource as ``client.chat.completions``."""

    def __init__(self, client: AsyncOpenAI) -> None:
        self._client = client

    @property
    def completions(self) -> AsyncCompletions:
        return self._client.chat.completions


class AsyncBetaHelpers:
    """Adds ``chat`` to ``client.beta``."""

    @cached_property
    def chat(self) -> AsyncBetaChat:
        return AsyncBetaChat(cast("AsyncOpenAI", getattr(self, "_client")))  # noqa: B009 - the resource's client
