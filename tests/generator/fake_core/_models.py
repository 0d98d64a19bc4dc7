"""Stand-in for oai._core._models: the base of the generated models."""

from __future__ import annotations

from typing import TypeVar

import pydantic


class BaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


_M = TypeVar("_M", bound=pydantic.BaseModel)


def with_reasoning(cls: type[_M]) -> type[_M]:
    """Stand-in for the core's decorator (sdk.yaml ``model_decorators``): leaves the class as it is."""
    return cls
