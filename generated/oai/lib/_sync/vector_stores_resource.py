# Written by scripts/unasync.py from generated/oai/lib/_async/vector_stores_resource.py: do not edit.
# Change the async source and run `make generate` (or `python scripts/unasync.py`).
"""Polling helpers for vector store files and file batches (async source of the mixins).

``vector_stores.files.create_and_poll`` / ``upload`` / ``upload_and_poll`` /
``poll`` and ``vector_stores.file_batches.create_and_poll`` /
``upload_and_poll`` / ``poll``, with the official SDK's names and arguments,
plus ``poll_timeout`` (see :mod:`oai.lib._async.polling`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from ..._core._types import NOT_GIVEN, NotGiven
from ._backend import run_concurrently
from .polling import poll_until

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..._client import OpenAI
    from ..._core import FileTypes
    from ...resources.vector_stores.file_batches import FileBatches
    from ...resources.vector_stores.files import Files
    from ...types import OpenAIFile, VectorStoreFileBatchObject, VectorStoreFileObject
    from ...types._params import ChunkingStrategyRequestParam, VectorStoreFileAttributesParam
    from .._request_options import RequestOptions

__all__ = ["FileBatchesHelpers", "FilesHelpers"]


def _client(resource: object) -> OpenAI:
    return cast("OpenAI", getattr(resource, "_client"))  # noqa: B009 - the resource's client


class FilesHelpers:
    """``client.vector_stores.files``: attach files and wait until they are processed."""

    def create_and_poll(
        self,
        file_id: str,
        *,
        vector_store_id: str,
        attributes: VectorStoreFileAttributesParam | NotGiven = NOT_GIVEN,
        chunking_strategy: ChunkingStrategyRequestParam | NotGiven = NOT_GIVEN,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
        **options: Unpack[RequestOptions],
    ) -> VectorStoreFileObject:
        """Attach a file to a vector store and wait until it is processed (``completed``, ``failed`` or
        ``cancelled``: check ``status`` and ``last_error``)."""
        files = cast("Files", self)
        files.create(
            vector_store_id, file_id=file_id, attributes=attributes, chunking_strategy=chunking_strategy, **options
        )
        return self.poll(
            file_id, vector_store_id=vector_store_id, poll_interval_ms=poll_interval_ms, poll_timeout=poll_timeout
        )

    def poll(
        self,
        file_id: str,
        *,
        vector_store_id: str,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
    ) -> VectorStoreFileObject:
        """Wait until a vector store file is no longer ``in_progress``; it may have ``failed``."""
        files = cast("Files", self)

        def retrieve(timeout: float | NotGiven) -> Any:
            return files.with_raw_response.retrieve(file_id, vector_store_id=vector_store_id, timeout=timeout)

        return poll_until(
            retrieve,
            lambda file: file.status != "in_progress",
            what=f"vector store file {file_id}",
            poll_interval_ms=poll_interval_ms,
            poll_timeout=poll_timeout,
        )

    def upload(
        self,
        *,
        vector_store_id: str,
        file: FileTypes,
        chunking_strategy: ChunkingStrategyRequestParam | NotGiven = NOT_GIVEN,
    ) -> VectorStoreFileObject:
        """Upload a file (purpose ``assistants``) and attach it to the vector store, without waiting."""
        uploaded = _client(self).files.create(file=file, purpose="assistants")
        return cast("Files", self).create(vector_store_id, file_id=uploaded.id, chunking_strategy=chunking_strategy)

    def upload_and_poll(
        self,
        *,
        vector_store_id: str,
        file: FileTypes,
        attributes: VectorStoreFileAttributesParam | NotGiven = NOT_GIVEN,
        chunking_strategy: ChunkingStrategyRequestParam | NotGiven = NOT_GIVEN,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
    ) -> VectorStoreFileObject:
        """Upload a file, attach it to the vector store and wait until it is processed."""
        uploaded = _client(self).files.create(file=file, purpose="assistants")
        return self.create_and_poll(
            uploaded.id,
            vector_store_id=vector_store_id,
            attributes=attributes,
            chunking_strategy=chunking_strategy,
            poll_interval_ms=poll_interval_ms,
            poll_timeout=poll_timeout,
        )


class FileBatchesHelpers:
    """``client.vector_stores.file_batches``: add files in a batch and wait until all are processed."""

    def create_and_poll(
        self,
        vector_store_id: str,
        *,
        attributes: VectorStoreFileAttributesParam | NotGiven = NOT_GIVEN,
        chunking_strategy: ChunkingStrategyRequestParam | NotGiven = NOT_GIVEN,
        file_ids: Sequence[str] | NotGiven = NOT_GIVEN,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
        **options: Unpack[RequestOptions],
    ) -> VectorStoreFileBatchObject:
        """Create a file batch and wait until none of its files is still in progress."""
        batch = cast("FileBatches", self).create(
            vector_store_id, attributes=attributes, chunking_strategy=chunking_strategy, file_ids=file_ids, **options
        )
        return self.poll(
            batch.id, vector_store_id=vector_store_id, poll_interval_ms=poll_interval_ms, poll_timeout=poll_timeout
        )

    def poll(
        self,
        batch_id: str,
        *,
        vector_store_id: str,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
    ) -> VectorStoreFileBatchObject:
        """Wait until no file of the batch is ``in_progress`` (check ``file_counts`` for failures)."""
        batches = cast("FileBatches", self)

        def retrieve(timeout: float | NotGiven) -> Any:
            return batches.with_raw_response.retrieve(batch_id, vector_store_id=vector_store_id, timeout=timeout)

        return poll_until(
            retrieve,
            _batch_done,
            what=f"vector store file batch {batch_id}",
            poll_interval_ms=poll_interval_ms,
            poll_timeout=poll_timeout,
        )

    def upload_and_poll(
        self,
        vector_store_id: str,
        *,
        files: Iterable[FileTypes],
        max_concurrency: int = 5,
        file_ids: Sequence[str] = (),
        chunking_strategy: ChunkingStrategyRequestParam | NotGiven = NOT_GIVEN,
        poll_interval_ms: int | NotGiven = NOT_GIVEN,
        poll_timeout: float | None = None,
    ) -> VectorStoreFileBatchObject:
        """Upload ``files`` (at most ``max_concurrency`` at a time), add them and ``file_ids`` to the vector
        store as one batch, and wait until it is processed. The first upload that fails raises."""
        uploaded = _upload_all(_client(self), list(files), max_concurrency)
        return self.create_and_poll(
            vector_store_id,
            file_ids=[*file_ids, *uploaded],
            chunking_strategy=chunking_strategy,
            poll_interval_ms=poll_interval_ms,
            poll_timeout=poll_timeout,
        )


def _batch_done(batch: Any) -> bool:
    counts = getattr(batch, "file_counts", None)
    in_progress = getattr(counts, "in_progress", None)
    if isinstance(in_progress, int):
        return in_progress == 0
    return getattr(batch, "status", None) != "in_progress"


def _upload_all(client: OpenAI, files: list[FileTypes], max_concurrency: int) -> list[str]:
    """The ids of ``files`` uploaded with purpose ``assistants``, at most ``max_concurrency`` at once."""

    def upload(file: FileTypes) -> Callable[[], OpenAIFile]:
        return lambda: client.files.create(file=file, purpose="assistants")

    uploaded = run_concurrently([upload(file) for file in files], max_concurrency)
    return [file.id for file in uploaded]
