# Written by scripts/unasync.py from generated/oai/lib/_async/files_resource.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""``client.files.wait_for_processing`` (async source of the mixin)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from .._fields import get
from .polling import poll_until

if TYPE_CHECKING:
    from ..._core._types import NotGiven
    from ...resources.files import Files
    from ...types import OpenAIFile

__all__ = ["FilesHelpers"]

FILE_FINAL_STATES = frozenset({"processed", "error", "deleted"})


class FilesHelpers:
    """``client.files``: wait for an uploaded file to be processed."""

    def wait_for_processing(
        self, id: str, *, poll_interval: float = 5.0, max_wait_seconds: float = 30 * 60
    ) -> OpenAIFile:
        """Wait until the file is ``processed`` (or ``error`` / ``deleted``), checking every ``poll_interval``
        seconds; after ``max_wait_seconds`` raise :class:`~oai.lib.PollTimeoutError` (also a
        ``RuntimeError``, as in the official SDK)."""
        files = cast("Files", self)

        def retrieve(timeout: float | NotGiven) -> Any:
            return files.with_raw_response.retrieve(id, timeout=timeout)

        return poll_until(
            retrieve,
            lambda file: get(file, "status") in FILE_FINAL_STATES,  # (the spec marks the field deprecated)
            what=f"file {id}",
            poll_interval_ms=int(poll_interval * 1000),
            poll_timeout=max_wait_seconds,
        )
