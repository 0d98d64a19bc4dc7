"""OpenTelemetry spans and metrics of streams, following the GenAI semantic conventions, when OpenTelemetry is there.

Nothing here runs unless the application uses OpenTelemetry: ``opentelemetry-api``
installed (``pip install 'oai[otel]'``) *and* imported by the time a stream
starts -- configuring a tracer or meter provider imports it, and so do the
auto-instrumentation launcher and the ``OTEL_PYTHON_TRACER_PROVIDER`` /
``OTEL_PYTHON_METER_PROVIDER`` variables (honoured: with either set, oai
imports it itself). Until then no provider can be configured, every span
would go to OpenTelemetry's no-op objects, and importing the API (~20 ms) is
a cost the first stream of every process would pay for nothing; each stream
looks again (one dictionary read), so a provider configured later is used
from the next stream on. Once loaded, each stream makes one span and records
its metrics when it ends -- nothing per chunk: the figures come from the
stream's :class:`~oai._core._stats.StreamStats`.

What is emitted (names from the GenAI semantic conventions; the span's
extra ``oai.stream.*`` attributes are ours):

* a ``CLIENT`` span ``"{gen_ai.operation.name} {gen_ai.request.model}"`` from
  the moment the request was sent to the end of the stream, with
  ``gen_ai.operation.name``, ``gen_ai.provider.name``, ``gen_ai.request.model``,
  ``gen_ai.response.model``, ``gen_ai.response.id``,
  ``gen_ai.response.finish_reasons``, ``gen_ai.usage.input_tokens`` /
  ``output_tokens``, ``gen_ai.response.time_to_first_chunk``,
  ``server.address``, ``server.port``, ``error.type`` on failure, and
  ``oai.stream.events`` / ``bytes`` / ``reconnects`` / ``completed``;
* histograms ``gen_ai.client.operation.duration``,
  ``gen_ai.client.operation.time_to_first_chunk``,
  ``gen_ai.client.operation.time_per_output_chunk`` (one value per event
  after the first: the wait for it) and ``gen_ai.client.token.usage`` (by
  ``gen_ai.token.type``).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, cast

__all__ = ["end", "in_use", "start"]

_OPERATIONS = {"chat": "chat", "responses": "chat", "assistants": "invoke_agent", "sse": "generate_content"}

_DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]
_TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]


class _Instruments:
    def __init__(self, trace: Any, metrics: Any) -> None:
        self.trace = trace
        self.tracer = trace.get_tracer("oai")
        meter = metrics.get_meter("oai")

        def histogram(name: str, unit: str, description: str, buckets: list[float] | list[int]) -> Any:
            try:
                return meter.create_histogram(
                    name, unit=unit, description=description, explicit_bucket_boundaries_advisory=buckets
                )
            except TypeError:  # an opentelemetry-api before 1.23 has no bucket advice
                return meter.create_histogram(name, unit=unit, description=description)

        self.duration = histogram(
            "gen_ai.client.operation.duration", "s", "GenAI operation duration.", _DURATION_BUCKETS
        )
        self.first_chunk = histogram(
            "gen_ai.client.operation.time_to_first_chunk",
            "s",
            "Time from sending the request to the first chunk of the streamed response.",
            _DURATION_BUCKETS,
        )
        self.per_chunk = histogram(
            "gen_ai.client.operation.time_per_output_chunk",
            "s",
            "Time waited for each chunk after the first.",
            _DURATION_BUCKETS,
        )
        self.tokens = histogram("gen_ai.client.token.usage", "{token}", "Input and output tokens used.", _TOKEN_BUCKETS)


_instruments: _Instruments | bool | None = None
"""``None`` until OpenTelemetry is found in use; ``False`` when it is not installed."""

_PROVIDER_VARIABLES = ("OTEL_PYTHON_TRACER_PROVIDER", "OTEL_PYTHON_METER_PROVIDER")


def in_use() -> bool:
    """Whether the application uses OpenTelemetry: its API already imported, or a provider named by variable."""
    modules = sys.modules
    return (
        "opentelemetry.trace" in modules
        or "opentelemetry.metrics" in modules
        or any(os.environ.get(name) for name in _PROVIDER_VARIABLES)
    )


def _load() -> _Instruments | None:
    global _instruments
    found = _instruments
    if found is None:
        if not in_use():
            return None  # looked at again by the next stream
        try:
            from opentelemetry import metrics, trace
        except ImportError:
            _instruments = False
            return None
        found = _instruments = _Instruments(trace, metrics)
    return found if isinstance(found, _Instruments) else None


class _Span:
    __slots__ = ("attributes", "instruments", "span")

    def __init__(self, instruments: _Instruments, span: Any, attributes: dict[str, Any]) -> None:
        self.instruments = instruments
        self.span = span
        self.attributes = attributes


def start(config: Any, kind: str, response: Any) -> _Span | None:
    """Open the span of a stream (``None`` without OpenTelemetry). ``config`` is the stream's ``StreamConfig``."""
    instruments = _instruments
    if instruments is False:
        return None
    instruments = _load()
    if instruments is None:
        return None
    operation = _OPERATIONS.get(kind, "generate_content")
    attributes: dict[str, Any] = {"gen_ai.operation.name": operation, "gen_ai.provider.name": "openai"}
    model = config.model
    if isinstance(model, str):
        attributes["gen_ai.request.model"] = model
    try:
        url = response.request.url
        attributes["server.address"] = url.host
        if url.port is not None:
            attributes["server.port"] = url.port
    except (AttributeError, RuntimeError):  # a response built by hand, without a request
        pass
    stats = config.stats
    started_ns = time.time_ns() - int((time.monotonic() - stats.started) * 1e9)
    name = f"{operation} {model}" if isinstance(model, str) else operation
    span = instruments.tracer.start_span(
        name, kind=instruments.trace.SpanKind.CLIENT, attributes=attributes, start_time=started_ns
    )
    return _Span(instruments, span, attributes)


def _count(usage: Any, *names: str) -> int | None:
    for name in names:
        value: Any = cast("dict[str, Any]", usage).get(name) if isinstance(usage, dict) else getattr(usage, name, None)
        if isinstance(value, int):
            return value
    return None


def _tokens(usage: Any) -> tuple[int | None, int | None]:
    """Input and output tokens of a chat (``prompt_tokens``...) or Responses (``input_tokens``...) usage."""
    if usage is None:
        return None, None
    return _count(usage, "input_tokens", "prompt_tokens"), _count(usage, "output_tokens", "completion_tokens")


def end(state: _Span, stats: Any, progress: Any, failure: BaseException | None) -> None:
    """Close the span and record the metrics of a stream that ended (``failure``: what it raised)."""
    instruments = state.instruments
    span = state.span
    common = dict(state.attributes)
    partial = progress.partial
    if isinstance(getattr(partial, "model", None), str):
        common["gen_ai.response.model"] = partial.model
    if failure is not None and not isinstance(failure, GeneratorExit):
        common["error.type"] = type(failure).__qualname__
    attributes: dict[str, Any] = dict(common)
    if partial.response_id:
        attributes["gen_ai.response.id"] = partial.response_id
    if partial.finish_reasons:
        attributes["gen_ai.response.finish_reasons"] = [
            partial.finish_reasons[i] for i in sorted(partial.finish_reasons)
        ]
    given, taken = _tokens(stats.usage)
    if given is not None:
        attributes["gen_ai.usage.input_tokens"] = given
    if taken is not None:
        attributes["gen_ai.usage.output_tokens"] = taken
    first = stats.time_to_first_event
    if first is not None:
        attributes["gen_ai.response.time_to_first_chunk"] = first
    attributes["oai.stream.events"] = stats.events
    attributes["oai.stream.bytes"] = stats.bytes
    attributes["oai.stream.reconnects"] = stats.reconnects
    attributes["oai.stream.completed"] = stats.completed
    span.set_attributes(attributes)
    if "error.type" in common:
        span.set_status(instruments.trace.Status(instruments.trace.StatusCode.ERROR, str(failure)))
    span.end()

    if stats.duration is not None:
        instruments.duration.record(stats.duration, common)
    if first is not None:
        instruments.first_chunk.record(first, common)
    record = instruments.per_chunk.record
    for gap in stats.gaps:
        record(gap, common)
    if given is not None:
        instruments.tokens.record(given, {**common, "gen_ai.token.type": "input"})
    if taken is not None:
        instruments.tokens.record(taken, {**common, "gen_ai.token.type": "output"})
