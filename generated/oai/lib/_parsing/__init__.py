"""Turning types into request formats and answers back into types, without any I/O."""

from ._completions import (
    ResponseFormatT,
    get_input_tool_by_name,
    has_parseable_input,
    maybe_parse_content,
    parse_chat_completion,
    parse_function_tool_arguments,
    type_to_response_format_param,
    validate_input_tools,
)
from ._responses import TextFormatT, parse_response, type_to_text_format_param

__all__ = [
    "ResponseFormatT",
    "TextFormatT",
    "get_input_tool_by_name",
    "has_parseable_input",
    "maybe_parse_content",
    "parse_chat_completion",
    "parse_function_tool_arguments",
    "parse_response",
    "type_to_response_format_param",
    "type_to_text_format_param",
    "validate_input_tools",
]
