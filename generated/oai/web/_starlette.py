"""The Starlette form of the passthrough: a ``StreamingResponse`` that a FastAPI or Starlette endpoint returns.

Imported by :func:`oai.web.sse_response` only, so that ``import oai`` (and
``import oai.web``) never imports Starlette, an optional extra (``oai[web]``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping

from starlette.background import BackgroundTask
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from ._app import EVENT_STREAM_HEADERS, EventStreamApp

__all__ = ["EventStreamResponse"]


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield b""  # pragma: no cover - makes this an async generator


class EventStreamResponse(StreamingResponse):
    """A ``StreamingResponse`` whose body is an :class:`~oai.web.EventStreamApp`.

    Starlette's own ``StreamingResponse`` notices a browser that left only
    when it next writes (under ASGI 2.4), which may be a long thinking pause
    later; this one listens for the disconnect all along, and closes the
    upstream stream at once. Headers set on it (``response.headers[...]``)
    and a ``background`` task work as on any Starlette response.
    """

    def __init__(
        self,
        app: EventStreamApp,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        merged = {name.decode(): value.decode() for name, value in EVENT_STREAM_HEADERS}
        merged.update({name.lower(): value for name, value in (headers or {}).items()})
        media_type = merged.pop("content-type")
        super().__init__(
            _nothing(), status_code=status_code, headers=merged, media_type=media_type, background=background
        )
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app.run(scope, receive, send, status=self.status_code, headers=self.raw_headers)
        if self.background is not None:
            await self.background()
