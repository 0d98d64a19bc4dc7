"""Status errors, connection errors, validation errors: classes, attributes, messages; key redaction."""

from __future__ import annotations

import logging

import httpx
import pytest
from oai._core import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

from tests._client_fakes import API_KEY, Recorder, make_async_client, make_client


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_status_error_classes(status: int, cls: type[APIStatusError]) -> None:
    body = {"error": {"message": "Something specific", "type": "some_type", "code": "some_code", "param": "p"}}
    rec = Recorder(httpx.Response(status, json=body, headers={"x-request-id": "req_e"}))
    with pytest.raises(cls) as info:
        make_client(rec, max_retries=0).items.retrieve("x")
    err = info.value
    assert type(err) is cls
    assert isinstance(err, APIStatusError) and isinstance(err, APIError) and isinstance(err, OpenAIError)
    assert err.status_code == status
    assert err.response.status_code == status
    assert err.body == body["error"]  # as the official SDK: the error member
    assert (err.code, err.type, err.param) == ("some_code", "some_type", "p")
    assert err.request_id == "req_e"
    assert str(err) == f"Error code: {status} - Something specific"  # the message once, no body pasted


def test_auth_error_message_and_key_redaction() -> None:
    body = {"error": {"message": f"Incorrect API key provided: {API_KEY}.", "code": "invalid_api_key"}}
    rec = Recorder(httpx.Response(401, json=body))
    client = make_client(rec)
    with pytest.raises(AuthenticationError) as info:
        client.items.retrieve("x")
    message = str(info.value)
    assert message.startswith("Error code: 401 - Incorrect API key provided")
    assert API_KEY not in message
    assert API_KEY not in repr(info.value)
    assert API_KEY not in repr(client)


def test_non_json_error_body() -> None:
    rec = Recorder(httpx.Response(502, text="<html>Bad gateway</html>"))
    with pytest.raises(InternalServerError) as info:
        make_client(rec, max_retries=0).items.retrieve("x")
    assert info.value.body == "<html>Bad gateway</html>"
    assert info.value.code is None
    assert str(info.value) == "Error code: 502 - Bad gateway (HTML page, 24 bytes)"


PAGE = (
    "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>502 Bad Gateway | proxy</title></head>\n"
    + "<body>"
    + "<p>lorem ipsum</p>\n" * 500
    + "</body></html>"
)


def test_html_error_page_is_summarised_by_its_title_and_size() -> None:
    rec = Recorder(httpx.Response(502, text=PAGE, headers={"content-type": "text/html"}))
    with pytest.raises(InternalServerError) as info:
        make_client(rec, max_retries=0).items.retrieve("x")
    assert str(info.value) == f"Error code: 502 - 502 Bad Gateway | proxy (HTML page, {len(PAGE)} bytes)"
    assert info.value.body == PAGE  # the whole page stays on .body


async def test_async_html_error_page_without_title() -> None:
    page = "<html><body><h1>Service\n Unavailable</h1>" + "x" * 5000 + "</body></html>"
    rec = Recorder(httpx.Response(503, text=page))
    with pytest.raises(InternalServerError) as info:
        await make_async_client(rec, max_retries=0).items.retrieve("x")
    message = str(info.value)
    assert message.startswith("Error code: 503 - Service Unavailable x")
    assert message.endswith(f"(HTML page, {len(page)} bytes)")
    assert len(message) < 300


LONG_TEXT = "first line\nsecond line\n" + "more\n" * 100


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("upstream connect error", "upstream connect error"),
        (LONG_TEXT, f"first line... ({len(LONG_TEXT)} bytes)"),
    ],
)
def test_plain_text_error_body_first_line(text: str, expected: str) -> None:
    rec = Recorder(httpx.Response(400, text=text))
    with pytest.raises(BadRequestError) as info:
        make_client(rec, max_retries=0).items.retrieve("x")
    assert str(info.value) == f"Error code: 400 - {expected}"


async def test_async_json_error_without_message_is_quoted_short() -> None:
    rec = Recorder(httpx.Response(400, json={"detail": "Model not loaded"}))
    with pytest.raises(BadRequestError) as info:
        await make_async_client(rec, max_retries=0).items.retrieve("x")
    assert str(info.value) == "Error code: 400 - Model not loaded"
    assert info.value.body == {"detail": "Model not loaded"}
    rec = Recorder(httpx.Response(400, json={"oops": ["x" * 50] * 20}))
    with pytest.raises(BadRequestError) as info:
        await make_async_client(rec, max_retries=0).items.retrieve("x")
    assert str(info.value).startswith('Error code: 400 - {"oops": ["xxx') and str(info.value).endswith("...")


def test_empty_error_body() -> None:
    rec = Recorder(httpx.Response(404))
    with pytest.raises(NotFoundError) as info:
        make_client(rec).items.retrieve("x")
    assert info.value.body is None
    assert str(info.value) == "Error code: 404 - Not Found"


def test_top_level_error_fields() -> None:
    rec = Recorder(httpx.Response(400, json={"message": "bad thing", "type": "invalid", "code": 7}))
    with pytest.raises(BadRequestError) as info:
        make_client(rec).items.retrieve("x")
    assert info.value.code == "7" and info.value.type == "invalid"
    assert "bad thing" in str(info.value)


def test_non_json_success_body_is_a_validation_error() -> None:
    rec = Recorder(httpx.Response(200, text="not json"))
    with pytest.raises(APIResponseValidationError) as info:
        make_client(rec).items.retrieve("x")
    assert info.value.status_code == 200
    assert info.value.body == "not json"


def test_connection_error_types() -> None:
    with pytest.raises(APIConnectionError) as conn:
        make_client(Recorder(httpx.ConnectError("nope")), max_retries=0).items.retrieve("x")
    assert conn.value.request is not None
    with pytest.raises(APITimeoutError):
        make_client(Recorder(httpx.WriteTimeout("slow")), max_retries=0).items.retrieve("x")


async def test_async_status_error() -> None:
    rec = Recorder(httpx.Response(403, json={"error": {"message": "nope"}}))
    with pytest.raises(PermissionDeniedError) as info:
        await make_async_client(rec).items.retrieve("x")
    assert "nope" in str(info.value)


def test_api_key_never_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Debug logging shows requests, headers and retries, with the key masked everywhere."""
    rec = Recorder(
        httpx.Response(500, json={"error": {"message": f"echo {API_KEY}"}}),
        httpx.Response(200, json={"id": "i"}),
    )
    client = make_client(rec)
    with caplog.at_level(logging.DEBUG, logger="oai"):
        client.items.create(name="a")
        logging.getLogger("oai").info("client is %r, key %s", client, API_KEY)
        with pytest.raises(AuthenticationError):
            make_client(Recorder(httpx.Response(401, json={"error": {"message": API_KEY}}))).items.retrieve("x")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "Retrying" in text and "Request POST" in text
    assert "Bearer sk-...CRET" in text
    assert API_KEY not in text
    assert API_KEY not in caplog.text


def test_oai_log_env_sets_up_a_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    from oai._core import _logging

    monkeypatch.setenv("OAI_LOG", "debug")
    monkeypatch.setattr(_logging, "_configured", False)
    logger = logging.getLogger("oai")
    before = list(logger.handlers)
    level = logger.level
    try:
        _logging.setup_logging()
        added = [h for h in logger.handlers if h not in before]
        assert len(added) == 1 and logger.level == logging.DEBUG
    finally:
        for handler in logger.handlers[:]:
            if handler not in before:
                logger.removeHandler(handler)
        logger.setLevel(level)


def test_log_level_variables_oai_log_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    from oai._core._logging import log_level

    monkeypatch.delenv("OAI_LOG", raising=False)
    monkeypatch.delenv("OPENAI_LOG", raising=False)
    assert log_level() is None
    monkeypatch.setenv("OPENAI_LOG", "DEBUG")
    assert log_level() == "debug"
    monkeypatch.setenv("OAI_LOG", "info")
    assert log_level() == "info"  # oai's own name wins when both are set
    monkeypatch.setenv("OAI_LOG", "verbose")  # not a level: ignored, the official name applies
    assert log_level() == "debug"


_LOGGING_PROGRAM = """
import asyncio, httpx, oai
key = "sk-log-test-secret-0123456789"
def answer(request):
    return httpx.Response(200, json={"object": "list", "data": []})
client = oai.OpenAI(api_key=key, base_url="http://api.test/v1",
                    http_client=httpx.Client(transport=httpx.MockTransport(answer)))
client.models.list()
async def main():
    client = oai.AsyncOpenAI(api_key=key, base_url="http://api.test/v1",
                             http_client=httpx.AsyncClient(transport=httpx.MockTransport(answer)))
    await client.models.list()
asyncio.run(main())
"""


@pytest.mark.parametrize("variable", ["OPENAI_LOG", "OAI_LOG"])
def test_log_variable_logs_requests_sync_and_async_with_the_key_redacted(variable: str) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("OAI_LOG", "OPENAI_LOG")}
    env[variable] = "debug"
    done = subprocess.run(
        [sys.executable, "-c", _LOGGING_PROGRAM], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stderr.count("Request GET http://api.test/v1/models") == 2, done.stderr
    assert "sk-log-test-secret-0123456789" not in done.stderr
    assert "sk-...6789" in done.stderr
