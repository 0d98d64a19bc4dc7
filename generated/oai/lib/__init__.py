"""Handwritten helpers on top of the generated API: structured output, stream helpers, event handlers, polling.

The generator never writes here (these files carry no generated header).
``import oai`` imports nothing from this package; the names the official SDK
exports at its top level (``oai.pydantic_function_tool``,
``oai.AssistantEventHandler``, ``oai.LengthFinishReasonError``...) load from here on
first use.
"""

from ._errors import (
    ContentFilterFinishReasonError,
    IncompleteOutputError,
    LengthFinishReasonError,
    PollTimeoutError,
    ResponseIncompleteError,
)
from ._pydantic import StrictSchemaError, to_strict_json_schema
from ._tools import PydanticFunctionTool, ResponsesPydanticFunctionTool, pydantic_function_tool

__all__ = [
    "ContentFilterFinishReasonError",
    "IncompleteOutputError",
    "LengthFinishReasonError",
    "PollTimeoutError",
    "PydanticFunctionTool",
    "ResponseIncompleteError",
    "ResponsesPydanticFunctionTool",
    "StrictSchemaError",
    "pydantic_function_tool",
    "to_strict_json_schema",
]
