"""The module-level client: ``import oai; oai.api_key = ...; oai.chat.completions.create(...)``, on a local server."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any
from urllib.parse import urlsplit

import oai
import pytest
from oai.lib import _module_client

from tests._servers import Reply, Request, serve
from tests.compat._azure_server import API_VERSION, KEY, azure_handler

OPENAI_KEY = "sk-module-client-0123456789"
OTHER_KEY = "sk-module-client-other-0123"
COMPLETION: dict[str, Any] = {
    "id": "chatcmpl-m",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
}


def openai_handler(request: Request) -> Reply:
    if request.headers.get("authorization") not in (f"Bearer {OPENAI_KEY}", f"Bearer {OTHER_KEY}"):
        return Reply(401, {"error": {"message": "Incorrect API key provided"}})
    if urlsplit(request.path).path == "/v1/chat/completions":
        return Reply(200, COMPLETION)
    if urlsplit(request.path).path == "/v1/models":
        return Reply(200, {"object": "list", "data": [{"id": "m1", "object": "model", "created": 1, "owned_by": "o"}]})
    return Reply(404, {"error": {"message": "no route"}})


SETTINGS_DEFAULTS = {name: getattr(oai, name) for name in _module_client.SETTINGS}


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> Generator[None, None, None]:
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_ADMIN_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_API_TYPE",
        "AZURE_OPENAI_API_KEY",
        "AZURE_OPENAI_AD_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    for name in _module_client.SETTINGS:
        monkeypatch.setattr(oai, name, None if name.startswith(("api_", "azure_")) else SETTINGS_DEFAULTS[name])
    _module_client.reset()
    yield
    _module_client.reset()


def test_module_client_built_on_first_use_and_rebuilt_on_change() -> None:
    with serve(openai_handler) as server:
        oai.api_key = OPENAI_KEY
        oai.base_url = server.url
        completion = oai.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
        assert completion.choices[0].message.content == "hello"
        first = _module_client.load_client(oai)
        assert _module_client.load_client(oai) is first  # nothing changed: the same client
        from oai import chat, models

        oai.api_key = OTHER_KEY  # takes effect on the next call, also through names imported before
        assert [m.id for m in models.list()] == ["m1"]
        chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
        assert [r.headers["authorization"] for r in server.requests] == [
            f"Bearer {OPENAI_KEY}",
            f"Bearer {OTHER_KEY}",
            f"Bearer {OTHER_KEY}",
        ]
        second = _module_client.load_client(oai)
        assert second is not first and second._http is first._http  # one connection pool
        oai.default_headers = {"x-team": "a"}
        oai.models.list()
        assert server.requests[-1].headers["x-team"] == "a"
        raw = oai.chat.completions.with_raw_response.create(model="m", messages=[{"role": "user", "content": "x"}])
        assert raw.parse().id == "chatcmpl-m" and raw.elapsed.total_seconds() >= 0  # a real exchange: elapsed known
        assert raw.http_request.headers["x-team"] == "a"


def test_module_client_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(openai_handler) as server:
        monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        assert [m.id for m in oai.models.list()] == ["m1"]
        assert isinstance(_module_client.load_client(oai), oai.OpenAI)


def test_module_client_without_a_key_is_a_clear_error() -> None:
    with pytest.raises(oai.OpenAIError, match="OPENAI_API_KEY"):
        oai.models.list()


def test_module_client_for_azure(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(azure_handler) as server:
        oai.azure_endpoint = server.url.removesuffix("/v1")
        oai.api_version = API_VERSION
        monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
        completion = oai.chat.completions.create(model="dep-m", messages=[{"role": "user", "content": "hi"}])
        assert completion.id == "chatcmpl-az"
        assert isinstance(_module_client.load_client(oai), oai.AzureOpenAI)
        assert urlsplit(server.requests[0].path).path == "/openai/deployments/dep-m/chat/completions"
        monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
        with pytest.raises(oai.OpenAIError, match="Ambiguous"):
            oai.chat.completions.create(model="dep-m", messages=[])
        oai.api_type = "azure"
        oai.files.list()
        assert urlsplit(server.requests[-1].path).path == "/openai/files"


def test_resources_are_typed_and_lazy() -> None:
    import subprocess
    import sys

    program = (
        "import sys, oai; assert 'oai.resources.chat' not in sys.modules and 'oai.lib' not in sys.modules;"
        " print(repr(oai.chat))"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True)
    assert "module-level client resource 'chat'" in done.stdout


ADMIN_KEY = "sk-admin-module-client-0123"


def test_module_admin_api_key_is_sent_on_the_admin_endpoints_only() -> None:
    def handler(request: Request) -> Reply:
        if urlsplit(request.path).path == "/v1/organization/admin_api_keys":
            return Reply(200, {"object": "list", "data": [], "has_more": False, "first_id": None, "last_id": None})
        return openai_handler(request)

    with serve(handler) as server:
        oai.api_key = OPENAI_KEY
        oai.admin_api_key = ADMIN_KEY
        oai.base_url = server.url
        assert list(oai.admin.organization.admin_api_keys.list()) == []
        assert [m.id for m in oai.models.list()] == ["m1"]
        oai.admin_api_key = None  # a change takes effect on the next call: back to api_key
        list(oai.admin.organization.admin_api_keys.list())
        assert [r.headers["authorization"] for r in server.requests] == [
            f"Bearer {ADMIN_KEY}",
            f"Bearer {OPENAI_KEY}",
            f"Bearer {OPENAI_KEY}",
        ]
