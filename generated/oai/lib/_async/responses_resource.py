"""``client.responses.stream`` and ``client.responses.parse`` (async source of the mixin).

The generated ``AsyncResponses`` class inherits :class:`AsyncResponsesHelpers`
(sdk.yaml ``resource_mixins``), so the helpers sit beside ``create`` with the
official SDK's names and arguments. This module is imported with the resource
class: it imports the helpers' machinery only when a helper is called.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast, overload

from ..._core._types import NOT_GIVEN, NotGiven
from .._typevars import TextFormatT

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._core import AsyncStream
    from ...resources.responses.responses import AsyncResponses
    from ...types import Response, ResponseStreamEvent
    from ...types._params import ChatCompletionToolParam, InputParam, ModelIdsResponsesParam, ToolParam
    from .._parsed_responses import ParsedResponse
    from .._request_options import AttachStreamOptions, ResponseCreateOptions, ResponseStreamOptions
    from ._helper_stream import AsyncEventHandler
    from .responses import AsyncResponseStreamManager

__all__ = ["AsyncResponsesHelpers"]


class AsyncResponsesHelpers:
    """Structured output and stream helpers for ``client.responses``."""

    @overload
    def stream(
        self,
        *,
        response_id: str,
        text_format: type[TextFormatT] | NotGiven = NOT_GIVEN,
        starting_after: int | NotGiven = NOT_GIVEN,
        tools: Iterable[ToolParam | ChatCompletionToolParam] | NotGiven = NOT_GIVEN,
        event_handler: AsyncEventHandler | None = None,
        **options: Unpack[AttachStreamOptions],
    ) -> AsyncResponseStreamManager[TextFormatT]: ...

    @overload
    def stream(
        self,
        *,
        input: InputParam,
        model: ModelIdsResponsesParam,
        text_format: type[TextFormatT] | NotGiven = NOT_GIVEN,
        tools: Iterable[ToolParam | ChatCompletionToolParam] | NotGiven = NOT_GIVEN,
        event_handler: AsyncEventHandler | None = None,
        **params: Unpack[ResponseStreamOptions],
    ) -> AsyncResponseStreamManager[TextFormatT]: ...

    def stream(
        self,
        *,
        response_id: str | NotGiven = NOT_GIVEN,
        input: InputParam | NotGiven = NOT_GIVEN,
        model: ModelIdsResponsesParam | NotGiven = NOT_GIVEN,
        text_format: type[TextFormatT] | NotGiven = NOT_GIVEN,
        starting_after: int | NotGiven = NOT_GIVEN,
        tools: Iterable[ToolParam | ChatCompletionToolParam] | NotGiven = NOT_GIVEN,
        event_handler: AsyncEventHandler | None = None,
        **params: Any,
    ) -> AsyncResponseStreamManager[TextFormatT]:
        """Stream a new response (``input=``, ``model=``), or attach to a background one (``response_id=``,
        with ``starting_after=`` the sequence number of the last event already seen).

        ``async with`` the result to send the request; iterating the stream
        yields the typed events, text deltas carrying the text so far and,
        with ``text_format=`` (a pydantic model), the model with the fields
        seen so far. ``get_final_response()`` returns the response with
        ``output_parsed``. ``tools`` may hold tools made by
        :func:`oai.pydantic_function_tool`: their calls come back parsed.
        """
        from .._parsing._responses import make_tools
        from .responses import AsyncResponseStreamManager

        resource = cast("AsyncResponses", self)
        # resume= / first_token_timeout= / require_terminal_event= apply to the stream whichever way it starts.
        stream_options: dict[str, Any] = {name: params.pop(name) for name in _STREAM_OPTIONS if name in params}
        if stream_options:
            resource = type(resource)(resource._client.with_options(**stream_options))  # pyright: ignore[reportPrivateUsage]
        input_tools = make_tools(tools)
        creating = {name for name, value in (("input", input), ("model", model)) if value is not NOT_GIVEN}
        creating |= {name for name in params if name not in _REQUEST_OPTIONS}
        if response_id is not NOT_GIVEN or starting_after is not NOT_GIVEN:
            if creating:
                raise TypeError(
                    "responses.stream(): response_id/starting_after attach to an existing response and cannot "
                    f"be combined with arguments that create one: {', '.join(sorted(creating))}"
                )
            if not isinstance(response_id, str) or not response_id:
                raise TypeError("responses.stream(): starting_after needs the response_id of the response to attach to")
            attached = response_id

            async def attach() -> AsyncStream[ResponseStreamEvent]:
                return await resource.retrieve(attached, stream=True, **params)

            return AsyncResponseStreamManager(
                attach,
                text_format=text_format,
                input_tools=input_tools,
                starting_after=starting_after if isinstance(starting_after, int) else None,
                event_handler=event_handler,
            )
        if input is NOT_GIVEN or model is NOT_GIVEN:
            missing = [name for name, value in (("input", input), ("model", model)) if value is NOT_GIVEN]
            raise TypeError(f"responses.stream() needs {' and '.join(missing)} to create a response (or response_id)")
        params["text"] = _text_with_format(params.get("text", NOT_GIVEN), text_format)
        new_input, new_model = input, model

        async def create() -> AsyncStream[ResponseStreamEvent]:
            return await resource.create(input=new_input, model=new_model, tools=input_tools, stream=True, **params)

        return AsyncResponseStreamManager(
            create, text_format=text_format, input_tools=input_tools, event_handler=event_handler
        )

    async def parse(
        self,
        *,
        input: InputParam,
        model: ModelIdsResponsesParam,
        text_format: type[TextFormatT] | NotGiven = NOT_GIVEN,
        tools: Iterable[ToolParam | ChatCompletionToolParam] | NotGiven = NOT_GIVEN,
        **params: Unpack[ResponseCreateOptions],
    ) -> ParsedResponse[TextFormatT]:
        """Create a response and parse it: ``output_parsed`` is the output text as ``text_format``, and calls
        to tools from :func:`oai.pydantic_function_tool` carry ``parsed_arguments``.

        With structured output, a response that does not complete raises
        :class:`~oai.LengthFinishReasonError` (``max_output_tokens``),
        :class:`~oai.ContentFilterFinishReasonError` or
        :class:`~oai.lib.ResponseIncompleteError`, with the partial value, the
        text and the usage; a refusal is a ``refusal`` part, never parsed.
        """
        from ..._core._response import then_parse
        from .._parsing._responses import make_tools, parse_response, raise_for_status
        from .._tools import ResponsesPydanticFunctionTool

        resource = cast("AsyncResponses", self)
        # resume= / first_token_timeout= / require_terminal_event= apply to the stream whichever way it starts.
        stream_options: dict[str, Any] = {name: params.pop(name) for name in _STREAM_OPTIONS if name in params}
        if stream_options:
            resource = type(resource)(resource._client.with_options(**stream_options))  # pyright: ignore[reportPrivateUsage]
        input_tools = make_tools(tools)
        options: dict[str, Any] = dict(params)
        options["text"] = _text_with_format(options.get("text", NOT_GIVEN), text_format)
        response: Response = await resource.create(input=input, model=model, tools=input_tools, stream=False, **options)
        structured = text_format is not NOT_GIVEN or any(
            isinstance(tool, ResponsesPydanticFunctionTool) for tool in input_tools or ()
        )

        def parse(response: Response) -> ParsedResponse[TextFormatT]:
            if structured:
                raise_for_status(response, text_format=text_format)
            return parse_response(text_format=text_format, input_tools=input_tools, response=response)

        # Under with_raw_response: the response, whose parse() parses the Response.
        return then_parse(response, parse)


_STREAM_OPTIONS = ("resume", "first_token_timeout", "require_terminal_event")
"""Stream options ``stream()`` applies itself (through a client copy), so that they work in both forms."""

_REQUEST_OPTIONS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout", "include"})
"""Arguments that also apply when attaching to an existing response."""


def _text_with_format(text: Mapping[str, Any] | NotGiven, text_format: object) -> Any:
    """``text=`` with ``format`` set from ``text_format`` (a type), or as given."""
    from .._parsing._completions import has_rich_response_format
    from .._parsing._responses import type_to_text_format_param

    if not has_rich_response_format(text_format):
        return text
    settings: dict[str, Any] = {} if isinstance(text, NotGiven) else dict(text)
    if "format" in settings:
        raise TypeError("Pass the output format either as text_format= or as text={'format': ...}, not both")
    settings["format"] = type_to_text_format_param(text_format)
    return settings
