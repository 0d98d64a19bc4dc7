# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""The client core: configuration, what goes on the wire, options and copies."""

from __future__ import annotations

import json

import httpx
import pytest
from oai._core import (
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    Omit,
    OpenAIError,
    make_request_options,
    path_param,
)

from tests._client_fakes import (
    API_KEY,
    AsyncClient,
    Client,
    Item,
    Recorder,
    item_json,
    make_async_client,
    make_client,
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OAI_TEST_API_KEY", "OAI_TEST_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)


# -- configuration ---------------------------------------------------------------------------------------------------


def test_missing_api_key_names_the_env_var() -> None:
    with pytest.raises(OpenAIError, match="OAI_TEST_API_KEY"):
        Client()


def test_api_key_and_base_url_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAI_TEST_API_KEY", "sk-from-env-1234567890")
    monkeypatch.setenv("OAI_TEST_BASE_URL", "http://env.test/v2/")
    client = Client()
    assert client.api_key == "sk-from-env-1234567890"
    assert str(client.base_url) == "http://env.test/v2/"


def test_default_base_url_and_argument_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    assert str(Client(api_key="k").base_url) == "http://default.test/v1/"
    monkeypatch.setenv("OAI_TEST_BASE_URL", "http://env.test/v2")
    assert str(Client(api_key="k", base_url="http://arg.test/v3").base_url) == "http://arg.test/v3/"


def test_default_timeout_and_retries() -> None:
    client = Client(api_key="k")
    assert client.timeout == DEFAULT_TIMEOUT == httpx.Timeout(600.0, connect=5.0)
    assert client.max_retries == 2


def test_headers_on_the_wire(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    rec = Recorder()
    client = make_client(rec, project="proj-arg", default_headers={"X-Custom": "1"})
    client.items.create(name="a")
    headers = rec.requests[0].headers
    assert headers["authorization"] == f"Bearer {API_KEY}"
    assert headers["user-agent"].startswith("oai-python/")
    assert headers["accept"] == "application/json"
    assert headers["content-type"] == "application/json"
    assert headers["openai-organization"] == "org-env"
    assert headers["openai-project"] == "proj-arg"
    assert headers["x-custom"] == "1"
    # no duplicated header values from merging with httpx's defaults
    assert "," not in headers["accept"] and "," not in headers["user-agent"]


def test_no_org_or_project_header_by_default() -> None:
    rec = Recorder()
    make_client(rec).items.retrieve("x")
    assert "openai-organization" not in rec.requests[0].headers
    assert "openai-project" not in rec.requests[0].headers


def test_omit_removes_a_default_header() -> None:
    rec = Recorder()
    client = make_client(rec, organization="org-1")
    client.with_options(default_headers={"OpenAI-Organization": Omit()}).items.retrieve("x")
    client.items.create(name="a", extra_headers={"User-Agent": Omit(), "X-Extra": "yes"})
    assert "openai-organization" not in rec.requests[0].headers
    assert "user-agent" not in rec.requests[1].headers
    assert rec.requests[1].headers["x-extra"] == "yes"


def test_extra_headers_override_case_insensitively() -> None:
    rec = Recorder()
    make_client(rec).items.create(name="a", extra_headers={"authorization": "Bearer other"})
    assert rec.requests[0].headers.get_list("authorization") == ["Bearer other"]


# -- bodies and queries ----------------------------------------------------------------------------------------------


def test_not_given_is_absent_and_none_is_null() -> None:
    rec = Recorder()
    client = make_client(rec)
    client.items.create(name="a")
    client.items.create(name="b", value=None)
    client.items.create(name="c", value=3, extra_body={"more": {"x": 1}})
    bodies = [json.loads(r.content) for r in rec.requests]
    assert bodies[0] == {"name": "a"}
    assert bodies[1] == {"name": "b", "value": None}
    assert bodies[2] == {"name": "c", "value": 3, "more": {"x": 1}}


def test_not_given_nested_in_a_body_value_is_left_out_too() -> None:
    rec = Recorder()
    body = {
        "name": "n",
        "tools": [{"type": "function", "function": {"name": "f", "strict": NOT_GIVEN, "parameters": None}}],
        "meta": {"a": 1, "b": Omit(), "c": [NOT_GIVEN, 2]},
    }
    make_client(rec).request("post", "/echo", body=body, cast_to=Item)
    assert json.loads(rec.requests[0].content) == {
        "name": "n",
        "tools": [{"type": "function", "function": {"name": "f", "parameters": None}}],
        "meta": {"a": 1, "c": [2]},
    }
    assert body["tools"][0]["function"]["strict"] is NOT_GIVEN  # the caller's value is not changed


def test_models_in_the_body_are_sent_as_json() -> None:
    rec = Recorder()
    item = Item.model_validate({"id": "i", "value": 2})
    make_client(rec).request("post", "/echo", body={"item": item, "items": (1, 2)}, cast_to=Item)
    assert json.loads(rec.requests[0].content) == {"item": {"id": "i", "value": 2}, "items": [1, 2]}


def test_query_building() -> None:
    rec = Recorder(httpx.Response(200, json={"data": [], "has_more": False}))
    client = make_client(rec, default_query={"api-version": "1"})
    client.items.list(limit=5, tags=["a", "b"], extra_query={"flag": True})
    params = rec.requests[0].url.params
    assert params["api-version"] == "1"
    assert params["limit"] == "5"
    assert params.get_list("tags[]") == ["a", "b"]
    assert params["flag"] == "true"
    assert "after" not in params


def test_get_without_body_sends_no_content() -> None:
    rec = Recorder()
    make_client(rec).items.retrieve("x")
    assert rec.requests[0].content == b""
    assert rec.requests[0].method == "GET"
    assert rec.requests[0].url == "http://fake.test/v1/items/x"


def test_path_param_quotes_and_refuses_empty() -> None:
    assert path_param("ft:gpt-4o:org:abc") == "ft:gpt-4o:org:abc"
    assert path_param("a/b c?#") == "a%2Fb%20c%3F%23"
    assert path_param(12) == "12"
    with pytest.raises(ValueError):
        path_param("")


def test_request_id_on_returned_model() -> None:
    rec = Recorder(httpx.Response(200, json=item_json("i1"), headers={"x-request-id": "req_123"}))
    item = make_client(rec).items.retrieve("i1")
    assert isinstance(item, Item)
    assert item._request_id == "req_123"


def test_lenient_parse_keeps_unknown_fields() -> None:
    rec = Recorder(httpx.Response(200, json={"id": "i", "value": "not-an-int", "new_field": [1]}))
    item = make_client(rec).items.retrieve("i")
    assert item.id == "i"
    assert item.value == "not-an-int"  # type: ignore[comparison-overlap]
    assert item.new_field == [1]  # type: ignore[attr-defined]


# -- timeouts --------------------------------------------------------------------------------------------------------


def test_timeouts_client_call_and_with_options() -> None:
    rec = Recorder()
    client = make_client(rec, timeout=12.0)
    client.items.retrieve("x")
    client.items.retrieve("x", timeout=httpx.Timeout(3.0, connect=1.0))
    client.with_options(timeout=None).items.retrieve("x")
    client.items.create(name="a", timeout=7)
    timeouts = [r.extensions["timeout"] for r in rec.requests]
    assert timeouts[0] == httpx.Timeout(12.0).as_dict()
    assert timeouts[1] == httpx.Timeout(3.0, connect=1.0).as_dict()
    assert timeouts[2] == httpx.Timeout(None).as_dict()
    assert timeouts[3] == httpx.Timeout(7).as_dict()


def test_total_timeout_caps_the_attempt_timeout() -> None:
    rec = Recorder()
    client = make_client(rec, total_timeout=2.0)
    client.items.retrieve("x")
    timeout = rec.requests[0].extensions["timeout"]
    assert 0 < timeout["read"] <= 2.0 and 0 < timeout["connect"] <= 2.0


# -- copies and lifecycle --------------------------------------------------------------------------------------------


def test_with_options_copies_without_touching_the_original() -> None:
    rec = Recorder()
    client = make_client(rec, default_headers={"A": "1"}, default_query={"q": "1"})
    copy = client.with_options(max_retries=5, default_headers={"B": "2"}, timeout=3.0)
    assert isinstance(copy, Client)
    assert copy.max_retries == 5 and client.max_retries == 2
    assert copy._http is client._http
    assert copy.api_key == client.api_key and copy.base_url == client.base_url
    copy.items.retrieve("x")
    client.items.retrieve("x")
    assert rec.requests[0].headers["a"] == "1" and rec.requests[0].headers["b"] == "2"
    assert "b" not in rec.requests[1].headers
    assert copy.items is not client.items and copy.items._client is copy
    assert client.copy(set_default_headers={"C": "3"}).default_headers.get("A") is None


def test_with_options_rejects_conflicting_arguments() -> None:
    client = make_client(Recorder())
    with pytest.raises(ValueError):
        client.with_options(default_headers={}, set_default_headers={})


def test_context_manager_closes_and_copy_does_not_close_the_shared_pool() -> None:
    with Client(api_key="k") as client:
        with client.with_options(max_retries=0) as copy:
            assert copy.max_retries == 0
        assert not client.is_closed()
    assert client.is_closed()


def test_custom_http_client_is_used_and_not_closed() -> None:
    rec = Recorder()
    http = httpx.Client(transport=httpx.MockTransport(rec), headers={"X-From-Http-Client": "yes"})
    with Client(api_key="k", base_url="http://h.test", http_client=http) as client:
        client.items.retrieve("x")
    assert rec.requests[0].headers["x-from-http-client"] == "yes"
    assert not http.is_closed


def test_http_client_type_is_checked() -> None:
    with pytest.raises(TypeError):
        Client(api_key="k", http_client=httpx.AsyncClient())  # type: ignore[arg-type]


def test_request_options_only_hold_what_was_given() -> None:
    assert make_request_options() == {}
    options = make_request_options(timeout=None, extra_headers={"a": "b"})
    assert options == {"timeout": None, "extra_headers": {"a": "b"}}
    assert make_request_options(timeout=NOT_GIVEN) == {}


def test_base_url_setter_and_absolute_paths() -> None:
    rec = Recorder()
    client = make_client(rec)
    client.base_url = "http://other.test/x/"
    client.items.retrieve("y")
    client.request("get", "http://absolute.test/z", cast_to=Item)
    assert str(rec.requests[0].url) == "http://other.test/x/items/y"
    assert str(rec.requests[1].url) == "http://absolute.test/z"


# -- async -----------------------------------------------------------------------------------------------------------


async def test_async_client_basics() -> None:
    rec = Recorder(httpx.Response(200, json=item_json("a1"), headers={"x-request-id": "req_a"}))
    async with make_async_client(rec, organization="org-a") as client:
        item = await client.items.retrieve("a1")
        assert isinstance(item, Item) and item._request_id == "req_a"
        created = await client.items.create(name="n", extra_headers={"X-Y": "z"})
        assert isinstance(created, Item)
        copy = client.with_options(max_retries=0)
        assert isinstance(copy, AsyncClient) and copy._http is client._http
    assert rec.requests[0].headers["openai-organization"] == "org-a"
    assert json.loads(rec.requests[1].content) == {"name": "n"}
    assert rec.requests[1].headers["x-y"] == "z"


# -- the official SDK's low-level verbs --------------------------------------------------------------------------------


def test_low_level_verbs_accept_official_option_names() -> None:
    rec = Recorder(
        httpx.Response(200, json=item_json("v")),
        httpx.Response(200, json=item_json("v")),
        httpx.Response(200, json=item_json("v")),
        httpx.Response(200, json={"data": [item_json("p")], "has_more": False}),
    )
    client = make_client(rec)
    item = client.post(
        "/custom",
        cast_to=Item,
        body={"a": 1},
        options={"headers": {"X-H": "1"}, "params": {"q": "2"}, "max_retries": 0},
    )
    assert isinstance(item, Item)
    assert client.get("/custom", cast_to=httpx.Response, options={"extra_json": {"b": 2}}).status_code == 200
    assert isinstance(client.delete("/custom/1", cast_to=Item), Item)
    from oai._core import SyncCursorPage

    page = client.get_api_list("/things", model=Item, page=SyncCursorPage[Item])
    assert [i.id for i in page] == ["p"]
    first = rec.requests[0]
    assert first.headers["x-h"] == "1" and first.url.params["q"] == "2"
    assert "idempotency-key" not in first.headers  # max_retries=0
    assert json.loads(first.content) == {"a": 1}
    assert json.loads(rec.requests[1].content) == {"b": 2}
    assert rec.requests[2].method == "DELETE"


async def test_async_low_level_verbs() -> None:
    from oai._core import AsyncCursorPage

    rec = Recorder(httpx.Response(200, json=item_json("v")), httpx.Response(200, json={"data": [item_json("p")]}))
    client = make_async_client(rec)
    assert isinstance(await client.post("/custom", cast_to=Item, body={}), Item)
    assert [i.id async for i in client.get_api_list("/things", model=Item, page=AsyncCursorPage[Item])] == ["p"]
