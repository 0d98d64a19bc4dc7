"""The package root exports the official SDK's public names (a list of names taken from ``openai.__all__``)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import oai
import pytest

# The names `openai/__init__.py` exports (openai 3.57: its __all__ and the names it imports at the top level),
# minus those listed in LEFT_OUT below.
OFFICIAL = """
types __version__ __title__ VERSION NoneType Transport ProxiesTypes NotGiven NOT_GIVEN not_given Omit omit
OpenAIError APIError APIStatusError APITimeoutError APIConnectionError APIResponseValidationError BadRequestError
AuthenticationError PermissionDeniedError NotFoundError ConflictError UnprocessableEntityError RateLimitError
InternalServerError LengthFinishReasonError ContentFilterFinishReasonError Timeout RequestOptions Client AsyncClient
Stream AsyncStream OpenAI AsyncOpenAI AzureOpenAI AsyncAzureOpenAI file_from_path BaseModel DEFAULT_TIMEOUT
DEFAULT_MAX_RETRIES DEFAULT_CONNECTION_LIMITS DefaultHttpxClient DefaultAsyncHttpxClient DefaultAioHttpClient
WebSocketQueueFullError WebSocketConnectionClosedError APIResponse AsyncAPIResponse HttpxBinaryResponseContent
pydantic_function_tool AssistantEventHandler AsyncAssistantEventHandler resources
api_key organization project webhook_secret base_url timeout max_retries default_headers default_query http_client
api_type api_version azure_endpoint azure_ad_token azure_ad_token_provider
beta chat admin audio evals files images models batches uploads realtime responses containers embeddings completions
fine_tuning moderations conversations vector_stores skills content_provenance_checks videos
OAuthError InvalidWebhookSignatureError DefaultHttpx2Client DefaultAsyncHttpx2Client pydantic_responses_function_tool
admin_api_key version webhooks
Audio ChatCompletion Completion Customer Deployment Edit Embedding Engine ErrorObject File FineTune FineTuningJob Image
Model Moderation
""".split()

LEFT_OUT = {
    "DataResidency": "the official SDK's data-residency base-URL option, not in oai",
    "BedrockOpenAI": "the Amazon Bedrock provider, not in oai",
    "AsyncBedrockOpenAI": "the Amazon Bedrock provider, not in oai",
    "ReconnectingEvent": "realtime reconnection: oai has RealtimeReconnect / RealtimeReconnected of its own shape",
    "ReconnectingOverrides": "realtime reconnection: oai has RealtimeReconnect / RealtimeReconnected of its own shape",
    "ComputerToolset": "the official SDK's computer-use helpers, not in oai",
    "AsyncComputerToolset": "the official SDK's computer-use helpers, not in oai",
    "ComputerDriver": "the official SDK's computer-use helpers, not in oai",
    "AsyncComputerDriver": "the official SDK's computer-use helpers, not in oai",
    "bedrock_token_provider": "the Amazon Bedrock provider, not in oai",
    "live": "not in oai's spec",
    "safety": "not in oai's spec",
    "decisions": "not in oai's spec",
}


def test_official_names_import_from_oai() -> None:
    missing = [name for name in OFFICIAL if not hasattr(oai, name)]
    assert not missing, missing
    assert not set(OFFICIAL) & set(LEFT_OUT)


def test_official_semantics_of_the_small_names() -> None:
    assert oai.not_given is oai.NOT_GIVEN and isinstance(oai.not_given, oai.NotGiven) and not oai.not_given
    assert isinstance(oai.omit, oai.Omit) and not oai.omit
    assert oai.Timeout is httpx.Timeout and oai.Timeout(60.0, connect=5.0).connect == 5.0
    assert oai.Client is oai.OpenAI and oai.AsyncClient is oai.AsyncOpenAI
    assert oai.DEFAULT_MAX_RETRIES == 2 and isinstance(oai.DEFAULT_TIMEOUT, httpx.Timeout)
    assert issubclass(oai.LengthFinishReasonError, oai.OpenAIError)
    assert issubclass(oai.ContentFilterFinishReasonError, oai.OpenAIError)
    assert oai.VERSION == oai.__version__ and oai.__title__ == "oai"
    assert oai.types.ChatCompletion.__name__ == "ChatCompletion"
    assert oai.HttpxBinaryResponseContent is oai.BinaryAPIResponse


def test_file_from_path(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_bytes(b'{"a": 1}\n')
    assert oai.file_from_path(str(path)) == ("notes.jsonl", b'{"a": 1}\n')
    with pytest.raises(FileNotFoundError):
        oai.file_from_path(str(tmp_path / "missing"))


def _answer(seen: list[httpx.Request]):  # noqa: ANN202
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"object": "list", "data": [], "has_more": False})

    return handler


def test_omit_leaves_a_value_out_sync_and_async() -> None:
    assert isinstance(oai.omit, oai.NotGiven)  # so it type-checks where a parameter defaults to NOT_GIVEN
    seen: list[httpx.Request] = []
    client = oai.OpenAI(
        api_key="sk-x",
        base_url="http://api.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(_answer(seen))),
    )
    client.files.list(limit=oai.omit, purpose="batch", extra_body=None)
    client.embeddings.with_raw_response.create(model="m", input="x", dimensions=oai.omit, user=oai.not_given)

    async def run() -> None:
        aclient = oai.AsyncOpenAI(
            api_key="sk-x",
            base_url="http://api.test/v1",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(_answer(seen))),
        )
        await aclient.embeddings.with_raw_response.create(model="m", input="x", dimensions=oai.omit)

    asyncio.run(run())
    assert "limit" not in str(seen[0].url) and "purpose=batch" in str(seen[0].url)
    assert json.loads(seen[1].content) == {"model": "m", "input": "x"}
    assert json.loads(seen[2].content) == {"model": "m", "input": "x"}


def test_helpers_request_options_match_the_core() -> None:
    """The helpers' typed ``**params`` (lib/_request_options.py, type-checking only) list every per-call option."""
    import ast

    from generator.core_api import CoreNames

    source = (Path(oai.__file__).parent / "lib" / "_request_options.py").read_text()
    listed = next(
        [n.target.id for n in node.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef) and node.name == "RequestOptions"
    )
    assert listed == [o.name for o in CoreNames.load().request_options]
