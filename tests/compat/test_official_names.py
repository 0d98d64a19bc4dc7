"""The official SDK's top-level names that are not API calls: the pre-1.0 placeholders, ``oai.version``, the
``httpx2`` client names, ``OAuthError``; each with the official behaviour (``OPENAI`` 3.57 as the reference)."""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys

import httpx
import oai
import pytest

V0_NAMES = (
    "Audio ChatCompletion Completion Customer Deployment Edit Embedding Engine ErrorObject File FineTune "
    "FineTuningJob Image Model Moderation"
).split()


@pytest.mark.parametrize("name", V0_NAMES)
def test_v0_names_can_be_looked_at_but_not_used(name: str) -> None:
    proxy = getattr(oai, name)
    assert proxy.create is proxy and proxy.acreate.retrieve is proxy  # attribute access is harmless
    with pytest.raises(oai.OpenAIError) as caught:
        proxy.create(model="gpt-4o-mini")
    message = str(caught.value)
    assert f"oai.{name} " in message and "openai<1.0" in message and "client = oai.OpenAI()" in message
    assert type(caught.value).__name__ == "APIRemovedInV1" and caught.value.symbol == name  # type: ignore[attr-defined]
    with pytest.raises(oai.OpenAIError):
        proxy()
    assert name not in oai.__all__  # as officially: hidden from `from oai import *` and type checkers


def test_v0_errors_name_the_replacement() -> None:
    with pytest.raises(oai.OpenAIError, match=r"replacement is client\.chat\.completions\."):
        oai.ChatCompletion.create(model="m", messages=[])
    with pytest.raises(oai.OpenAIError, match=r"replacement is client\.embeddings\."):
        oai.Embedding.create(model="m", input="x")


def test_v0_proxy_is_not_a_fake_for_python_machinery() -> None:
    with pytest.raises(AttributeError):
        oai.Completion.__wrapped__  # noqa: B018  # dunder lookups are real misses (inspect, copy, pickle)
    assert "removed in openai 1.0" in repr(oai.Completion)


def test_version_module() -> None:
    module = importlib.import_module("oai.version")
    assert module.VERSION == oai.__version__ == oai.version.VERSION


def test_new_top_level_names_stay_lazy() -> None:
    """``import oai`` loads none of the modules behind the new names (their first use does)."""
    code = (
        "import sys, oai\n"
        "mods = ('oai.lib._old_api', 'oai.lib._official_errors', 'oai.lib._httpx2', 'oai.lib._tools', 'oai.version')\n"
        "print(sorted(m for m in mods if m in sys.modules))\n"
        "oai.ChatCompletion; oai.OAuthError; oai.DefaultHttpx2Client; oai.version\n"
        "print(sorted(m for m in mods if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout
    before, after = out.splitlines()
    assert before == "[]"
    assert after == "['oai.lib._httpx2', 'oai.lib._official_errors', 'oai.lib._old_api', 'oai.version']"


def test_oauth_error_reads_the_token_endpoints_answer() -> None:
    request = httpx.Request("POST", "https://auth.example/oauth/token")
    body = {"error": "invalid_grant", "error_description": "The subject token has expired."}
    response = httpx.Response(401, json=body, request=request)
    error = oai.OAuthError(response=response, body=body)
    assert isinstance(error, oai.AuthenticationError) and isinstance(error, oai.APIStatusError)
    assert error.error == "invalid_grant" and error.status_code == 401 and error.body == body
    assert error.message == "The subject token has expired."
    plain = oai.OAuthError(response=httpx.Response(400, text="no", request=request), body=None)
    assert plain.error is None and plain.message == "OAuth authentication error."


def test_invalid_webhook_signature_error_is_a_value_error() -> None:
    assert issubclass(oai.InvalidWebhookSignatureError, ValueError)
    assert not issubclass(oai.InvalidWebhookSignatureError, oai.OpenAIError)  # as officially


def test_httpx2_names_are_oais_httpx_clients() -> None:
    assert oai.DefaultHttpx2Client is oai.DefaultHttpxClient
    assert oai.DefaultAsyncHttpx2Client is oai.DefaultAsyncHttpxClient
    with oai.DefaultHttpx2Client(timeout=5.0) as http_client:
        client = oai.OpenAI(api_key="sk-x", http_client=http_client)
        assert client._http is http_client  # pyright: ignore[reportPrivateUsage]


def _httpx2_like(name: str) -> object:
    """An object of a class defined in a module named httpx2 (the official SDK's HTTP library)."""
    cls = type(name, (), {"__module__": "httpx2._client"})
    return cls()


def test_an_httpx2_client_is_refused_with_what_to_pass() -> None:
    with pytest.raises(TypeError, match=r"got httpx2\._client\.Client: oai is built on httpx, not httpx2") as caught:
        oai.OpenAI(api_key="sk-x", http_client=_httpx2_like("Client"))  # type: ignore[arg-type]
    assert "oai.DefaultHttpxClient(...)" in str(caught.value)
    with pytest.raises(TypeError, match=r"pass an httpx\.Client"):
        oai.OpenAI(api_key="sk-x", http_client=object())  # type: ignore[arg-type]


def test_async_an_httpx2_client_is_refused_with_what_to_pass() -> None:
    async def build() -> None:
        oai.AsyncOpenAI(api_key="sk-x", http_client=_httpx2_like("AsyncClient"))  # type: ignore[arg-type]

    with pytest.raises(TypeError, match=r"got httpx2\._client\.AsyncClient: oai is built on httpx") as caught:
        asyncio.run(build())
    assert "oai.DefaultAsyncHttpxClient(...)" in str(caught.value)


def test_a_client_of_the_other_kind_is_refused_naming_the_right_one() -> None:
    with httpx.Client() as sync_client, pytest.raises(TypeError, match=r"AsyncOpenAI sends with an httpx\.AsyncClient"):
        oai.AsyncOpenAI(api_key="sk-x", http_client=sync_client)  # type: ignore[arg-type]

    async def build() -> None:
        async with httpx.AsyncClient() as async_client:
            oai.OpenAI(api_key="sk-x", http_client=async_client)  # type: ignore[arg-type]

    with pytest.raises(TypeError, match=r"OpenAI sends with an httpx\.Client"):
        asyncio.run(build())
