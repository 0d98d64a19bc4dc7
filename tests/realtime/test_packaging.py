"""``websockets`` is the ``oai[realtime]`` extra: ``import oai`` never loads it, and without it ``connect()`` says
which extra to install."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from oai import AsyncOpenAI, OpenAI, OpenAIError

_PROBE = """
import sys
import oai
client = oai.OpenAI(api_key="k", base_url="http://127.0.0.1:9/v1")
client.realtime.connect(model="m")  # the manager: nothing is opened before ``with``
import oai.types.realtime
print("websockets" in sys.modules, "asyncio" in sys.modules)
"""


def test_import_oai_and_touching_realtime_load_no_websockets() -> None:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(_PROBE)], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_without_the_extra_connect_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "websockets", None)  # what ``import websockets`` finds when it is not installed
    with OpenAI(api_key="k", base_url="http://127.0.0.1:9/v1") as client:
        with pytest.raises(OpenAIError, match=r"pip install 'oai\[realtime\]'"):
            client.realtime.connect(model="gpt-realtime").enter()


async def test_async_without_the_extra_connect_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "websockets", None)
    async with AsyncOpenAI(api_key="k", base_url="http://127.0.0.1:9/v1") as client:
        with pytest.raises(OpenAIError, match=r"pip install 'oai\[realtime\]'"):
            await client.realtime.connect(model="gpt-realtime").enter()
