"""Pass a stream through a web app to a browser, as server-sent events, without blocking the app.

::

    from fastapi import FastAPI
    from oai import AsyncOpenAI
    from oai.web import sse_response, text_deltas

    app = FastAPI()
    client = AsyncOpenAI()

    @app.get("/chat")
    async def chat(prompt: str):
        stream = client.chat.completions.stream(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
        return sse_response(stream, events=text_deltas)

and in the page::

    const source = new EventSource("/chat?prompt=" + encodeURIComponent(prompt));
    source.onmessage = (e) => (out.textContent += e.data);
    source.addEventListener("done", () => source.close());
    source.addEventListener("error", (e) => { if (e.data) show(JSON.parse(e.data).error); source.close(); });

:func:`sse_response` returns a Starlette ``StreamingResponse`` (``pip install
'oai[web]'``); :func:`sse_app` is the same as a plain ASGI application, for
any other framework. Both take an ``AsyncStream`` (``await
client.chat.completions.create(..., stream=True)``), a stream manager of
``oai.lib`` (``client.responses.stream(...)``, ``client.chat.completions.stream(...)``,
sent when the response starts), an awaitable of either, or any async iterable.
What is sent (``events=``), the frames and the guarantees are in
``docs/web.md``. ``import oai`` does not import this module, nor does this
module import Starlette until :func:`sse_response` is called.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ._app import EVENT_STREAM_HEADERS, EventStreamApp
from ._frames import DONE_EVENT, END_ID, ERROR_EVENT, EventSelection, text_deltas

if TYPE_CHECKING:
    from starlette.background import BackgroundTask
    from starlette.responses import StreamingResponse

__all__ = [
    "DONE_EVENT",
    "END_ID",
    "ERROR_EVENT",
    "EVENT_STREAM_HEADERS",
    "EventSelection",
    "EventStreamApp",
    "sse_app",
    "sse_response",
    "text_deltas",
]


def sse_response(
    stream: object,
    *,
    events: EventSelection = None,
    keepalive: float | None = 15.0,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    background: BackgroundTask | None = None,
) -> StreamingResponse:
    """``stream`` as a Starlette ``StreamingResponse`` of server-sent events.

    ``events``: which events, and in what form (``None``: all, as JSON; a
    collection of event names; or a function of the event, such as
    :func:`text_deltas`). ``keepalive``: seconds without a frame after which a
    comment is sent (``None``: never). The stream ends with a ``done`` event,
    or an ``error`` event if it fails; when the browser disconnects, the
    upstream request is cancelled and its connection released.
    """
    try:
        from ._starlette import EventStreamResponse
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "oai.web.sse_response needs Starlette: pip install 'oai[web]' (sse_app needs nothing)."
        ) from exc
    app = EventStreamApp(stream, events=events, keepalive=keepalive)
    return EventStreamResponse(app, status_code=status_code, headers=headers, background=background)


def sse_app(stream: object, *, events: EventSelection = None, keepalive: float | None = 15.0) -> EventStreamApp:
    """``stream`` as a plain ASGI application serving one request (for frameworks other than Starlette);
    the same events, keep-alives, errors and cancellation as :func:`sse_response`."""
    return EventStreamApp(stream, events=events, keepalive=keepalive)
