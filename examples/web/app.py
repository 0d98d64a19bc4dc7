"""A FastAPI app that passes model streams through to a browser page, without blocking itself.

    pip install 'oai[web]' fastapi uvicorn
    OPENAI_API_KEY=sk-... uvicorn --app-dir examples/web app:app
    # any OpenAI-compatible server: OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OAI_MODEL=my-model ...

then open http://127.0.0.1:8000/ (index.html beside this file). Endpoints:

* ``GET /chat?prompt=...``: the answer's text deltas (``chat.completions.stream``, the helper's manager);
* ``GET /chat/chunks?prompt=...``: every raw chunk as JSON (``create(stream=True)``, an ``AsyncStream``);
* ``GET /responses?prompt=...``: the Responses API's text deltas and its final event (``responses.stream``);
* ``GET /health``: answered at once however many streams pass through.

Every stream ends with a ``done`` event, or an ``error`` event if it fails; when the page closes its
EventSource (or the tab), the request to the model is cancelled. ``OAI_KEEPALIVE`` sets the seconds
between keep-alive comments (15 by default).
"""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from oai import AsyncOpenAI
from oai.web import sse_response, text_deltas
from starlette.responses import StreamingResponse

MODEL = os.environ.get("OAI_MODEL", "gpt-4o-mini")
KEEPALIVE = float(os.environ.get("OAI_KEEPALIVE", "15"))
PAGE = Path(__file__).resolve().parent / "index.html"

client: AsyncOpenAI | None = None


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncGenerator[None]:
    global client
    async with AsyncOpenAI() as opened:
        client = opened
        yield
    client = None


app = FastAPI(lifespan=lifespan)


def _client() -> AsyncOpenAI:
    assert client is not None, "the app's lifespan has not started"
    return client


@app.get("/")
async def page() -> FileResponse:
    return FileResponse(PAGE)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/chat")
async def chat(prompt: str) -> StreamingResponse:
    stream = _client().chat.completions.stream(model=MODEL, messages=[{"role": "user", "content": prompt}])
    return sse_response(stream, events=text_deltas, keepalive=KEEPALIVE)


@app.get("/chat/chunks")
async def chat_chunks(prompt: str) -> StreamingResponse:
    stream = await _client().chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": prompt}], stream=True
    )
    return sse_response(stream, keepalive=KEEPALIVE)


@app.get("/responses")
async def responses(prompt: str) -> StreamingResponse:
    stream = _client().responses.stream(model=MODEL, input=prompt)
    return sse_response(stream, events=["response.output_text.delta", "response.completed"], keepalive=KEEPALIVE)
