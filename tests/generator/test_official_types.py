"""The official SDK's type layout: every public name of ``openai.types`` (spec/official_types.yaml, the facts
scripts/official_types.py reads from the installed ``openai`` package) imports from the same path under
``oai.types``, as the same kind of object, and importing one loads only what it needs.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap
from typing import Any

import pydantic
import pytest
import yaml
from oai.types import _unmapped
from typing_extensions import is_typeddict

from .helpers import REPO

FACTS: dict[str, dict[str, str]] = yaml.safe_load((REPO / "spec" / "official_types.yaml").read_text())["modules"]
PLACEHOLDERS = (_unmapped.UnmappedModel, _unmapped.UnmappedParams, _unmapped.UnmappedType)


@pytest.mark.parametrize("module", sorted(FACTS))
def test_every_official_name_imports(module: str) -> None:
    imported = importlib.import_module(f"oai.{module}")
    missing = [name for name in FACTS[module] if not hasattr(imported, name)]
    assert not missing, f"oai.{module} lacks {len(missing)} official names: {missing}"
    assert set(FACTS[module]) <= set(dir(imported))


def _kind_mismatches(module: str) -> list[str]:
    imported = importlib.import_module(f"oai.{module}")
    wrong: list[str] = []
    for name, kind in FACTS[module].items():
        value: Any = getattr(imported, name)
        if any(value is p for p in PLACEHOLDERS):
            continue
        if kind == "model" and not (isinstance(value, type) and issubclass(value, pydantic.BaseModel)):
            wrong.append(f"{name} (a model officially)")
        elif kind == "typeddict" and not is_typeddict(value):
            wrong.append(f"{name} (a TypedDict officially)")
    return wrong


def test_models_are_models_and_params_typeddicts() -> None:
    """Where the spec has the type, an official model is a pydantic model and an official TypedDict a TypedDict.

    A few official TypedDicts stand for a spec union (the request side is then a type alias of the union):
    they are counted, and must stay few."""
    wrong = {module: _kind_mismatches(module) for module in ("types.chat", "types.responses", "types.shared")}
    assert not wrong["types.chat"], wrong["types.chat"]
    total = sum(len(v) for v in wrong.values())
    assert total <= 10, wrong


def test_operation_params_are_request_types() -> None:
    """``<Resource><Method>Params`` is the operation's arguments as a TypedDict, also where the official SDK
    has a union of its streaming and non-streaming forms (``ImageEditParams``)."""
    from oai.types import CompletionCreateParams, ImageEditParams, ImageGenerateParams
    from oai.types.chat import CompletionCreateParams as ChatCompletionCreateParams

    for value in (CompletionCreateParams, ImageEditParams, ImageGenerateParams, ChatCompletionCreateParams):
        assert is_typeddict(value), value
    assert {"model", "messages", "stream", "tools"} <= set(ChatCompletionCreateParams.__annotations__)


def test_placeholders_are_the_exception() -> None:
    """The names with no spec counterpart are placeholders; the chat names users import are real types."""
    from oai.types import chat, responses

    for name in ("ChatCompletion", "ChatCompletionChunk", "ChatCompletionMessageParam", "ChatCompletionToolParam"):
        assert getattr(chat, name) not in PLACEHOLDERS, name
    for name in ("Response", "ResponseStreamEvent", "ResponseInputItemParam", "ResponseOutputMessage"):
        assert getattr(responses, name) not in PLACEHOLDERS, name
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchType'"):
        chat.NoSuchType  # noqa: B018


_PROBE = """
import json, sys
import oai
after_import = sorted(m for m in sys.modules if m.startswith("oai.types"))
if sys.argv[1] == "official":
    from oai.types.chat import ChatCompletion
else:
    from oai.types import ChatCompletion
models = sorted(m for m in sys.modules if m.startswith("oai.types._"))
print(json.dumps({"after_import": after_import, "models": models, "name": ChatCompletion.__name__}))
"""


def _probe(how: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_PROBE), how],
        cwd=REPO / "generated",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_official_modules_load_lazily() -> None:
    """``import oai`` loads no type module; ``from oai.types.chat import ChatCompletion`` loads exactly the model
    modules ``from oai.types import ChatCompletion`` does (tests/generator/test_import_cost.py bounds those)."""
    official, flat = _probe("official"), _probe("flat")
    assert official["after_import"] == []
    assert official["name"] == "ChatCompletion"
    assert "oai.types._params" not in official["models"]  # a model needs no request types
    assert official["models"] == flat["models"]
