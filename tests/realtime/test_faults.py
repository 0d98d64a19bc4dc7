# pyright: standard
# (connections come through the sync/async bridge of conftest.py: untyped by design)
"""Faults over real TCP, sync and async: closes and drops mid-response, frames that are not JSON, refused
handshakes, and slow servers against the connect, receive and send timeouts.

Timeouts are short and the assertions on time generous: they prove that a wait is bounded,
not how fast anything is.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import ssl
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from oai import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    RealtimeConnectionClosedError,
    RealtimeProtocolError,
)
from websockets.exceptions import ConnectionClosedError, ConnectionClosedOK

from ._server import RealtimeServer, close_with, conversation, drop, frames, greet, not_reading, silent, unanswered_port


def run_response(connection: Any) -> list[Any]:
    """Ask for a response and iterate until the iteration ends or raises; the events seen."""
    connection.response.create()
    seen: list[Any] = []
    for event in connection:
        seen.append(event)
        if event.type == "response.done":
            break
    return seen


@pytest.mark.parametrize(("cut", "code"), [(drop, 1006), (lambda ws: close_with(ws, 1011), 1011)])
def test_a_connection_lost_mid_response_raises_with_the_response_in_progress(
    server: RealtimeServer, open_connection: Any, cut: Any, code: int
) -> None:
    server.script(conversation(cut=cut))
    connection = open_connection(server.base_url)
    with pytest.raises(RealtimeConnectionClosedError) as caught:
        run_response(connection)
    error = caught.value
    assert error.close_code == code
    assert error.interrupted_response_ids == ["resp_1"]
    assert isinstance(error, ConnectionClosedError)  # what code written for the official SDK catches
    assert "resp_1" in str(error)
    with pytest.raises(RealtimeConnectionClosedError):
        connection.response.create()


def test_a_normal_close_mid_response_still_raises(server: RealtimeServer, open_connection: Any) -> None:
    server.script(conversation(cut=lambda ws: close_with(ws, 1000)))
    connection = open_connection(server.base_url)
    with pytest.raises(RealtimeConnectionClosedError) as caught:
        run_response(connection)
    assert caught.value.close_code == 1000 and caught.value.interrupted_response_ids == ["resp_1"]


def test_a_normal_close_with_nothing_in_progress_ends_the_iteration(
    server: RealtimeServer, open_connection: Any
) -> None:
    async def greet_and_close(ws: Any, peer: Any) -> None:
        await greet(ws)
        await ws.close(1000, "bye")

    server.script(greet_and_close)
    connection = open_connection(server.base_url)
    assert [event.type for event in connection] == ["session.created"]
    with pytest.raises(RealtimeConnectionClosedError) as caught:
        connection.recv()
    assert caught.value.close_code == 1000 and caught.value.close_reason == "bye"
    assert isinstance(caught.value, ConnectionClosedOK)


@pytest.mark.parametrize(
    ("frame", "problem"),
    [("{not json", "not JSON"), ("[1, 2]", "not an object"), ("", "empty frame")],
)
def test_a_frame_that_is_not_a_json_object_raises_with_its_data_and_the_session_goes_on(
    server: RealtimeServer, open_connection: Any, frame: str, problem: str
) -> None:
    server.script(frames(frame, json.dumps({"type": "session.updated", "session": {}})))
    connection = open_connection(server.base_url)
    connection.recv()
    with pytest.raises(RealtimeProtocolError, match=problem) as caught:
        connection.recv()
    assert caught.value.data == frame.encode()
    assert connection.recv().type == "session.updated"


def test_a_refused_handshake_raises_the_status_error(server: RealtimeServer, open_connection: Any) -> None:
    server.script(conversation())
    server.reject(401)
    with pytest.raises(AuthenticationError) as caught:
        open_connection(server.base_url)
    assert caught.value.status_code == 401 and caught.value.message.startswith("Error code: 401 - refused with 401")


def test_a_server_that_never_answers_the_handshake_times_out(open_connection: Any) -> None:
    with unanswered_port() as port:
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="handshake"):
            open_connection(f"http://127.0.0.1:{port}/v1", timeout=httpx.Timeout(5.0, connect=0.3))
        assert time.monotonic() - started < 5


def test_nothing_to_connect_to_is_a_connection_error(open_connection: Any) -> None:
    with unanswered_port() as port:
        pass  # closed again: nobody listens there now
    with pytest.raises(APIConnectionError, match=f"127.0.0.1:{port}"):
        open_connection(f"http://127.0.0.1:{port}/v1")


def test_a_silent_server_hits_the_receive_timeout_and_the_session_goes_on(
    server: RealtimeServer, open_connection: Any
) -> None:
    server.script(silent)
    connection = open_connection(server.base_url, timeout=0.2)
    connection.recv()  # session.created
    started = time.monotonic()
    with pytest.raises(APITimeoutError, match="receive timeout"):
        connection.recv()
    assert time.monotonic() - started < 5
    with pytest.raises(APITimeoutError):
        connection.recv(timeout=0.05)  # per call
    connection.input_audio_buffer.commit()
    assert server.peer(received=1).received == [{"type": "input_audio_buffer.commit"}]


def test_a_server_that_stops_reading_hits_the_send_timeout(server: RealtimeServer, open_connection: Any) -> None:
    server.script(not_reading)
    connection = open_connection(server.base_url, timeout=httpx.Timeout(5.0, write=0.3))
    connection.recv()
    chunk = base64.b64encode(os.urandom(3 * 2**18)).decode()  # 1 MiB that compression cannot shrink
    started = time.monotonic()
    with pytest.raises(APITimeoutError, match="send timeout"):
        for _ in range(200):  # loopback buffers hold a few MiB; the send that finds them full times out
            connection.input_audio_buffer.append(audio=chunk)
    assert time.monotonic() - started < 10
    with pytest.raises(RealtimeConnectionClosedError):
        connection.input_audio_buffer.append(audio="AAAA")


# -- TLS --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command line")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_wss_verifies_as_the_clients_https_does(
    certificate: tuple[Path, Path], open_connection: Any, mode: str
) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    with RealtimeServer(tls=context) as tls_server:
        tls_server.script(conversation(), conversation())
        with pytest.raises(APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            open_connection(tls_server.base_url)  # the default trust store does not know our certificate
        trusting = ssl.create_default_context(cafile=str(certificate[0]))
        http_client = httpx.Client(verify=trusting) if mode == "sync" else httpx.AsyncClient(verify=trusting)
        connection = open_connection(tls_server.base_url, client_kwargs={"http_client": http_client})
        assert connection.recv().type == "session.created"
        assert tls_server.peer().path == "/v1/realtime?model=gpt-realtime"
