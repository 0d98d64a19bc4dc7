"""Wire format details found by the contract tier against the official spec (Steady)."""

from __future__ import annotations

import httpx
import oai


def _client(seen: list[httpx.Request], response: httpx.Response) -> oai.OpenAI:
    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return response

    return oai.OpenAI(
        api_key="sk-wire",
        base_url="http://wire.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )


def test_bracketed_array_query_name_is_not_doubled() -> None:
    seen: list[httpx.Request] = []
    client = _client(seen, httpx.Response(200, json={"object": "list", "data": [], "has_more": False}))
    list(client.admin.organization.audit_logs.list(event_types=["project.created", "project.updated"]))
    assert seen[0].url.params.get_list("event_types[]") == ["project.created", "project.updated"]
    assert "event_types[][]" not in str(seen[0].url.params)


def test_multipart_operation_without_files_is_still_multipart() -> None:
    seen: list[httpx.Request] = []
    answer = httpx.Response(201, content=b"v=0 answer", headers={"content-type": "application/sdp"})
    client = _client(seen, answer)
    client.realtime.calls.create(sdp="v=0")
    assert seen[0].headers["content-type"].startswith("multipart/form-data; boundary=")
    # The spec's `encoding` gives the sdp field its own content type (as the official SDK sends it).
    assert b'name="sdp"\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n' in seen[0].content
