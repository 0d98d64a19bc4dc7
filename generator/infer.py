"""Config-less generation: the ``sdk.yaml`` a spec implies, so any OpenAPI 3.0/3.1 document generates.

``python -m generator generate --spec ANY.yaml --output DIR`` reads no config: this module
derives one from the spec itself, and ``spec/sdk.yaml`` stays the way to override any of it.

* package and client names from ``info.title`` (``--package`` overrides the package);
* the base URL from the first of ``servers`` (its variables at their defaults; a relative URL
  is taken against ``http://localhost``);
* auth from ``securitySchemes`` and ``security``: HTTP bearer, OAuth2 and OpenID Connect send
  ``Authorization: Bearer <key>``; an API key goes in its header or query parameter; HTTP basic
  sends the key as ``user:password``; a cookie key is not supported (the client then sends none);
* every operation of the spec, named by :mod:`generator.parser`'s inference with clashes settled
  by operationId (``infer``); no stream terminator unless the spec's event schema names one.
"""

from __future__ import annotations

# pyright: standard
# (walks an untyped JSON/YAML document: strict mode would need a cast at every dict access)
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .config import AuthConfig, ClientConfig, OperationConfig, SdkConfig
from .errors import SpecError, pointer
from .naming import RESERVED_CLASS_NAMES, class_name, package_name, snake, words
from .specutil import iter_operations, resolve_ref

DEFAULT_HOST = "http://localhost"
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
# Words of an API title that say nothing about which API it is.
_NOISE = {"api", "apis", "openapi", "swagger", "spec", "specification", "rest", "http", "the", "for", "and", "of"}
_VERSION = re.compile(r"^(v?\d+|\d.*)$", re.IGNORECASE)


def infer_config(spec: dict[str, Any], spec_name: str, package: str | None = None) -> SdkConfig:
    info = _dict(spec.get("info"))
    title = str(info.get("title") or "") or Path(spec_name).stem
    name_words = title_words(title)
    if package is None:
        package = package_name(" ".join(name_words) or title)
    elif not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", package) or package.startswith("_"):
        raise SpecError("--package", "", f"{package!r} is not a Python package name")
    client = class_name("".join(w[:1].upper() + w[1:] for w in name_words) or "Client", set())
    if client in RESERVED_CLASS_NAMES or not client[:1].isalpha():
        client = "Client" if not client[:1].isalpha() else client + "Client"
    env = (snake(client) or "api").upper()
    operations = tuple(
        OperationConfig(index=i, operation_id=None, method=method, path=path, at=pointer("paths", path, method))
        for i, (path, method, _) in enumerate(iter_operations(spec))
    )
    return SdkConfig(
        package=package,
        version=str(info.get("version") or "0.0.0") if _is_version(info.get("version")) else "0.0.0",
        client=ClientConfig(
            sync_class=client,
            async_class="Async" + client,
            api_key_env=f"{env}_API_KEY",
            base_url_env=f"{env}_BASE_URL",
            default_base_url=base_url(spec),
            openai_headers=False,
            auth=infer_auth(spec),
        ),
        upstream_spec=None,
        stream_terminator=None,
        operations=operations,
        source=spec_name,
        package_doc=f"A Python client for {title}, generated from its OpenAPI spec by oai's generator.",
        infer=True,
        copy_core=True,
    )


def title_words(title: str) -> list[str]:
    """The words of an API title that name it: ``Swagger Petstore - OpenAPI 3.0`` -> ``["Petstore"]``."""
    tokens = [t for t in re.split(r"[\s\-_/:,;()\[\]|]+", title) if t]
    kept = [t for t in tokens if re.sub(r"[^a-z0-9]", "", t.lower()) not in _NOISE and not _VERSION.match(t)]
    return [w for t in kept for w in words(t)] or words(title)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _is_version(value: Any) -> bool:
    """A version Python packaging accepts (PEP 440's common form); anything else becomes 0.0.0."""
    return isinstance(value, str) and bool(re.fullmatch(r"\d+(\.\d+)*([abc]|rc)?\d*", value))


def base_url(spec: dict[str, Any]) -> str:
    servers = spec.get("servers")
    server = _dict(servers[0]) if isinstance(servers, list) and servers else {}
    url = server.get("url")
    if not isinstance(url, str) or not url.strip():
        return DEFAULT_HOST
    variables = _dict(server.get("variables"))

    def value(match: re.Match[str]) -> str:
        var = variables.get(match.group(1))
        default = var.get("default") if isinstance(var, dict) else None
        return str(default) if default is not None else ""

    url = re.sub(r"\{([^{}]*)\}", value, url.strip())
    if "://" not in url:
        url = DEFAULT_HOST + "/" + url.lstrip("/")
    # Whatever a spec puts there, the client must be able to parse it: spaces, quotes, controls and
    # non-ASCII are percent-encoded (RFC 3986 section 2.1).
    url = quote(url, safe=":/?#[]@!$&'()*+,;=%~")
    return url.rstrip("/") or DEFAULT_HOST


def infer_auth(spec: dict[str, Any]) -> AuthConfig:
    schemes = _dict(_dict(spec.get("components")).get("securitySchemes"))
    requirements: list[Any] = []
    top = spec.get("security")
    if isinstance(top, list):
        requirements += top
    open_operation = not isinstance(top, list) or not top or {} in top
    for _, _, op in iter_operations(spec):
        security = op.get("security")
        if isinstance(security, list):
            requirements += security
            open_operation = open_operation or not security or {} in security
    for requirement in requirements:
        if not isinstance(requirement, dict):
            continue
        for name in requirement:
            auth = _auth_of(spec, schemes.get(name), required=not open_operation)
            if auth is not None:
                return auth
    return AuthConfig(kind="none", required=False)


def _auth_of(spec: dict[str, Any], scheme: Any, *, required: bool) -> AuthConfig | None:
    if isinstance(scheme, dict) and isinstance(scheme.get("$ref"), str):
        try:
            scheme = resolve_ref(spec, scheme["$ref"])
        except KeyError:
            return None
    if not isinstance(scheme, dict):
        return None
    kind = scheme.get("type")
    if kind in ("oauth2", "openIdConnect"):
        return AuthConfig(kind="bearer", required=required)
    if kind == "http":
        http = str(scheme.get("scheme") or "").lower()
        if http == "bearer":
            return AuthConfig(kind="bearer", required=required)
        if http == "basic":
            return AuthConfig(kind="basic", required=required)
        return None
    if kind == "apiKey" and isinstance(scheme.get("name"), str) and scheme["name"]:
        where = scheme.get("in")
        if where == "header" and _HEADER_NAME.match(scheme["name"]):  # RFC 9110 5.1: a token
            return AuthConfig(kind="header", name=scheme["name"], required=required)
        if where == "query":
            return AuthConfig(kind="query", name=scheme["name"], required=required)
    return None
