"""Responses API: a type as ``text.format``, tools from pydantic models, and a response parsed back (sans I/O)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from ..._core._types import NotGiven
from .._errors import ContentFilterFinishReasonError, LengthFinishReasonError, ResponseIncompleteError
from .._fields import get
from .._tools import PydanticFunctionTool, ResponsesPydanticFunctionTool
from .._typevars import TextFormatT
from ._completions import (
    has_rich_response_format,
    parse_content,
    partial_from_text,
    rebuild,
    strict_schema_of,
)

if TYPE_CHECKING:
    from ...types._params import TextResponseFormatJsonSchemaParam, ToolParam
    from .._parsed_responses import ParsedResponse

__all__ = [
    "TextFormatT",
    "make_tools",
    "output_text",
    "parse_function_tool_arguments",
    "parse_response",
    "parse_text",
    "raise_for_status",
    "type_to_text_format_param",
]


def type_to_text_format_param(text_format: type[Any]) -> TextResponseFormatJsonSchemaParam:
    """``text.format`` for ``text_format``: ``{type: "json_schema", strict: true, name, schema}``."""
    name, schema = strict_schema_of(text_format)
    return {"type": "json_schema", "strict": True, "name": name, "schema": schema}


def make_tools(tools: Iterable[Mapping[str, Any]] | Any) -> list[ToolParam] | Any:
    """``tools=`` for the Responses API: a chat-shaped tool from :func:`~oai.pydantic_function_tool` becomes
    a Responses function tool that keeps its model; anything else goes as it is."""
    if isinstance(tools, NotGiven) or tools is None:
        return tools
    converted: list[Any] = []
    for tool in cast("Iterable[Mapping[str, Any]]", tools):
        function = tool.get("function") if tool.get("type") == "function" else None
        if function is None:
            converted.append(tool)
            continue
        if not isinstance(function, PydanticFunctionTool):
            raise TypeError(
                "A Chat Completions-shaped function tool ({'type': 'function', 'function': {...}}) can only be "
                "given to the Responses API when it was made by oai.pydantic_function_tool(); write Responses "
                "function tools as {'type': 'function', 'name': ..., 'parameters': ...}"
            )
        definition = cast("Mapping[str, Any]", function)
        converted.append(
            ResponsesPydanticFunctionTool(
                {
                    "type": "function",
                    "name": definition["name"],
                    "description": definition.get("description"),
                    "parameters": definition["parameters"],
                    "strict": True,
                },
                function.model,
            )
        )
    return converted


def parse_text(text: str, text_format: object, *, phase: str | None = None) -> Any:
    """The final text of an answer parsed into ``text_format`` (``None`` when there is no type, or the
    message is not a final answer: ``phase`` other than ``final_answer``)."""
    if phase is not None and phase != "final_answer":
        return None
    if not has_rich_response_format(text_format):
        return None
    return parse_content(text_format, text)


def _tool_named(input_tools: Iterable[Mapping[str, Any]], name: str | None) -> Mapping[str, Any] | None:
    for tool in input_tools:
        if tool.get("type") == "function" and tool.get("name") == name:
            return tool
    return None


def parse_function_tool_arguments(*, input_tools: Iterable[Mapping[str, Any]], call: Any) -> object:
    """A function call's arguments parsed: into the tool's model, as JSON for another strict tool, else ``None``."""
    tool = _tool_named(input_tools, get(call, "name"))
    if tool is None:
        return None
    arguments = get(call, "arguments") or ""
    if isinstance(tool, ResponsesPydanticFunctionTool):
        return tool.model.model_validate_json(arguments)
    if not tool.get("strict"):
        return None
    return json.loads(arguments)


def output_text(response: Any) -> str:
    """The text of every ``output_text`` part of the response's messages, joined (for errors and partials)."""
    texts: list[str] = []
    for item in get(response, "output") or ():
        if get(item, "type") == "message":
            for part in get(item, "content") or ():
                text = get(part, "text")
                if get(part, "type") == "output_text" and isinstance(text, str):
                    texts.append(text)
    return "".join(texts)


def raise_for_status(response: Any, *, text_format: object, text: str | None = None) -> None:
    """Raise the typed error when a response with structured output did not complete.

    ``incomplete`` for ``max_output_tokens`` raises
    :class:`~oai.LengthFinishReasonError`, for ``content_filter``
    :class:`~oai.ContentFilterFinishReasonError`; any other status but
    ``completed`` (``incomplete`` for another reason, ``failed``,
    ``cancelled``, or no final event at all: ``response`` is then the snapshot
    and the status ``None``) raises :class:`~oai.lib.ResponseIncompleteError`.
    """
    status = get(response, "status")
    if status == "completed":
        return
    text = output_text(response) if text is None else text
    partial = partial_from_text(text_format, text)
    usage = get(response, "usage")
    reason = get(get(response, "incomplete_details"), "reason")
    if status == "incomplete" and reason == "max_output_tokens":
        raise LengthFinishReasonError(response=response, partial=partial, text=text, usage=usage)
    if status == "incomplete" and reason == "content_filter":
        raise ContentFilterFinishReasonError(response=response, partial=partial, text=text, usage=usage)
    raise ResponseIncompleteError(
        status=status if status in ("incomplete", "failed", "cancelled") else None,
        reason=reason,
        error=get(response, "error"),
        response=response,
        partial=partial,
        text=text,
        usage=usage,
    )


def parse_response(
    *,
    text_format: type[TextFormatT] | Any,
    input_tools: Iterable[Mapping[str, Any]] | Any,
    response: Any,
) -> ParsedResponse[TextFormatT]:
    """``response`` with its ``output_text`` parts parsed into ``text_format`` and the calls to parseable
    tools' arguments parsed. Output items the SDK does not know are kept as they came."""
    from .._parsed_responses import (
        ParsedResponse,
        ParsedResponseFunctionToolCall,
        ParsedResponseOutputMessage,
        ParsedResponseOutputText,
    )

    tools = [] if isinstance(input_tools, NotGiven) or input_tools is None else list(input_tools)
    output: list[Any] = []
    for item in get(response, "output") or ():
        kind = get(item, "type")
        if kind == "message":
            phase = get(item, "phase")
            content: list[Any] = []
            for part in get(item, "content") or ():
                if get(part, "type") == "output_text":
                    text = get(part, "text") or ""
                    content.append(
                        rebuild(ParsedResponseOutputText, part, parsed=parse_text(text, text_format, phase=phase))
                    )
                else:
                    content.append(part)
            output.append(rebuild(ParsedResponseOutputMessage, item, content=content))
        elif kind == "function_call":
            parsed_arguments = parse_function_tool_arguments(input_tools=tools, call=item)
            output.append(rebuild(ParsedResponseFunctionToolCall, item, parsed_arguments=parsed_arguments))
        else:
            output.append(item)
    parsed: ParsedResponse[TextFormatT] = rebuild(ParsedResponse, response, output=output)
    return parsed
