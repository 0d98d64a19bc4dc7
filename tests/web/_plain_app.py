"""The passthrough as a plain ASGI application, with no framework (served by uvicorn in the tests).

``GET /chat?prompt=...`` streams the text deltas of a chat completion through
``oai.web.sse_app``; every other path is a 404. The client is made on the
first request, on the server's event loop.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs

from oai import AsyncOpenAI
from oai.web import sse_app, text_deltas

_client: AsyncOpenAI | None = None


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    global _client
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        if _client is not None:
            await _client.close()
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["path"] != "/chat":
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b"not found"})
        return
    if _client is None:
        _client = AsyncOpenAI()
    prompt = parse_qs(scope["query_string"].decode()).get("prompt", [""])[0]
    stream = await _client.chat.completions.create(
        model=os.environ.get("OAI_MODEL", "m"), messages=[{"role": "user", "content": prompt}], stream=True
    )
    await sse_app(stream, events=text_deltas, keepalive=0.2)(scope, receive, send)
