"""Multipart uploads: every accepted file form, nested form fields."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from oai._core._files import flatten_form, to_httpx_files

from tests._client_fakes import Item, Recorder, make_async_client, make_client


def parts(request: httpx.Request) -> dict[str, tuple[str | None, str | None, bytes]]:
    """name → (filename, content type, content) of a multipart request, parsed by hand."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1].encode()
    out: dict[str, tuple[str | None, str | None, bytes]] = {}
    for raw in request.content.split(b"--" + boundary)[1:-1]:
        head, _, body = raw.removeprefix(b"\r\n").removesuffix(b"\r\n").partition(b"\r\n\r\n")
        headers = dict(line.decode().split(": ", 1) for line in head.split(b"\r\n") if b": " in line)
        disposition = headers["Content-Disposition"]
        fields = dict(item.strip().split("=", 1) for item in disposition.split(";")[1:])
        name = fields["name"].strip('"')
        filename = fields.get("filename")
        key = name if name not in out else f"{name}#{len(out)}"
        out[key] = (filename.strip('"') if filename else None, headers.get("Content-Type"), body)
    return out


def test_upload_bytes_with_nested_fields() -> None:
    rec = Recorder()
    item = make_client(rec).items.upload(
        file=b"raw-bytes", purpose="batch", expires_after={"anchor": "created_at", "seconds": 3600}
    )
    assert isinstance(item, Item)
    got = parts(rec.requests[0])
    assert got["file"][2] == b"raw-bytes"
    assert got["purpose"] == (None, None, b"batch")
    assert got["expires_after[anchor]"][2] == b"created_at"
    assert got["expires_after[seconds]"][2] == b"3600"
    assert "application/json" not in rec.requests[0].headers["content-type"]


def test_upload_path_file_object_and_tuples(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(b'{"a": 1}\n')
    rec = Recorder()
    client = make_client(rec)
    client.items.upload(file=path, purpose="p")
    with open(path, "rb") as f:
        client.items.upload(file=f, purpose="p")
    client.items.upload(file=("named.txt", b"hello", "text/plain"), purpose="p")
    client.items.upload(file=("from-path.jsonl", path), purpose="p")
    client.items.upload(file=("io.bin", io.BytesIO(b"io-bytes")), purpose="p")
    files = [parts(r)["file"] for r in rec.requests]
    assert files[0][0] == "data.jsonl" and files[0][2] == b'{"a": 1}\n'
    assert files[1][0] == "data.jsonl" and files[1][2] == b'{"a": 1}\n'
    assert files[2] == ("named.txt", "text/plain", b"hello")
    assert files[3][0] == "from-path.jsonl" and files[3][2] == b'{"a": 1}\n'
    assert files[4][0] == "io.bin" and files[4][2] == b"io-bytes"


def test_upload_keeps_extra_headers_and_rejects_bad_values() -> None:
    rec = Recorder()
    make_client(rec).items.upload(file=b"x", purpose="p", extra_headers={"X-Up": "1"})
    assert rec.requests[0].headers["x-up"] == "1"
    with pytest.raises(TypeError):
        to_httpx_files({"file": 123})
    with pytest.raises(TypeError):
        to_httpx_files({"file": io.StringIO("text mode")})


def test_file_lists_and_none_values() -> None:
    files = to_httpx_files({"files": [b"a", b"b"], "skip": None})
    assert [name for name, _ in files] == ["files", "files"]


def test_flatten_form() -> None:
    form = flatten_form(
        {
            "a": 1,
            "b": True,
            "c": None,
            "d": {"e": {"f": "g"}, "h": [1, 2]},
            "i": ["x", "y"],
            "j": [{"k": 1}],
        }
    )
    assert form == {
        "a": "1",
        "b": "true",
        "d[e][f]": "g",
        "d[h][]": ["1", "2"],
        "i[]": ["x", "y"],
        "j[][k]": "1",
    }


async def test_async_upload_from_path(tmp_path: Path) -> None:
    path = tmp_path / "async.txt"
    path.write_bytes(b"async-content")
    rec = Recorder()
    await make_async_client(rec).items.upload(file=path, purpose="p")
    await make_async_client(rec).items.upload(file=("n.bin", path, "application/x-custom"), purpose="p")
    assert parts(rec.requests[0])["file"] == ("async.txt", "text/plain", b"async-content")
    assert parts(rec.requests[1])["file"] == ("n.bin", "application/x-custom", b"async-content")


def test_flatten_fields_is_the_query_and_form_convention() -> None:
    from oai._core import NOT_GIVEN
    from oai._core._files import flatten_fields

    pairs = flatten_fields(
        {"include[]": ["a", "b"], "grid": [[1, 2]], "meta": {"on": [True, None]}, "skip": None, "gone": NOT_GIVEN}
    )
    # A name the spec already wrote with brackets keeps one pair; names made here always get theirs.
    assert pairs == [
        ("include[]", "a"),
        ("include[]", "b"),
        ("grid[][]", "1"),
        ("grid[][]", "2"),
        ("meta[on][]", "true"),
    ]
