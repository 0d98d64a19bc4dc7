"""OpenTelemetry is loaded only when the application uses it, and picked up as soon as it does.

Each case runs in a fresh interpreter (``sys.modules`` and OpenTelemetry's
global providers are per process), streaming over TCP from the module's
:class:`ResumeServer`, sync and async.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ._server import ResumeServer

pytestmark = pytest.mark.parametrize("mode", ["sync", "async"])

_PROGRAM = """
import asyncio, os, sys
import oai

MODE = os.environ["MODE"]
BASE_URL = os.environ["BASE_URL"]


def stream_once():
    kwargs = dict(model="resume-model", messages=[{"role": "user", "content": "hi"}], stream=True)
    if MODE == "sync":
        with oai.OpenAI(api_key="sk-test", base_url=BASE_URL, max_retries=0) as client:
            stream = client.chat.completions.create(**kwargs)
            return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)

    async def run():
        async with oai.AsyncOpenAI(api_key="sk-test", base_url=BASE_URL, max_retries=0) as client:
            stream = await client.chat.completions.create(**kwargs)
            return "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    return asyncio.run(run())


assert stream_once()
loaded = sorted(name for name in sys.modules if name.startswith("opentelemetry"))
print("after a stream without OpenTelemetry:", loaded)
assert not loaded, loaded

if os.environ.get("THEN_CONFIGURE"):
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    assert stream_once()
    names = [span.name for span in exporter.get_finished_spans()]
    assert names == ["chat resume-model"], names
    print("spans after configuring a provider:", names)
"""


def _run(mode: str, base_url: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    environment.update(MODE=mode, BASE_URL=base_url, **env)
    package = Path(__file__).resolve().parents[2] / "generated"
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(package), environment.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", _PROGRAM], env=environment, capture_output=True, text=True, timeout=60, check=False
    )


def test_a_stream_does_not_import_opentelemetry_the_application_does_not_use(server: ResumeServer, mode: str) -> None:
    done = _run(mode, server.base_url)
    assert done.returncode == 0, done.stderr
    assert "after a stream without OpenTelemetry: []" in done.stdout


def test_a_provider_configured_after_the_first_stream_gets_the_next_streams_span(
    server: ResumeServer, mode: str
) -> None:
    pytest.importorskip("opentelemetry.sdk.trace")
    done = _run(mode, server.base_url, THEN_CONFIGURE="1")
    assert done.returncode == 0, done.stderr
    assert "spans after configuring a provider: ['chat resume-model']" in done.stdout
