"""The keyword arguments the helper methods pass on to ``create`` (for type checkers only).

``responses.parse`` / ``.stream`` and ``chat.completions.parse`` / ``.stream``
take every argument ``create`` takes; these typed dicts list the ones the
helpers do not handle themselves, so that ``**params: Unpack[...]`` checks
each keyword and its type as ``create`` would. Nothing here exists at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Literal

    from typing_extensions import TypedDict

    from .._core import Body, Headers, NotGiven, Query, TimeoutTypes
    from ..types._params import (
        ChatCompletionFunctionCallOptionParam,
        ChatCompletionFunctionsParam,
        ChatCompletionStreamOptionsParam,
        ChatCompletionToolChoiceOptionParam,
        ContextManagementParam,
        ConversationParam,
        CreateChatCompletionRequestAudioParam,
        CreateChatCompletionRequestWebSearchOptionsParam,
        IncludeEnumParam,
        MetadataParam,
        ModerationParam,
        ParallelToolCallsParam,
        PredictionContentParam,
        PromptCacheOptionsParam,
        PromptParam,
        ReasoningEffortParam,
        ReasoningParam,
        ResponseModalitiesParam,
        ResponseStreamOptionsParam,
        ResponseTextParam,
        ServiceTierParam,
        ServiceTierResponsesParam,
        StopConfigurationParam,
        ToolChoiceParam,
        VerbosityParam,
    )

    class RequestOptions(TypedDict, total=False):
        """Per-request options, applied on top of the client's settings (``make_request_options``'s parameters)."""

        extra_headers: Headers | None
        extra_query: Query | None
        extra_body: Body | None
        timeout: TimeoutTypes | NotGiven
        total_timeout: float | None | NotGiven
        max_retries: int | NotGiven
        idempotency_key: str | None
        stream_idle_timeout: float | None | NotGiven
        stream_deadline: float | None | NotGiven
        max_event_size: int | NotGiven
        retry_stream_before_first_event: bool | NotGiven
        resume: bool | NotGiven
        first_token_timeout: float | None | NotGiven
        require_terminal_event: bool | NotGiven

    class ResponseCreateOptions(RequestOptions, total=False):
        """``responses.create``'s arguments other than ``input``, ``model``, ``tools`` and ``stream``."""

        background: bool | None | NotGiven
        context_management: Sequence[ContextManagementParam] | None | NotGiven
        conversation: ConversationParam | None | NotGiven
        include: Sequence[IncludeEnumParam] | None | NotGiven
        instructions: str | None | NotGiven
        max_output_tokens: int | None | NotGiven
        max_tool_calls: int | None | NotGiven
        metadata: MetadataParam | NotGiven
        moderation: ModerationParam | None | NotGiven
        parallel_tool_calls: bool | None | NotGiven
        previous_response_id: str | None | NotGiven
        prompt: PromptParam | NotGiven
        prompt_cache_key: str | None | NotGiven
        prompt_cache_options: PromptCacheOptionsParam | NotGiven
        prompt_cache_retention: Literal["in_memory", "24h"] | None | NotGiven
        reasoning: ReasoningParam | None | NotGiven
        safety_identifier: str | None | NotGiven
        service_tier: ServiceTierResponsesParam | NotGiven
        store: bool | None | NotGiven
        stream_options: ResponseStreamOptionsParam | NotGiven
        temperature: float | None | NotGiven
        text: ResponseTextParam | NotGiven
        tool_choice: ToolChoiceParam | NotGiven
        top_logprobs: int | NotGiven
        top_p: float | None | NotGiven
        truncation: Literal["auto", "disabled"] | None | NotGiven
        user: str | NotGiven

    class StreamOptions(TypedDict, total=False):
        """What ``responses.stream()`` adds for the stream itself (docs/streams.md)."""

        resume: bool | NotGiven
        first_token_timeout: float | None | NotGiven
        require_terminal_event: bool | NotGiven

    class AttachStreamOptions(RequestOptions, StreamOptions, total=False):
        """``responses.stream(response_id=...)``'s options."""

    class ResponseStreamOptions(ResponseCreateOptions, StreamOptions, total=False):
        """``responses.stream(input=..., model=...)``'s arguments other than the ones it names."""

    class ChatCompletionCreateOptions(RequestOptions, total=False):
        """``chat.completions.create``'s arguments other than ``messages``, ``model``, ``response_format``,
        ``tools`` and ``stream``."""

        audio: CreateChatCompletionRequestAudioParam | None | NotGiven
        frequency_penalty: float | None | NotGiven
        function_call: Literal["none", "auto"] | ChatCompletionFunctionCallOptionParam | NotGiven
        functions: Sequence[ChatCompletionFunctionsParam] | NotGiven
        logit_bias: dict[str, int] | None | NotGiven
        logprobs: bool | None | NotGiven
        max_completion_tokens: int | None | NotGiven
        max_tokens: int | None | NotGiven
        metadata: MetadataParam | NotGiven
        modalities: ResponseModalitiesParam | NotGiven
        moderation: ModerationParam | None | NotGiven
        n: int | None | NotGiven
        parallel_tool_calls: ParallelToolCallsParam | NotGiven
        prediction: PredictionContentParam | None | NotGiven
        presence_penalty: float | None | NotGiven
        prompt_cache_key: str | None | NotGiven
        prompt_cache_options: PromptCacheOptionsParam | NotGiven
        prompt_cache_retention: Literal["in_memory", "24h"] | None | NotGiven
        reasoning_effort: ReasoningEffortParam | NotGiven
        safety_identifier: str | None | NotGiven
        seed: int | None | NotGiven
        service_tier: ServiceTierParam | NotGiven
        stop: StopConfigurationParam | NotGiven
        store: bool | None | NotGiven
        stream_options: ChatCompletionStreamOptionsParam | NotGiven
        temperature: float | None | NotGiven
        tool_choice: ChatCompletionToolChoiceOptionParam | NotGiven
        top_logprobs: int | None | NotGiven
        top_p: float | None | NotGiven
        user: str | NotGiven
        verbosity: VerbosityParam | NotGiven
        web_search_options: CreateChatCompletionRequestWebSearchOptionsParam | NotGiven
