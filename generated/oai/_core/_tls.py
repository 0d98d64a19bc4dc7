"""The TLS context of the HTTP client oai builds when the caller gives none.

httpx builds its default context by parsing the whole certifi bundle (about 150
certificates) the moment a client is constructed: ~30 ms, paid even by a client
that only ever talks plain HTTP to a local server (vLLM, llama.cpp, Ollama on
127.0.0.1). ``DeferredCAContext`` is the same context, verifying the same way
against the same trust anchors, except that it reads them on its first TLS
handshake instead of at construction.

Every handshake goes through ``wrap_socket`` (httpcore's sync backend) or
``wrap_bio`` (anyio and trio, which httpcore's async backends use), so both load
the trust anchors before they do anything else: no connection is ever verified
against an empty store. (``cert_store_stats()`` shows what is loaded so far:
nothing until the first handshake.)
"""

from __future__ import annotations

import os
import ssl
import sys
import threading
from typing import Any

__all__ = ["DeferredCAContext", "default_ssl_context"]


class DeferredCAContext(ssl.SSLContext):
    """A client ``SSLContext`` (certificate and host name checked) whose CA file or folder is read on first use."""

    def __init__(self, protocol: int = ssl.PROTOCOL_TLS_CLIENT, *, cafile: str | None, capath: str | None) -> None:
        # ssl.SSLContext.__new__ takes the protocol and ignores the rest; the CA locations are kept for later.
        super().__init__()
        self._cafile = cafile
        self._capath = capath
        self._loaded = False
        self._lock = threading.Lock()

    def _load_trust_anchors(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if not self._loaded:
                self.load_verify_locations(cafile=self._cafile, capath=self._capath)
                self._loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._load_trust_anchors()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._load_trust_anchors()
        return super().wrap_bio(*args, **kwargs)


def default_ssl_context(trust_env: bool = True) -> DeferredCAContext:
    """What httpx would verify against by default, read lazily.

    The trust anchors are chosen as httpx chooses them: ``SSL_CERT_FILE``, else
    ``SSL_CERT_DIR`` (both only with ``trust_env``), else the certifi bundle.
    Like ``ssl.create_default_context``, ``SSLKEYLOGFILE`` is honoured.
    """
    cafile: str | None = None
    capath: str | None = None
    if trust_env and os.environ.get("SSL_CERT_FILE"):
        cafile = os.environ["SSL_CERT_FILE"]
    elif trust_env and os.environ.get("SSL_CERT_DIR"):
        capath = os.environ["SSL_CERT_DIR"]
    else:
        import certifi  # an httpx dependency

        cafile = certifi.where()
    # PROTOCOL_TLS_CLIENT: certificate required and host name checked, as ssl.create_default_context sets them.
    context = DeferredCAContext(ssl.PROTOCOL_TLS_CLIENT, cafile=cafile, capath=capath)
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and not sys.flags.ignore_environment:
        context.keylog_filename = keylog
    return context
