"""Checked by pyright in `make lint` (strict): small programs written against the official SDK's API, one per
area (chat, Responses streaming events, files, embeddings, images, audio, Realtime events, Assistants threads),
with every import from ``oai`` under the official module paths. Not run by pytest.

Each one is what a user of ``openai`` writes; changing the package name must be the whole port.
"""
# The official SDK deprecates the Assistants API and audio translations too: strict mode reports the calls.
# pyright: reportDeprecated=false

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from oai import AsyncOpenAI, OpenAI
from oai.types import (
    CreateEmbeddingResponse,
    Embedding,
    FileDeleted,
    FileObject,
    Image,
    ImagesResponse,
)
from oai.types.audio import Transcription, Translation
from oai.types.beta import Assistant, Thread
from oai.types.beta.threads import Message, Run, TextContentBlock
from oai.types.chat import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionMessageParam,
    ChatCompletionMessageToolCallUnion,
    ChatCompletionToolParam,
)
from oai.types.chat.chat_completion_chunk import Choice as ChunkChoice
from oai.types.realtime import (
    RealtimeServerEvent,
    ResponseAudioDeltaEvent,
    ResponseDoneEvent,
    ResponseTextDeltaEvent,
)
from oai.types.responses import (
    EasyInputMessageParam,
    Response,
    ResponseCompletedEvent,
    ResponseFunctionCallArgumentsDeltaEvent,
    ResponseFunctionToolCall,
    ResponseInputParam,
    ResponseOutputItemAddedEvent,
    ResponseStreamEvent,
    ResponseUsage,
)
from oai.types.responses import (
    ResponseTextDeltaEvent as ResponsesTextDelta,
)
from oai.types.shared_params import ResponseFormatJSONSchema
from typing_extensions import assert_type

client = OpenAI(api_key="sk-typing")
aclient = AsyncOpenAI(api_key="sk-typing")


# -- chat ----------------------------------------------------------------------------------------------------------

LOOKUP: ChatCompletionToolParam = {
    "type": "function",
    "function": {
        "name": "lookup",
        "description": "Find a word in the dictionary",
        "parameters": {"type": "object", "properties": {"word": {"type": "string"}}, "required": ["word"]},
    },
}
SHAPE: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": True},
}


def chat_with_tools(question: str) -> list[str]:
    messages: list[ChatCompletionMessageParam] = [
        {"role": "system", "content": "Use the tool."},
        {"role": "user", "content": question},
    ]
    completion = client.chat.completions.create(
        model="gpt-4o-mini", messages=messages, tools=[LOOKUP], tool_choice="auto", temperature=0
    )
    assert_type(completion, ChatCompletion)
    calls: list[ChatCompletionMessageToolCallUnion] = list(completion.choices[0].message.tool_calls or [])
    words: list[str] = []
    for call in calls:
        if call.type == "function":
            words.append(json.loads(call.function.arguments)["word"])
    if completion.usage is not None:
        words.append(str(completion.usage.total_tokens))
    return words


def chat_json(question: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": question}], response_format=SHAPE
    )
    return completion.choices[0].message.content or "{}"


def chat_stream(question: str) -> Iterator[str]:
    stream = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": question}],
        stream=True,
        stream_options={"include_usage": True},
    )
    for chunk in stream:
        assert_type(chunk, ChatCompletionChunk)
        for choice in chunk.choices:
            assert_type(choice, ChunkChoice)
            if choice.delta.content:
                yield choice.delta.content
            if choice.finish_reason == "length":
                return
        if chunk.usage is not None:
            yield f"[{chunk.usage.completion_tokens} tokens]"


async def chat_async(question: str) -> str:
    completion = await aclient.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": question}]
    )
    return completion.choices[0].message.content or ""


# -- Responses: streaming events -----------------------------------------------------------------------------------


def responses_stream(question: str) -> tuple[str, int]:
    message: EasyInputMessageParam = {"role": "user", "content": question}
    items: ResponseInputParam = [message]
    text: list[str] = []
    tokens = 0
    stream = client.responses.create(model="gpt-4o-mini", input=items, stream=True)
    for event in stream:
        assert_type(event, ResponseStreamEvent)
        if event.type == "response.output_text.delta":
            assert_type(event, ResponsesTextDelta)
            text.append(event.delta)
        elif event.type == "response.output_item.added":
            assert_type(event, ResponseOutputItemAddedEvent)
            if isinstance(event.item, ResponseFunctionToolCall):
                text.append(f"<{event.item.name}>")
        elif event.type == "response.function_call_arguments.delta":
            assert_type(event, ResponseFunctionCallArgumentsDeltaEvent)
            text.append(event.delta)
        elif event.type == "response.completed":
            assert_type(event, ResponseCompletedEvent)
            usage: ResponseUsage | None = event.response.usage
            tokens = usage.total_tokens if usage is not None else 0
    return "".join(text), tokens


def responses_text(question: str) -> str:
    response = client.responses.create(model="gpt-4o-mini", input=question, instructions="Be brief.")
    assert_type(response, Response)
    assert_type(response.output_text, str)
    return response.output_text


async def responses_stream_async(question: str) -> str:
    parts: list[str] = []
    async for event in await aclient.responses.create(model="gpt-4o-mini", input=question, stream=True):
        if event.type == "response.output_text.delta":
            parts.append(event.delta)
    return "".join(parts)


# -- files ---------------------------------------------------------------------------------------------------------


def upload_and_list(path: Path) -> list[str]:
    with path.open("rb") as handle:
        created = client.files.create(file=handle, purpose="assistants")
    assert_type(created, FileObject)
    names = [f"{f.id}: {f.filename} ({f.bytes} bytes)" for f in client.files.list(purpose="assistants")]
    content = client.files.content(created.id)
    names.append(content.text[:10])
    deleted = client.files.delete(created.id)
    assert_type(deleted, FileDeleted)
    return names if deleted.deleted else []


# -- embeddings ----------------------------------------------------------------------------------------------------


def embed(texts: list[str]) -> list[list[float]]:
    result = client.embeddings.create(model="text-embedding-3-small", input=texts, encoding_format="float")
    assert_type(result, CreateEmbeddingResponse)
    rows: list[Embedding] = sorted(result.data, key=lambda row: row.index)
    print(result.usage.prompt_tokens)
    return [row.embedding for row in rows]


# -- images --------------------------------------------------------------------------------------------------------


def draw(prompt: str) -> list[str]:
    images = client.images.generate(model="gpt-image-1", prompt=prompt, size="1024x1024", n=1)
    assert_type(images, ImagesResponse)
    found: list[Image] = images.data or []
    return [image.b64_json or image.url or "" for image in found]


# -- audio ---------------------------------------------------------------------------------------------------------


def speak_and_listen(text: str, out: Path) -> str:
    speech = client.audio.speech.create(model="gpt-4o-mini-tts", voice="alloy", input=text)
    speech.write_to_file(out)
    with out.open("rb") as audio:
        transcription = client.audio.transcriptions.create(model="whisper-1", file=audio)
    # The result's type follows `response_format`, as in the official overloads: JSON by default, text as a str.
    assert_type(transcription, Transcription)
    heard = transcription.text
    with out.open("rb") as audio:
        subtitles = client.audio.transcriptions.create(model="whisper-1", file=audio, response_format="srt")
    assert_type(subtitles, str)
    with out.open("rb") as audio:
        detailed = client.audio.transcriptions.create(model="whisper-1", file=audio, response_format="verbose_json")
    heard += " ".join(segment.text for segment in detailed.segments or [])
    with out.open("rb") as audio:
        translation = client.audio.translations.create(model="whisper-1", file=audio)
    assert_type(translation, Translation)
    heard += translation.text
    return heard + subtitles.upper()


# -- Realtime events -----------------------------------------------------------------------------------------------


def on_realtime_event(event: RealtimeServerEvent) -> str:
    if isinstance(event, ResponseTextDeltaEvent):
        return event.delta
    if isinstance(event, ResponseAudioDeltaEvent):
        return f"<{len(event.delta)} audio bytes>"
    if isinstance(event, ResponseDoneEvent):
        return "\n"
    return ""


def realtime_session(question: str) -> str:
    heard: list[str] = []
    with client.realtime.connect(model="gpt-realtime") as connection:
        connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})
        connection.conversation.item.create(
            item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": question}]}
        )
        connection.response.create()
        for event in connection:
            heard.append(on_realtime_event(event))
            if event.type == "response.done":
                break
    return "".join(heard)


# -- Assistants threads --------------------------------------------------------------------------------------------


def thread_round_trip(assistant_id: str, question: str) -> list[str]:
    assistant = client.beta.assistants.retrieve(assistant_id)
    assert_type(assistant, Assistant)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": question}])
    assert_type(thread, Thread)
    added = client.beta.threads.messages.create(thread.id, role="user", content="And briefly, please.")
    assert_type(added, Message)
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert_type(run, Run)
    answers: list[str] = []
    if run.status == "completed":
        for message in client.beta.threads.messages.list(thread.id, order="asc"):
            for block in message.content:
                if isinstance(block, TextContentBlock):
                    answers.append(block.text.value)
    return answers
