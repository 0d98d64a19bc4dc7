# pyright: standard
# (decoded events and clients of either kind are untyped here; the rest of tests/ is checked strictly)
"""Completeness, failures reported in a stream, and first_token_timeout, over real TCP, sync and async."""

from __future__ import annotations

import asyncio
from typing import Any

import oai
import pytest
from oai._core import make_request_options

from ._drive import MODES, drain, make_client
from ._server import TEXT, WORDS, ResumeServer

pytestmark = pytest.mark.parametrize("mode", MODES)

MESSAGES: list[Any] = [{"role": "user", "content": "hi"}]


def chat(**headers: str) -> Any:
    extra = {k.replace("_", "-"): v for k, v in headers.items()}
    return lambda c: c.chat.completions.create(model="m", messages=MESSAGES, stream=True, extra_headers=extra)


def responses(**headers: str) -> Any:
    extra = {k.replace("_", "-"): v for k, v in headers.items()}
    return lambda c: c.responses.create(model="m", input="hi", stream=True, extra_headers=extra)


def test_a_responses_stream_without_its_terminal_event_raises_stream_incomplete(
    server: ResumeServer, mode: str
) -> None:
    out = drain(mode, make_client(mode, server.base_url), responses(x_end_after="6"))
    assert isinstance(out.error, oai.StreamIncomplete)
    assert isinstance(out.error, oai.APIError)
    assert "response.completed" in str(out.error)
    assert out.error.partial.text == "".join(WORDS[:4])
    assert out.error.partial.events == 6 == len(out.chunks)
    assert out.stream.stats.completed is False


def test_require_terminal_event_false_accepts_a_server_that_never_sends_one(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url, require_terminal_event=False)
    out = drain(mode, client, responses(x_end_after="6"))
    assert out.error is None and len(out.chunks) == 6
    assert out.stream.stats.completed is False


def test_response_failed_raises_a_typed_error(server: ResumeServer, mode: str) -> None:
    out = drain(mode, make_client(mode, server.base_url), responses(x_fail="1"))
    assert type(out.error) is oai.APIStreamError
    assert "The model crashed." in str(out.error)
    assert out.error.code == "server_error"
    assert out.error.partial.text == TEXT


def test_finish_reason_error_raises_a_typed_error(server: ResumeServer, mode: str) -> None:
    out = drain(mode, make_client(mode, server.base_url), chat(x_chat="finish-error"))
    assert type(out.error) is oai.APIStreamError
    assert "finish_reason 'error'" in str(out.error)
    assert out.error.partial.text == TEXT


def test_a_chat_stream_ended_by_finish_reason_without_done_is_complete(server: ResumeServer, mode: str) -> None:
    out = drain(mode, make_client(mode, server.base_url), chat(x_chat="no-done"))
    assert out.error is None
    assert out.stream.stats.completed is True
    assert out.stream.partial.finish_reasons == {0: "stop"}


def test_a_chat_stream_without_done_or_finish_reason_raises_stream_incomplete(mode: str) -> None:
    from tests.faults._server import FaultServer

    with FaultServer() as faults:
        out = drain(mode, make_client(mode, faults.base_url), chat(x_fault="eof-no-done"))
    assert isinstance(out.error, oai.StreamIncomplete)
    assert "[DONE]" in str(out.error)
    assert out.error.partial.text == "w0 w1 "


def test_first_token_timeout_ends_a_stream_that_thinks_too_long(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url, first_token_timeout=0.3)
    out = drain(mode, client, chat(x_chat="slow-first", x_think="3"))
    assert isinstance(out.error, oai.APITimeoutError)
    assert "first_token_timeout" in str(out.error)
    assert len(out.chunks) == 1, "the role-only chunk came; no content did"
    assert out.stream.stats.time_to_first_content is None


def test_first_token_timeout_lets_a_model_think_longer_than_the_idle_bound(server: ResumeServer, mode: str) -> None:
    # Keep-alive comments do not count as events: without first_token_timeout the 0.3 s idle bound ends it.
    # The model thinks 1.5 s, five idle bounds, so a loaded machine cannot deliver the content before the bound.
    idle_only = drain(
        mode, make_client(mode, server.base_url, stream_idle_timeout=0.3), chat(x_chat="slow-first", x_think="1.5")
    )
    assert isinstance(idle_only.error, oai.APITimeoutError)
    client = make_client(mode, server.base_url, stream_idle_timeout=0.3, first_token_timeout=8)
    out = drain(mode, client, chat(x_chat="slow-first", x_think="1.5"))
    assert out.error is None
    assert out.stream.partial.text == TEXT
    stats = out.stream.stats
    assert stats.time_to_first_content is not None and stats.time_to_first_content >= 0.5
    assert stats.time_to_first_event is not None and stats.time_to_first_event < stats.time_to_first_content


def test_a_consumer_slower_than_the_idle_bound_keeps_the_bound_for_later_waits(server: ResumeServer, mode: str) -> None:
    # The caller spends 0.6 s on the first chunk, two idle bounds: that time is not idle time, so the stream
    # lives on. The model then sends keep-alives only, for 1.4 s more: the 0.3 s idle bound must still end it
    # (it was lost for the rest of the stream when the watch woke while the caller held the chunk).
    client = make_client(mode, server.base_url, stream_idle_timeout=0.3)
    out = drain(mode, client, chat(x_chat="slow-first", x_think="2"), hold_first=0.6)
    assert isinstance(out.error, oai.APITimeoutError)
    assert "stream_idle_timeout" in str(out.error)
    assert len(out.chunks) == 1, "the role-only chunk came; no content did"
    assert out.stream.stats.time_to_first_content is None


def test_first_token_timeout_per_call(server: ResumeServer, mode: str) -> None:
    options = make_request_options(first_token_timeout=0.3)
    assert options == {"first_token_timeout": 0.3}
    client = make_client(mode, server.base_url).with_options(first_token_timeout=0.3)
    out = drain(mode, client, chat(x_chat="slow-first", x_think="3"))
    assert isinstance(out.error, oai.APITimeoutError)


@pytest.mark.parametrize(
    ("value", "error", "says"),
    [
        (0, ValueError, "more than 0"),
        (-1.0, ValueError, "more than 0"),
        ("5", TypeError, "seconds"),
        (True, TypeError, "seconds"),
    ],
)
def test_bad_first_token_timeout_is_refused(mode: str, value: Any, error: type[Exception], says: str) -> None:
    cls = oai.OpenAI if mode == "sync" else oai.AsyncOpenAI

    async def construct() -> None:
        cls(api_key="k", base_url="http://127.0.0.1:9", first_token_timeout=value)

    with pytest.raises(error, match=says):
        if mode == "sync":
            cls(api_key="k", base_url="http://127.0.0.1:9", first_token_timeout=value)
        else:
            asyncio.run(construct())
    with pytest.raises(error, match=says):
        make_request_options(first_token_timeout=value)


def test_bad_resume_is_refused(mode: str) -> None:
    cls = oai.OpenAI if mode == "sync" else oai.AsyncOpenAI
    with pytest.raises(TypeError, match="resume must be True or False"):
        cls(api_key="k", base_url="http://127.0.0.1:9", resume="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="resume must be True or False"):
        make_request_options(resume=1)  # type: ignore[arg-type]
