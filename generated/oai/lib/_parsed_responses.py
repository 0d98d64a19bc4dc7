"""Responses whose output text and function calls are parsed into the caller's types.

``ParsedResponse[MathResponse]`` is a :class:`~oai.types.Response` whose
``output_text`` parts carry ``parsed`` (a ``MathResponse``) and whose function
calls carry ``parsed_arguments``; ``output_parsed`` is the first parsed value.
The official SDK's names; ``oai.types`` exports them.

As for chat, the parsed values are not wire data: dumps and request bodies
leave them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Generic, TypeAlias, TypeVar

from pydantic import Field

from ..types import FunctionToolCall, OutputMessage, OutputTextContent, RefusalContent, Response
from ._models import inherit_namespaces

if TYPE_CHECKING:
    from ..types import (
        AdditionalTools,
        ApplyPatchToolCall,
        ApplyPatchToolCallOutput,
        CodeInterpreterToolCall,
        CompactionBody,
        ComputerToolCall,
        ComputerToolCallOutputResource,
        CustomToolCall,
        CustomToolCallOutputResource,
        FileSearchToolCall,
        FunctionShellCall,
        FunctionShellCallOutput,
        FunctionToolCallOutputResource,
        ImageGenToolCall,
        LocalShellToolCall,
        LocalShellToolCallOutput,
        MCPApprovalRequest,
        MCPApprovalResponseResource,
        MCPListTools,
        MCPToolCall,
        Program,
        ProgramOutput,
        ReasoningItem,
        ToolSearchCall,
        ToolSearchOutput,
        WebSearchToolCall,
    )

__all__ = [
    "ParsedContent",
    "ParsedResponse",
    "ParsedResponseFunctionToolCall",
    "ParsedResponseOutputItem",
    "ParsedResponseOutputMessage",
    "ParsedResponseOutputText",
]

ContentType = TypeVar("ContentType")


class ParsedResponseOutputText(OutputTextContent, Generic[ContentType]):
    parsed: ContentType | None = None
    """The text parsed into the requested type (``text_format``)."""


ParsedContent: TypeAlias = Annotated[
    ParsedResponseOutputText[ContentType] | RefusalContent, Field(discriminator="type")
]


class ParsedResponseOutputMessage(OutputMessage, Generic[ContentType]):
    if TYPE_CHECKING:
        content: list[ParsedContent[ContentType]]  # pyright: ignore[reportIncompatibleVariableOverride]


class ParsedResponseFunctionToolCall(FunctionToolCall):
    parsed_arguments: object = None
    """An instance of the tool's model when the tool came from ``pydantic_function_tool``; the decoded JSON
    for another strict tool; else ``None``."""


if TYPE_CHECKING:
    # What ``output`` holds: every output item type of the API, with messages and function calls
    # in their parsed form (listed out so that narrowing on ``item.type`` reaches them).
    ParsedResponseOutputItem: TypeAlias = (
        ParsedResponseOutputMessage[ContentType]
        | ParsedResponseFunctionToolCall
        | FileSearchToolCall
        | FunctionToolCallOutputResource
        | WebSearchToolCall
        | ComputerToolCall
        | ComputerToolCallOutputResource
        | ReasoningItem
        | Program
        | ProgramOutput
        | ToolSearchCall
        | ToolSearchOutput
        | AdditionalTools
        | CompactionBody
        | ImageGenToolCall
        | CodeInterpreterToolCall
        | LocalShellToolCall
        | LocalShellToolCallOutput
        | FunctionShellCall
        | FunctionShellCallOutput
        | ApplyPatchToolCall
        | ApplyPatchToolCallOutput
        | MCPToolCall
        | MCPListTools
        | MCPApprovalRequest
        | MCPApprovalResponseResource
        | CustomToolCall
        | CustomToolCallOutputResource
    )
else:
    ParsedResponseOutputItem = ParsedResponseOutputMessage | ParsedResponseFunctionToolCall | object


class ParsedResponse(Response, Generic[ContentType]):
    if TYPE_CHECKING:
        output: list[ParsedResponseOutputItem[ContentType]]  # pyright: ignore[reportIncompatibleVariableOverride]

    @property
    def output_parsed(self) -> ContentType | None:
        """The first parsed ``output_text`` of the output's messages; ``None`` when there is none (a refusal:
        see the message's ``refusal`` part)."""
        for item in self.output or ():
            if isinstance(item, ParsedResponseOutputMessage):
                for part in item.content:
                    if isinstance(part, ParsedResponseOutputText) and part.parsed is not None:
                        return part.parsed
        return None


inherit_namespaces(
    ParsedResponse, ParsedResponseOutputMessage, ParsedResponseOutputText, ParsedResponseFunctionToolCall
)
