# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""The model layer streams rely on: lenient parsing, tagged unions, request ids without per-instance cost."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

import pytest
from oai._core._models import (
    BaseModel,
    UnknownVariant,
    construct_lenient,
    parse_model,
    parse_model_json,
    tagged_union,
)
from pydantic import Field, RootModel


class Text(BaseModel):
    type: Literal["text"]
    text: str


class Image(BaseModel):
    type: Literal["image"]
    url: str


Part = Annotated[Union[Text, Image], Field(discriminator="type")]  # noqa: UP007
PlainPart = Union[Text, Image]  # noqa: UP007


class PartRoot(RootModel[Part]):
    pass


class Message(BaseModel):
    id: str
    parts: list[Part]


def test_tagged_union_is_recognised_with_or_without_a_declared_discriminator() -> None:
    for tp in (Part, PlainPart, PartRoot):
        found = tagged_union(tp)
        assert found is not None
        key, members = found
        assert key == "type" and members == {"text": Text, "image": Image}
    assert tagged_union(Text) is None
    assert tagged_union(Union[int, str]) is None  # noqa: UP007


def test_lenient_union_picks_the_member_named_by_the_tag() -> None:
    # Missing "url": strict validation fails; the tag still says Image (not the first member).
    got = parse_model_json(Part, b'{"type": "image"}')
    assert isinstance(got, Image) and got.type == "image"


def test_unknown_tag_becomes_unknown_variant_with_all_fields() -> None:
    got = parse_model_json(Part, b'{"type": "audio", "seconds": 3}')
    assert isinstance(got, UnknownVariant)
    assert got.type == "audio" and got.seconds == 3  # pyright: ignore[reportAttributeAccessIssue]
    nested = parse_model(Message, {"id": "m", "parts": [{"type": "text", "text": "hi"}, {"type": "video"}]})
    assert isinstance(nested.parts[0], Text)
    assert isinstance(nested.parts[1], UnknownVariant) and nested.parts[1].type == "video"


def test_unknown_variant_keeps_a_non_string_tag() -> None:
    got: Any = construct_lenient(Part, {"type": 7, "x": 1})
    assert got.type == 7 and got.x == 1


def test_request_id_is_settable_and_readable_without_a_private_attr() -> None:
    msg = parse_model_json(Message, b'{"id": "m", "parts": []}')
    assert msg._request_id is None  # pyright: ignore[reportPrivateUsage]
    msg._request_id = "req_1"  # pyright: ignore[reportPrivateUsage]
    assert msg._request_id == "req_1"  # pyright: ignore[reportPrivateUsage]
    # The client core sets it through the private dict; that works too.
    other = parse_model_json(Message, b'{"id": "n", "parts": []}')
    private = other.__pydantic_private__
    assert private is not None  # oai's models make it on first access
    private["_request_id"] = "req_2"
    assert other._request_id == "req_2"  # pyright: ignore[reportPrivateUsage]
    copy = other.model_copy()
    assert copy._request_id == "req_2"  # pyright: ignore[reportPrivateUsage]
    assert other.to_dict() == {"id": "n", "parts": []}


def test_models_have_no_per_instance_post_init() -> None:
    # A pydantic PrivateAttr (or model_post_init) would make every nested model run Python code on
    # validation; stream chunks are validated thousands of times a second.
    assert Message.__pydantic_post_init__ is None
    assert Text.__private_attributes__ == {}


@pytest.mark.parametrize("raw", [b"{", b"not json"])
def test_parse_model_json_raises_value_error_for_non_json(raw: bytes) -> None:
    with pytest.raises(ValueError):
        parse_model_json(Message, raw)


class Created(BaseModel):
    event: Literal["thing.created"]
    data: Text


class Deleted(BaseModel):
    event: Literal["thing.deleted"]
    data: Image


class Done(BaseModel):
    event: Literal["done"]
    data: Literal["[DONE]"]


Nested = Union[Union[Created, Deleted], Done]  # noqa: UP007 - the shape the Assistants events have


def test_nested_unions_tagged_by_event_are_recognised_through_their_members() -> None:
    found = tagged_union(Nested)
    assert found == ("event", {"thing.created": Created, "thing.deleted": Deleted, "done": Done})
    # Missing "url" fails strict validation; the tag still picks Deleted, and its data is still an Image.
    got = parse_model_json(Nested, b'{"event": "thing.deleted", "data": {"type": "image"}}')
    assert isinstance(got, Deleted) and isinstance(got.data, Image)
