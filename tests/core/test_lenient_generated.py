"""Lenient parsing on the real generated models (the spec's required flags do not match real payloads)."""

from __future__ import annotations

from oai._core._models import parse_model_json
from oai.types import ChatCompletion, Response

# A Response missing fields the spec calls required (e.g. ``output_text`` helpers aside: ``tools``,
# ``parallel_tool_calls``): strict validation fails, so the lenient path walks the union of output
# items, whose members are quoted forward references in the generated module.
RESPONSE = (
    b'{"id":"resp_1","object":"response","created_at":1,"model":"m","status":"completed",'
    b'"output":[{"type":"message","id":"msg_1","role":"assistant","status":"completed",'
    b'"content":[{"type":"output_text","text":"hi","annotations":[]}]}],"brand_new_field":7}'
)


def test_response_missing_required_fields_still_parses_into_typed_items() -> None:
    response = parse_model_json(Response, RESPONSE)
    assert isinstance(response, Response)
    item = response.output[0]
    assert type(item).__name__ == "OutputMessage"
    assert item.content[0].text == "hi"  # pyright: ignore
    assert response.model_extra is not None and response.model_extra["brand_new_field"] == 7


def test_chat_completion_without_refusal_parses() -> None:
    raw = (
        b'{"id":"c","object":"chat.completion","created":1,"model":"m",'
        b'"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"ok"}}]}'
    )
    completion = parse_model_json(ChatCompletion, raw)
    assert completion.choices[0].message.content == "ok"
    assert completion.choices[0].message.refusal is None
