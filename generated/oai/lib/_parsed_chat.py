"""Chat completions whose content and tool-call arguments are parsed into the caller's types.

``ParsedChatCompletion[MathResponse]`` is a :class:`~oai.types.ChatCompletion`
whose messages carry ``parsed`` (a ``MathResponse``, or ``None`` when the model
refused or wrote no content) and whose function tool calls carry
``parsed_arguments``. The official SDK's names; ``oai.types`` exports them.

The parsed values are not wire data: dumps (``model_dump()``, ``to_dict()``)
and a request body that sends a message back to the API leave them out, as
the declared fields of the generated models do not have them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from ..types._models.chat_completion import ChatCompletion, ChatCompletionChoice
from ..types._models.chat_completion_message_tool_call import (
    ChatCompletionMessageToolCall,
    ChatCompletionMessageToolCallFunction,
)
from ..types._models.chat_completion_response_message import ChatCompletionResponseMessage
from ._models import inherit_namespaces

__all__ = [
    "ParsedChatCompletion",
    "ParsedChatCompletionMessage",
    "ParsedChoice",
    "ParsedFunction",
    "ParsedFunctionToolCall",
]

ContentType = TypeVar("ContentType")


class ParsedFunction(ChatCompletionMessageToolCallFunction):
    """The function a tool call names, with its arguments as sent and as parsed."""

    parsed_arguments: object = None
    """An instance of the tool's model when the tool came from ``pydantic_function_tool``; the decoded JSON
    for another strict tool; else ``None``."""


class ParsedFunctionToolCall(ChatCompletionMessageToolCall):
    if TYPE_CHECKING:
        function: ParsedFunction  # pyright: ignore[reportIncompatibleVariableOverride]


class ParsedChatCompletionMessage(ChatCompletionResponseMessage, Generic[ContentType]):
    parsed: ContentType | None = None
    """The content parsed into the requested type; ``None`` for a refusal (see ``refusal``) or no content."""

    if TYPE_CHECKING:
        tool_calls: list[ParsedFunctionToolCall] | None = None  # pyright: ignore[reportIncompatibleVariableOverride]


class ParsedChoice(ChatCompletionChoice, Generic[ContentType]):
    if TYPE_CHECKING:
        message: ParsedChatCompletionMessage[ContentType]  # pyright: ignore[reportIncompatibleVariableOverride]


class ParsedChatCompletion(ChatCompletion, Generic[ContentType]):
    if TYPE_CHECKING:
        choices: list[ParsedChoice[ContentType]]  # pyright: ignore[reportIncompatibleVariableOverride]


inherit_namespaces(
    ParsedFunction, ParsedFunctionToolCall, ParsedChatCompletionMessage, ParsedChoice, ParsedChatCompletion
)
