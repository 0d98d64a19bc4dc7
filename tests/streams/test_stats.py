# pyright: standard
# (decoded events and clients of either kind are untyped here; the rest of tests/ is checked strictly)
"""``stream.stats``, OpenTelemetry spans and metrics, and compatible servers' dialects, over TCP, sync and async."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import oai
import pytest

from ._drive import MODES, drain, make_client
from ._server import TEXT, USAGE, WORDS, ResumeServer

pytestmark = pytest.mark.parametrize("mode", MODES)

MESSAGES: list[Any] = [{"role": "user", "content": "hi"}]


def chat(**headers: str) -> Any:
    extra = {k.replace("_", "-"): v for k, v in headers.items()}
    return lambda c: c.chat.completions.create(
        model="resume-model", messages=MESSAGES, stream=True, extra_headers=extra
    )


def test_stats_during_and_after_a_chat_stream(server: ResumeServer, mode: str) -> None:
    out = drain(mode, make_client(mode, server.base_url), chat())
    assert out.error is None
    stats = out.stream.stats
    # During the stream: the counts grow with each chunk; the first event's time is known from the first on.
    assert [events for events, _ in out.seen_during] == list(range(1, len(out.chunks) + 1))
    assert all(first is not None for _, first in out.seen_during)
    assert stats.events == len(out.chunks) == len(WORDS) + 2
    assert stats.content_events == len(WORDS)
    assert stats.bytes > 0 and stats.reconnects == 0 and stats.completed is True
    assert stats.time_to_first_byte is not None and stats.time_to_first_event is not None
    assert stats.time_to_first_content is not None
    assert 0 <= stats.time_to_first_byte <= stats.time_to_first_event <= stats.time_to_first_content
    assert stats.duration is not None and stats.duration >= stats.time_to_first_content
    assert stats.max_gap is not None and stats.gap_p50 is not None and stats.gap_p99 is not None
    assert stats.gap_p50 <= stats.gap_p99 <= stats.max_gap
    assert len(stats.gaps) == stats.events - 1
    assert stats.usage.completion_tokens == USAGE["completion_tokens"]
    assert stats.as_dict()["events"] == stats.events
    assert "events=" in repr(stats)


def test_stats_before_the_stream_is_read(server: ResumeServer, mode: str) -> None:
    stats = oai.StreamStats(started=0.0)
    assert (stats.time_to_first_byte, stats.time_to_first_event, stats.time_to_first_content) == (None, None, None)
    assert (stats.max_gap, stats.gap_p50, stats.gap_p99, stats.usage, stats.duration) == (None,) * 5
    with pytest.raises(ValueError, match="between 0 and 1"):
        stats.gap_quantile(1.5)


# -- dialects ------------------------------------------------------------------------------------------------------


def test_reasoning_content_and_reasoning_are_one_field(server: ResumeServer, mode: str) -> None:
    for dialect in ("reasoning_content", "reasoning"):
        out = drain(mode, make_client(mode, server.base_url), chat(x_chat=dialect))
        assert out.error is None
        assert out.stream.partial.reasoning == "Let me think. A fox."
        assert out.stream.partial.text == TEXT
        deltas = [c.choices[0].delta for c in out.chunks]
        assert [oai.reasoning_of(d) for d in deltas[:2]] == ["Let me think. ", "A fox."]
        # Either name reads whichever the server sent; the dump keeps what was sent.
        assert [(d.reasoning_content, d.reasoning) for d in deltas[:2]] == [("Let me think. ",) * 2, ("A fox.",) * 2]
        assert deltas[1].model_dump(exclude_unset=True) == {dialect: "A fox."}
        assert oai.reasoning_of(deltas[2]) is None and deltas[2].reasoning_content is None
        # Reasoning is content: the first-token clock stops at it.
        assert out.stream.stats.content_events == len(WORDS) + 2


def test_a_usage_only_final_chunk(server: ResumeServer, mode: str) -> None:
    out = drain(mode, make_client(mode, server.base_url), chat(x_chat="usage-only"))
    assert out.error is None
    assert out.chunks[-1].choices == [] and out.chunks[-1].usage.total_tokens == USAGE["total_tokens"]
    assert out.stream.stats.usage.total_tokens == USAGE["total_tokens"]
    assert out.stream.partial.text == TEXT


def test_tool_call_chunks_without_index_are_joined(server: ResumeServer, mode: str) -> None:
    out = drain(mode, make_client(mode, server.base_url), chat(x_chat="tools-no-index"))
    assert out.error is None
    calls = out.stream.partial.tool_calls
    assert [(c["index"], c["id"], c["function"]["name"], c["function"]["arguments"]) for c in calls] == [
        (0, "call_1", "get_weather", '{"city": "Paris"}'),
        (1, "call_2", "get_time", "{}"),
    ]


def test_llama_server_chat_capture(server: ResumeServer, mode: str) -> None:
    out = drain(mode, make_client(mode, server.base_url), chat(x_fixture="llama-server-b11434-chat-stream.sse"))
    assert out.error is None
    stats = out.stream.stats
    assert stats.completed and stats.usage.completion_tokens == 8
    assert out.chunks[-1].choices == []  # llama-server's usage-only final chunk
    assert out.stream.partial.text.startswith("Alejandro")


def test_llama_server_responses_capture_without_sequence_numbers(server: ResumeServer, mode: str) -> None:
    client = make_client(mode, server.base_url, resume=True)
    out = drain(
        mode,
        client,
        lambda c: c.responses.create(
            model="m", input="hi", stream=True, extra_headers={"x-fixture": "llama-server-b11434-responses-stream.sse"}
        ),
    )
    assert out.error is None
    assert out.stream.stats.completed and out.stream.stats.usage.output_tokens == 4
    assert out.stream.partial.text == "Hello there, welcome"


def test_vllm_reasoning_content_stream(server: ResumeServer, mode: str) -> None:
    out = drain(mode, make_client(mode, server.base_url), chat(x_fixture="vllm-chat-reasoning-stream.sse"))
    assert out.error is None
    partial = out.stream.partial
    assert (partial.reasoning, partial.text) == ("The user greets me.", "Hello! How can I help?")
    assert out.stream.stats.usage.completion_tokens == 18 and partial.finish_reasons == {0: "stop"}


def test_ollama_reasoning_and_a_tool_call_without_index(server: ResumeServer, mode: str) -> None:
    out = drain(mode, make_client(mode, server.base_url), chat(x_fixture="ollama-chat-reasoning-tools-stream.sse"))
    assert out.error is None
    partial = out.stream.partial
    assert partial.reasoning == "I should look up the weather."
    assert partial.tool_calls == [
        {
            "index": 0,
            "id": "call_k3l9x2",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
        }
    ]
    assert partial.finish_reasons == {0: "tool_calls"}


# -- OpenTelemetry -------------------------------------------------------------------------------------------------

_otel: dict[str, Any] = {}


@pytest.fixture(scope="module")
def otel() -> Iterator[dict[str, Any]]:
    sdk_trace = pytest.importorskip("opentelemetry.sdk.trace")
    from opentelemetry import metrics, trace
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    if not _otel:  # providers can be set once per process
        exporter = InMemorySpanExporter()
        provider = sdk_trace.TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        reader = InMemoryMetricReader()
        metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
        _otel.update(exporter=exporter, reader=reader)
    yield _otel


def _metrics(reader: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    data = reader.get_metrics_data()
    for resource in data.resource_metrics if data else []:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                found.setdefault(metric.name, []).extend(metric.data.data_points)
    return found


def test_a_stream_makes_a_genai_span_and_metrics(server: ResumeServer, mode: str, otel: dict[str, Any]) -> None:
    otel["exporter"].clear()
    out = drain(mode, make_client(mode, server.base_url), chat())
    assert out.error is None
    spans = [s for s in otel["exporter"].get_finished_spans() if s.name == "chat resume-model"]
    assert len(spans) == 1
    attributes = dict(spans[0].attributes)
    assert attributes["gen_ai.operation.name"] == "chat"
    assert attributes["gen_ai.provider.name"] == "openai"
    assert attributes["gen_ai.request.model"] == "resume-model"
    assert attributes["gen_ai.response.model"] == "resume-model"
    assert attributes["gen_ai.response.id"] == "chatcmpl-resume"
    assert attributes["gen_ai.response.finish_reasons"] == ("stop",)
    assert attributes["gen_ai.usage.input_tokens"] == USAGE["prompt_tokens"]
    assert attributes["gen_ai.usage.output_tokens"] == USAGE["completion_tokens"]
    assert attributes["server.address"] == "127.0.0.1"
    assert attributes["oai.stream.events"] == len(WORDS) + 2
    assert spans[0].kind.name == "CLIENT"
    assert spans[0].end_time - spans[0].start_time >= int(out.stream.stats.time_to_first_event * 1e9)
    found = _metrics(otel["reader"])
    for name in (
        "gen_ai.client.operation.duration",
        "gen_ai.client.operation.time_to_first_chunk",
        "gen_ai.client.operation.time_per_output_chunk",
        "gen_ai.client.token.usage",
    ):
        assert found.get(name), name
    types = {p.attributes.get("gen_ai.token.type") for p in found["gen_ai.client.token.usage"]}
    assert types == {"input", "output"}


def test_a_failed_stream_span_has_the_error_type(server: ResumeServer, mode: str, otel: dict[str, Any]) -> None:
    otel["exporter"].clear()
    out = drain(mode, make_client(mode, server.base_url), chat(x_drop_after="3"))
    assert isinstance(out.error, oai.StreamInterrupted)
    (span,) = [s for s in otel["exporter"].get_finished_spans() if s.name == "chat resume-model"]
    assert span.attributes["error.type"] == "StreamInterrupted"
    assert span.status.status_code.name == "ERROR"
