"""Handwritten helpers on top of the generated API: structured output, stream helpers, event handlers, polling.

The generator never writes here (these files carry no generated header).
``import oai`` imports nothing from this package, and the resources that
inherit helpers import only their small mixin modules; the names the official
SDK exports at its top level (``oai.pydantic_function_tool``,
``oai.AssistantEventHandler``, ``oai.LengthFinishReasonError``...) and the ones
here load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._errors import (
        ContentFilterFinishReasonError,
        IncompleteOutputError,
        LengthFinishReasonError,
        PollTimeoutError,
        ResponseIncompleteError,
    )
    from ._pydantic import StrictSchemaError, to_strict_json_schema
    from ._tools import (
        PydanticFunctionTool,
        ResponsesPydanticFunctionTool,
        pydantic_function_tool,
        pydantic_responses_function_tool,
    )

_LAZY = {
    "ContentFilterFinishReasonError": "._errors",
    "IncompleteOutputError": "._errors",
    "LengthFinishReasonError": "._errors",
    "PollTimeoutError": "._errors",
    "ResponseIncompleteError": "._errors",
    "StrictSchemaError": "._pydantic",
    "to_strict_json_schema": "._pydantic",
    "PydanticFunctionTool": "._tools",
    "ResponsesPydanticFunctionTool": "._tools",
    "pydantic_function_tool": "._tools",
    "pydantic_responses_function_tool": "._tools",
}

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
    "pydantic_responses_function_tool",
    "to_strict_json_schema",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
