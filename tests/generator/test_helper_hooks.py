"""sdk.yaml's hooks for the handwritten helpers in ``oai/lib``: resource mixins and lazy re-exports.

``resource_mixins`` puts a handwritten class first among a generated resource
class's bases (sync and async forms); ``lib_exports`` re-exports lib names from
the package root or ``oai.types`` on first use; the generator never writes
into ``lib/``. Bad entries stop the run with the JSON pointer of the entry.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from .helpers import REPO
from .test_stages import _config, _list_spec


def test_generated_resources_inherit_their_helpers() -> None:
    source = (REPO / "generated" / "oai" / "resources" / "responses" / "responses.py").read_text()
    assert "from ...lib._sync.responses_resource import ResponsesHelpers" in source
    assert "class Responses(ResponsesHelpers, SyncAPIResource):" in source
    assert "class AsyncResponses(AsyncResponsesHelpers, AsyncAPIResource):" in source


def test_lib_names_load_on_first_use_only() -> None:
    probe = (
        "import sys, oai\n"
        "print(any(m.startswith('oai.lib') for m in sys.modules))\n"
        "import oai.types\n"
        "print(oai.pydantic_function_tool.__module__, oai.types.ParsedResponse.__module__)\n"
        "print('pydantic_function_tool' in oai.__all__, 'ParsedChatCompletion' in oai.types.__all__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO / "generated", capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "oai.lib._tools", "oai.lib._parsed_responses", "True", "True"]


@pytest.mark.parametrize(
    ("changes", "pointer", "words"),
    [
        ({"resource_mixins": {"responses": {"sync": "lib.x.A"}}}, "/resource_mixins/responses", "sync and async"),
        ({"resource_mixins": {"responses": {"sync": "x.A", "async": "x.B"}}}, "/resource_mixins/responses", "lib/"),
        ({"lib_exports": {"client": {"X": "lib.x"}}}, "/lib_exports/client", "package, package_unlisted, types"),
        ({"lib_exports": {"package": {"X": "other.x"}}}, "/lib_exports/package/X", "lib.module"),
        ({"lib_exports": {"package_unlisted": {"X": "other.x"}}}, "/lib_exports/package_unlisted/X", "lib.module"),
        (
            {"resource_mixins": {"responses": {"sync": "lib.x.A", "async": "lib.x.B", "raw": "parse"}}},
            "/resource_mixins/responses/raw",
            "list of method names",
        ),
        (
            {"resource_mixins": {"responses": {"sync": "lib.x.A", "async": "lib.x.B", "other": []}}},
            "/resource_mixins/responses",
            "optionally raw, streaming",
        ),
        (
            {"lib_resources": {"hooks": {"class": "x.Hooks", "doc": "d"}}},
            "/lib_resources/hooks",
            "lib.<module>.<Class>",
        ),
        ({"lib_resources": {"hooks": {"class": "lib.x.Hooks"}}}, "/lib_resources/hooks", "class and doc"),
        ({"lib_resources": {"_hooks": {"class": "lib.x.Hooks", "doc": "d"}}}, "/lib_resources/_hooks", "public"),
    ],
)
def test_bad_entries_name_their_pointer(changes: dict[str, Any], pointer: str, words: str) -> None:
    from generator.errors import SpecError

    with pytest.raises(SpecError) as info:
        _config({"operationId": "listThings"}, **changes)
    assert info.value.pointer == pointer and words in info.value.problem


def test_a_mixin_for_a_resource_that_does_not_exist() -> None:
    from generator.errors import SpecError
    from generator.parser import Parser
    from generator.preprocess import preprocess

    mixin = {"sync": "lib.x.Helpers", "async": "lib.x.AsyncHelpers"}
    config = _config({"operationId": "listThings"}, resource_mixins={"nowhere": mixin, "things": mixin})
    with pytest.raises(SpecError) as info:
        Parser(preprocess(_list_spec(cursor=False), {}), config, "spec.yaml", {"Thing", "ThingList"}).parse()
    assert info.value.pointer == "/resource_mixins/nowhere" and "no resource" in info.value.problem
    config = _config({"operationId": "listThings"}, resource_mixins={"things": mixin})
    sdk = Parser(preprocess(_list_spec(cursor=False), {}), config, "spec.yaml", {"Thing", "ThingList"}).parse()
    assert sdk.resource_mixins == {("things",): ("lib.x.Helpers", "lib.x.AsyncHelpers")}


def test_mixin_helpers_join_the_raw_and_streaming_views_and_lib_resources_the_client() -> None:
    from generator.errors import SpecError
    from generator.parser import Parser
    from generator.preprocess import preprocess

    mixin = {"sync": "lib.x.Helpers", "async": "lib.x.AsyncHelpers", "raw": ["parse"], "streaming": ["parse"]}
    hooks = {"class": "lib.hooks.Hooks", "doc": "Hooks."}
    config = _config({"operationId": "listThings"}, resource_mixins={"things": mixin}, lib_resources={"hooks": hooks})
    sdk = Parser(preprocess(_list_spec(cursor=False), {}), config, "spec.yaml", {"Thing", "ThingList"}).parse()
    assert sdk.mixin_wrapped == {("things",): (("parse",), ("parse",))}
    assert sdk.lib_resources == {"hooks": ("lib.hooks.Hooks", "Hooks.")}
    taken = _config({"operationId": "listThings"}, lib_resources={"things": hooks})
    with pytest.raises(SpecError) as info:
        Parser(preprocess(_list_spec(cursor=False), {}), taken, "spec.yaml", {"Thing", "ThingList"}).parse()
    assert info.value.pointer == "/lib_resources/things" and "already a client attribute" in info.value.problem


def test_the_generated_views_wrap_the_helpers() -> None:
    source = (REPO / "generated" / "oai" / "resources" / "chat" / "completions" / "completions.py").read_text()
    assert "self.parse = to_raw_response_wrapper(completions.parse)" in source
    assert "self.parse = async_to_streamed_response_wrapper(completions.parse)" in source
    client = (REPO / "generated" / "oai" / "_client.py").read_text()
    assert "from .lib.webhooks import AsyncWebhooks" in client


def test_the_generator_never_writes_into_lib(tmp_path: Path) -> None:
    from generator.writer import write_tree

    with pytest.raises(RuntimeError, match="protected"):
        write_tree(
            tmp_path, {PurePosixPath("oai/lib/x.py"): "# Generated by oai's generator\n"}, protected=("oai/lib",)
        )
