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
import typing
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


RETURNS: dict[str, str] = yaml.safe_load((REPO / "spec" / "official_types.yaml").read_text())["returns"]


def _method_result(path: str) -> str:
    """The return annotation of our client method of that path, as written (the module imports it for type
    checkers only)."""
    from oai import OpenAI

    target: Any = OpenAI(api_key="sk-test")
    for part in path.split("."):
        target = getattr(target, part)
    return str(target.__annotations__["return"])


@pytest.mark.parametrize(
    ("official", "method"),
    [
        ("types.beta.chatkit:ChatKitThread", "beta.chatkit.threads.retrieve"),
        ("types.beta.chatkit:ChatSession", "beta.chatkit.sessions.create"),
        ("types.responses:CompactedResponse", "responses.compact"),
        ("types.beta:BetaCompactedResponse", "beta.responses.compact"),
        ("types.evals:RunCreateResponse", "evals.runs.create"),
    ],
)
def test_a_name_a_method_returns_is_what_our_method_returns(official: str, method: str) -> None:
    """The official suite checks ``isinstance(client.<method>(...), <Name>)``: the name is our method's model."""
    module, _, name = official.partition(":")
    assert getattr(importlib.import_module(f"oai.{module}"), name).__name__ == _method_result(method)


def test_returned_items_resolve_through_the_page_and_the_union() -> None:
    """``returns`` facts with steps: a page's item (``[]``), a union member by its tag (``(type=...)``)."""
    from oai.types.beta.chatkit import ChatKitThread, ChatKitThreadUserMessageItem, ChatKitWidgetItem

    assert RETURNS["types.beta.chatkit:ChatKitThreadUserMessageItem"].startswith("beta.chatkit.threads.list_items[]")
    assert _method_result("beta.chatkit.threads.list").endswith(f"[{ChatKitThread.__name__}]")
    item = ChatKitThreadUserMessageItem.model_fields["type"].annotation
    assert typing.get_args(item) == ("chatkit.user_message",)
    assert ChatKitWidgetItem not in PLACEHOLDERS


def test_ref_overrides_and_core_names_are_real_types() -> None:
    """sdk.yaml ``ref:`` names the union at a place of another name's type; the WebSocket option names of
    ``openai.types`` are the core's TypedDicts (the sync one without ``write_limit``)."""
    import oai
    from oai.types import SyncWebSocketConnectionOptions, WebSocketConnectionOptions
    from oai.types.chat import (
        ChatCompletionMessageCustomToolCall,
        ChatCompletionMessageFunctionToolCall,
        ChatCompletionMessageToolCallUnion,
    )
    from oai.types.websocket_connection_options import SyncWebSocketConnectionOptions as FromModule

    members = set(typing.get_args(typing.get_args(ChatCompletionMessageToolCallUnion.__value__)[0]))
    assert members == {ChatCompletionMessageFunctionToolCall, ChatCompletionMessageCustomToolCall}
    assert FromModule is SyncWebSocketConnectionOptions is oai.SyncWebSocketConnectionOptions
    assert WebSocketConnectionOptions is oai.WebSocketConnectionOptions
    assert "write_limit" in WebSocketConnectionOptions.__optional_keys__
    assert "write_limit" not in SyncWebSocketConnectionOptions.__optional_keys__


def test_request_types_list_their_required_keys_at_run_time() -> None:
    """As TypedDicts written without ``from __future__ import annotations`` do: ``Required[...]`` keys are in
    ``__required_keys__``, the rest in ``__optional_keys__`` (a self-referencing one included)."""
    from oai.types.chat import ChatCompletionUserMessageParam, CompletionCreateParams
    from oai.types.shared_params import CompoundFilter

    assert ChatCompletionUserMessageParam.__required_keys__ == {"role", "content"}
    assert ChatCompletionUserMessageParam.__optional_keys__ == {"name"}
    assert {"model", "messages"} == CompletionCreateParams.__required_keys__
    assert "stream" in CompletionCreateParams.__optional_keys__
    assert CompoundFilter.__required_keys__ == {"type", "filters"}


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
    assert official["models"] == [m for m in flat["models"] if m != "oai.types._names"]  # the flat name table


# -- the per-type submodules (spec/official_submodules.yaml) -------------------------------------------------------

SUBMODULES: dict[str, dict[str, str]] = yaml.safe_load((REPO / "spec" / "official_submodules.yaml").read_text())[
    "modules"
]
_SUBMODULE_DOC = "The names of the official SDK's module"


def _by_package() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for module in SUBMODULES:
        groups.setdefault(module.rsplit(".", 1)[0], []).append(module)
    return groups


@pytest.mark.parametrize(("package", "modules"), sorted(_by_package().items()))
def test_every_official_submodule_name_imports(package: str, modules: list[str]) -> None:
    """``from oai.types.chat.chat_completion import Choice``: every public name of every official submodule file,
    as the kind of object the official SDK has where oai has the type."""
    missing: list[str] = []
    wrong: list[str] = []
    for module in modules:
        imported = importlib.import_module(f"oai.{module}")
        if not (imported.__doc__ or "").startswith(_SUBMODULE_DOC):
            continue  # a module another part of the generator writes (test_other_stages_modules_are_few)
        for name, fact in (SUBMODULES[module] or {}).items():
            if not hasattr(imported, name):
                missing.append(f"{module}.{name}")
                continue
            value: Any = getattr(imported, name)
            if any(value is p for p in PLACEHOLDERS):
                continue
            kind = fact.split(" ", 1)[0]
            if kind == "model" and not (isinstance(value, type) and issubclass(value, pydantic.BaseModel)):
                wrong.append(f"{module}.{name} (a model officially)")
            elif kind == "typeddict" and not is_typeddict(value):
                wrong.append(f"{module}.{name} (a TypedDict officially)")
        assert set(SUBMODULES[module] or {}) <= set(imported.__all__), module
    assert not missing, f"{len(missing)} official submodule names missing: {missing}"
    assert len(wrong) <= 2, wrong


def test_other_stages_modules_are_few() -> None:
    """A file another stage writes keeps its contents (types/websocket_connection_options.py, from the core)."""
    others = [
        module
        for module in SUBMODULES
        if not (importlib.import_module(f"oai.{module}").__doc__ or "").startswith(_SUBMODULE_DOC)
    ]
    assert others == ["types.websocket_connection_options"]


def test_nested_names_are_our_nested_models() -> None:
    """The names users import from the official per-type files are the classes oai parses responses into."""
    from oai.types import ChatCompletion, ChatCompletionChunk, CompletionUsage
    from oai.types.chat.chat_completion import ChatCompletion as FromFile
    from oai.types.chat.chat_completion import Choice, ChoiceLogprobs
    from oai.types.chat.chat_completion_chunk import ChoiceDelta, ChoiceDeltaToolCall, ChoiceDeltaToolCallFunction
    from oai.types.chat.chat_completion_message_param import ChatCompletionMessageParam
    from oai.types.completion_usage import CompletionTokensDetails, PromptTokensDetails
    from oai.types.completion_usage import CompletionUsage as UsageFromFile

    assert FromFile is ChatCompletion
    assert UsageFromFile is CompletionUsage
    assert ChatCompletion.model_fields["choices"].annotation == list[Choice]
    assert Choice.model_fields["logprobs"].annotation == ChoiceLogprobs | None
    (chunk_choice,) = typing.get_args(ChatCompletionChunk.model_fields["choices"].annotation)
    assert chunk_choice.model_fields["delta"].annotation is ChoiceDelta
    assert ChoiceDelta.model_fields["tool_calls"].annotation == list[ChoiceDeltaToolCall] | None
    assert ChoiceDeltaToolCall.model_fields["function"].annotation == ChoiceDeltaToolCallFunction | None
    assert CompletionUsage.model_fields["prompt_tokens_details"].annotation == PromptTokensDetails | None
    assert CompletionUsage.model_fields["completion_tokens_details"].annotation == CompletionTokensDetails | None
    assert ChatCompletionMessageParam not in PLACEHOLDERS

    chunk = ChatCompletionChunk.model_validate(
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": None,
                    "delta": {"tool_calls": [{"index": 0, "function": {"name": "f", "arguments": "{}"}}]},
                }
            ],
        }
    )
    tool_calls = chunk.choices[0].delta.tool_calls
    assert tool_calls is not None
    call = tool_calls[0]
    assert isinstance(call, ChoiceDeltaToolCall)
    assert isinstance(call.function, ChoiceDeltaToolCallFunction)


_SUBMODULE_PROBE = """
import json, sys
import oai
after_import = sorted(m for m in sys.modules if m.startswith("oai.types"))
if sys.argv[1] == "submodule":
    from oai.types.chat.chat_completion import Choice
else:
    from oai.types import ChatCompletion
models = sorted(m for m in sys.modules if m.startswith("oai.types._"))
print(json.dumps({"after_import": after_import, "models": models}))
"""


def test_submodules_load_only_their_family() -> None:
    """``from oai.types.chat.chat_completion import Choice`` builds the chat completion models and nothing else:
    the same model modules as ``from oai.types import ChatCompletion``; ``import oai`` loads no submodule."""
    found: dict[str, dict[str, list[str]]] = {}
    for how in ("submodule", "flat"):
        result = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(_SUBMODULE_PROBE), how],
            cwd=REPO / "generated",
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        found[how] = json.loads(result.stdout)
    assert found["submodule"]["after_import"] == []
    assert [m for m in found["submodule"]["models"] if m != "oai.types._names"] == [
        m for m in found["flat"]["models"] if m != "oai.types._names"
    ]
    assert "oai.types._names" not in found["submodule"]["models"]


def test_flat_types_package_reads_its_table_on_first_lookup() -> None:
    """``oai.types/__init__.py`` is light: its name table (``_names``) loads on the first ``oai.types.X``, and
    ``__all__``, ``dir()`` and ``import *`` still list every name."""
    code = """
import sys
import oai.types._models.completion_usage
assert "oai.types._names" not in sys.modules
import oai.types as types
assert "oai.types._names" not in sys.modules
from oai.types import CompletionUsage
assert "oai.types._names" in sys.modules
assert CompletionUsage is oai.types._models.completion_usage.CompletionUsage
assert "ChatCompletionChunk" in types.__all__ and "ChatCompletionChunk" in dir(types)
namespace = {}
exec("from oai.types import *", namespace)
assert namespace["ChatCompletion"].__name__ == "ChatCompletion"
try:
    types.NoSuchType
except AttributeError as exc:
    assert "NoSuchType" in str(exc)
else:
    raise AssertionError("no error")
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO / "generated",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
