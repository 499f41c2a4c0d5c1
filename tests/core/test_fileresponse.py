"""FileResponse: headers, chunked sending, Content-Disposition, HEAD and missing files."""

from __future__ import annotations

import hashlib
import os
from email.utils import formatdate
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from fasterapi_core.background import BackgroundTask
from fasterapi_core.fileresponse import FileResponse, content_disposition

pytestmark = pytest.mark.anyio

SCOPE: dict[str, Any] = {"type": "http", "method": "GET", "path": "/", "headers": []}


async def no_receive() -> dict[str, Any]:
    raise AssertionError("FileResponse must not read the request")


async def run(response: FileResponse, scope: dict[str, Any] | None = None) -> list[Any]:
    messages: list[Any] = []

    async def send(message: Any) -> None:
        messages.append(dict(message))

    with anyio.fail_after(5):
        await response(scope or SCOPE, no_receive, send)
    return messages


def stat_headers(path: Path) -> list[tuple[bytes, bytes]]:
    st = os.stat(path)
    etag = hashlib.md5(f"{st.st_mtime}-{st.st_size}".encode()).hexdigest()
    return [
        (b"content-length", str(st.st_size).encode()),
        (b"accept-ranges", b"bytes"),  # as Starlette: Range requests are answered
        (b"last-modified", formatdate(st.st_mtime, usegmt=True).encode()),
        (b"etag", f'"{etag}"'.encode()),
    ]


async def test_small_file_headers_and_body_exact(tmp_path: Path) -> None:
    path = tmp_path / "hello.txt"
    path.write_bytes(b"hello file")
    messages = await run(FileResponse(path))
    assert messages == [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *stat_headers(path)],
        },
        {"type": "http.response.body", "body": b"hello file", "more_body": True},
        {"type": "http.response.body", "body": b"", "more_body": False},
    ]


async def test_large_file_is_sent_in_64k_chunks(tmp_path: Path) -> None:
    data = os.urandom(200 * 1024)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    messages = await run(FileResponse(path, media_type="application/octet-stream"))
    bodies = [m["body"] for m in messages[1:]]
    assert [len(b) for b in bodies] == [65536, 65536, 65536, 8192, 0]
    assert all(m["more_body"] for m in messages[1:-1])
    assert messages[-1]["more_body"] is False
    assert b"".join(bodies) == data
    assert (b"content-length", b"204800") in messages[0]["headers"]


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("page.html", b"text/html; charset=utf-8"),
        ("data.json", b"application/json"),
        ("image.png", b"image/png"),
        ("noext", b"text/plain; charset=utf-8"),
    ],
)
async def test_media_type_guessed(tmp_path: Path, name: str, media_type: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")
    response = FileResponse(path)
    assert response.raw_headers == [(b"content-type", media_type)]


def test_media_type_guessed_from_filename(tmp_path: Path) -> None:
    response = FileResponse(tmp_path / "blob", filename="report.pdf")
    assert response.raw_headers == [
        (b"content-type", b"application/pdf"),
        (b"content-disposition", b'attachment; filename="report.pdf"'),
    ]


def test_constructor_does_not_touch_the_disk(tmp_path: Path) -> None:
    # No stat in __init__: a path that does not exist yet is fine until sending.
    FileResponse(tmp_path / "later.txt")


def test_stat_result_given_sets_headers_eagerly(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    response = FileResponse(path, stat_result=os.stat(path))
    assert response.raw_headers == [
        (b"content-type", b"text/plain; charset=utf-8"),
        *stat_headers(path),
    ]


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("report.pdf", 'attachment; filename="report.pdf"'),
        ('a"b\r\n.txt', "attachment; filename=\"a_b.txt\"; filename*=utf-8''a%22b.txt"),
        (
            "résumé.pdf",
            "attachment; filename=\"resume.pdf\"; filename*=utf-8''r%C3%A9sum%C3%A9.pdf",
        ),
        (
            "back\\slash.txt",
            "attachment; filename=\"back_slash.txt\"; filename*=utf-8''back%5Cslash.txt",
        ),
        ("日本.txt", "attachment; filename=\".txt\"; filename*=utf-8''%E6%97%A5%E6%9C%AC.txt"),
        ("a b;c.txt", 'attachment; filename="a b;c.txt"'),
    ],
)
def test_content_disposition(filename: str, expected: str) -> None:
    assert content_disposition("attachment", filename) == expected


def test_content_disposition_inline_and_bad_type(tmp_path: Path) -> None:
    response = FileResponse(tmp_path / "x.txt", filename="x.txt", content_disposition_type="inline")
    assert response.raw_headers[-1] == (b"content-disposition", b'inline; filename="x.txt"')
    with pytest.raises(ValueError):
        FileResponse(tmp_path / "x.txt", filename="x", content_disposition_type="a; b=c")


async def test_filename_header_reaches_client(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"\x00\x01")
    app = FileResponse(path, filename='evil"\r\nSet-Cookie: x=1.txt')
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        reply = await c.get("/")
    assert reply.content == b"\x00\x01"
    assert "set-cookie" not in reply.headers
    assert reply.headers["content-disposition"] == (
        'attachment; filename="evil_Set-Cookie: x=1.txt"; '
        "filename*=utf-8''evil%22Set-Cookie%3A%20x%3D1.txt"
    )


async def test_head_skips_body(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    messages = await run(FileResponse(path), {**SCOPE, "method": "HEAD"})
    assert messages[1:] == [{"type": "http.response.body", "body": b"", "more_body": False}]
    assert (b"content-length", b"3") in messages[0]["headers"]
    # method="HEAD" at construction does the same even through to_asgi.
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    await FileResponse(path, method="head").to_asgi(send)
    assert [m.get("body") for m in sent] == [None, b""]


async def test_missing_file_raises_runtime_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="does not exist"):
        await run(FileResponse(tmp_path / "missing.txt"))


async def test_missing_file_with_stat_result_raises_runtime_error(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    path.write_bytes(b"x")
    response = FileResponse(path, stat_result=os.stat(path))
    path.unlink()
    with pytest.raises(RuntimeError, match="does not exist"):
        await run(response)


async def test_directory_raises_runtime_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="is not a file"):
        await run(FileResponse(tmp_path))


async def test_client_disconnect_stops_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * (300 * 1024))
    bodies: list[bytes] = []

    async def send(message: Any) -> None:
        if message["type"] == "http.response.body":
            if bodies:
                raise OSError("client went away")
            bodies.append(message["body"])

    ran: list[str] = []
    await FileResponse(path, background=BackgroundTask(ran.append, "bg"))(SCOPE, no_receive, send)
    assert [len(b) for b in bodies] == [65536]
    assert ran == ["bg"]


async def test_user_headers_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    messages = await run(FileResponse(path, headers={"ETag": '"custom"', "X-A": "1"}))
    headers = messages[0]["headers"]
    assert headers[:2] == [(b"etag", b'"custom"'), (b"x-a", b"1")]
    assert [name for name, _ in headers].count(b"etag") == 1
