# pyright: standard
# (decoded JSON and test doubles are untyped here; the rest of tests/ is checked strictly)
"""Tier 3: every generated method against Steady serving the official OpenAI spec.

Steady validates each request (path, query, body) against
``shared/reference/openai-openapi.yaml`` and says so in
``X-Steady-Request-Valid``; an invalid request gets a 400 with one
``X-Steady-Error-N-*`` header triple per problem. Each case is one call of a
generated method, built from the SDK's own spec (``e2e/_cases.py``); the test
asserts that every request the call sent was found valid, and that the
schema-generated answer parsed.
"""

from __future__ import annotations

from typing import Any, cast

import oai
import pytest

from e2e._cases import Case, build_cases, expected_query_keys
from e2e._support import CONTRACT, collect, resolve

CASES, OPERATIONS = build_cases()
CONTRACT.operations = OPERATIONS


def _steady_errors(headers: Any) -> list[str]:
    count = int(headers.get("x-steady-error-count", "0") or 0)
    return [
        f"{headers.get(f'x-steady-error-{i}-path')}: {headers.get(f'x-steady-error-{i}-message')} "
        f"({headers.get(f'x-steady-error-{i}-code')})"
        for i in range(1, count + 1)
    ]


def _method(client: Any, case: Case) -> Any:
    target = client
    for attr in case.resource:
        target = getattr(target, attr)
    return getattr(target, case.method)


# Requests oai is known to get wrong, each with its reason. strict: a fix makes the run fail until the entry goes.
KNOWN_INVALID = {
    "realtime.calls.create[optional]": (
        "oai sends `session` as one application/json part, as the spec's multipart `encoding` block and the "
        "official SDK do; Steady reads every multipart part as a string (`body.session: Expected type object, "
        "got string`) and does not apply `encoding`"
    ),
}


def _param(case: Case) -> Any:
    reason = KNOWN_INVALID.get(case.id)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
async def test_generated_method_sends_a_valid_request(steady: Any, make_client: Any, mode: str, case: Case) -> None:
    m = make_client(mode, steady.base_url, api_key="sk-e2e-contract", max_retries=0)
    error: Exception | None = None
    try:
        result = await resolve(_method(m.client, case)(**case.kwargs))
        if case.stream and not case.declares_sse:
            # The spec declares no event stream for this operation (sdk.yaml adds it), so Steady answers
            # JSON; the SDK must refuse that body for a streaming call instead of yielding nothing.
            with pytest.raises(oai.APIResponseValidationError, match="text/event-stream"):
                await collect(result)
        elif case.stream:
            await _consume_steady_stream(result)
        elif case.binary_response:
            assert result.status_code == 200
    except Exception as exc:  # judged below, after the request itself
        error = exc
    CONTRACT.outcome(case.id, mode, None if error is None else type(error).__name__)
    assert m.log, f"the call sent no request: {error!r}"
    problems = []
    for exchange in m.log:
        valid = exchange.headers.get("x-steady-request-valid")
        CONTRACT.record(case.id, mode, exchange.request.method, str(exchange.request.url.path), valid == "true")
        if valid != "true":
            problems.append(
                f"{exchange.request.method} {exchange.request.url.path} -> {exchange.status}, "
                f"X-Steady-Request-Valid={valid}: " + "; ".join(_steady_errors(exchange.headers))
            )
        else:
            assert exchange.headers.get("x-steady-matched-path"), "Steady matched no operation"
    assert not problems, "Steady found the request invalid:\n" + "\n".join(problems)
    # Steady also accepts some keys OpenAI would not recognise (`a[][]`): check the query keys ourselves.
    sent = {key for key, _ in m.log[0].request.url.params.multi_items()}
    expected = set().union(*(expected_query_keys(name, value) for name, value in case.query.items()))
    if sent != expected:
        CONTRACT.outcome(case.id, mode, f"query keys {sorted(sent ^ expected)} differ from the official SDK's")
    assert sent == expected, f"query keys sent {sorted(sent)}, the official SDK sends {sorted(expected)}"
    if isinstance(error, oai.APIStatusError):
        pytest.fail(f"valid request, yet the call failed: {error!r}")
    if error is not None:
        raise error  # the request was right; handling the (schema-generated) answer failed
    if case.stream:
        assert m.last.request.headers["accept"] == "text/event-stream"
    if case.stream and case.declares_sse:
        assert m.last.headers["content-type"].startswith("text/event-stream")


async def _consume_steady_stream(stream: Any) -> None:
    """Steady's mock streams are schema-generated ``event: message`` events closed by ``event: done``
    with ``data: {}`` and no ``[DONE]``: not OpenAI's wire format, so only the request is judged here.
    The SDK must still read the chunks it got, and then report the missing terminator (``[DONE]``, or a
    Responses stream's response.completed/incomplete/failed) as ``StreamIncomplete`` rather than end quietly."""
    got: list[Any] = []
    try:
        got = await collect(stream)
    except oai.StreamIncomplete as exc:
        assert "[DONE]" in str(exc) or "response.completed" in str(exc)
    else:
        assert got, "the stream yielded nothing"


def _multipart(form: list[tuple[str, str]], files: dict[str, Any] | None) -> tuple[bytes, str]:
    """A multipart body by hand: httpx sends a form without files url-encoded, and wants a dict for fields."""
    boundary = "oai-e2e-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in form
    ]
    for name, (filename, content, mime) in (files or {}).items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {mime}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("optional", [False, True], ids=["required", "optional"])
def test_case_builder_covers_the_whole_reference_spec(steady: Any, reference_spec: Any, optional: bool) -> None:
    """The value builder behind the cases above, on every operation of the official spec (not only the
    selection): when the SDK's selection grows, its new cases are valid requests from the start. Sent with
    plain httpx, since most of these operations have no generated method yet."""
    import httpx
    import yaml

    from e2e._cases import reference_requests

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(reference_spec, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=loader)  # noqa: S506 (safe loader)
    requests = reference_requests(doc, optional=optional)
    # At least one request per operation the SDK covers (sdk.yaml `also` makes several methods of one operation).
    assert len(requests) >= len({(c.http_method, c.path) for c in CASES})
    invalid: list[str] = []
    with httpx.Client(base_url=steady.base_url, timeout=30, headers={"authorization": "Bearer sk-e2e"}) as http:
        for r in requests:
            kwargs: dict[str, Any] = {}
            if r.json is not None:
                kwargs["json"] = r.json
            elif r.form is not None:
                kwargs["content"], content_type = _multipart(r.form, r.files)
                kwargs["headers"] = {"content-type": content_type}
            response = http.request(r.method, r.path, params=cast(Any, r.query), **kwargs)
            if response.headers.get("x-steady-request-valid") != "true":
                invalid.append(f"{r.operation_id} {r.method} {r.path}: {'; '.join(_steady_errors(response.headers))}")
    assert not invalid, f"{len(invalid)} of {len(requests)} built requests are invalid:\n" + "\n".join(invalid)
