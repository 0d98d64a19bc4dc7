"""Transcripts asked for as text come back as a ``str``, as the official SDK returns them.

``audio.transcriptions.create`` and ``audio.translations.create`` with ``response_format="text"``, ``"srt"`` or
``"vtt"`` answer with the transcript itself, not JSON: the methods then ask for the body as text, whatever its
content type. Any other format whose body is not JSON still raises :class:`oai.APIResponseValidationError`.
"""

from __future__ import annotations

import httpx
import oai
import pytest

SRT = "1\n00:00:00,000 --> 00:00:01,200\nhello there\n"


def _answer(request: httpx.Request) -> httpx.Response:
    body = request.content
    if b"\r\n\r\nsrt\r\n" in body:
        return httpx.Response(200, text=SRT, headers={"content-type": "application/x-subrip"})
    if b"\r\n\r\ntext\r\n" in body:
        return httpx.Response(200, text="hello there\n", headers={"content-type": "text/plain; charset=utf-8"})
    if b"\r\n\r\nhtml\r\n" in body:  # a proxy's page where the API's answer should be
        return httpx.Response(200, text="<html><title>Gateway</title></html>", headers={"content-type": "text/html"})
    return httpx.Response(200, json={"text": "hello there"})


def _sync() -> oai.OpenAI:
    return oai.OpenAI(api_key="k", max_retries=0, http_client=httpx.Client(transport=httpx.MockTransport(_answer)))


def _async() -> oai.AsyncOpenAI:
    transport = httpx.MockTransport(_answer)
    return oai.AsyncOpenAI(api_key="k", max_retries=0, http_client=httpx.AsyncClient(transport=transport))


def test_text_and_subtitles_are_strings_sync() -> None:
    with _sync() as client:
        text = client.audio.transcriptions.create(file=b"RIFF", model="whisper-1", response_format="text")
        with pytest.warns(DeprecationWarning):  # as officially
            srt = client.audio.translations.create(file=b"RIFF", model="whisper-1", response_format="srt")  # pyright: ignore[reportDeprecated]
        raw = client.audio.transcriptions.with_raw_response.create(
            file=b"RIFF", model="whisper-1", response_format="text"
        )
        default = client.audio.transcriptions.create(file=b"RIFF", model="whisper-1")
    assert text == "hello there\n"
    assert srt == SRT
    assert raw.parse() == "hello there\n"
    assert not isinstance(default, str) and default.text == "hello there"


async def test_text_and_subtitles_are_strings_async() -> None:
    async with _async() as client:
        text = await client.audio.transcriptions.create(file=b"RIFF", model="whisper-1", response_format="text")
        with pytest.warns(DeprecationWarning):
            srt = await client.audio.translations.create(file=b"RIFF", model="whisper-1", response_format="srt")  # pyright: ignore[reportDeprecated]
        raw = await client.audio.transcriptions.with_raw_response.create(
            file=b"RIFF", model="whisper-1", response_format="text"
        )
        default = await client.audio.transcriptions.create(file=b"RIFF", model="whisper-1")
    assert text == "hello there\n"
    assert srt == SRT
    assert raw.parse() == "hello there\n"
    assert not isinstance(default, str) and default.text == "hello there"


def test_a_body_that_is_not_text_still_raises_sync() -> None:
    with _sync() as client, pytest.raises(oai.APIResponseValidationError, match="text/html"):
        client.audio.transcriptions.create(file=b"RIFF", model="whisper-1", extra_body={"response_format": "html"})


async def test_a_body_that_is_not_text_still_raises_async() -> None:
    async with _async() as client:
        with pytest.raises(oai.APIResponseValidationError, match="text/html"):
            await client.audio.transcriptions.create(
                file=b"RIFF", model="whisper-1", extra_body={"response_format": "html"}
            )
