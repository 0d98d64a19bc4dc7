# Written by scripts/unasync.py from generated/oai/lib/_async/videos_resource.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""``client.videos.create_and_poll`` / ``poll`` (async source of the mixin).

Rendering a video runs in the background: these start a job and retrieve it until it is over
(``completed`` or ``failed``), with the official SDK's names and arguments, plus ``poll_timeout``
(see :mod:`oai.lib._async.polling`). Like every method of the Videos API they are deprecated.
"""

# The helpers call the deprecated Videos methods (which warn when called).
# pyright: reportDeprecated=false

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from typing_extensions import deprecated

from ..._core._types import NOT_GIVEN, NotGiven
from .polling import poll_until

if TYPE_CHECKING:
    from ..._core import Body, FileTypes, Headers, Query, Timeout
    from ...resources.videos import Videos
    from ...types import VideoResource
    from ...types._params import ImageRefParam2Param, VideoModelParam, VideoSecondsParam, VideoSizeParam

__all__ = ["VideosHelpers"]

VIDEO_FINAL_STATES = frozenset({"completed", "failed"})
"""A video job in one of these states is over (``queued`` and ``in_progress`` are not)."""

_DEPRECATION = "The Videos (Sora) API is deprecated and will be shut down."


def _video_done(video: Any) -> bool:
    return getattr(video, "status", None) in VIDEO_FINAL_STATES


class VideosHelpers:
    """``client.videos``: start a video job and wait until it is over."""

    @deprecated(_DEPRECATION)
    def create_and_poll(
        self,
        *,
        prompt: str,
        input_reference: FileTypes | ImageRefParam2Param | NotGiven = NOT_GIVEN,
        model: VideoModelParam | NotGiven = NOT_GIVEN,
        seconds: VideoSecondsParam | NotGiven = NOT_GIVEN,
        size: VideoSizeParam | NotGiven = NOT_GIVEN,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
        # Per-request options of the create call (those of ``videos.create``):
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Body | None = None,
        timeout: float | Timeout | None | NotGiven = NOT_GIVEN,
        total_timeout: float | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        idempotency_key: str | None = None,
        stream_idle_timeout: float | None | NotGiven = NOT_GIVEN,
        stream_deadline: float | None | NotGiven = NOT_GIVEN,
        max_event_size: int | NotGiven = NOT_GIVEN,
        retry_stream_before_first_event: bool | NotGiven = NOT_GIVEN,
        resume: bool | NotGiven = NOT_GIVEN,
        first_token_timeout: float | None | NotGiven = NOT_GIVEN,
        require_terminal_event: bool | NotGiven = NOT_GIVEN,
    ) -> VideoResource:
        """Start a video job (the arguments of ``videos.create``) and wait until it is ``completed`` or
        ``failed`` (check ``status`` and ``error``); see :meth:`poll` for the waiting."""
        video = cast("Videos", self).create(
            prompt=prompt,
            input_reference=input_reference,
            model=model,
            seconds=seconds,
            size=size,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
            total_timeout=total_timeout,
            max_retries=max_retries,
            idempotency_key=idempotency_key,
            stream_idle_timeout=stream_idle_timeout,
            stream_deadline=stream_deadline,
            max_event_size=max_event_size,
            retry_stream_before_first_event=retry_stream_before_first_event,
            resume=resume,
            first_token_timeout=first_token_timeout,
            require_terminal_event=require_terminal_event,
        )
        return self.poll(video.id, poll_interval_ms=poll_interval_ms, poll_timeout=poll_timeout)

    @deprecated(_DEPRECATION)
    def poll(
        self,
        video_id: str,
        *,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
    ) -> VideoResource:
        """Retrieve the video job until it is ``completed`` or ``failed``, waiting ``poll_interval_ms``
        between retrievals (else what the server asks for, else a second); past ``poll_timeout`` seconds
        (default: no bound) raise :class:`~oai.lib.PollTimeoutError`."""
        videos = cast("Videos", self)

        def retrieve(timeout: float | NotGiven) -> Any:
            return videos.with_raw_response.retrieve(video_id, timeout=timeout)

        return poll_until(
            retrieve,
            _video_done,
            what=f"video {video_id}",
            poll_interval_ms=poll_interval_ms,
            poll_timeout=poll_timeout,
        )
