"""Structured output that did not finish, as typed errors that keep what did arrive.

A structured answer cut short (by the token limit, by a content filter, by a
response that ended ``incomplete`` or ``failed``) is not valid JSON and cannot
become the model the caller asked for. Instead of a validation error about
broken JSON, the helpers raise one of these, and each keeps everything that
arrived: ``partial`` (the requested model with the fields seen so far, or the
raw partial JSON value when no model was given), ``text`` (the raw text),
``usage``, and the completion or response as far as it got.

``LengthFinishReasonError`` and ``ContentFilterFinishReasonError`` have the
official SDK's names (code that catches them runs unchanged);
:class:`ResponseIncompleteError` covers the Responses API's other ways of not
completing. All three are :class:`IncompleteOutputError` subclasses.
"""

from __future__ import annotations

from typing import Any, cast

from .._core import OpenAIError
from ._fields import get

__all__ = [
    "ContentFilterFinishReasonError",
    "IncompleteOutputError",
    "LengthFinishReasonError",
    "PollTimeoutError",
    "ResponseIncompleteError",
]


class IncompleteOutputError(OpenAIError):
    """Structured output stopped before it was whole; nothing that arrived is lost.

    Attributes:
      partial: the requested type with the fields that arrived (``None`` if none did).
      text: the raw text that arrived.
      usage: the token usage the server reported, when it did.
      completion: the chat completion as accumulated (Chat Completions), else ``None``.
      response: the response as far as it got (Responses API), else ``None``.
    """

    partial: Any
    text: str
    usage: Any
    completion: Any
    response: Any

    def __init__(
        self,
        message: str,
        *,
        partial: Any = None,
        text: str = "",
        usage: Any = None,
        completion: Any = None,
        response: Any = None,
    ) -> None:
        super().__init__(message)
        self.partial = partial
        self.text = text
        self.usage = usage
        self.completion = completion
        self.response = response


def _describe(text: str, usage: Any) -> str:
    arrived = f"{len(text)} characters of output arrived"
    return f"{arrived}; usage: {usage}" if usage is not None else arrived


class LengthFinishReasonError(IncompleteOutputError):
    """The output hit the token limit (``finish_reason: "length"``, or a response ``incomplete`` for
    ``max_output_tokens``) before the structured value was complete."""

    def __init__(
        self,
        *,
        completion: Any = None,
        response: Any = None,
        partial: Any = None,
        text: str = "",
        usage: Any = None,
    ) -> None:
        if usage is None and completion is not None:
            usage = getattr(completion, "usage", None)
        super().__init__(
            "Could not parse the structured output: the length limit was reached before it was complete "
            f"({_describe(text, usage)}); the partial value is on .partial",
            partial=partial,
            text=text,
            usage=usage,
            completion=completion,
            response=response,
        )


class ContentFilterFinishReasonError(IncompleteOutputError):
    """A content filter stopped the output (``finish_reason: "content_filter"``, or a response
    ``incomplete`` for ``content_filter``)."""

    def __init__(
        self,
        *,
        completion: Any = None,
        response: Any = None,
        partial: Any = None,
        text: str = "",
        usage: Any = None,
    ) -> None:
        super().__init__(
            "Could not parse the structured output: the request was rejected by the content filter "
            f"({_describe(text, usage)}); the partial value is on .partial",
            partial=partial,
            text=text,
            usage=usage,
            completion=completion,
            response=response,
        )


class ResponseIncompleteError(IncompleteOutputError):
    """A Responses API response with structured output did not complete.

    ``status`` is the response's status (``"incomplete"``, ``"failed"``,
    ``"cancelled"``, or ``None`` when the stream ended before any final
    event), ``reason`` the ``incomplete_details.reason`` and ``error`` the
    response's ``error`` object, when the server gave them.
    """

    status: str | None
    reason: str | None
    error: Any

    def __init__(
        self,
        *,
        status: str | None,
        reason: str | None = None,
        error: Any = None,
        response: Any = None,
        partial: Any = None,
        text: str = "",
        usage: Any = None,
    ) -> None:
        if status is None:
            what = "the stream ended before the response completed"
        else:
            what = f"the response ended with status {status!r}"
        if reason:
            what += f" (reason: {reason})"
        message: object = getattr(error, "message", None)
        if message is None and isinstance(error, dict):
            message = cast("dict[str, Any]", error).get("message")
        if message:
            what += f": {message}"
        super().__init__(
            f"The response did not complete: {what} ({_describe(text, usage)}); what arrived is on "
            ".response, .text and .partial",
            partial=partial,
            text=text,
            usage=usage,
            response=response,
        )
        self.status = status
        self.reason = reason
        self.error = error


class PollTimeoutError(OpenAIError, TimeoutError, RuntimeError):
    """A polling helper (``create_and_poll``, ``upload_and_poll``, ``poll``, ``wait_for_processing``...) waited
    ``poll_timeout`` seconds (wall clock) without the object reaching a final state.

    ``last`` is the object as last retrieved (its ``status`` says where it
    stood); the operation itself goes on on the server. It is a
    ``TimeoutError``, and a ``RuntimeError`` as the official SDK's
    ``files.wait_for_processing`` raises.
    """

    def __init__(self, what: str, *, waited: float, last: Any) -> None:
        status = get(last, "status")
        where = f" (last status: {status!r})" if status is not None else ""
        super().__init__(f"{what} did not finish within {waited:.3g} s{where}; the last state is on .last")
        self.waited = waited
        self.last = last
