"""Checked by pyright in `make lint` (strict): what user code sees of the generated overloads.

Not run by pytest; every ``assert_type`` fails the lint when an overload returns the wrong type.
"""

from __future__ import annotations

from oai import AsyncOpenAI, AsyncStream, OpenAI, Stream
from oai.types import ChatCompletion, ChatCompletionChunk, Completion
from typing_extensions import assert_type

client = OpenAI(api_key="sk-typing")
aclient = AsyncOpenAI(api_key="sk-typing")


def sync_calls(flag: bool) -> None:
    streamed = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=True)
    assert_type(streamed, Stream[ChatCompletionChunk])
    for chunk in streamed:
        assert_type(chunk.choices[0].delta.content, str | None)

    whole = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert_type(whole, ChatCompletion)
    explicit = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=False)
    assert_type(explicit, ChatCompletion)
    either = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=flag)
    assert_type(either, ChatCompletion | Stream[ChatCompletionChunk])

    legacy = client.completions.create(model="m", prompt="once upon", stream=True)
    assert_type(legacy, Stream[Completion])


async def async_calls() -> None:
    streamed = await aclient.chat.completions.create(
        model="m", messages=[{"role": "system", "content": "be brief"}], stream=True
    )
    assert_type(streamed, AsyncStream[ChatCompletionChunk])
    whole = await aclient.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert_type(whole, ChatCompletion)
