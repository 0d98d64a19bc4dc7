"""Checked by pyright in `make lint` (strict): application code written against the official SDK's type modules,
with only the package name changed (``openai`` -> ``oai``). Not run by pytest.
"""

from __future__ import annotations

from collections.abc import Iterable

from oai import OpenAI
from oai.types import CreateEmbeddingResponse, Embedding, FileObject
from oai.types.audio import Transcription
from oai.types.chat import (
    ChatCompletion,
    ChatCompletionAssistantMessageParam,
    ChatCompletionChunk,
    ChatCompletionMessage,
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionToolParam,
    ChatCompletionUserMessageParam,
)
from oai.types.chat.chat_completion import Choice
from oai.types.chat.chat_completion_chunk import ChoiceDelta, ChoiceDeltaToolCall
from oai.types.chat.chat_completion_message_param import ChatCompletionMessageParam as MessageParamFromFile
from oai.types.completion_usage import CompletionUsage, PromptTokensDetails
from oai.types.responses import (
    FunctionToolParam,
    Response,
    ResponseFunctionToolCall,
    ResponseInputItemParam,
    ResponseInputTextParam,
    ResponseOutputMessage,
    ResponseStreamEvent,
    ResponseTextDeltaEvent,
    ToolParam,
)
from oai.types.shared_params import FunctionDefinition
from typing_extensions import assert_type

client = OpenAI(api_key="sk-typing")

WEATHER: FunctionDefinition = {
    "name": "get_weather",
    "description": "Current weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}
TOOLS: list[ChatCompletionToolParam] = [{"type": "function", "function": WEATHER}]


def conversation(question: str) -> list[ChatCompletionMessageParam]:
    system: ChatCompletionSystemMessageParam = {"role": "system", "content": "Answer briefly."}
    user: ChatCompletionUserMessageParam = {"role": "user", "content": question}
    history: list[ChatCompletionMessageParam] = [system, user]
    history.append({"role": "assistant", "content": "Which city?"})
    history.append({"role": "user", "content": [{"type": "text", "text": "Paris"}]})
    return history


def remember(history: list[ChatCompletionMessageParam], message: ChatCompletionMessage) -> None:
    reply: ChatCompletionAssistantMessageParam = {"role": "assistant", "content": message.content or ""}
    history.append(reply)


def ask(question: str) -> str:
    history = conversation(question)
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=history, tools=TOOLS)
    assert_type(completion, ChatCompletion)
    message = completion.choices[0].message
    remember(history, message)
    return message.content or ""


def stream_chat(messages: Iterable[ChatCompletionMessageParam]) -> str:
    parts: list[str] = []
    for chunk in client.chat.completions.create(model="gpt-4o-mini", messages=list(messages), stream=True):
        assert_type(chunk, ChatCompletionChunk)
        if chunk.choices and chunk.choices[0].delta.content:
            parts.append(chunk.choices[0].delta.content)
    return "".join(parts)


def respond(question: str) -> Response:
    items: list[ResponseInputItemParam] = [
        {"role": "developer", "content": "Answer briefly."},
        {"role": "user", "content": question},
    ]
    return client.responses.create(model="gpt-4o-mini", input=items)


def on_event(event: ResponseStreamEvent) -> str:
    if event.type == "response.output_text.delta":
        assert_type(event, ResponseTextDeltaEvent)
        return event.delta
    if event.type == "response.completed":
        assert_type(event.response.output_text, str)  # a property joining the output text, as officially
        return event.response.output_text
    return ""


def stream_response(question: str) -> str:
    stream = client.responses.create(model="gpt-4o-mini", input=question, stream=True)
    return "".join(on_event(event) for event in stream)


def describe(file: FileObject) -> str:
    return f"{file.filename}: {file.bytes} bytes, {file.purpose}"


def uploaded() -> list[str]:
    return [describe(f) for f in client.files.list()]


def respond_with_tools(question: str) -> list[str]:
    weather: FunctionToolParam = {
        "type": "function",
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        "strict": True,
    }
    tools: list[ToolParam] = [weather, {"type": "web_search"}]
    text: ResponseInputTextParam = {"type": "input_text", "text": question}
    response = client.responses.create(model="gpt-4o-mini", input=[{"role": "user", "content": [text]}], tools=tools)
    calls: list[str] = []
    for item in response.output:
        if isinstance(item, ResponseFunctionToolCall):
            calls.append(f"{item.name}({item.arguments})")
        elif isinstance(item, ResponseOutputMessage):
            calls.extend(part.text for part in item.content if part.type == "output_text")
    return calls


def vectors(texts: list[str]) -> list[list[float]]:
    result: CreateEmbeddingResponse = client.embeddings.create(model="text-embedding-3-small", input=texts)
    rows: list[Embedding] = result.data
    return [row.embedding for row in rows]


def transcribe(audio: bytes) -> str:
    transcription: Transcription = client.audio.transcriptions.create(model="whisper-1", file=("a.wav", audio))
    return transcription.text


# The per-type submodules: the same names, with the types oai parses responses into.
def first_choice(completion: ChatCompletion) -> Choice:
    choice = completion.choices[0]
    assert_type(choice, Choice)
    return choice


def tool_call_names(chunk: ChatCompletionChunk) -> list[str]:
    names: list[str] = []
    for choice in chunk.choices:
        delta: ChoiceDelta = choice.delta
        calls: list[ChoiceDeltaToolCall] = delta.tool_calls or []
        names.extend(call.function.name or "" for call in calls if call.function is not None)
    return names


def cached_tokens(usage: CompletionUsage) -> int:
    details: PromptTokensDetails | None = usage.prompt_tokens_details
    return (details.cached_tokens or 0) if details is not None else 0


def from_file(question: str) -> list[MessageParamFromFile]:
    return conversation(question)
