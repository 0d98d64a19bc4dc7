"""An Azure-shaped OpenAI server on 127.0.0.1: it answers only requests whose URL and credentials are right."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests._servers import Reply, Request

API_VERSION = "2024-10-21"
KEY = "azure-key-0123456789abcdef"
TOKEN = "eyJ-azure-ad-token-0123456789"

COMPLETION: dict[str, Any] = {
    "id": "chatcmpl-az",
    "object": "chat.completion",
    "created": 1,
    "model": "gpt-4o",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
}
FILES: dict[str, Any] = {"object": "list", "data": [], "has_more": False}


def azure_handler(request: Request) -> Reply:
    """Checks the URL shape (``/openai/...``, ``api-version``) and the credential, then answers."""
    url = urlsplit(request.path)
    if parse_qs(url.query).get("api-version") != [API_VERSION]:
        return Reply(400, {"error": {"message": f"missing or wrong api-version in {request.path}"}})
    key = request.headers.get("api-key")
    auth = request.headers.get("authorization", "")
    if key is None and not auth.startswith("Bearer "):
        return Reply(401, {"error": {"message": "Access denied due to missing subscription key."}})
    if key is not None and key != KEY:
        return Reply(401, {"error": {"message": "Access denied due to invalid subscription key."}})
    if auth and not auth.startswith("Bearer " + TOKEN):
        return Reply(401, {"error": {"message": "Invalid token."}})
    if (
        request.method == "POST"
        and url.path.startswith("/openai/deployments/")
        and url.path.endswith("/chat/completions")
    ):
        return Reply(200, COMPLETION)
    if request.method == "GET" and url.path == "/openai/files":
        return Reply(200, FILES)
    return Reply(404, {"error": {"code": "404", "message": f"Resource not found: {request.method} {url.path}"}})
