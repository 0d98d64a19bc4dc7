"""sdk.yaml's ``also`` (an operation selected again as another method), ``text``, ``added_properties``, and
multipart operations that also take JSON (``json_without_files``), on small hand-written specs."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.errors import SpecError, SpecErrors
from generator.parser import Parser
from generator.preprocess import add_properties, preprocess

from .helpers import REPO
from .test_stages import _config, _json, _list_spec

MODELS = {"Thing", "ThingList"}


def _parse(spec: dict[str, Any], *entries: dict[str, Any], **extra: Any) -> Any:
    config = _config(*entries, **extra)
    doc = add_properties(spec, config.added_properties, config.source)
    return Parser(preprocess(doc, {}), config, "spec.yaml", MODELS).parse()


def _errors(excinfo: pytest.ExceptionInfo[Any]) -> list[tuple[str, str]]:
    errors = excinfo.value.errors if isinstance(excinfo.value, SpecErrors) else [excinfo.value]
    return [(e.pointer, e.problem) for e in errors]


# -- also -----------------------------------------------------------------------------------------------------------


def test_also_adds_methods_that_share_the_parameters_and_decide_their_own_result() -> None:
    entry = {
        "operationId": "listThings",
        "also": [
            {"method_name": "retrieve", "page": None, "deprecated": "things.retrieve is deprecated; use things.list."},
            {"method_name": "dump", "text": True},
        ],
    }
    listing, retrieve, dump = _parse(_list_spec(cursor=True), entry).resources[0].operations
    assert [op.name for op in (listing, retrieve, dump)] == ["list", "retrieve", "dump"]
    assert listing.params == retrieve.params == dump.params  # parsed once: no request type made twice
    assert {op.operation_id for op in (listing, retrieve, dump)} == {"listThings"}
    assert listing.page is not None and listing.page.kind == "cursor" and not listing.deprecated
    assert retrieve.page is None and retrieve.response.expr == "ThingList"
    assert retrieve.deprecation == "things.retrieve is deprecated; use things.list."
    assert retrieve.description == "The same request as ``list``, returning the whole response rather than a page."
    assert dump.page is None and dump.response.expr == "str" and not dump.response.names
    assert dump.description == "The same request as ``list``, with the body returned as text (a ``str``)."


def test_also_inherits_the_entrys_warning_unless_it_has_its_own() -> None:
    entry = {"operationId": "listThings", "deprecated": "old.", "also": [{"method_name": "everything", "page": None}]}
    listing, everything = _parse(_list_spec(cursor=True), entry).resources[0].operations
    assert listing.deprecation == everything.deprecation == "old."


def test_text_on_an_operation_entry() -> None:
    (create,) = _parse(_list_spec(cursor=False), {"operationId": "createThing", "text": True}).resources[0].operations
    assert create.response.expr == "str" and create.name == "create"


@pytest.mark.parametrize(
    ("also", "pointer", "words"),
    [
        ([{"page": None}], "/operations/0/also/0/method_name", "not a valid method name"),
        ([{"method_name": "class"}], "/operations/0/also/0/method_name", "not a valid method name"),
        ([{"method_name": "x", "resource": "y"}], "/operations/0/also/0/resource", "unknown key"),
        ([{"method_name": "x"}, {"method_name": "x"}], "/operations/0/also/1/method_name", "given twice"),
        ([{"method_name": "x", "text": True, "page": "page"}], "/operations/0/also/0/text", "returns no page"),
        ([{"method_name": "x", "text": "yes"}], "/operations/0/also/0/text", "true or false"),
        ([{"method_name": "x", "page": "pages"}], "/operations/0/also/0/page", "not a page kind"),
        ([{"method_name": "x", "deprecated": ""}], "/operations/0/also/0/deprecated", "warning's text"),
        ([], "/operations/0/also", "non-empty list"),
        ({"method_name": "x"}, "/operations/0/also", "non-empty list"),
    ],
)
def test_bad_also_entries_name_their_pointer(also: Any, pointer: str, words: str) -> None:
    with pytest.raises((SpecError, SpecErrors)) as info:
        _config({"operationId": "listThings", "also": also})
    assert any(p == pointer and words in problem for p, problem in _errors(info)), _errors(info)


def test_binary_and_text_together_are_refused() -> None:
    with pytest.raises(SpecError) as info:
        _config({"operationId": "listThings", "binary": True, "text": True})
    assert info.value.pointer == "/operations/0/text" and "not both" in info.value.problem


@pytest.mark.parametrize(
    ("name", "words"),
    [("list", "things.list is also generated for listThings"), ("with_raw_response", "reserved"), ("_x", "reserved")],
)
def test_an_also_method_that_clashes_points_at_its_own_entry(name: str, words: str) -> None:
    entry = {"operationId": "listThings", "also": [{"method_name": "fine"}, {"method_name": name}]}
    with pytest.raises(SpecError) as info:
        _parse(_list_spec(cursor=True), entry)
    assert info.value.pointer == "/operations/0/also/1" and words in info.value.problem


def test_the_generated_duplicates_read_as_the_official_ones() -> None:
    files = (REPO / "generated" / "oai" / "resources" / "files.py").read_text(encoding="utf-8")
    start = files.index("    def retrieve_content(")
    method = files[files.rindex("@deprecated(", 0, start) : files.index("\n\n\n", start)]
    assert method.startswith('@deprecated("files.retrieve_content is deprecated; use files.content')
    assert ") -> str:" in method and "cast_to=str," in method
    assert "The same request as ``content``, with the body returned as text (a ``str``)." in method
    assert "self.retrieve_content = to_raw_response_wrapper(files.retrieve_content)" in files
    permissions = REPO / "generated" / "oai" / "resources" / "fine_tuning" / "checkpoints" / "permissions.py"
    source = permissions.read_text(encoding="utf-8")
    assert ") -> ListFineTuningCheckpointPermissionResponse:" in source
    assert source.index("def list(") < source.index("def retrieve(") < source.index("def create(")


# -- multipart that also takes JSON ----------------------------------------------------------------------------------


def _upload_spec(*media_types: str) -> dict[str, Any]:
    schema = {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary"}, "file_id": {"type": "string"}},
    }
    spec = _list_spec(cursor=False)
    spec["paths"]["/things"]["post"]["requestBody"] = {"content": {t: {"schema": schema} for t in media_types}}
    return spec


@pytest.mark.parametrize(
    ("media_types", "expected"),
    [(("multipart/form-data", "application/json"), True), (("multipart/form-data",), False)],
)
def test_json_without_files_only_where_the_spec_takes_json_too(media_types: tuple[str, ...], expected: bool) -> None:
    (create,) = _parse(_upload_spec(*media_types), {"operationId": "createThing"}).resources[0].operations
    assert create.body_kind == "multipart" and create.json_without_files is expected
    assert [(p.name, p.is_file) for p in create.params] == [("file", True), ("file_id", False)]


# -- added_properties ------------------------------------------------------------------------------------------------


def _body_spec() -> dict[str, Any]:
    spec = _list_spec(cursor=False)
    spec["components"]["schemas"]["CreateThing"] = {"type": "object", "properties": {"name": {"type": "string"}}}
    spec["paths"]["/things"]["post"]["requestBody"] = _json({"$ref": "#/components/schemas/CreateThing"})
    return spec


GEOGRAPHY = {"anyOf": [{"type": "string"}, {"type": "null"}], "deprecated": True, "description": "Where it lives."}


def test_added_properties_become_optional_parameters_and_leave_the_input_alone() -> None:
    spec = _body_spec()
    before = copy.deepcopy(spec)
    (create,) = (
        _parse(spec, {"operationId": "createThing"}, added_properties={"CreateThing": {"geography": GEOGRAPHY}})
        .resources[0]
        .operations
    )
    params = {p.name: p for p in create.params}
    assert params["geography"].type.expr == "str | None" and not params["geography"].required
    assert params["geography"].deprecated and params["geography"].description == "Where it lives."
    assert spec == before  # the loaded spec (spec/openapi.yaml's facts) is not changed


@pytest.mark.parametrize(
    ("added", "pointer", "words"),
    [
        ({"Nowhere": {"x": GEOGRAPHY}}, "/added_properties/Nowhere", "no component schema 'Nowhere'"),
        ({"CreateThing": {"name": GEOGRAPHY}}, "/added_properties/CreateThing/name", "remove this entry"),
    ],
)
def test_added_properties_that_no_longer_fit_the_spec(added: dict[str, Any], pointer: str, words: str) -> None:
    with pytest.raises(SpecError) as info:
        _parse(_body_spec(), {"operationId": "createThing"}, added_properties=added)
    assert info.value.pointer == pointer and words in info.value.problem


@pytest.mark.parametrize(
    ("prop", "pointer", "words"),
    [
        ({"type": "string"}, "/added_properties/CreateThing/x/description", "needs its description"),
        ({"type": "string", "description": "d", "title": "T"}, "/added_properties/CreateThing/x", "title"),
        ("string", "/added_properties/CreateThing/x", "a mapping"),
    ],
)
def test_bad_added_properties_name_their_pointer(prop: Any, pointer: str, words: str) -> None:
    with pytest.raises(SpecError) as info:
        _config({"operationId": "createThing"}, added_properties={"CreateThing": {"x": prop}})
    assert info.value.pointer == pointer and words in info.value.problem
