"""The models stage's repairs of datamodel-codegen's output (generator/models.py), on small inputs."""

from __future__ import annotations

from typing import Any

from generator.models import postprocess_models, without_deprecated_fields


def test_an_alias_of_an_alias_becomes_the_same_alias() -> None:
    source = (
        'Inner = TypeAliasType(\n    "Inner", dict[str, str] | None\n)\n'
        'Outer = TypeAliasType("Outer", Inner)\n'
        'Flag = TypeAliasType("Flag", bool)\n'
    )
    out = postprocess_models(source, "# header\n")
    assert "Outer = Inner\n" in out
    assert 'Flag = TypeAliasType("Flag", bool)' in out  # an alias of a plain type stays an alias
    assert 'TypeAliasType(\n    "Inner"' in out


def test_untyped_fields_become_object_and_other_any_stays() -> None:
    source = (
        "class A(BaseModel):\n"
        "    metadata: Any\n"
        "    params: dict[str, Any] | list[Any] | None = None\n"
        '    schema_: Annotated[dict[str, Any], Field(alias="schema")]\n'
        'X = TypeAliasType("X", Any)\n'
    )
    out = postprocess_models(source, "# header\n")
    assert "    metadata: object\n" in out
    assert "    params: dict[str, object] | list[object] | None = None\n" in out
    assert '    schema_: Annotated[dict[str, object], Field(alias="schema")]\n' in out
    assert 'X = TypeAliasType("X", Any)' in out


def test_deprecated_properties_lose_the_flag_and_operations_keep_it() -> None:
    spec: dict[str, Any] = {
        "paths": {"/a": {"get": {"deprecated": True}}},
        "components": {
            "schemas": {
                "File": {
                    "type": "object",
                    "properties": {"status": {"type": "string", "deprecated": True}, "id": {"type": "string"}},
                    "deprecated": True,
                }
            }
        },
    }
    out = without_deprecated_fields(spec)
    assert "deprecated" not in out["components"]["schemas"]["File"]["properties"]["status"]
    assert out["components"]["schemas"]["File"]["deprecated"] is True  # a whole schema: no field warns for it
    assert out["paths"]["/a"]["get"]["deprecated"] is True
    assert spec["components"]["schemas"]["File"]["properties"]["status"]["deprecated"] is True  # input untouched
