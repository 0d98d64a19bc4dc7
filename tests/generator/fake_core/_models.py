"""Stand-in for oai._core._models: the base of the generated models."""

from __future__ import annotations

import pydantic


class BaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow", populate_by_name=True, defer_build=True)
