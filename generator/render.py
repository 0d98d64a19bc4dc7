"""Stage 5b: views -> source text, through the Jinja2 templates in templates/.

:mod:`generator.plan` decides what each file shows; the templates (and the shapes in
``templates/_macros.jinja``) lay it out as Python. This module holds the Jinja
environment and the file map: which template makes which file of the package.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import jinja2

from .core_api import CoreNames
from .escape import comment_text, py_literal
from .ir import Sdk
from .plan import Planner

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = py_literal
    env.filters["comment_text"] = comment_text
    return env


class Renderer:
    def __init__(self, sdk: Sdk, header: str, core: CoreNames | None = None) -> None:
        self.sdk = sdk
        self.header = header
        self.plan = Planner(sdk, core or CoreNames.load())
        self.env = environment()

    def _template(self, name: str, **context: object) -> str:
        return self.env.get_template(name).render(header=self.header, sdk=self.sdk, **context)

    def render_all(self) -> dict[PurePosixPath, str]:
        """Every file of the package except the models (``types/_models/``) and the core."""
        pkg = PurePosixPath(self.sdk.package)
        plan = self.plan
        types_init = plan.types_init()  # oai.types: a light __init__.py, its table in _names.py, __init__.pyi
        files: dict[PurePosixPath, str] = {
            pkg / "__init__.py": self._template("package_init.py.jinja", **plan.package_init()),
            pkg / "_client.py": self._template("client.py.jinja", client=plan.client()),
            pkg / "_version.py": self._template("version.py.jinja", version=self.sdk.version, package=self.sdk.package),
            pkg / "version.py": self._template("public_version.py.jinja"),
            pkg / "pagination.py": self._template("pagination.py.jinja", names=plan.pagination()),
            pkg / "resources" / "__init__.py": self._template("resources_init.py.jinja"),
            pkg / "types" / "__init__.py": self._template("types_init.py.jinja"),
            pkg / "types" / "__init__.pyi": self._template("types_init.pyi.jinja", **types_init),
            pkg / "types" / "_names.py": self._template("types_init_names.py.jinja", **types_init),
            pkg / "types" / "_params.py": self._template("params.py.jinja", params=plan.params(), official=False),
        }
        if self.sdk.official_params:
            files[pkg / "types" / "_official_params.py"] = self._template(
                "params.py.jinja", params=plan.params(official=True), official=True
            )
        files[pkg / "py.typed"] = self.header + "\n"  # PEP 561: the package ships its types
        if self.sdk.self_contained:
            files[PurePosixPath("pyproject.toml")] = self._template(
                "pyproject.toml.jinja", project=plan.pyproject(), toml_header=self.header
            )
        for resource in self.sdk.all_resources():
            parts = resource.module.split(".")
            module = plan.resource(resource)
            files[pkg / "resources" / PurePosixPath(*parts[:-1]) / f"{parts[-1]}.py"] = self._template(
                "resource.py.jinja", module=module
            )
            if resource.is_package:
                files[pkg / "resources" / PurePosixPath(*resource.path) / "__init__.py"] = self._template(
                    "resource_package.py.jinja", **plan.resource_package(resource)
                )
        return files
