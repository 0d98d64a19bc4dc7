"""The ``oai`` logger, switched on with ``OAI_LOG=info|debug``, and secret redaction.

Every API key a client is given is registered here; a filter on the logger
and on the handler it installs replaces any registered key in a log record
with a redacted form, so a key can only reach a log by a path that bypasses
this module entirely.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping

__all__ = ["logger", "redact", "redact_headers", "register_secret", "setup_logging"]

logger = logging.getLogger("oai")

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_MIN_SECRET = 8  # shorter "keys" (test placeholders such as "x") would shred ordinary text


def register_secret(secret: str | None) -> None:
    """Remember ``secret`` so :func:`redact` removes it from any text."""
    if secret and len(secret) >= _MIN_SECRET and secret not in _secrets:
        with _secrets_lock:
            _secrets.add(secret)


def mask(secret: str) -> str:
    """A recognisable but useless form of a secret: its first 3 and last 4 characters."""
    if len(secret) < 12:
        return "***"
    return f"{secret[:3]}...{secret[-4:]}"


def redact(text: str) -> str:
    """``text`` with every registered secret masked."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, mask(secret))
    return text


_SENSITIVE_HEADERS = frozenset({"authorization", "api-key", "x-api-key", "proxy-authorization"})


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A printable copy of request headers with credentials masked."""
    out: dict[str, str] = {}
    for key, value in headers.items():
        if key.lower() in _SENSITIVE_HEADERS:
            scheme, _, cred = value.partition(" ")
            value = f"{scheme} {mask(cred)}" if cred else mask(value)
        out[key] = redact(value)
    return out


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


_filter = _RedactingFilter()
logger.addFilter(_filter)
_configured = False


def setup_logging() -> None:
    """Apply ``OAI_LOG`` (``info`` or ``debug``) once: set the level and add a stderr handler."""
    global _configured
    if _configured:
        return
    _configured = True
    level = os.environ.get("OAI_LOG", "").strip().lower()
    if level not in ("info", "debug"):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"))
    handler.addFilter(_filter)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if level == "debug" else logging.INFO)
