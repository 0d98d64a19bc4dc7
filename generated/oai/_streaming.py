"""``oai._streaming``: the official SDK's private module path ``openai._streaming``, for code that imports it.

Written by hand (the generator leaves this file alone). ``Stream`` and ``AsyncStream`` are oai's own
stream classes (``oai.Stream`` / ``oai.AsyncStream``); they take the official constructor arguments
(``cast_to=``, ``client=``, ``response=``) and have the official private ``_iter_events()``, which gives
the response's events as :class:`ServerSentEvent` -- the official shape (``event`` ``None`` when the
stream names no type, blocks without data are events too), decoded by oai's one SSE decoder
(``SSEDecoder.iter_official``). oai's streams themselves decode by the HTML standard
(``oai.ServerSentEvent``).
"""

from __future__ import annotations

from ._core import AsyncStream, Stream
from ._core._sse import OfficialServerSentEvent as ServerSentEvent

__all__ = ["AsyncStream", "ServerSentEvent", "Stream"]
