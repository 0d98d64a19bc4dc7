"""Chat Completions: a type as ``response_format``, and a completion parsed back into it (sans I/O).

Used by ``chat.completions.parse`` (one finished completion) and by the chat
stream state (``lib/streaming/chat/_state.py``) for the value at the end and
the partial values on the way.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeGuard, cast

import pydantic

from ..._core._models import construct_lenient
from ..._core._types import NotGiven
from .._errors import ContentFilterFinishReasonError, LengthFinishReasonError
from .._partial_json import parse_partial_json
from .._pydantic import is_basemodel_type, is_dataclass_like_type, to_strict_json_schema
from .._tools import PydanticFunctionTool
from .._typevars import ResponseFormatT

if TYPE_CHECKING:
    from ...types import ChatCompletion, ChatCompletionResponseMessage
    from ...types._params import ChatCompletionToolParam, ResponseFormatJsonSchemaParam
    from .._parsed_chat import ParsedChatCompletion, ParsedChatCompletionMessage, ParsedChoice, ParsedFunction

__all__ = [
    "ResponseFormatT",
    "get_input_tool_by_name",
    "has_parseable_input",
    "has_rich_response_format",
    "maybe_parse_content",
    "parse_chat_completion",
    "parse_function_tool_arguments",
    "partial_value",
    "type_to_response_format_param",
    "validate_input_tools",
]


log = logging.getLogger("oai.lib.parsing")


def has_rich_response_format(response_format: object) -> TypeGuard[type[Any]]:
    """Whether ``response_format`` is a type to parse into (not a ``{"type": ...}`` dict, not absent)."""
    return response_format is not None and not isinstance(response_format, (Mapping, NotGiven))


def type_to_response_format_param(response_format: object) -> ResponseFormatJsonSchemaParam | Any:
    """What the request sends for ``response_format``: a type becomes a strict ``json_schema`` format;
    a dict (or ``NOT_GIVEN``) goes as it is."""
    if not has_rich_response_format(response_format):
        return response_format
    name, schema = strict_schema_of(response_format)
    return {"type": "json_schema", "json_schema": {"schema": schema, "name": name, "strict": True}}


def strict_schema_of(tp: type[Any]) -> tuple[str, dict[str, Any]]:
    """The name and strict JSON Schema a type is sent with."""
    if is_basemodel_type(tp):
        return tp.__name__, to_strict_json_schema(tp)
    if is_dataclass_like_type(tp):
        return tp.__name__, to_strict_json_schema(pydantic.TypeAdapter(tp))
    raise TypeError(
        f"Cannot use {tp!r} as a structured output format: pass a pydantic model class "
        "(or a pydantic dataclass), or a response_format dict"
    )


def parse_content(response_format: type[ResponseFormatT], text: str) -> ResponseFormatT:
    """``text`` (the whole JSON answer) validated into ``response_format``."""
    if is_basemodel_type(response_format):
        return cast("ResponseFormatT", response_format.model_validate_json(text))
    if is_dataclass_like_type(response_format):
        return pydantic.TypeAdapter(response_format).validate_json(text)
    raise TypeError(f"Cannot parse into {response_format!r}: not a pydantic model class or dataclass")


def partial_value(response_format: object, value: object | None) -> Any:
    """The partial JSON ``value`` as the requested type: a model with the fields seen so far (the others
    ``None``); the value itself when there is no type to build."""
    if value is None or not has_rich_response_format(response_format):
        return value
    return construct_lenient(response_format, value)


def partial_from_text(response_format: object, text: str | None) -> Any:
    """The partial value of ``text`` (for an error about an answer that was cut short)."""
    if not text:
        return None
    return partial_value(response_format, parse_partial_json(text))


def maybe_parse_content(*, response_format: object, message: ChatCompletionResponseMessage) -> Any:
    """The message's content parsed into ``response_format``; ``None`` for a refusal or no content."""
    if has_rich_response_format(response_format) and message.content and not message.refusal:
        return parse_content(response_format, message.content)
    return None


def _is_function_tool(tool: Mapping[str, Any]) -> bool:
    return tool.get("type") == "function" and isinstance(tool.get("function"), Mapping)


def is_parseable_tool(tool: Mapping[str, Any]) -> bool:
    """A function tool made by ``pydantic_function_tool`` or marked ``strict``: its arguments get parsed."""
    if not _is_function_tool(tool):
        return False
    function: Mapping[str, Any] = tool["function"]
    return isinstance(function, PydanticFunctionTool) or bool(function.get("strict"))


def has_parseable_input(*, response_format: object, input_tools: Iterable[Mapping[str, Any]] = ()) -> bool:
    """Whether the request asked for structured output (a type, or a strict tool): then an answer that is
    cut short raises instead of coming back unparsed."""
    return has_rich_response_format(response_format) or any(is_parseable_tool(t) for t in input_tools)


def validate_input_tools(tools: Iterable[ChatCompletionToolParam] | Any) -> list[ChatCompletionToolParam] | Any:
    """The tools of a ``parse`` call, checked: only strict function tools can be parsed (as in the official
    SDK); ``NOT_GIVEN`` passes through."""
    if isinstance(tools, NotGiven) or tools is None:
        return tools
    checked: list[ChatCompletionToolParam] = list(cast("Iterable[ChatCompletionToolParam]", tools))
    for tool in checked:
        entry = cast("Mapping[str, Any]", tool)
        if entry.get("type") != "function":
            raise ValueError(f"Only function tools can be parsed; got a tool of type {entry.get('type')!r}")
        function = cast("Mapping[str, Any]", entry.get("function") or {})
        if function.get("strict") is not True:
            raise ValueError(
                f"Tool {function.get('name')!r} is not strict: only strict function tools can be parsed "
                "(build it with oai.pydantic_function_tool, or set function.strict to true)"
            )
    return checked


def get_input_tool_by_name(input_tools: Iterable[Mapping[str, Any]], name: str | None) -> Mapping[str, Any] | None:
    for tool in input_tools:
        if _is_function_tool(tool) and tool["function"].get("name") == name:
            return tool
    return None


def parse_function_tool_arguments(
    *, input_tools: Iterable[Mapping[str, Any]], function: ParsedFunction | Any
) -> object:
    """A tool call's arguments parsed: into the tool's model (``pydantic_function_tool``), as JSON (another
    strict tool), else ``None``."""
    tool = get_input_tool_by_name(input_tools, getattr(function, "name", None))
    if tool is None:
        return None
    definition = tool["function"]
    arguments = getattr(function, "arguments", None) or ""
    if isinstance(definition, PydanticFunctionTool):
        return definition.model.model_validate_json(arguments)
    if not cast("Mapping[str, Any]", definition).get("strict"):
        return None
    return json.loads(arguments)


def partial_tool_arguments(*, input_tools: Iterable[Mapping[str, Any]], name: str | None, arguments: str) -> object:
    """The arguments so far of a call to a parseable tool, as its model with the fields seen (else ``None``)."""
    tool = get_input_tool_by_name(input_tools, name)
    if tool is None or not is_parseable_tool(tool) or not arguments:
        return None
    value = parse_partial_json(arguments)
    definition = tool["function"]
    if isinstance(definition, PydanticFunctionTool) and value is not None:
        return construct_lenient(definition.model, value)
    return value


def parse_chat_completion(
    *,
    response_format: type[ResponseFormatT] | Any,
    input_tools: Iterable[Mapping[str, Any]] | Any,
    chat_completion: ChatCompletion,
    structured: bool | None = None,
) -> ParsedChatCompletion[ResponseFormatT]:
    """``chat_completion`` with each message's content parsed into ``response_format`` and each call to a
    parseable tool's arguments parsed.

    When structured output was asked for (``structured``, by default: a type
    as ``response_format`` or a strict tool), a choice that stopped at the
    length limit or a content filter raises :class:`~oai.LengthFinishReasonError`
    / :class:`~oai.ContentFilterFinishReasonError` carrying the partial value,
    the text and the usage; plain text cut short is returned as it is. A
    refusal leaves ``parsed`` ``None`` with the refusal in ``message.refusal``.
    """
    from .._parsed_chat import ParsedChatCompletion as Completion
    from .._parsed_chat import ParsedChatCompletionMessage as Message
    from .._parsed_chat import ParsedChoice as ChoiceModel
    from .._parsed_chat import ParsedFunction as Function
    from .._parsed_chat import ParsedFunctionToolCall as ToolCall

    tools = [] if isinstance(input_tools, NotGiven) or input_tools is None else list(input_tools)
    if structured is None:
        structured = has_parseable_input(response_format=response_format, input_tools=tools)
    choices: list[ParsedChoice[ResponseFormatT]] = []
    for choice in chat_completion.choices or ():
        message = choice.message
        if structured:
            raise_for_finish_reason(
                choice.finish_reason,
                completion=chat_completion,
                response_format=response_format,
                content=getattr(message, "content", None),
            )
        tool_calls: list[Any] = []
        for call in getattr(message, "tool_calls", None) or ():
            if getattr(call, "type", None) == "function":
                function = call.function
                parsed_function = rebuild(
                    Function,
                    function,
                    parsed_arguments=parse_function_tool_arguments(input_tools=tools, function=function),
                )
                tool_calls.append(rebuild(ToolCall, call, function=parsed_function))
            else:
                log.warning("A %s tool call cannot be parsed; it is kept as it came", getattr(call, "type", None))
                tool_calls.append(call)
        parsed_message: ParsedChatCompletionMessage[ResponseFormatT] = rebuild(
            Message,
            message,
            parsed=maybe_parse_content(response_format=response_format, message=message) if message else None,
            tool_calls=tool_calls or getattr(message, "tool_calls", None),
        )
        choices.append(rebuild(ChoiceModel, choice, message=parsed_message))
    completion: ParsedChatCompletion[ResponseFormatT] = rebuild(Completion, chat_completion, choices=choices)
    return completion


def raise_for_finish_reason(
    finish_reason: str | None, *, completion: Any, response_format: object, content: str | None
) -> None:
    """Raise the typed error for a choice that stopped before its answer was whole."""
    if finish_reason == "length":
        raise LengthFinishReasonError(
            completion=completion,
            partial=partial_from_text(response_format, content),
            text=content or "",
            usage=getattr(completion, "usage", None),
        )
    if finish_reason == "content_filter":
        raise ContentFilterFinishReasonError(
            completion=completion,
            partial=partial_from_text(response_format, content),
            text=content or "",
            usage=getattr(completion, "usage", None),
        )


def rebuild(cls: type[pydantic.BaseModel], source: object, /, **changes: Any) -> Any:
    """An instance of ``cls`` (a subclass of ``source``'s model) with ``source``'s values and ``changes``.

    No validation (the values were validated, or leniently built, when they
    arrived). The fields ``source`` had set stay set and the changed ones
    become set, except the values the helpers add (``parsed``,
    ``parsed_arguments``): those stay out of ``to_dict()`` and of request
    bodies, where the API would not accept them. ``source`` may also be a
    plain dict.
    """
    values: dict[str, Any]
    fields_set: set[str]
    if isinstance(source, pydantic.BaseModel):
        values = {**source.__dict__, **(source.__pydantic_extra__ or {})}
        fields_set = set(source.model_fields_set)
    elif isinstance(source, Mapping):
        values = {str(k): v for k, v in cast("Mapping[Any, Any]", source).items()}
        fields_set = set(values)
    else:
        values, fields_set = {}, set()
    values.update(changes)
    fields_set.update(name for name in changes if name not in _ADDED_FIELDS)
    return cls.model_construct(_fields_set=fields_set, **values)


def build(cls: type[pydantic.BaseModel], /, **values: Any) -> Any:
    """An instance of ``cls`` with ``values``, not validated (helper events, new snapshot parts)."""
    return rebuild(cls, values)


_ADDED_FIELDS = frozenset({"parsed", "parsed_arguments"})


def set_added(model: pydantic.BaseModel, name: str, value: object) -> None:
    """Set a value the helpers add (``parsed``...) without marking it as a field the server sent."""
    vars(model)[name] = value
