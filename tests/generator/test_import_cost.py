# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""Cold start: what ``import oai`` and a first chat call load (counted, not timed).

The whole API has ~1,300 response models; building them all costs over a second.
``import oai`` must load none of them, and streaming a chat completion must load
only the modules of models that chat completions can return
(``scripts/coldstart.py`` measures the wall time these guarantees buy).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from .helpers import REPO

_PROBE = """
import json, sys
import httpx

def loaded(prefix):
    return sorted(m for m in sys.modules if m == prefix or m.startswith(prefix + "."))

import oai
after_import = loaded("oai.types") + loaded("oai.resources")

chunk = (
    '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
    '"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}'
)
def handler(request):
    body = ("data: " + chunk + "\\n\\ndata: [DONE]\\n\\n").encode()
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

http_client = httpx.Client(transport=httpx.MockTransport(handler))
client = oai.OpenAI(api_key="k", base_url="http://test/v1", http_client=http_client)
after_client = loaded("oai.types")
stream = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}], stream=True)
text = "".join(c.choices[0].delta.content or "" for c in stream)
models = {m: sys.modules[m].__doc__ or "" for m in loaded("oai.types._models")}
print(json.dumps({
    "after_import": after_import,
    "after_client": after_client,
    "text": text,
    "models": models,
    "resources": loaded("oai.resources"),
    "params": "oai.types._params" in sys.modules,
    "names_table": "oai.types._names" in sys.modules,
}))
"""


def _probe() -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_PROBE)],
        cwd=REPO / "generated",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_import_oai_loads_no_models_and_chat_loads_only_chat_models() -> None:
    report = _probe()
    assert report["after_import"] == [], "import oai must load no resource and no type module"
    assert report["after_client"] == [], "constructing a client must load no type module"
    assert report["text"] == "hi"
    models = report["models"]
    assert isinstance(models, dict) and models, "the chat models load when chat is used"
    # Model modules are named after their schema family (chat_completion, completion_usage, ...): chat
    # loads its own families and the small shared ones they refer to, never another API's.
    names = {name.removeprefix("oai.types._models").lstrip(".") for name in models} - {""}
    assert {"chat_completion", "chat_completion_chunk"} <= names
    foreign = ("response", "realtime", "audit_log", "assistant", "run_", "thread", "eval", "vector_store", "admin")
    strangers = sorted(n for n in names if n.removeprefix("beta_").startswith(foreign))
    assert not strangers, f"chat loaded model modules of other APIs: {strangers}"
    assert len(names) < 40, f"chat loaded {len(names)} model modules: {sorted(names)}"
    resources = report["resources"]
    assert isinstance(resources, list)
    assert not any(
        r.startswith(("oai.resources.responses", "oai.resources.admin", "oai.resources.beta")) for r in resources
    )
    assert report["params"] is False, "request types are for type checkers: resources must not load them"
    assert report["names_table"] is False, "oai.types' table of names is read only when a name is looked up there"


def test_sync_user_does_not_load_async_machinery_or_package_metadata() -> None:
    # asyncio (~14 ms) is only needed by async calls, and importlib.metadata (~10 ms) by nothing of
    # ours (the User-Agent's version is oai/_version.py's): `import oai` loads neither, and a sync
    # client never loads asyncio. (httpx's connection pool imports anyio's light top-level package
    # itself when a client is built.)
    probe = (
        "import sys\n"
        "heavy = ('asyncio', 'anyio', 'importlib.metadata')\n"
        "import oai\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "client = oai.OpenAI(api_key='k')\n"
        "print('asyncio' in sys.modules)\n"
        "print(client.user_agent == 'oai-python/' + oai.__version__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO / "generated", capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["[]", "False", "True"]
