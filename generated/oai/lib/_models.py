"""Helper models that extend generated ones: letting pydantic find the names their inherited fields use."""

from __future__ import annotations

import sys
from typing import Any

import pydantic

__all__ = ["inherit_namespaces"]


def inherit_namespaces(*classes: type[pydantic.BaseModel]) -> None:
    """Resolve the inherited field annotations of ``classes`` in the modules of the models they extend.

    The generated models are built on first use (``defer_build``) and their
    annotations name types defined later in their own module (``tools:
    ToolsArray``). pydantic evaluates a subclass's inherited annotations in
    the subclass's module, where those names do not exist; giving each class
    its bases' module namespaces as its parent namespace lets it build (when a
    parsed response is validated or rebuilt) like the model it extends.
    """
    for cls in classes:
        namespace: dict[str, Any] = {}
        for base in reversed(cls.__mro__[1:]):
            if issubclass(base, pydantic.BaseModel) and base.__module__ != cls.__module__:
                module = sys.modules.get(base.__module__)
                if module is not None:
                    namespace.update(vars(module))
        cls.__pydantic_parent_namespace__ = namespace
