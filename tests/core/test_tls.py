"""The default client's TLS context: CA store read on the first handshake, verification unchanged.

Over real TCP: a plain-HTTP server and an HTTPS server on 127.0.0.1 whose
self-signed certificate is made here with the ``openssl`` command line.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from oai import APIConnectionError, AsyncOpenAI, OpenAI
from oai._core._tls import DeferredCAContext, default_ssl_context

from tests._servers import Reply, Request, serve

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command line")

_MODELS = {"object": "list", "data": [{"id": "m", "object": "model", "created": 1, "owned_by": "me"}]}


def _models(request: Request) -> Reply:
    return Reply(body=_MODELS)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own CA) and its key."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def https_url(certificate: tuple[Path, Path]) -> Iterator[str]:
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(*certificate)
    with serve(_models, tls=server_context) as server:
        yield server.url


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every CA load a DeferredCAContext makes, recorded (and still done)."""
    calls: list[Any] = []
    original = ssl.SSLContext.load_verify_locations

    def recording(self: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        calls.append(kwargs or args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(DeferredCAContext, "load_verify_locations", recording)
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    return calls


def test_plain_http_never_reads_the_ca_store(loads: list[Any]) -> None:
    with serve(_models) as server, OpenAI(api_key="k", base_url=server.url, max_retries=0) as client:
        assert [m.id for m in client.models.list()] == ["m"]
    assert loads == []


def test_https_verifies_against_certifi_and_rejects_an_unknown_certificate(https_url: str, loads: list[Any]) -> None:
    import certifi

    with OpenAI(api_key="k", base_url=https_url, max_retries=0) as client:
        assert loads == []  # construction read nothing
        with pytest.raises(APIConnectionError) as caught:
            client.models.list()
    assert isinstance(caught.value.__cause__, Exception)
    assert "CERTIFICATE_VERIFY_FAILED" in repr(caught.value.__cause__)
    assert loads == [{"cafile": certifi.where(), "capath": None}]


def test_https_trusts_ssl_cert_file_like_httpx(
    https_url: str, certificate: tuple[Path, Path], loads: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with OpenAI(api_key="k", base_url=https_url, max_retries=0) as client:
        assert [m.id for m in client.models.list()] == ["m"]
        assert [m.id for m in client.models.list()] == ["m"]  # however many connections, the store is read once
    assert loads == [{"cafile": str(certificate[0]), "capath": None}]


async def test_async_https_loads_on_first_handshake_and_verifies(
    https_url: str, certificate: tuple[Path, Path], loads: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with AsyncOpenAI(api_key="k", base_url=https_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError):
            await client.models.list()
    assert len(loads) == 1
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    async with AsyncOpenAI(api_key="k", base_url=https_url, max_retries=0) as client:
        page = await client.models.list()
        assert [m.id for m in page.data] == ["m"]
    assert loads[1] == {"cafile": str(certificate[0]), "capath": None}


def test_context_matches_what_a_default_client_context_checks() -> None:
    context = default_ssl_context()
    reference = ssl.create_default_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.options == reference.options
    assert context.minimum_version == reference.minimum_version
    assert context.cert_store_stats()["x509_ca"] == 0  # nothing read yet


def test_ssl_cert_dir_is_used_only_with_trust_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import certifi

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    assert default_ssl_context()._capath == str(tmp_path)  # pyright: ignore[reportPrivateUsage]
    assert default_ssl_context(trust_env=False)._cafile == certifi.where()  # pyright: ignore[reportPrivateUsage]
