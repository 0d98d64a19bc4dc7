"""The module-level client behind ``oai.chat``, ``oai.files``...: built from ``oai``'s settings on first use.

As in the official SDK: ``oai.api_key``, ``oai.admin_api_key`` (OpenAI only), ``oai.base_url``,
``oai.timeout``... (``None``: from the environment, as for ``OpenAI()``), and for Azure ``oai.api_type``,
``oai.api_version``, ``oai.azure_endpoint``, ``oai.azure_ad_token``, ``oai.azure_ad_token_provider``. The client is
built the first time a resource is used and built again whenever a setting has changed since (so
``oai.api_key = ...`` takes effect on the next call); every client built without ``oai.http_client``
shares one connection pool, the first one's. Which client: ``api_type`` (or ``OPENAI_API_TYPE``) says;
unset, Azure settings or ``AZURE_OPENAI_API_KEY`` / ``AZURE_OPENAI_AD_TOKEN`` make it ``AzureOpenAI``,
and both OpenAI and Azure credentials at once are an error.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from types import ModuleType
from typing import Any, cast

import httpx

from .._client import OpenAI
from .._core import OpenAIError

__all__ = ["SETTINGS", "load_client"]

SETTINGS = (
    "api_key",
    "admin_api_key",
    "organization",
    "project",
    "webhook_secret",
    "base_url",
    "timeout",
    "max_retries",
    "default_headers",
    "default_query",
    "http_client",
    "api_type",
    "api_version",
    "azure_endpoint",
    "azure_ad_token",
    "azure_ad_token_provider",
)
"""The package's module-level settings, in the order they are read."""

_API_TYPES = ("openai", "azure")


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.client: OpenAI | None = None
        self.settings: tuple[object, ...] | None = None
        self.pools: dict[str, httpx.Client] = {}  # api type -> the pool of the first client built without one


_state = _State()


def _snapshot(module: ModuleType) -> tuple[object, ...]:
    """The settings now; mappings copied, so that a change made in place is seen too."""
    values: list[object] = []
    for name in SETTINGS:
        value: object = getattr(module, name, None)
        if isinstance(value, Mapping):
            value = dict(cast("Mapping[object, object]", value))
        values.append(value)
    values.append(_api_type(module))
    return tuple(values)


def _api_type(module: ModuleType) -> str:
    explicit = getattr(module, "api_type", None)
    if explicit is not None:
        if explicit not in _API_TYPES:
            raise OpenAIError(f"api_type must be one of {', '.join(_API_TYPES)}, got {explicit!r}")
        return str(explicit)
    azure = (
        getattr(module, "azure_endpoint", None) is not None
        or getattr(module, "azure_ad_token", None) is not None
        or getattr(module, "azure_ad_token_provider", None) is not None
        or os.environ.get("AZURE_OPENAI_API_KEY") is not None
        or os.environ.get("AZURE_OPENAI_AD_TOKEN") is not None
    )
    if azure and os.environ.get("OPENAI_API_KEY") is not None:
        raise OpenAIError(
            "Ambiguous module-level client: both OpenAI (OPENAI_API_KEY) and Azure settings are present; set"
            f" {module.__name__}.api_type (or OPENAI_API_TYPE) to 'openai' or 'azure'."
        )
    return "azure" if azure else "openai"


def _build(module: ModuleType, api_type: str) -> OpenAI:
    settings: dict[str, Any] = {
        "api_key": module.api_key,
        "organization": module.organization,
        "project": module.project,
        "webhook_secret": module.webhook_secret,
        "base_url": module.base_url,
        "timeout": module.timeout,
        "max_retries": module.max_retries,
        "default_headers": module.default_headers,
        "default_query": module.default_query,
        "http_client": module.http_client or _state.pools.get(api_type),
    }
    if api_type == "azure":
        from .azure import AzureOpenAI

        client: OpenAI = AzureOpenAI(
            api_version=module.api_version,
            azure_endpoint=module.azure_endpoint if module.base_url is None else None,
            azure_ad_token=module.azure_ad_token,
            azure_ad_token_provider=module.azure_ad_token_provider,
            **settings,
        )
    else:
        client = OpenAI(admin_api_key=getattr(module, "admin_api_key", None), **settings)
    if settings["http_client"] is None:
        _state.pools[api_type] = client._http  # pyright: ignore[reportPrivateUsage]  # shared by later rebuilds
    return client


def load_client(module: ModuleType) -> OpenAI:
    """The module-level client for the settings of ``module`` (the package) as they are now."""
    settings = _snapshot(module)
    client = _state.client
    if client is not None and settings == _state.settings:
        return client
    with _state.lock:
        if _state.client is None or settings != _state.settings:
            _state.client = _build(module, str(settings[-1]))
            _state.settings = settings
        return _state.client


def reset() -> None:
    """Forget the client (the next use builds one); its connection pools stay open for clients still using them."""
    with _state.lock:
        _state.client = None
        _state.settings = None
