# Written by scripts/unasync.py from generated/oai/lib/_async/beta_resource.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""``client.beta.chat.completions``: where the official SDK first had ``parse`` and ``stream`` (async source).

The generated ``Beta`` class inherits :class:`BetaHelpers`
(sdk.yaml ``resource_mixins``); ``beta.chat.completions`` is the very
``chat.completions`` resource, so code written against either place runs.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ..._client import OpenAI
    from ...resources.chat.completions.completions import Completions

__all__ = ["BetaChat", "BetaHelpers"]


class BetaChat:
    """``client.beta.chat``: only ``completions``, the same resource as ``client.chat.completions``."""

    def __init__(self, client: OpenAI) -> None:
        self._client = client

    @property
    def completions(self) -> Completions:
        return self._client.chat.completions


class BetaHelpers:
    """Adds ``chat`` to ``client.beta``."""

    @cached_property
    def chat(self) -> BetaChat:
        return BetaChat(cast("OpenAI", getattr(self, "_client")))  # noqa: B009 - the resource's client
