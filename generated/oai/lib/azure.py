"""``AzureOpenAI`` / ``AsyncAzureOpenAI``: the clients for Azure OpenAI deployments (``oai.lib.azure``).

The same clients as ``OpenAI`` / ``AsyncOpenAI``, configured the Azure way, under the official SDK's names
and arguments:

- the service: ``azure_endpoint=`` (or ``AZURE_OPENAI_ENDPOINT``), the base URL becoming
  ``{azure_endpoint}/openai``, or ``{azure_endpoint}/openai/deployments/{azure_deployment}`` with
  ``azure_deployment=``; or a whole ``base_url=`` instead (not both);
- the API version: ``api_version=`` (or ``OPENAI_API_VERSION``), sent as the ``api-version`` query
  parameter of every request;
- the credential: ``api_key=`` (or ``AZURE_OPENAI_API_KEY``) sent in the ``api-key`` header, or an
  Entra ID (Azure AD) token sent as ``Authorization: Bearer``: ``azure_ad_token=`` (or
  ``AZURE_OPENAI_AD_TOKEN``), or ``azure_ad_token_provider=``, a function called before every request
  (on ``AsyncAzureOpenAI`` it may be a coroutine function). A token wins over a key when both are given;
- the deployment: the calls Azure routes by deployment (chat completions, completions, embeddings, audio,
  image generation and edits) go to ``/openai/deployments/{model}/...``, the ``model`` of the call naming
  the deployment, unless the base URL names one already. With ``azure_deployment=``, the other calls
  (files, batches...) go to ``{azure_endpoint}/openai/...``.

Every other argument (``timeout``, ``max_retries``, ``http_client``, ``total_timeout``...) is the
``OpenAI`` client's.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, cast

import httpx

from .._client import AsyncOpenAI, OpenAI
from .._core import NOT_GIVEN, NotGiven, OpenAIError, TimeoutTypes
from .._core._base_client import Call
from .._core._logging import register_secret
from .._core._options import RequestOptions
from .._core._types import Body, Omit, Query

__all__ = ["AsyncAzureADTokenProvider", "AsyncAzureOpenAI", "AzureADTokenProvider", "AzureOpenAI"]

AzureADTokenProvider = Callable[[], str]
AsyncAzureADTokenProvider = Callable[[], "str | Awaitable[str]"]

DEPLOYMENT_ENDPOINTS = frozenset(
    {
        "/completions",
        "/chat/completions",
        "/embeddings",
        "/audio/transcriptions",
        "/audio/translations",
        "/audio/speech",
        "/images/generations",
        "/images/edits",
    }
)
"""The paths Azure serves under ``/deployments/{deployment}``; a call's ``model`` names the deployment."""


def _settings(
    *,
    api_version: str | None,
    azure_endpoint: str | None,
    azure_deployment: str | None,
    api_key: str | None,
    azure_ad_token: str | None,
    has_provider: bool,
    base_url: str | httpx.URL | None,
    default_query: Mapping[str, object] | None,
) -> tuple[str, str | None, str, str | None, dict[str, object], str | None]:
    """The checked Azure settings: (api key, AD token, base URL, endpoint, default query, api version)."""
    if api_key is None:
        api_key = os.environ.get("AZURE_OPENAI_API_KEY")
    if azure_ad_token is None:
        azure_ad_token = os.environ.get("AZURE_OPENAI_AD_TOKEN")
    if not api_key and not azure_ad_token and not has_provider:
        raise OpenAIError(
            "Missing credentials: pass api_key=, azure_ad_token= or azure_ad_token_provider=, or set the"
            " AZURE_OPENAI_API_KEY or AZURE_OPENAI_AD_TOKEN environment variable."
        )
    if api_version is None:
        api_version = os.environ.get("OPENAI_API_VERSION")
    if api_version is None:
        raise ValueError("No API version: pass api_version= or set the OPENAI_API_VERSION environment variable.")
    query: dict[str, object] = {**(default_query or {}), "api-version": api_version}
    endpoint: str | None = None
    if base_url is None:
        endpoint = azure_endpoint if azure_endpoint is not None else os.environ.get("AZURE_OPENAI_ENDPOINT")
        if endpoint is None:
            raise ValueError(
                "No Azure endpoint: pass azure_endpoint= (or base_url=), or set the AZURE_OPENAI_ENDPOINT"
                " environment variable."
            )
        endpoint = endpoint.rstrip("/")
        base = f"{endpoint}/openai"
        if azure_deployment is not None:
            if not azure_deployment:
                raise ValueError("azure_deployment must not be empty")
            base += f"/deployments/{azure_deployment}"
    else:
        if azure_endpoint is not None:
            raise ValueError("base_url and azure_endpoint are mutually exclusive: pass one of them")
        base = str(base_url)
    if azure_ad_token:
        register_secret(azure_ad_token)
    return api_key or "", azure_ad_token or None, base, endpoint, query, api_version


def _token_header(token: object) -> str:
    if not isinstance(token, str) or not token:
        raise ValueError(
            f"azure_ad_token_provider must return a non-empty string (the token), it returned {type(token).__name__}"
        )
    register_secret(token)
    return f"Bearer {token}"


class _AzureMixin:
    """What both Azure clients do on top of the OpenAI client: the ``api-key`` header, deployments in the URL."""

    _api_key_env = "AZURE_OPENAI_API_KEY"
    _api_key_required = False

    api_key: str
    api_version: str | None
    _azure_ad_token: str | None
    _azure_endpoint: str | None
    _azure_deployment: str | None
    _base_url_str: str

    @property
    def auth_headers(self) -> dict[str, str]:
        """The key in the ``api-key`` header, unless a token is used (sent per call as ``Authorization``)."""
        if self._azure_ad_token is not None or self._token_provider() is not None:
            return {}
        return {"api-key": self.api_key} if self.api_key else {}

    def _token_provider(self) -> Callable[[], object] | None:
        raise NotImplementedError

    def _configure_azure(
        self,
        *,
        api_version: str | None,
        azure_endpoint: str | None,
        azure_deployment: str | None,
        api_key: str | None,
        azure_ad_token: str | None,
        base_url: str | httpx.URL | None,
        default_query: Mapping[str, object] | None,
        max_retries: int | None,
        fallback_endpoint: str | None,
        fallback_deployment: str | None,
    ) -> dict[str, Any]:
        """Both constructors' work: settle the Azure settings on ``self``; returns what the OpenAI client takes.

        ``fallback_*`` are the settings a ``with_options`` copy carries over (``_copy_settings``)."""
        key, token, base, endpoint, query, version = _settings(
            api_version=api_version,
            azure_endpoint=azure_endpoint,
            azure_deployment=azure_deployment,
            api_key=api_key,
            azure_ad_token=azure_ad_token,
            has_provider=self._token_provider() is not None,
            base_url=base_url,
            default_query=default_query,
        )
        self.api_version = version
        self._azure_ad_token = token
        self._azure_endpoint = endpoint if endpoint is not None else fallback_endpoint
        self._azure_deployment = azure_deployment if azure_deployment is not None else fallback_deployment
        client: dict[str, Any] = {"api_key": key, "base_url": base, "default_query": query}
        if max_retries is not None:
            client["max_retries"] = max_retries
        return client

    def _azure_path(self, path: str, body: Body | None) -> str:
        """``path`` routed as Azure wants it: ``/deployments/{model}`` first, or under the bare endpoint."""
        if "://" in path:
            return path
        if path in DEPLOYMENT_ENDPOINTS:
            model = cast("Mapping[str, object]", body).get("model") if isinstance(body, Mapping) else None
            if isinstance(model, str) and model and "/deployments" not in httpx.URL(self._base_url_str).path:
                from .._core import path_param

                return f"/deployments/{path_param(model)}{path}"
        elif self._azure_deployment is not None and self._azure_endpoint is not None:
            return f"{self._azure_endpoint}/openai{path}"
        return path

    def _prepare(
        self,
        method: str,
        path: str,
        body: Body | None,
        query: Query | None,
        options: RequestOptions,
        stream: bool,
        sse: bool | None = None,
    ) -> Call:
        prepare = cast("Any", super())._prepare  # OpenAI's / AsyncOpenAI's
        return cast("Call", prepare(method, self._azure_path(path, body), body, query, options, stream, sse))

    def _copy_settings(self) -> dict[str, Any]:
        return {
            "api_version": self.api_version,
            "azure_ad_token": self._azure_ad_token,
            "azure_ad_token_provider": self._token_provider(),
            "_azure_endpoint": self._azure_endpoint,
            "_azure_deployment": self._azure_deployment,
        }

    def _set_token(self, call: Call, token: object) -> None:
        if "authorization" in call.headers:  # one the caller set in extra_headers or default_headers wins
            return
        call.headers = httpx.Headers(call.headers)
        call.headers["Authorization"] = _token_header(token)


class AzureOpenAI(_AzureMixin, OpenAI):
    """``OpenAI`` for an Azure OpenAI resource (see the module docstring for the arguments)."""

    def __init__(
        self,
        *,
        api_version: str | None = None,
        azure_endpoint: str | None = None,
        azure_deployment: str | None = None,
        api_key: str | None = None,
        azure_ad_token: str | None = None,
        azure_ad_token_provider: AzureADTokenProvider | None = None,
        organization: str | None = None,
        project: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str | Omit] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.Client | None = None,
        _azure_endpoint: str | None = None,
        _azure_deployment: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Configure a client for ``azure_endpoint`` (see the module docstring); other arguments as ``OpenAI``'s."""
        self._azure_ad_token_provider = azure_ad_token_provider
        client = self._configure_azure(
            api_version=api_version,
            azure_endpoint=azure_endpoint,
            azure_deployment=azure_deployment,
            api_key=api_key,
            azure_ad_token=azure_ad_token,
            base_url=base_url,
            default_query=default_query,
            max_retries=max_retries,
            fallback_endpoint=_azure_endpoint,
            fallback_deployment=_azure_deployment,
        )
        super().__init__(
            organization=organization,
            project=project,
            timeout=timeout,
            default_headers=default_headers,
            http_client=http_client,
            **client,
            **kwargs,
        )

    def _token_provider(self) -> Callable[[], object] | None:
        return self._azure_ad_token_provider

    def _prepare_call(self, call: Call) -> None:
        if self._azure_ad_token is not None:
            self._set_token(call, self._azure_ad_token)
        elif self._azure_ad_token_provider is not None:
            self._set_token(call, self._azure_ad_token_provider())


class AsyncAzureOpenAI(_AzureMixin, AsyncOpenAI):
    """``AsyncOpenAI`` for an Azure OpenAI resource; ``azure_ad_token_provider`` may be a coroutine function."""

    def __init__(
        self,
        *,
        api_version: str | None = None,
        azure_endpoint: str | None = None,
        azure_deployment: str | None = None,
        api_key: str | None = None,
        azure_ad_token: str | None = None,
        azure_ad_token_provider: AsyncAzureADTokenProvider | None = None,
        organization: str | None = None,
        project: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str | Omit] | None = None,
        default_query: Mapping[str, object] | None = None,
        http_client: httpx.AsyncClient | None = None,
        _azure_endpoint: str | None = None,
        _azure_deployment: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Configure a client for ``azure_endpoint`` (see the module docstring); others as ``AsyncOpenAI``'s."""
        self._azure_ad_token_provider = azure_ad_token_provider
        client = self._configure_azure(
            api_version=api_version,
            azure_endpoint=azure_endpoint,
            azure_deployment=azure_deployment,
            api_key=api_key,
            azure_ad_token=azure_ad_token,
            base_url=base_url,
            default_query=default_query,
            max_retries=max_retries,
            fallback_endpoint=_azure_endpoint,
            fallback_deployment=_azure_deployment,
        )
        super().__init__(
            organization=organization,
            project=project,
            timeout=timeout,
            default_headers=default_headers,
            http_client=http_client,
            **client,
            **kwargs,
        )

    def _token_provider(self) -> Callable[[], object] | None:
        return self._azure_ad_token_provider

    async def _prepare_call(self, call: Call) -> None:
        if self._azure_ad_token is not None:
            self._set_token(call, self._azure_ad_token)
        elif self._azure_ad_token_provider is not None:
            token = self._azure_ad_token_provider()
            if inspect.isawaitable(token):
                token = await token
            self._set_token(call, token)
