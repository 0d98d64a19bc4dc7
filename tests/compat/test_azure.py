"""AzureOpenAI / AsyncAzureOpenAI against a local server that checks the URL shape and the credential."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from urllib.parse import urlsplit

import oai
import pytest
from oai import AsyncAzureOpenAI, AzureOpenAI, OpenAIError
from oai.lib.azure import AzureOpenAI as AzureOpenAIFromLib

from tests._servers import TestServer, serve
from tests.compat._azure_server import API_VERSION, KEY, TOKEN, azure_handler


def root(server: TestServer) -> str:
    """The server's address without the ``/v1`` the test server adds: Azure paths start at ``/openai``."""
    return server.url.removesuffix("/v1")


@pytest.fixture
def server() -> Generator[TestServer, None, None]:
    with serve(azure_handler) as running:
        yield running


@pytest.fixture(autouse=True)
def _no_azure_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_AD_TOKEN", "OPENAI_API_VERSION"):
        monkeypatch.delenv(name, raising=False)


def test_official_paths() -> None:
    assert AzureOpenAIFromLib is AzureOpenAI
    assert issubclass(AzureOpenAI, oai.OpenAI) and issubclass(AsyncAzureOpenAI, oai.AsyncOpenAI)


def test_api_key_deployment_from_model_and_api_version(server: TestServer) -> None:
    client = AzureOpenAI(azure_endpoint=root(server) + "/", api_key=KEY, api_version=API_VERSION, max_retries=0)
    completion = client.chat.completions.create(model="my-gpt4o", messages=[{"role": "user", "content": "hi"}])
    assert completion.id == "chatcmpl-az"
    assert client.files.list().data == []
    chat, files = server.requests
    assert urlsplit(chat.path).path == "/openai/deployments/my-gpt4o/chat/completions"
    assert urlsplit(files.path).path == "/openai/files"  # not deployment-routed
    assert chat.headers["api-key"] == KEY and "authorization" not in chat.headers
    assert f"api-version={API_VERSION}" in chat.path
    assert KEY not in repr(client)


def test_azure_deployment_in_base_url(server: TestServer) -> None:
    client = AzureOpenAI(
        azure_endpoint=root(server), azure_deployment="dep-1", api_key=KEY, api_version=API_VERSION, max_retries=0
    )
    assert str(client.base_url) == f"{root(server)}/openai/deployments/dep-1/"
    client.chat.completions.create(model="ignored-model", messages=[{"role": "user", "content": "hi"}])
    client.files.list()
    chat, files = (urlsplit(r.path).path for r in server.requests)
    assert chat == "/openai/deployments/dep-1/chat/completions"  # the model does not route again
    assert files == "/openai/files"  # the deployment is left out where Azure does not route by it
    copy = client.with_options(max_retries=1)
    copy.files.list()
    assert urlsplit(server.requests[-1].path).path == "/openai/files" and copy.api_version == API_VERSION


def test_token_provider_is_called_per_request(server: TestServer) -> None:
    calls: list[int] = []

    def provider() -> str:
        calls.append(1)
        return f"{TOKEN}-{len(calls)}"

    client = AzureOpenAI(azure_endpoint=root(server), azure_ad_token_provider=provider, api_version=API_VERSION)
    client.chat.completions.create(model="d", messages=[{"role": "user", "content": "hi"}])
    client.files.list()
    assert [r.headers["authorization"] for r in server.requests] == [f"Bearer {TOKEN}-1", f"Bearer {TOKEN}-2"]
    assert all("api-key" not in r.headers for r in server.requests)


def test_env_configuration(server: TestServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", root(server))
    monkeypatch.setenv("OPENAI_API_VERSION", API_VERSION)
    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", TOKEN)
    client = AzureOpenAI()
    client.files.list()
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    monkeypatch.delenv("AZURE_OPENAI_AD_TOKEN")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
    AzureOpenAI().files.list()
    assert server.requests[1].headers["api-key"] == KEY


def test_bad_configuration_is_a_clear_error(server: TestServer) -> None:
    with pytest.raises(OpenAIError, match="Missing credentials"):
        AzureOpenAI(azure_endpoint=root(server), api_version=API_VERSION)
    with pytest.raises(ValueError, match="OPENAI_API_VERSION"):
        AzureOpenAI(azure_endpoint=root(server), api_key=KEY)
    with pytest.raises(ValueError, match="AZURE_OPENAI_ENDPOINT"):
        AzureOpenAI(api_key=KEY, api_version=API_VERSION)
    with pytest.raises(ValueError, match="mutually exclusive"):
        AzureOpenAI(api_key=KEY, api_version=API_VERSION, azure_endpoint=root(server), base_url=root(server))
    client = AzureOpenAI(azure_endpoint=root(server), azure_ad_token_provider=lambda: "", api_version=API_VERSION)
    with pytest.raises(ValueError, match="azure_ad_token_provider must return a non-empty string"):
        client.files.list()
    wrong = AzureOpenAI(azure_endpoint=root(server), api_key="wrong-key-000000000", api_version=API_VERSION)
    with pytest.raises(oai.AuthenticationError, match="Error code: 401 - Access denied due to invalid subscription"):
        wrong.files.list()


def test_async_sync_and_async_token_providers(server: TestServer) -> None:
    async def async_provider() -> str:
        await asyncio.sleep(0)
        return TOKEN

    async def main() -> None:
        for provider in (async_provider, lambda: TOKEN):
            async with AsyncAzureOpenAI(
                azure_endpoint=root(server), azure_ad_token_provider=provider, api_version=API_VERSION
            ) as client:
                completion = await client.chat.completions.create(
                    model="dep-a", messages=[{"role": "user", "content": "hi"}]
                )
                assert completion.id == "chatcmpl-az"
                assert (await client.files.list()).data == []

    asyncio.run(main())
    assert [urlsplit(r.path).path for r in server.requests] == [
        "/openai/deployments/dep-a/chat/completions",
        "/openai/files",
    ] * 2
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.requests)


def test_async_api_key_and_errors(server: TestServer) -> None:
    async def main() -> None:
        async with AsyncAzureOpenAI(azure_endpoint=root(server), api_key=KEY, api_version=API_VERSION) as client:
            await client.chat.completions.create(model="dep-b", messages=[{"role": "user", "content": "hi"}])
            with pytest.raises(oai.NotFoundError, match="Error code: 404 - Resource not found"):
                await client.models.list()
        with pytest.raises(OpenAIError, match="Missing credentials"):
            AsyncAzureOpenAI(azure_endpoint=root(server), api_version=API_VERSION)
        bad = AsyncAzureOpenAI(azure_endpoint=root(server), azure_ad_token_provider=lambda: 42, api_version=API_VERSION)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="returned int"):
            await bad.files.list()

    asyncio.run(main())
    assert server.requests[0].headers["api-key"] == KEY
