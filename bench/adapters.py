# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""oai's adapters for the shared benchmark harness (``sdkbench``).

Selected as ``bench.adapters:OaiDecoder`` / ``bench.adapters:OaiClient`` with
``PYTHONPATH`` holding the repository root (``scripts/bench.py`` does this).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

from sdkbench.adapters.base import ClientAdapter, DecoderAdapter  # pyright: ignore[reportMissingImports]


class OaiDecoder(DecoderAdapter):  # pyright: ignore[reportUntypedBaseClass]
    name = "oai"
    description = "oai.SSEDecoder().iter_bytes(pieces) (public decoder, str data)"

    def prepare(self) -> None:
        from oai._core._sse import SSEDecoder

        self._cls = SSEDecoder

    def iter_events(self, pieces: Iterable[bytes]) -> Iterator[Any]:
        return self._cls().iter_bytes(pieces)


class OaiRawDecoder(DecoderAdapter):  # pyright: ignore[reportUntypedBaseClass]
    name = "oai(raw)"
    description = "oai SSEDecoder().feed_raw per piece: (type, data bytes) pairs, what oai.Stream consumes"

    def prepare(self) -> None:
        from oai._core._sse import SSEDecoder

        self._cls = SSEDecoder

    def iter_events(self, pieces: Iterable[bytes]) -> Iterator[Any]:
        decoder = self._cls()
        feed = decoder.feed_raw
        for piece in pieces:
            yield from feed(piece)
        decoder.end()

    def data_of(self, event: Any) -> str:
        return event[1].decode("utf-8")


class OaiClient(ClientAdapter):  # pyright: ignore[reportUntypedBaseClass]
    name = "oai"
    description = "oai.OpenAI / AsyncOpenAI: chat.completions.create(stream=True), full SDK path (httpx MockTransport)"
    kind = "model"
    import_stmt = "import oai"

    def prepare(self) -> None:
        import httpx
        import oai

        self._httpx = httpx
        self._sdk = oai

    def make_client(self, *, server: Any = None, base_url: str | None = None, is_async: bool = False) -> Any:
        from sdkbench.mock import httpx_like_transport  # pyright: ignore[reportMissingImports]

        http_client = None
        if server is not None:
            transport = httpx_like_transport(self._httpx, server, is_async=is_async)
            http_client = (self._httpx.AsyncClient if is_async else self._httpx.Client)(transport=transport)
            base_url = "http://bench.invalid/v1"
        cls = self._sdk.AsyncOpenAI if is_async else self._sdk.OpenAI
        return cls(api_key="sk-bench", base_url=base_url, http_client=cast(Any, http_client), max_retries=0)

    def stream(self, client: Any, **extra: Any) -> Any:
        return client.chat.completions.create(model=self.model, messages=self.messages, stream=True, **extra)

    async def astream(self, client: Any, **extra: Any) -> Any:
        return await client.chat.completions.create(model=self.model, messages=self.messages, stream=True, **extra)

    def create(self, client: Any, **extra: Any) -> Any:
        return client.chat.completions.create(model=self.model, messages=self.messages, **extra)

    async def acreate(self, client: Any, **extra: Any) -> Any:
        return await client.chat.completions.create(model=self.model, messages=self.messages, **extra)
