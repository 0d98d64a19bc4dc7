"""``client.webhooks``: checking that a webhook request came from OpenAI, and reading its event.

OpenAI signs the webhooks it sends the Standard Webhooks way: the ``webhook-id``, ``webhook-timestamp``
(Unix seconds) and ``webhook-signature`` headers, the signature being ``v1,<base64 HMAC-SHA256>`` of
``"<id>.<timestamp>.<body>"`` under the endpoint's secret (``whsec_<base64 key>``; the header may carry
several, space-separated, and one match suffices). ``verify_signature`` checks that and the timestamp's
age; ``unwrap`` checks, then parses the body. The secret is the ``secret=`` argument, else the client's
``webhook_secret`` (``OpenAI(webhook_secret=...)`` or ``OPENAI_WEBHOOK_SECRET``).

No HTTP request is made, so both classes are the same code (the async client's methods are plain
methods too, as in the official SDK). The webhook endpoints' management API (``create``, ``list``...) is
not in the spec oai is generated from; ``unwrap`` returns the event as a loose model (attribute access
at every level: ``event.type``, ``event.data.id``), since the event types are not in the spec either.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any, cast

import httpx

from .._core import AsyncAPIResource, SyncAPIResource
from ..types._unmapped import UnmappedModel
from ._official_errors import InvalidWebhookSignatureError

__all__ = ["AsyncWebhooks", "Webhooks", "verify_webhook_signature"]

DEFAULT_TOLERANCE = 300
"""Seconds a webhook's timestamp may be off from now, either way (the official default)."""

_NO_SECRET = (
    "No webhook secret: pass secret=..., or set it on the client (OpenAI(webhook_secret=...)) or in the "
    "OPENAI_WEBHOOK_SECRET environment variable."
)


def _header(headers: Mapping[str, str] | httpx.Headers, name: str) -> str:
    """The header ``name`` (any case); a missing one is a ``ValueError`` naming it."""
    if isinstance(headers, httpx.Headers):
        value = headers.get(name)
    else:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    if not value:
        raise ValueError(f"The webhook request has no {name} header")
    return value


def _key(secret: str) -> bytes:
    if not secret.startswith("whsec_"):
        return secret.encode()
    try:
        return base64.b64decode(secret[len("whsec_") :], validate=True)
    except binascii.Error:
        raise ValueError("The webhook secret starts with whsec_ but the rest is not base64") from None


def verify_webhook_signature(
    payload: str | bytes,
    headers: Mapping[str, str] | httpx.Headers,
    *,
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Raise :class:`~oai.InvalidWebhookSignatureError` unless ``payload`` is signed by ``secret`` and recent.

    ``now`` (Unix seconds) defaults to the clock. A missing header is a ``ValueError``.
    """
    signatures = _header(headers, "webhook-signature")
    timestamp = _header(headers, "webhook-timestamp")
    webhook_id = _header(headers, "webhook-id")
    try:
        sent = int(timestamp)
    except ValueError:
        raise InvalidWebhookSignatureError("The webhook-timestamp header is not a whole number of seconds") from None
    current = int(time.time() if now is None else now)
    if current - sent > tolerance:
        raise InvalidWebhookSignatureError(f"The webhook is older than the tolerance ({tolerance} s)")
    if sent - current > tolerance:
        raise InvalidWebhookSignatureError(f"The webhook's timestamp is ahead of now by more than {tolerance} s")
    body = payload if isinstance(payload, bytes) else payload.encode()
    digest = hmac.new(_key(secret), f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    expected = base64.b64encode(digest).decode()
    # Each space-separated entry is "v1,<signature>" (a bare signature is accepted too); one match suffices.
    candidates = [entry.partition(",")[2] if entry.startswith("v1,") else entry for entry in signatures.split()]
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise InvalidWebhookSignatureError("The webhook signature does not match the payload and the secret")


def _loose(value: Any) -> Any:
    """JSON as loose models all the way down (``event.data.id``), lists kept as lists."""
    if isinstance(value, dict):
        fields = cast("dict[str, Any]", value)
        return UnmappedModel.model_construct(**{k: _loose(v) for k, v in fields.items()})
    if isinstance(value, list):
        return [_loose(v) for v in cast("list[Any]", value)]
    return value


class _WebhooksMixin:
    _client: Any

    def _secret(self, secret: str | None) -> str:
        found = secret if secret is not None else self._client.webhook_secret
        if found is None:
            raise ValueError(_NO_SECRET)
        return cast("str", found)

    def verify_signature(
        self,
        payload: str | bytes,
        headers: Mapping[str, str] | httpx.Headers,
        *,
        secret: str | None = None,
        tolerance: int = DEFAULT_TOLERANCE,
    ) -> None:
        """Check that ``payload`` (the request body as received) and ``headers`` come from OpenAI.

        Raises :class:`~oai.InvalidWebhookSignatureError` when the signature does not match or the
        timestamp is more than ``tolerance`` seconds away from now; ``ValueError`` when there is no
        secret or a ``webhook-*`` header is missing.
        """
        verify_webhook_signature(payload, headers, secret=self._secret(secret), tolerance=tolerance)

    def unwrap(
        self,
        payload: str | bytes,
        headers: Mapping[str, str] | httpx.Headers,
        *,
        secret: str | None = None,
    ) -> Any:
        """:meth:`verify_signature`, then the event the body carries (``event.type``, ``event.data.id``...)."""
        self.verify_signature(payload, headers, secret=secret)
        return _loose(json.loads(payload))


class Webhooks(_WebhooksMixin, SyncAPIResource):
    """``client.webhooks``: :meth:`verify_signature` and :meth:`unwrap` for the webhooks OpenAI sends."""


class AsyncWebhooks(_WebhooksMixin, AsyncAPIResource):
    """``client.webhooks`` of the async client: the same plain methods (no I/O is involved)."""
