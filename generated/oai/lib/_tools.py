"""Function tools made from pydantic models, whose calls come back parsed into the model.

``pydantic_function_tool(GetWeather)`` is the tool definition a request sends
(name, description, strict JSON Schema parameters). It is a plain ``dict`` that
also remembers the model, so the helpers that parse answers
(``chat.completions.parse`` / ``.stream``, ``responses.parse`` / ``.stream``)
can turn the arguments of a call to that tool into a ``GetWeather``. Sent over
the wire it is an ordinary tool definition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import pydantic

from .._core import NotGiven, omit
from ._pydantic import to_strict_json_schema

if TYPE_CHECKING:
    from ..types._params import ChatCompletionToolParam, FunctionObjectParam, FunctionToolInputParam

__all__ = [
    "PydanticFunctionTool",
    "ResponsesPydanticFunctionTool",
    "pydantic_function_tool",
    "pydantic_responses_function_tool",
]


class PydanticFunctionTool(dict[str, Any]):
    """A Chat Completions function definition (``tool["function"]``) that carries its pydantic model."""

    model: type[pydantic.BaseModel]

    def __init__(self, definition: FunctionObjectParam, model: type[pydantic.BaseModel]) -> None:
        super().__init__(definition)
        self.model = model

    def cast(self) -> FunctionObjectParam:
        return cast("FunctionObjectParam", self)


class ResponsesPydanticFunctionTool(dict[str, Any]):
    """A Responses API function tool (``{"type": "function", "name": ...}``) that carries its pydantic model."""

    model: type[pydantic.BaseModel]

    def __init__(self, tool: FunctionToolInputParam, model: type[pydantic.BaseModel]) -> None:
        super().__init__(tool)
        self.model = model

    def cast(self) -> FunctionToolInputParam:
        return cast("FunctionToolInputParam", self)


def pydantic_function_tool(
    model: type[pydantic.BaseModel],
    *,
    name: str | None = None,
    description: str | None = None,
) -> ChatCompletionToolParam:
    """A strict function tool whose parameters are ``model``'s fields.

    ``name`` defaults to the class name and ``description`` to its docstring
    (not pydantic's inherited one). Pass the result in ``tools=`` to
    ``chat.completions.parse`` / ``.stream`` (or ``responses.parse`` /
    ``.stream``, which accept this shape too): calls to the tool come back with
    ``parsed_arguments``, an instance of ``model``. Raises
    :class:`~oai.lib.StrictSchemaError` naming the field when the model cannot
    be expressed in strict mode.
    """
    if description is None:
        description = model.__doc__  # the class's own docstring, not pydantic's
    definition: dict[str, Any] = {
        "name": name or model.__name__,
        "strict": True,
        "parameters": to_strict_json_schema(model),
    }
    if description is not None:
        definition["description"] = description
    function = PydanticFunctionTool(cast("FunctionObjectParam", definition), model)
    return {"type": "function", "function": function.cast()}


def pydantic_responses_function_tool(
    model: type[pydantic.BaseModel],
    *,
    name: str | None = None,
    description: str | None = None,
    defer_loading: bool | NotGiven = omit,
) -> FunctionToolInputParam:
    """The Responses API's form of :func:`pydantic_function_tool`: ``{"type": "function", "name": ...}``.

    ``name`` and ``description`` default as there; ``defer_loading=`` is sent when given. Pass it in
    ``tools=`` to ``responses.parse`` / ``.stream``: calls to the tool come back with
    ``parsed_arguments``, an instance of ``model``.
    """
    if description is None:
        description = model.__doc__
    tool: dict[str, Any] = {
        "type": "function",
        "name": name or model.__name__,
        "strict": True,
        "parameters": to_strict_json_schema(model),
    }
    if description is not None:
        tool["description"] = description
    if isinstance(defer_loading, bool):
        tool["defer_loading"] = defer_loading
    return ResponsesPydanticFunctionTool(cast("FunctionToolInputParam", tool), model).cast()
