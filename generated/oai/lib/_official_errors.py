"""Two errors the official SDK exports at its top level, with its names and semantics.

:class:`InvalidWebhookSignatureError` is what ``client.webhooks.verify_signature`` / ``unwrap`` raise when
a webhook's signature does not check out. :class:`OAuthError` is the official SDK's error for a failed
OAuth token exchange (its workload-identity authentication, which oai does not have): oai never raises
it, and exports it so that code catching it imports and runs unchanged.
"""

from __future__ import annotations

from typing import Any, cast

import httpx

from .._core import AuthenticationError

__all__ = ["InvalidWebhookSignatureError", "OAuthError"]


class InvalidWebhookSignatureError(ValueError):
    """A webhook's signature does not match its payload and the secret (or its timestamp is out of bounds)."""


class OAuthError(AuthenticationError):
    """An OAuth token endpoint refused: ``error`` is its error code (``"invalid_grant"``...), when it sent one.

    The message is the endpoint's ``error_description`` when it sent a string there.
    """

    error: str | None

    def __init__(self, *, response: httpx.Response, body: object | None) -> None:
        message = "OAuth authentication error."
        error: object = None
        sent: object = body
        if isinstance(sent, dict):
            fields = cast("dict[str, Any]", sent)
            error = fields.get("error")
            description: object = fields.get("error_description")
            if isinstance(description, str) and description:
                message = description
        super().__init__(message, response=response, body=body)
        self.error = error if isinstance(error, str) else None
