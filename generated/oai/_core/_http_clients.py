"""The HTTP clients oai builds when the caller passes none, under the official SDK's names.

* ``DefaultHttpxClient`` / ``DefaultAsyncHttpxClient``: ``httpx.Client`` /
  ``httpx.AsyncClient`` with the SDK's defaults (its timeout, 1,000
  connections of which 100 kept alive, redirects followed, the TLS context of
  ``_tls`` that reads its trust anchors on the first handshake). Any argument
  passed replaces the default of that name, as in the official SDK.
* ``DefaultAioHttpClient``: the same ``httpx.AsyncClient``, on aiohttp's
  connection pool (``oai._core._aiohttp``), which keeps the client's CPU per
  stream flat from 10 to 2,000 concurrent streams where httpx's own pool does
  not (docs/benchmarks.md). It needs the ``aiohttp`` extra
  (``pip install 'oai[aiohttp]'``); without it, building one raises
  ``RuntimeError`` saying so. aiohttp is imported when one is built, never by
  ``import oai``.

The rule for ``AsyncOpenAI()`` without ``http_client=`` is
:func:`async_default_http_client`; ``OpenAI()`` always uses
``DefaultHttpxClient`` (aiohttp has no blocking API).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import ssl
from typing import TYPE_CHECKING, Any

import httpx

from ._constants import DEFAULT_TIMEOUT
from ._tls import default_ssl_context

__all__ = [
    "ASYNC_TRANSPORT_ENV",
    "DEFAULT_CONNECTION_LIMITS",
    "DefaultAioHttpClient",
    "DefaultAsyncHttpxClient",
    "DefaultHttpxClient",
    "aiohttp_installed",
    "async_default_http_client",
    "default_http_client",
    "http_client_type_error",
]

DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
"""1,000 connections, 100 of them kept alive when idle (the official SDK's figures).

Fewer idle connections measured no better, none at all 3x worse on httpx's
pool; aiohttp's pool keeps idle connections for ``keepalive_expiry`` seconds
instead of counting them (docs/benchmarks.md)."""

ASYNC_TRANSPORT_ENV = "OAI_ASYNC_TRANSPORT"
"""``httpx`` or ``aiohttp``: which pool ``AsyncOpenAI()`` uses when no ``http_client`` is passed.

Unset (or empty): aiohttp's when the ``aiohttp`` extra is installed, httpx's otherwise."""

_EXTRA_MISSING = (
    "DefaultAioHttpClient needs the aiohttp extra: pip install 'oai[aiohttp]' (it brings aiohttp and httpx-aiohttp)."
)


def _with_defaults(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` with the SDK's defaults for what the caller left out."""
    kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
    kwargs.setdefault("limits", DEFAULT_CONNECTION_LIMITS)
    kwargs.setdefault("follow_redirects", True)
    if "verify" not in kwargs:
        # What httpx would verify against, read on the first TLS handshake instead of now (``_tls``).
        kwargs["verify"] = default_ssl_context(trust_env=kwargs.get("trust_env", True))
    return kwargs


class _DefaultHttpxClient(httpx.Client):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_with_defaults(kwargs))


class _DefaultAsyncHttpxClient(httpx.AsyncClient):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**_with_defaults(kwargs))


@functools.cache
def aiohttp_installed() -> bool:
    """Whether the ``aiohttp`` extra is installed (looked up once, without importing it)."""
    return all(importlib.util.find_spec(name) is not None for name in ("aiohttp", "httpx_aiohttp"))


class _DefaultAioHttpClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` whose transports -- the default one and those for proxies -- are aiohttp's.

    The two ``_init_*`` hooks are where ``httpx.AsyncClient`` builds its
    transports: overriding them (rather than passing ``transport=``) keeps
    httpx's handling of ``proxy=`` and of the proxy environment variables
    (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY`` with ``trust_env``).
    """

    def __init__(self, **kwargs: Any) -> None:
        if not aiohttp_installed():
            raise RuntimeError(_EXTRA_MISSING)
        super().__init__(**_with_defaults(kwargs))

    def _init_transport(
        self,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = DEFAULT_CONNECTION_LIMITS,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> httpx.AsyncBaseTransport:
        if transport is not None:
            return transport
        from ._aiohttp import AiohttpTransport

        return AiohttpTransport(verify=verify, cert=cert, trust_env=trust_env, http1=http1, http2=http2, limits=limits)

    def _init_proxy_transport(
        self,
        proxy: httpx.Proxy,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = DEFAULT_CONNECTION_LIMITS,
    ) -> httpx.AsyncBaseTransport:
        from ._aiohttp import AiohttpTransport

        return AiohttpTransport(
            verify=verify, cert=cert, trust_env=trust_env, http1=http1, http2=http2, limits=limits, proxy=proxy
        )


if TYPE_CHECKING:
    # What a type checker sees, as in the official SDK: the httpx classes themselves.
    DefaultHttpxClient = httpx.Client
    """``httpx.Client`` with the defaults the SDK uses (passing your own ``httpx.Client`` gets httpx's)."""
    DefaultAsyncHttpxClient = httpx.AsyncClient
    """``httpx.AsyncClient`` with the defaults the SDK uses, on httpx's own connection pool."""
    DefaultAioHttpClient = httpx.AsyncClient
    """``httpx.AsyncClient`` with the defaults the SDK uses, on aiohttp's connection pool."""
else:
    DefaultHttpxClient = _DefaultHttpxClient
    DefaultAsyncHttpxClient = _DefaultAsyncHttpxClient
    DefaultAioHttpClient = _DefaultAioHttpClient


def _async_transport_choice() -> str:
    value = os.environ.get(ASYNC_TRANSPORT_ENV, "").strip().lower()
    if value in ("", "httpx", "aiohttp"):
        return value
    raise ValueError(f"{ASYNC_TRANSPORT_ENV} must be 'httpx' or 'aiohttp' (or unset), got {value!r}")


def http_client_type_error(value: object, *, is_async: bool) -> TypeError:
    """The error for an ``http_client=`` that is not the httpx client the SDK sends with, saying what to pass."""
    expected = "httpx.AsyncClient" if is_async else "httpx.Client"
    default = "oai.DefaultAsyncHttpxClient" if is_async else "oai.DefaultHttpxClient"
    kind = type(value)
    got = f"{kind.__module__}.{kind.__qualname__}"
    if kind.__module__.split(".")[0] == "httpx2":
        # The official SDK's 3.x line is built on httpx2, a fork of httpx: oai is built on httpx itself.
        hint = (
            f"oai is built on httpx, not httpx2: pass an {expected} (or {default}(...), which takes the same "
            "arguments as the official SDK's DefaultHttpx2Client)"
        )
    elif isinstance(value, httpx.Client if is_async else httpx.AsyncClient):
        hint = f"{'AsyncOpenAI' if is_async else 'OpenAI'} sends with an {expected} ({default}(...))"
    else:
        hint = f"pass an {expected} (or {default}(...))"
    return TypeError(f"http_client must be an {expected}, got {got}: {hint}")


def default_http_client(timeout: httpx.Timeout) -> httpx.Client:
    """The HTTP client ``OpenAI()`` builds when none is passed."""
    return DefaultHttpxClient(timeout=timeout)


def async_default_http_client(timeout: httpx.Timeout) -> httpx.AsyncClient:
    """The HTTP client ``AsyncOpenAI()`` builds when none is passed.

    The rule: aiohttp's pool (``DefaultAioHttpClient``) when the ``aiohttp``
    extra is installed, httpx's own (``DefaultAsyncHttpxClient``) otherwise.
    ``OAI_ASYNC_TRANSPORT=httpx`` opts out for the whole process, and
    ``http_client=DefaultAsyncHttpxClient()`` for one client;
    ``OAI_ASYNC_TRANSPORT=aiohttp`` insists (an error when the extra is missing).
    """
    choice = _async_transport_choice()
    if choice == "aiohttp" or (not choice and aiohttp_installed()):
        return DefaultAioHttpClient(timeout=timeout)
    return DefaultAsyncHttpxClient(timeout=timeout)
