"""examples/structured_streaming.py against a local server: partial values as the answer streams, then the
final parsed MathResponse (sync, and with --async)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ._server import ScriptedServer, fixture, split_messages, stream_reply

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "structured_streaming.py"


@pytest.mark.parametrize("flags", [[], ["--async"]])
def test_structured_streaming_example(scripted: ScriptedServer, flags: list[str]) -> None:
    scripted.script("POST", "/responses", stream_reply(split_messages(fixture("aimock-responses-math.sse"))))
    env = {**os.environ, "OPENAI_BASE_URL": scripted.url, "OPENAI_API_KEY": "sk-local", "OAI_MODEL": "gpt-4o"}
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), *flags], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    partial = [line for line in lines if line.startswith("partial:")]
    assert len(partial) > 5
    assert "1 step(s), last explanation 'Sub" in "\n".join(partial)  # a step seen while it was being written
    assert partial[0] != partial[-1] and "final_answer None" in partial[0]
    assert lines[-2:] == ["first step: Subtract 31 from both sides", "final answer: x = -29/8"]
    assert scripted.requests[-1].json()["text"]["format"]["name"] == "MathResponse"
