"""What the official SDK leaves optional where the spec requires it (spec/official_optional.yaml, applied by
generator/official_optional.py): such fields may be missing from a response even under
``_strict_response_validation``, and such parameters may be left out of a call."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import oai
import pytest
from oai.types import OutputTextContent, Response

KEY = "sk-test-key-0123456789"

# A Responses answer without the fields the official SDK leaves optional: `logprobs` of the output text,
# and the response's `error`, `incomplete_details`, `instructions`, `metadata`, `temperature`, `top_p`.
RESPONSE: dict[str, Any] = {
    "id": "resp_1",
    "object": "response",
    "created_at": 1741476777,
    "status": "completed",
    "completed_at": 1741476778,
    "max_output_tokens": None,
    "model": "gpt-4o-2024-08-06",
    "output": [
        {
            "type": "message",
            "id": "msg_1",
            "status": "completed",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "A boardwalk through green grass.", "annotations": []}],
        }
    ],
    "parallel_tool_calls": True,
    "previous_response_id": None,
    "reasoning": {"effort": None, "summary": None, "context": None},
    "store": True,
    "text": {"format": {"type": "text"}},
    "tool_choice": "auto",
    "tools": [],
    "truncation": "disabled",
    "usage": {
        "input_tokens": 328,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": 52,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": 380,
    },
    "user": None,
}
SKILL: dict[str, Any] = {
    "id": "skill_1",
    "object": "skill",
    "created_at": 1,
    "default_version": "1",
    "description": "d",
    "latest_version": "1",
    "name": "n",
}
VERSION: dict[str, Any] = {
    "id": "skillver_1",
    "object": "skill.version",
    "created_at": 1,
    "description": "d",
    "name": "n",
    "skill_id": "skill_1",
    "version": "2",
}


class Recorder:
    def __init__(self, body: object) -> None:
        self.body = body
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return httpx.Response(200, json=self.body)


def make(server: Recorder) -> oai.OpenAI:
    transport = httpx.MockTransport(server)
    return oai.OpenAI(
        api_key=KEY,
        base_url="http://api.test/v1",
        http_client=httpx.Client(transport=transport),
        _strict_response_validation=True,
    )


def amake(server: Recorder) -> oai.AsyncOpenAI:
    transport = httpx.MockTransport(server)
    return oai.AsyncOpenAI(
        api_key=KEY,
        base_url="http://api.test/v1",
        http_client=httpx.AsyncClient(transport=transport),
        _strict_response_validation=True,
    )


def _check_response(response: Response) -> None:
    assert isinstance(response, Response)
    text = response.output[0]
    assert text.type == "message"
    part = text.content[0]
    assert isinstance(part, OutputTextContent)
    assert part.text == "A boardwalk through green grass." and part.logprobs is None
    assert response.metadata is None and response.temperature is None and response.error is None


def test_model_takes_a_field_the_official_sdk_leaves_optional() -> None:
    part = OutputTextContent.model_validate({"type": "output_text", "text": "hi", "annotations": []})
    assert part.logprobs is None
    logprob = {"token": "hi", "logprob": -0.1, "bytes": [104, 105], "top_logprobs": []}
    given = OutputTextContent.model_validate(
        {"type": "output_text", "text": "hi", "annotations": [], "logprobs": [logprob]}
    )
    assert given.logprobs is not None and given.logprobs[0].token == "hi"
    # Only the listed fields loosen: `text` stays required.
    with pytest.raises(ValueError, match="text"):
        OutputTextContent.model_validate({"type": "output_text", "annotations": []})


def test_strict_client_accepts_a_response_without_the_optional_fields() -> None:
    server = Recorder(RESPONSE)
    _check_response(make(server).responses.create(model="gpt-4o", input="hi"))
    # Still strict about what stays required.
    broken = copy.deepcopy(RESPONSE)
    del broken["output"][0]["content"][0]["text"]
    with pytest.raises(oai.APIResponseValidationError, match=r"output\.0\.message\.content\.0\.output_text\.text"):
        make(Recorder(broken)).responses.create(model="gpt-4o", input="hi")


async def test_async_strict_client_accepts_a_response_without_the_optional_fields() -> None:
    server = Recorder(RESPONSE)
    _check_response(await amake(server).responses.create(model="gpt-4o", input="hi"))
    broken = copy.deepcopy(RESPONSE)
    del broken["output"][0]["content"][0]["text"]
    with pytest.raises(oai.APIResponseValidationError, match=r"output_text\.text"):
        await amake(Recorder(broken)).responses.create(model="gpt-4o", input="hi")


def _sends_no_files(request: httpx.Request) -> None:
    assert request.method == "POST"
    assert b'name="files"' not in request.content


def test_skills_create_without_files() -> None:
    server = Recorder(SKILL)
    client = make(server)
    assert client.skills.create().id == "skill_1"
    assert server.requests[-1].url.path == "/v1/skills"
    _sends_no_files(server.requests[-1])
    server.body = VERSION
    assert client.skills.versions.create("skill_1").version == "2"
    assert server.requests[-1].url.path == "/v1/skills/skill_1/versions"
    _sends_no_files(server.requests[-1])
    # Given, the files go as multipart parts as before.
    client.skills.versions.create("skill_1", files=("SKILL.md", b"# skill"))
    assert b'name="files"; filename="SKILL.md"' in server.requests[-1].content
    # The path parameter is still checked before anything is sent.
    sent = len(server.requests)
    with pytest.raises(ValueError, match="skill_id"):
        client.skills.versions.create("")
    assert len(server.requests) == sent


async def test_async_skills_create_without_files() -> None:
    server = Recorder(SKILL)
    client = amake(server)
    assert (await client.skills.create()).id == "skill_1"
    _sends_no_files(server.requests[-1])
    server.body = VERSION
    assert (await client.skills.versions.create("skill_1")).version == "2"
    _sends_no_files(server.requests[-1])
    server.body = SKILL
    await client.skills.create(files=[("a.md", b"a"), ("SKILL.md", b"# skill")])
    assert server.requests[-1].content.count(b'name="files"') == 2
    with pytest.raises(ValueError, match="skill_id"):
        await client.skills.versions.create("")
