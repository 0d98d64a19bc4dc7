"""The ``oai`` logger, switched on with ``OPENAI_LOG=info|debug`` (or ``OAI_LOG``), and secret redaction.

Every API key a client is given is registered here. :func:`redact` masks a
registered key in any text, in each form the text may quote it in: as is,
escaped the way ``repr()`` escapes a ``str`` or ``bytes`` (how transport errors
quote a header), and escaped as a JSON string; it also removes the userinfo
(``user:password@``) from every URL in the text. A filter on the logger and on
the handler it installs applies it to every log record, and every
:class:`~oai.APIError` applies it to its message, so a secret can only reach a
log or an error message by a path that bypasses this module entirely.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Mapping

import httpx

__all__ = ["logger", "redact", "redact_headers", "register_secret", "safe_url", "secret_forms", "setup_logging"]

logger = logging.getLogger("oai")

_secrets: dict[str, tuple[str, ...]] = {}
"""Each registered secret, with the forms a text may quote it in (itself first)."""
_secrets_lock = threading.Lock()
_MIN_SECRET = 8  # shorter "keys" (test placeholders such as "x") would shred ordinary text

_USERINFO = re.compile(r"(?<=//)[^/?#@\s]*@")
"""The ``user:password@`` of an authority (RFC 3986 section 3.2.1) after ``//``."""


def _quoted_forms(secret: str) -> tuple[str, ...]:
    forms = [secret, repr(secret)[1:-1], json.dumps(secret)[1:-1]]
    try:
        forms.append(repr(secret.encode())[2:-1])
    except UnicodeEncodeError:  # pragma: no cover - encode() is UTF-8 and cannot fail on a str
        pass
    return tuple(dict.fromkeys(forms))


def register_secret(secret: str | None) -> None:
    """Remember ``secret`` so :func:`redact` removes it from any text."""
    if secret and len(secret) >= _MIN_SECRET and secret not in _secrets:
        with _secrets_lock:
            _secrets[secret] = _quoted_forms(secret)


def secret_forms() -> list[str]:
    """Every registered secret in each form a text may quote it in, for redaction that must not move text
    (a cassette masks them character for character, so recorded chunks keep their byte offsets)."""
    return [form for forms in list(_secrets.values()) for form in forms]


def mask(secret: str) -> str:
    """A recognisable but useless form of a secret: its first 3 and last 4 characters."""
    if len(secret) < 12:
        return "***"
    return f"{secret[:3]}...{secret[-4:]}"


def redact(text: str) -> str:
    """``text`` with every registered secret masked (in any quoted form) and the userinfo of its URLs removed."""
    for secret, forms in list(_secrets.items()):
        for form in forms:
            if form in text:
                text = text.replace(form, mask(secret))
    if "@" in text:
        text = _USERINFO.sub("", text)
    return text


def safe_url(url: httpx.URL | str) -> str:
    """``url`` as text fit to show: without its userinfo (``user:password@``)."""
    if isinstance(url, str):
        url = httpx.URL(url)
    if url.userinfo:
        url = url.copy_with(userinfo=b"")
    return str(url)


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
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


_filter = _RedactingFilter()
logger.addFilter(_filter)
_configured = False


LOG_LEVELS = ("info", "debug")
LOG_VARIABLES = ("OAI_LOG", "OPENAI_LOG")
"""Where the log level is read, first match wins: oai's own name, then the official SDK's."""


def log_level() -> str | None:
    """``info`` or ``debug`` from ``OAI_LOG``, else from ``OPENAI_LOG`` (a value that is neither is ignored)."""
    for variable in LOG_VARIABLES:
        level = os.environ.get(variable, "").strip().lower()
        if level in LOG_LEVELS:
            return level
    return None


def setup_logging() -> None:
    """Apply ``OAI_LOG`` / ``OPENAI_LOG`` (``info`` or ``debug``) once: set the level and add a stderr handler."""
    global _configured
    if _configured:
        return
    _configured = True
    level = log_level()
    if level is None:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"))
    handler.addFilter(_filter)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if level == "debug" else logging.INFO)
