# pyright: standard
# (walks the spec as decoded YAML)
"""The send helpers come from the spec: every client event has one, and a client event added to the spec is a new
method after generating again.

The regeneration runs on a small spec cut out of ``spec/openapi.yaml`` (the realtime
event unions, what they reach, and one operation under ``/realtime``) with one more
client event, into a self-contained package; a subprocess imports it and sends the
new event to our loopback server.
"""

from __future__ import annotations

import copy
import inspect
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from oai.resources.realtime.realtime import AsyncRealtimeConnection, RealtimeConnection

from generator.yamlio import dump_yaml, load_yaml

from ._server import RealtimeServer, silent
from .conftest import API_KEY

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "spec" / "openapi.yaml"
CONFIG = REPO / "spec" / "sdk.yaml"


def client_event_types(spec: dict[str, Any]) -> list[str]:
    schemas = spec["components"]["schemas"]
    refs = [member["$ref"].rsplit("/", 1)[1] for member in schemas["RealtimeClientEvent"]["anyOf"]]
    return [schemas[name]["properties"]["type"]["enum"][0] for name in refs]


def helper(connection_class: type, event_type: str) -> Any:
    """``connection.conversation.item.create`` for ``conversation.item.create``, found on the class."""
    *groups, method = event_type.split(".")
    owner: Any = connection_class
    for group in groups:
        owner = inspect.signature(getattr(owner, group).func).return_annotation
        owner = getattr(sys.modules[connection_class.__module__], owner)
    return getattr(owner, method)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return load_yaml(SPEC)


def test_every_client_event_in_the_spec_has_a_send_helper(spec: dict[str, Any]) -> None:
    types = client_event_types(spec)
    assert len(types) == 11 and "session.update" in types
    for event_type in types:
        for connection_class in (RealtimeConnection, AsyncRealtimeConnection):
            method = helper(connection_class, event_type)
            assert inspect.iscoroutinefunction(method) is (connection_class is AsyncRealtimeConnection)
            assert "event_id" in inspect.signature(method).parameters


def _closure(schemas: dict[str, Any], roots: list[str]) -> set[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        text = json.dumps(schemas[name])
        stack.extend(part.split('"', 1)[0] for part in text.split('"#/components/schemas/')[1:])
    return seen


def small_spec_with_a_new_client_event(spec: dict[str, Any]) -> dict[str, Any]:
    path = "/realtime/client_secrets"
    paths = {path: spec["paths"][path]}
    schemas = spec["components"]["schemas"]
    roots = ["RealtimeClientEvent", "RealtimeServerEvent"]
    roots += [part.split('"', 1)[0] for part in json.dumps(paths).split('"#/components/schemas/')[1:]]
    small = {**spec, "paths": paths, "components": {"schemas": {n: schemas[n] for n in _closure(schemas, roots)}}}
    small = copy.deepcopy(small)
    small["components"]["schemas"]["RealtimeClientEventConversationItemPin"] = {
        "type": "object",
        "description": "Pin an item so that truncation never drops it.",
        "properties": {
            "event_id": {"type": "string", "description": "Your own ID for this event."},
            "type": {"type": "string", "enum": ["conversation.item.pin"]},
            "item_id": {"type": "string", "description": "The item to pin."},
            "note": {"type": "string", "description": "Why it matters."},
        },
        "required": ["type", "item_id"],
    }
    union = small["components"]["schemas"]["RealtimeClientEvent"]["anyOf"]
    union.append({"$ref": "#/components/schemas/RealtimeClientEventConversationItemPin"})
    return small


_PROBE = """
import inspect, sys
from rtmini import OpenAI
from rtmini.resources.realtime.realtime import RealtimeConversationItemResource
from rtmini.types.realtime import ConversationItemPinEvent, ConversationItemPinEventParam

print(inspect.signature(RealtimeConversationItemResource.pin))
print(ConversationItemPinEvent.__name__, ConversationItemPinEventParam.__name__)
with OpenAI(api_key=sys.argv[2], base_url=sys.argv[1]) as client:
    with client.realtime.connect(model="gpt-realtime", timeout=10) as connection:
        connection.conversation.item.pin(item_id="item_1", note="keep")
"""


def test_a_client_event_added_to_the_spec_is_a_new_send_helper(
    tmp_path: Path, server: RealtimeServer, spec: dict[str, Any]
) -> None:
    from generator.pipeline import generate

    spec_path = tmp_path / "openapi.yaml"
    spec_path.write_text(dump_yaml(small_spec_with_a_new_client_event(spec)))
    repo_config = load_yaml(CONFIG)
    config = {
        "package": "rtmini",
        "version": "0.0.1",
        "copy_core": True,  # a self-contained package: the core is copied in
        "client": repo_config["client"],
        "operations": [{"operationId": "create-realtime-client-secret"}],
        "realtime": repo_config["realtime"],
    }
    config_path = tmp_path / "sdk.yaml"
    config_path.write_text(dump_yaml(config))
    output = tmp_path / "out"
    generate(spec_path, config_path, output, quiet=True, use_cache=False)

    server.script(silent)
    probe = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_PROBE), server.base_url, API_KEY],
        cwd=output,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    signature, names = probe.stdout.splitlines()
    optional = "'str | NotGiven' = NOT_GIVEN"
    assert signature == f"(self, *, item_id: 'str', event_id: {optional}, note: {optional}) -> 'None'"
    assert names == "RealtimeClientEventConversationItemPin RealtimeClientEventConversationItemPinParam"
    assert server.peer(received=1).received == [{"type": "conversation.item.pin", "item_id": "item_1", "note": "keep"}]


def test_a_wrong_realtime_section_is_reported_with_its_place() -> None:
    from generator.realtime import parse_config

    problems: list[tuple[str, str]] = []

    def err(where: str, problem: str) -> None:
        problems.append((where, problem))

    assert parse_config({"resource": "realtime", "client_events": "A", "server_events": 3}, err) is None
    assert problems == [("/realtime/server_events", "3 is not a schema")]
    problems.clear()
    section = {"resource": "realtime", "client_events": "A", "server_events": "B", "names": {"A1": "no way"}, "x": 1}
    config = parse_config(section, err)
    assert config is not None and config.names == {}
    assert problems == [
        ("/realtime/x", "unknown key (known: client_events, names, resource, server_events)"),
        ("/realtime/names/A1", "'no way' is not a valid class name"),
    ]
