"""``client.webhooks.verify_signature`` / ``unwrap``: Standard Webhooks signatures, as the official SDK checks them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx
import oai
import pytest
from oai.lib import _module_client
from oai.lib.webhooks import verify_webhook_signature

KEY = b"webhook-signing-key-0123456789ab"
SECRET = "whsec_" + base64.b64encode(KEY).decode()
BODY = json.dumps(
    {"id": "evt_1", "object": "event", "type": "batch.completed", "created_at": 1, "data": {"id": "batch_1"}}
)


def sign(body: str, *, key: bytes = KEY, webhook_id: str = "wh_1", at: int | None = None) -> dict[str, str]:
    timestamp = str(int(time.time()) if at is None else at)
    digest = hmac.new(key, f"{webhook_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }


def clients(**kw: Any) -> list[oai.OpenAI | oai.AsyncOpenAI]:
    return [oai.OpenAI(api_key="sk-x", **kw), oai.AsyncOpenAI(api_key="sk-x", **kw)]


@pytest.fixture(autouse=True)
def _no_env_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_WEBHOOK_SECRET", raising=False)


@pytest.mark.parametrize("client", clients(webhook_secret=SECRET), ids=["sync", "async"])
def test_a_signed_webhook_verifies_and_unwraps(client: oai.OpenAI | oai.AsyncOpenAI) -> None:
    headers = sign(BODY)
    client.webhooks.verify_signature(BODY, headers)
    client.webhooks.verify_signature(BODY.encode(), httpx.Headers(headers))  # bytes, httpx headers
    event = client.webhooks.unwrap(BODY, headers)
    assert (event.type, event.id, event.data.id) == ("batch.completed", "evt_1", "batch_1")
    assert event.model_dump() == json.loads(BODY)
    upper = {k.title(): v for k, v in headers.items()}  # header names in any case
    client.webhooks.verify_signature(BODY, upper)


@pytest.mark.parametrize("client", clients(webhook_secret=SECRET), ids=["sync", "async"])
def test_one_matching_signature_of_several_is_enough(client: oai.OpenAI | oai.AsyncOpenAI) -> None:
    headers = sign(BODY)
    wrong = base64.b64encode(b"x" * 32).decode()
    headers["webhook-signature"] = f"v1,{wrong} {headers['webhook-signature']}"
    client.webhooks.verify_signature(BODY, headers)
    headers["webhook-signature"] = f"v1,{wrong}"
    with pytest.raises(oai.InvalidWebhookSignatureError, match="does not match"):
        client.webhooks.verify_signature(BODY, headers)


@pytest.mark.parametrize("client", clients(webhook_secret=SECRET), ids=["sync", "async"])
def test_tampering_and_the_wrong_key_are_refused(client: oai.OpenAI | oai.AsyncOpenAI) -> None:
    headers = sign(BODY)
    with pytest.raises(oai.InvalidWebhookSignatureError):
        client.webhooks.unwrap(BODY.replace("batch_1", "batch_2"), headers)
    with pytest.raises(oai.InvalidWebhookSignatureError):
        client.webhooks.verify_signature(BODY, {**headers, "webhook-id": "wh_2"})
    with pytest.raises(oai.InvalidWebhookSignatureError):
        client.webhooks.verify_signature(BODY, sign(BODY, key=b"another-key"))
    # The same key as a plain (not whsec_) secret is another secret: its bytes are the text itself.
    plain = "not-a-whsec-secret"
    client.webhooks.verify_signature(BODY, sign(BODY, key=plain.encode()), secret=plain)


@pytest.mark.parametrize("client", clients(webhook_secret=SECRET), ids=["sync", "async"])
def test_the_timestamp_must_be_within_the_tolerance(client: oai.OpenAI | oai.AsyncOpenAI) -> None:
    now = int(time.time())
    with pytest.raises(oai.InvalidWebhookSignatureError, match="older than the tolerance"):
        client.webhooks.verify_signature(BODY, sign(BODY, at=now - 400))
    with pytest.raises(oai.InvalidWebhookSignatureError, match="ahead of now"):
        client.webhooks.verify_signature(BODY, sign(BODY, at=now + 400))
    client.webhooks.verify_signature(BODY, sign(BODY, at=now - 400), tolerance=600)
    with pytest.raises(oai.InvalidWebhookSignatureError, match="whole number"):
        client.webhooks.verify_signature(BODY, {**sign(BODY), "webhook-timestamp": "soon"})


@pytest.mark.parametrize("client", clients(), ids=["sync", "async"])
def test_missing_secret_or_header_is_a_value_error(client: oai.OpenAI | oai.AsyncOpenAI) -> None:
    headers = sign(BODY)
    with pytest.raises(ValueError, match="No webhook secret.*OPENAI_WEBHOOK_SECRET"):
        client.webhooks.unwrap(BODY, headers)
    for name in headers:
        partial = {k: v for k, v in headers.items() if k != name}
        with pytest.raises(ValueError, match=f"no {name} header") as caught:
            client.webhooks.verify_signature(BODY, partial, secret=SECRET)
        assert not isinstance(caught.value, oai.InvalidWebhookSignatureError)
    with pytest.raises(ValueError, match="not base64"):
        client.webhooks.verify_signature(BODY, headers, secret="whsec_***")


def test_the_secret_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", SECRET)
    for client in clients():
        assert client.webhook_secret == SECRET
        assert client.webhooks.unwrap(BODY, sign(BODY)).data.id == "batch_1"
    assert oai.OpenAI(api_key="sk-x", webhook_secret="whsec_other").webhook_secret == "whsec_other"


def test_the_module_client_has_webhooks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oai, "api_key", "sk-x")
    monkeypatch.setattr(oai, "webhook_secret", SECRET)
    _module_client.reset()
    try:
        assert oai.webhooks.unwrap(BODY, sign(BODY)).type == "batch.completed"
    finally:
        _module_client.reset()


def test_the_function_takes_the_clock() -> None:
    headers = sign(BODY, at=1_000_000)
    verify_webhook_signature(BODY, headers, secret=SECRET, now=1_000_100)
    with pytest.raises(oai.InvalidWebhookSignatureError):
        verify_webhook_signature(BODY, headers, secret=SECRET, now=1_000_301)
