"""The stages on small hand-written specs: preprocessing fixes, name inference, pages, request types."""

from __future__ import annotations

from typing import Any

import pytest

from generator.config import parse_config
from generator.parser import Parser, infer_names
from generator.preprocess import preprocess

REF = "#/components/schemas/"


def _config(*operations: dict[str, Any], **extra: Any) -> Any:
    raw = {
        "package": "oai",
        "client": {
            "sync_class": "OpenAI",
            "async_class": "AsyncOpenAI",
            "api_key_env": "K",
            "base_url_env": "U",
            "default_base_url": "https://x",
        },
        "operations": list(operations),
        **extra,
    }
    return parse_config(raw, "sdk.yaml")


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


@pytest.mark.parametrize(
    ("path", "method", "expected"),
    [
        ("/models", "get", (("models",), "list")),
        ("/models/{model}", "get", (("models",), "retrieve")),
        ("/models/{model}", "delete", (("models",), "delete")),
        ("/chat/completions", "post", (("chat", "completions"), "create")),
        ("/fine_tuning/jobs/{id}/cancel", "post", (("fine_tuning", "jobs"), "cancel")),
        # Alone this reads as an action; the parser makes it `threads.runs.create` once `runs` is a resource.
        ("/threads/{thread_id}/runs", "post", (("threads",), "runs")),
        ("/threads/{thread_id}/runs/{run_id}", "post", (("threads", "runs"), "update")),
        ("/responses?beta=true", "post", (("beta", "responses"), "create")),
        ("/vector-stores", "get", (("vector_stores",), "list")),
    ],
)
def test_infer_names(path: str, method: str, expected: tuple[tuple[str, ...], str]) -> None:
    assert infer_names(path, method) == expected


def test_preprocess_fixes() -> None:
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {},
        "components": {
            "schemas": {
                "Filter": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "type": {"type": "string", "enum": ["and", "or"]},
                        "filters": {"type": "array", "items": {"$recursiveRef": "#"}},
                    },
                },
                "Eq": {"type": "object", "properties": {"type": {"type": "string", "enum": ["eq", "ne"]}}},
                "AnyFilter": {
                    "oneOf": [{"$ref": REF + "Filter"}, {"$ref": REF + "Eq"}],
                    "discriminator": {"propertyName": "type"},
                },
                "Holder": {
                    "type": "object",
                    "properties": {"choice": {"allOf": [{"$ref": REF + "Eq"}, {"nullable": True}]}},
                },
                "Old": {"type": "object", "properties": {"n": {"type": "integer", "default": None}}},
            }
        },
    }
    out = preprocess(spec, {"Old": "New"})
    schemas = out["components"]["schemas"]
    assert spec["components"]["schemas"]["Filter"]["additionalProperties"] is False, "input must not change"
    assert "additionalProperties" not in schemas["Filter"]
    assert schemas["Filter"]["properties"]["filters"]["items"] == {"$ref": REF + "Filter"}
    assert schemas["AnyFilter"]["discriminator"]["mapping"] == {
        "and": REF + "Filter",
        "or": REF + "Filter",
        "eq": REF + "Eq",
        "ne": REF + "Eq",
    }
    assert schemas["Holder"]["properties"]["choice"] == {"anyOf": [{"$ref": REF + "Eq"}, {"type": "null"}]}
    assert "Old" not in schemas and "default" not in schemas["New"]["properties"]["n"]


def test_allof_that_redeclares_a_base_field_is_merged() -> None:
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {},
        "components": {
            "schemas": {
                "Base": {"type": "object", "properties": {"id": {"type": "string"}, "x": {"type": "integer"}}},
                "Derived": {"allOf": [{"$ref": REF + "Base"}, {"type": "object", "required": ["id"]}]},
                "Extended": {"allOf": [{"$ref": REF + "Base"}, {"properties": {"y": {"type": "string"}}}]},
            }
        },
    }
    schemas = preprocess(spec, {})["components"]["schemas"]
    assert schemas["Derived"] == {
        "type": "object",
        "properties": {"id": {"type": "string"}, "x": {"type": "integer"}},
        "required": ["id"],
    }
    assert "allOf" in schemas["Extended"], "plain extension keeps its inheritance"


def _list_spec(*, cursor: bool) -> dict[str, Any]:
    props: dict[str, Any] = {
        "object": {"type": "string", "enum": ["list"]},
        "data": {"type": "array", "items": {"$ref": REF + "Thing"}},
    }
    params: list[dict[str, Any]] = []
    if cursor:
        props["has_more"] = {"type": "boolean"}
        params = [
            {"name": "after", "in": "query", "schema": {"type": "string"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}},
        ]
    return {
        "openapi": "3.1.0",
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": params,
                    "responses": {"200": _json({"$ref": REF + "ThingList"})},
                },
                "post": {
                    "operationId": "createThing",
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": {"type": "string"},
                                "from": {"type": "string", "nullable": True},
                                "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
                                "shape": {
                                    "oneOf": [
                                        {"type": "object", "properties": {"type": {"enum": ["circle"]}}},
                                        {"type": "object", "properties": {"type": {"enum": ["square"]}}},
                                    ]
                                },
                            },
                        }
                    ),
                    "responses": {"200": _json({"$ref": REF + "Thing"})},
                },
            },
            "/things/{thing_id}/files": {
                "get": {
                    "operationId": "listThingFiles",
                    "parameters": [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": _json({"$ref": REF + "ThingList"})},
                },
                "post": {
                    "operationId": "addThingFile",
                    "parameters": [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"204": {"description": "No Content"}},
                },
            },
        },
        "components": {
            "schemas": {
                "Thing": {"type": "object", "properties": {"id": {"type": "string"}}},
                "ThingList": {"type": "object", "properties": props},
            }
        },
    }


def _parse(spec: dict[str, Any], *op_ids: str) -> Any:
    config = _config(*({"operationId": op_id} for op_id in op_ids))
    return Parser(preprocess(spec, {}), config, "spec.yaml", {"Thing", "ThingList"}).parse()


def test_plain_and_cursor_pages() -> None:
    plain = _parse(_list_spec(cursor=False), "listThings").resources[0].operations[0]
    cursor = _parse(_list_spec(cursor=True), "listThings").resources[0].operations[0]
    assert plain.page is not None and plain.page.kind == "page" and plain.page.item_name == "Thing"
    assert cursor.page is not None and cursor.page.kind == "cursor"
    assert [p.name for p in cursor.params] == ["after", "limit"]


def _with_list_fields(spec: dict[str, Any], fields: dict[str, Any], query: list[str]) -> dict[str, Any]:
    spec["components"]["schemas"]["ThingList"]["properties"].update(fields)
    spec["paths"]["/things"]["get"]["parameters"] = [
        {"name": name, "in": "query", "schema": {"type": "string"}} for name in query
    ]
    return spec


def test_next_cursor_and_next_page_shapes() -> None:
    string = {"type": "string"}
    has_more = {"has_more": {"type": "boolean"}}
    spec = _with_list_fields(_list_spec(cursor=False), {**has_more, "next": string}, ["after"])
    assert _parse(spec, "listThings").resources[0].operations[0].page.kind == "next_cursor"
    spec = _with_list_fields(_list_spec(cursor=False), {**has_more, "next_page": string}, ["page"])
    assert _parse(spec, "listThings").resources[0].operations[0].page.kind == "next_page"
    spec = _with_list_fields(_list_spec(cursor=False), {**has_more, "next_page": string}, [])
    assert _parse(spec, "listThings").resources[0].operations[0].page is None  # no way to ask for the next one


def test_sdk_yaml_page_overrides_the_shape() -> None:
    from generator.errors import SpecError

    def parse(page: Any, op_id: str = "listThings") -> Any:
        config = _config({"operationId": op_id, "page": page})
        sdk = Parser(preprocess(_list_spec(cursor=True), {}), config, "spec.yaml", {"Thing", "ThingList"}).parse()
        return sdk.resources[0].operations[0]

    plain = parse(None)
    assert plain.page is None and plain.response.expr == "ThingList"
    assert parse("page").page.kind == "page"
    with pytest.raises(SpecError, match="page: 'cursor' is set, but its response has no `data` array"):
        parse("cursor", "createThing")
    with pytest.raises(SpecError, match="'pages' is not a page kind"):
        _config({"operationId": "listThings", "page": "pages"})


def test_action_named_like_a_sub_resource_becomes_its_create() -> None:
    sdk = _parse(_list_spec(cursor=False), "listThings", "listThingFiles", "addThingFile")
    things = sdk.resources[0]
    files = things.children[0]
    assert (files.path, [op.name for op in files.operations]) == (("things", "files"), ["list", "create"])
    create = files.operations[1]
    assert create.response.expr == "None" and [p.name for p in create.params] == ["thing_id"]


def test_request_body_types() -> None:
    op = _parse(_list_spec(cursor=False), "createThing").resources[0].operations[0]
    params = {p.name: p for p in op.params}
    assert params["name"].required and params["name"].type.expr == "str"
    assert params["from_"].wire_name == "from" and params["from_"].type.expr == "str | None"
    assert params["tags"].type.expr == 'Sequence[Literal["a", "b"]]'
    assert params["shape"].type.expr == "CreateThingBodyShapeCircleParam | CreateThingBodyShapeSquareParam"
    assert [p.name for p in op.params] == ["name", "from_", "shape", "tags"]


def test_duplicate_method_names_are_reported() -> None:
    from generator.errors import SpecError

    config = _config({"operationId": "listThings"}, {"operationId": "listThingFiles", "resource": "things"})
    with pytest.raises(SpecError) as info:
        Parser(preprocess(_list_spec(cursor=False), {}), config, "spec.yaml", {"Thing", "ThingList"}).parse()
    assert info.value.pointer == "/operations/1" and "things.list" in info.value.problem


def test_resource_shadowing_a_client_attribute_is_reported() -> None:
    from generator.errors import SpecError

    config = _config({"operationId": "listThings", "resource": "organization"})
    with pytest.raises(SpecError, match="shadow"):
        Parser(preprocess(_list_spec(cursor=False), {}), config, "spec.yaml", {"Thing", "ThingList"}).parse()
    config = _config({"operationId": "listThings"}, resource_roots={"things": "admin.things"})
    sdk = Parser(preprocess(_list_spec(cursor=False), {}), config, "spec.yaml", {"Thing", "ThingList"}).parse()
    assert sdk.resources[0].attr == "admin" and sdk.resources[0].children[0].path == ("admin", "things")
