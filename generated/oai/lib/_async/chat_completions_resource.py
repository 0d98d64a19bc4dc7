"""``client.chat.completions.parse`` and ``.stream`` (async source of the mixin).

The generated ``AsyncCompletions`` class (``client.chat.completions``) inherits
:class:`AsyncCompletionsHelpers` (sdk.yaml ``resource_mixins``);
``client.beta.chat.completions`` is the same resource, where the official SDK
first had these two methods. Imported with the resource class, so it imports
the helpers' machinery only when a helper is called.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from ..._core._types import NOT_GIVEN, NotGiven
from .._typevars import ResponseFormatT

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core import AsyncStream
    from ...resources.chat.completions.completions import AsyncCompletions
    from ...types import ChatCompletionChunk
    from ...types._params import (
        ChatCompletionRequestMessageParam,
        ChatCompletionToolParam,
        ModelIdsSharedParam,
        ResponseFormatJsonObjectParam,
        ResponseFormatJsonSchemaParam,
        ResponseFormatTextParam,
    )
    from .._parsed_chat import ParsedChatCompletion
    from .._request_options import ChatCompletionCreateOptions
    from ._helper_stream import AsyncEventHandler
    from .chat_completions import AsyncChatCompletionStreamManager

__all__ = ["AsyncCompletionsHelpers"]


class AsyncCompletionsHelpers:
    """``parse`` and ``stream`` for chat completions, on top of the resource's ``create``."""

    def _completions(self) -> AsyncCompletions:
        return cast("AsyncCompletions", self)

    async def parse(
        self,
        *,
        messages: Sequence[ChatCompletionRequestMessageParam],
        model: ModelIdsSharedParam,
        response_format: type[ResponseFormatT]
        | ResponseFormatTextParam
        | ResponseFormatJsonSchemaParam
        | ResponseFormatJsonObjectParam
        | NotGiven = NOT_GIVEN,
        tools: Iterable[ChatCompletionToolParam] | NotGiven = NOT_GIVEN,
        **params: Unpack[ChatCompletionCreateOptions],
    ) -> ParsedChatCompletion[ResponseFormatT]:
        """Create a completion and parse it: ``message.parsed`` is the content as ``response_format`` (a
        pydantic model, sent as a strict JSON Schema), and calls to strict tools (made by
        :func:`oai.pydantic_function_tool`) carry ``parsed_arguments``.

        Structured output cut short raises :class:`~oai.LengthFinishReasonError`
        / :class:`~oai.ContentFilterFinishReasonError` with the partial value,
        the text and the usage; a refusal is ``message.refusal``, never parsed.
        """
        from ..._core._response import then_parse
        from .._parsing._completions import parse_chat_completion, type_to_response_format_param, validate_input_tools

        input_tools = validate_input_tools(tools)
        completion = await self._completions().create(
            messages=messages,
            model=model,
            response_format=type_to_response_format_param(response_format),
            tools=input_tools,
            **params,
        )
        # Under with_raw_response / with_streaming_response: the response, whose parse() parses the completion.
        return then_parse(
            completion,
            lambda c: parse_chat_completion(
                response_format=response_format, input_tools=input_tools, chat_completion=c
            ),
        )

    def stream(
        self,
        *,
        messages: Sequence[ChatCompletionRequestMessageParam],
        model: ModelIdsSharedParam,
        response_format: type[ResponseFormatT]
        | ResponseFormatTextParam
        | ResponseFormatJsonSchemaParam
        | ResponseFormatJsonObjectParam
        | NotGiven = NOT_GIVEN,
        tools: Iterable[ChatCompletionToolParam] | NotGiven = NOT_GIVEN,
        event_handler: AsyncEventHandler | None = None,
        **params: Unpack[ChatCompletionCreateOptions],
    ) -> AsyncChatCompletionStreamManager[ResponseFormatT]:
        """Stream a completion with helper events: ``async with`` the result to send the request.

        Iterating yields ``content.delta`` (with ``parsed``: the
        ``response_format`` model with the fields seen so far), ``content.done``,
        ``refusal.*``, ``tool_calls.function.arguments.*`` (parsed for strict
        tools), ``logprobs.*`` and every ``chunk``;
        ``get_final_completion()`` returns the parsed completion.
        """
        from .._parsing._completions import type_to_response_format_param
        from .chat_completions import AsyncChatCompletionStreamManager

        input_tools = list(tools) if not isinstance(tools, NotGiven) else tools
        completions = self._completions()
        wire_format = type_to_response_format_param(response_format)  # a model strict mode cannot say fails here

        async def request() -> AsyncStream[ChatCompletionChunk]:
            return await completions.create(
                messages=messages,
                model=model,
                response_format=wire_format,
                tools=input_tools,
                stream=True,
                **params,
            )

        return AsyncChatCompletionStreamManager(
            request,
            response_format=cast("type[ResponseFormatT] | Mapping[str, Any] | NotGiven", response_format),
            input_tools=cast("Iterable[Mapping[str, Any]] | NotGiven", input_tools),
            event_handler=event_handler,
        )
