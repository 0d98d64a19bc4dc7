"""Client options and wire facts of the official SDK that its own test suite relies on: ``admin_api_key``,
``_strict_response_validation`` and the ``X-Stainless-*`` platform headers (scripts/official_suite.py)."""

from __future__ import annotations

import platform
from typing import Any

import httpx
import oai
import pytest

KEY = "sk-project-key-0123456789"
ADMIN_KEY = "sk-admin-key-9876543210"

INVITE: dict[str, Any] = {
    "object": "organization.invite",
    "id": "invite-abc",
    "email": "user@example.com",
    "role": "owner",
    "status": "pending",
    "invited_at": 1711471533,
    "expires_at": 1711471533,
}
MODEL: dict[str, Any] = {"id": "gpt-4o-mini", "object": "model", "created": 1, "owned_by": "openai"}


class Recorder:
    """Answers every request with ``body`` and keeps the requests."""

    def __init__(self, body: object) -> None:
        self.body = body
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=self.body)

    @property
    def auth(self) -> str | None:
        return self.requests[-1].headers.get("authorization")


def make(server: Recorder, **kwargs: Any) -> oai.OpenAI:
    return oai.OpenAI(
        base_url="http://api.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(server)), **kwargs
    )


def amake(server: Recorder, **kwargs: Any) -> oai.AsyncOpenAI:
    return oai.AsyncOpenAI(
        base_url="http://api.test/v1", http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)), **kwargs
    )


@pytest.fixture(autouse=True)
def _no_env_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_ADMIN_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


# -- admin_api_key ------------------------------------------------------------------------------------------------


def test_admin_endpoints_send_the_admin_key_and_the_others_the_api_key() -> None:
    server = Recorder(INVITE)
    client = make(server, api_key=KEY, admin_api_key=ADMIN_KEY)
    invite = client.admin.organization.invites.retrieve("invite-abc")
    assert invite.id == "invite-abc"
    assert server.auth == f"Bearer {ADMIN_KEY}"
    server.body = MODEL
    client.models.retrieve("gpt-4o-mini")
    assert server.auth == f"Bearer {KEY}"


async def test_async_admin_endpoints_send_the_admin_key_and_the_others_the_api_key() -> None:
    server = Recorder(INVITE)
    client = amake(server, api_key=KEY, admin_api_key=ADMIN_KEY)
    invite = await client.admin.organization.invites.retrieve("invite-abc")
    assert invite.id == "invite-abc"
    assert server.auth == f"Bearer {ADMIN_KEY}"
    server.body = MODEL
    await client.models.retrieve("gpt-4o-mini")
    assert server.auth == f"Bearer {KEY}"


def test_admin_key_from_the_environment_alone_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_ADMIN_KEY", ADMIN_KEY)
    server = Recorder(INVITE)
    client = make(server)  # no api_key anywhere: the admin key alone makes a client
    assert client.admin_api_key == ADMIN_KEY
    assert client.api_key == ""
    client.admin.organization.invites.with_raw_response.retrieve("invite-abc")
    assert server.auth == f"Bearer {ADMIN_KEY}"
    server.body = MODEL
    client.models.retrieve("gpt-4o-mini")
    assert server.auth is None  # no key for the other endpoints: none is sent


async def test_async_admin_key_from_the_environment_alone_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_ADMIN_KEY", ADMIN_KEY)
    server = Recorder(INVITE)
    client = amake(server)
    await client.admin.organization.invites.with_raw_response.retrieve("invite-abc")
    assert server.auth == f"Bearer {ADMIN_KEY}"


def test_without_an_admin_key_the_admin_endpoints_use_the_api_key() -> None:
    server = Recorder(INVITE)
    make(server, api_key=KEY).admin.organization.invites.retrieve("invite-abc")
    assert server.auth == f"Bearer {KEY}"


async def test_async_without_an_admin_key_the_admin_endpoints_use_the_api_key() -> None:
    server = Recorder(INVITE)
    await amake(server, api_key=KEY).admin.organization.invites.retrieve("invite-abc")
    assert server.auth == f"Bearer {KEY}"


def test_no_key_at_all_names_both_ways_to_pass_one() -> None:
    with pytest.raises(oai.OpenAIError, match="OPENAI_API_KEY.*admin_api_key.*OPENAI_ADMIN_KEY"):
        oai.OpenAI()
    with pytest.raises(oai.OpenAIError, match="OPENAI_API_KEY.*admin_api_key.*OPENAI_ADMIN_KEY"):
        oai.AsyncOpenAI()


def test_extra_headers_still_win_over_the_admin_key() -> None:
    server = Recorder(INVITE)
    client = make(server, api_key=KEY, admin_api_key=ADMIN_KEY)
    client.admin.organization.invites.retrieve("invite-abc", extra_headers={"Authorization": "Bearer other"})
    assert server.auth == "Bearer other"


def test_with_options_keeps_or_replaces_the_admin_key() -> None:
    server = Recorder(INVITE)
    client = make(server, api_key=KEY, admin_api_key=ADMIN_KEY)
    client.with_options(timeout=5).admin.organization.invites.retrieve("invite-abc")
    assert server.auth == f"Bearer {ADMIN_KEY}"
    client.with_options(admin_api_key="sk-admin-other-1234").admin.organization.invites.retrieve("invite-abc")
    assert server.auth == "Bearer sk-admin-other-1234"


def test_admin_key_is_refused_with_a_line_break_and_never_shown() -> None:
    with pytest.raises(ValueError, match="admin_api_key") as info:
        oai.OpenAI(api_key=KEY, admin_api_key="sk-admin\nsecret")
    assert "secret" not in str(info.value)
    client = oai.OpenAI(api_key=KEY, admin_api_key=ADMIN_KEY)
    assert ADMIN_KEY not in repr(client)


# -- _strict_response_validation --------------------------------------------------------------------------------------

BAD_MODEL: dict[str, Any] = {"id": "gpt-4o-mini", "object": "model", "created": "not a number", "owned_by": "openai"}


def test_loose_client_keeps_a_response_that_does_not_fit() -> None:
    model = make(Recorder(BAD_MODEL), api_key=KEY).models.retrieve("gpt-4o-mini")
    assert model.id == "gpt-4o-mini"
    assert model.created == "not a number"  # kept as it came


def test_strict_client_raises_for_a_response_that_does_not_fit() -> None:
    client = make(Recorder(BAD_MODEL), api_key=KEY, _strict_response_validation=True)
    with pytest.raises(oai.APIResponseValidationError, match=r"does not fit Model: 1 error\(s\), first at created"):
        client.models.retrieve("gpt-4o-mini")
    raw = client.models.with_raw_response.retrieve("gpt-4o-mini")
    with pytest.raises(oai.APIResponseValidationError):
        raw.parse()
    # A response that fits is parsed as usual, and the setting survives with_options().
    server = Recorder(MODEL)
    strict = make(server, api_key=KEY, _strict_response_validation=True).with_options(timeout=5)
    assert strict.models.retrieve("gpt-4o-mini").created == 1
    assert strict._strict_response_validation is True  # pyright: ignore[reportPrivateUsage]


async def test_async_strict_client_raises_for_a_response_that_does_not_fit() -> None:
    client = amake(Recorder(BAD_MODEL), api_key=KEY, _strict_response_validation=True)
    with pytest.raises(oai.APIResponseValidationError, match="first at created"):
        await client.models.retrieve("gpt-4o-mini")
    loose = amake(Recorder(BAD_MODEL), api_key=KEY)
    assert (await loose.models.retrieve("gpt-4o-mini")).created == "not a number"


# -- X-Stainless-* platform headers -----------------------------------------------------------------------------------


def test_platform_headers_are_sent_as_the_official_sdk_sends_them() -> None:
    server = Recorder(MODEL)
    raw = make(server, api_key=KEY).models.with_raw_response.retrieve("gpt-4o-mini")
    headers = raw.http_request.headers
    assert headers["X-Stainless-Lang"] == "python"
    assert headers["X-Stainless-Package-Version"] == oai.__version__
    assert headers["X-Stainless-Runtime"] == platform.python_implementation()
    assert headers["X-Stainless-Runtime-Version"] == platform.python_version()
    assert headers["X-Stainless-Async"] == "false"
    assert headers["X-Stainless-OS"] and headers["X-Stainless-Arch"]


async def test_async_platform_headers_say_async() -> None:
    server = Recorder(MODEL)
    raw = await amake(server, api_key=KEY).models.with_raw_response.retrieve("gpt-4o-mini")
    assert raw.http_request.headers["X-Stainless-Lang"] == "python"
    assert raw.http_request.headers["X-Stainless-Async"] == "async:asyncio"


def test_a_platform_header_can_be_left_out() -> None:
    server = Recorder(MODEL)
    client = make(server, api_key=KEY, default_headers={"X-Stainless-OS": oai.Omit()})
    client.models.retrieve("gpt-4o-mini")
    assert "x-stainless-os" not in server.requests[-1].headers
    assert server.requests[-1].headers["x-stainless-lang"] == "python"
