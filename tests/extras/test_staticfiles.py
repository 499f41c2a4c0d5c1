"""StaticFiles: serving, conditional requests, Range, HEAD, html mode, path safety, methods."""

from __future__ import annotations

import os
import time
from email.utils import formatdate
from pathlib import Path
from typing import Any

import anyio
import pytest

from fasterapi_core.requests import Request
from fasterapi_core.testclient import TestClient
from fasterapi_extras.staticfiles import StaticFiles
from fasterapi_routing import Faster

DATA = b"0123456789abcdefghij"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "data.txt").write_bytes(DATA)
    (static / "css" / "app.css").write_bytes(b"body{}")
    (static / "docs").mkdir()
    (static / "docs" / "index.html").write_bytes(b"<p>docs</p>")
    (static / "index.html").write_bytes(b"<p>home</p>")
    (static / "404.html").write_bytes(b"<p>missing</p>")
    (tmp_path / "secret.txt").write_bytes(b"top secret")
    return static


@pytest.fixture
def client(root: Path) -> TestClient:
    return TestClient(StaticFiles(directory=root))


async def call(app: Any, path: str, method: str = "GET", headers: Any = ()) -> list[Any]:
    """Drive the ASGI app directly with an exact (undecoded by any client) path."""
    messages: list[Any] = []
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": "",
        "query_string": b"",
        "headers": [(k.encode(), v.encode()) for k, v in headers],
    }

    async def receive() -> Any:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        messages.append(message)

    with anyio.fail_after(5):
        await app(scope, receive, send)
    return messages


def test_serves_file_with_validators(client: TestClient, root: Path) -> None:
    st = os.stat(root / "data.txt")
    response = client.get("/data.txt")
    assert response.status_code == 200
    assert response.content == DATA
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["content-length"] == "20"
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["last-modified"] == formatdate(st.st_mtime, usegmt=True)
    assert response.headers["etag"].startswith('"')


def test_nested_file_and_missing(client: TestClient) -> None:
    assert client.get("/css/app.css").content == b"body{}"
    missing = client.get("/nope.txt")
    assert (missing.status_code, missing.text) == (404, "Not Found")


def test_if_none_match_gives_304(client: TestClient) -> None:
    etag = client.get("/data.txt").headers["etag"]
    response = client.get("/data.txt", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag
    assert "content-length" not in response.headers
    assert "content-type" not in response.headers
    weak = client.get("/data.txt", headers={"if-none-match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    other = client.get("/data.txt", headers={"if-none-match": '"other"'})
    assert (other.status_code, other.content) == (200, DATA)


def test_if_modified_since(client: TestClient) -> None:
    last_modified = client.get("/data.txt").headers["last-modified"]
    assert client.get("/data.txt", headers={"if-modified-since": last_modified}).status_code == 304
    old = formatdate(time.time() - 10 * 365 * 86400, usegmt=True)
    assert client.get("/data.txt", headers={"if-modified-since": old}).status_code == 200
    garbage = client.get("/data.txt", headers={"if-modified-since": "yesterday"})
    assert garbage.status_code == 200
    # If-None-Match wins over If-Modified-Since.
    both = client.get(
        "/data.txt", headers={"if-none-match": '"other"', "if-modified-since": last_modified}
    )
    assert both.status_code == 200


@pytest.mark.parametrize(
    ("header", "content_range", "body"),
    [
        ("bytes=0-4", "bytes 0-4/20", b"01234"),
        ("bytes=15-", "bytes 15-19/20", b"fghij"),
        ("bytes=-3", "bytes 17-19/20", b"hij"),
        ("bytes=18-100", "bytes 18-19/20", b"ij"),
        ("bytes=0-3,2-6", "bytes 0-6/20", b"0123456"),  # overlapping ranges merge
        ("bytes=0-1,2-3", "bytes 0-3/20", b"0123"),  # adjacent ranges merge
        ("bytes=-100", "bytes 0-19/20", DATA),
    ],
)
def test_single_range(client: TestClient, header: str, content_range: str, body: bytes) -> None:
    response = client.get("/data.txt", headers={"range": header})
    assert response.status_code == 206
    assert response.headers["content-range"] == content_range
    assert response.headers["content-length"] == str(len(body))
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.content == body


def test_multiple_ranges_are_multipart(client: TestClient) -> None:
    response = client.get("/data.txt", headers={"range": "bytes=10-11, 0-1"})
    assert response.status_code == 206
    content_type = response.headers["content-type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    boundary = content_type.split("boundary=")[1]
    assert response.content == (
        f"--{boundary}\r\ncontent-type: text/plain; charset=utf-8\r\n"
        f"content-range: bytes 0-1/20\r\n\r\n01\r\n"
        f"--{boundary}\r\ncontent-type: text/plain; charset=utf-8\r\n"
        f"content-range: bytes 10-11/20\r\n\r\nab\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    assert response.headers["content-length"] == str(len(response.content))


@pytest.mark.parametrize("header", ["bytes=20-", "bytes=100-200", "bytes=-0", "bytes=30-40,50-"])
def test_unsatisfiable_range_is_416(client: TestClient, header: str) -> None:
    response = client.get("/data.txt", headers={"range": header})
    assert response.status_code == 416
    assert response.headers["content-range"] == "bytes */20"
    assert response.content == b""


@pytest.mark.parametrize(
    "header", ["items=0-1", "bytes=5-2", "bytes=a-b", "bytes", "bytes=-", "bytes=1-2-3", "bytes=²-3"]
)
def test_malformed_range_is_ignored(client: TestClient, header: str) -> None:
    response = client.get("/data.txt", headers={"range": header.encode()})
    assert (response.status_code, response.content) == (200, DATA)


def test_thousands_of_ranges_are_bounded(client: TestClient) -> None:
    many = "bytes=" + ",".join(f"{i}-{i}" for i in range(5000))
    response = client.get("/data.txt", headers={"range": many})
    assert (response.status_code, response.content) == (200, DATA)
    hundred = "bytes=" + ",".join(f"{i % 20}-{i % 20}" for i in range(100))
    merged = client.get("/data.txt", headers={"range": hundred})
    assert (merged.status_code, merged.content) == (206, DATA)
    huge = client.get("/data.txt", headers={"range": "bytes=0-" + "9" * 5000})
    assert (huge.status_code, huge.headers["content-range"]) == (206, "bytes 0-19/20")
    too_long = client.get("/data.txt", headers={"range": "bytes=0-1" + " " * 9000})
    assert (too_long.status_code, too_long.content) == (200, DATA)
    big_number = client.get("/data.txt", headers={"range": "bytes=" + "9" * 4000 + "-"})
    assert big_number.status_code == 416


def test_if_range(client: TestClient) -> None:
    first = client.get("/data.txt")
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    for validator in (etag, last_modified):
        hit = client.get("/data.txt", headers={"range": "bytes=0-1", "if-range": validator})
        assert (hit.status_code, hit.content) == (206, b"01")
    for stale in ('"stale"', f"W/{etag}", "Thu, 01 Jan 1970 00:00:00 GMT", "garbage"):
        miss = client.get("/data.txt", headers={"range": "bytes=0-1", "if-range": stale})
        assert (miss.status_code, miss.content) == (200, DATA)


def test_head_has_headers_but_no_body(client: TestClient) -> None:
    response = client.head("/data.txt")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == "20"
    ranged = client.head("/data.txt", headers={"range": "bytes=0-1"})
    assert (ranged.status_code, ranged.content) == (206, b"")
    assert ranged.headers["content-range"] == "bytes 0-1/20"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_get_405(client: TestClient, method: str) -> None:
    response = client.request(method, "/data.txt")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.text == "Method Not Allowed"


def test_directory_without_html_is_404(client: TestClient) -> None:
    assert client.get("/docs/").status_code == 404
    assert client.get("/").status_code == 404


def test_html_mode(root: Path) -> None:
    client = TestClient(StaticFiles(directory=root, html=True))
    assert client.get("/").text == "<p>home</p>"
    assert client.get("/docs/").text == "<p>docs</p>"
    assert client.get("/docs/").headers["content-type"] == "text/html; charset=utf-8"
    redirect = client.get("/docs", follow_redirects=False)
    assert (redirect.status_code, redirect.headers["location"]) == (307, "/docs/")
    missing = client.get("/missing/page")
    assert (missing.status_code, missing.text) == (404, "<p>missing</p>")


def test_html_mode_without_404_page(root: Path) -> None:
    (root / "404.html").unlink()
    client = TestClient(StaticFiles(directory=root, html=True))
    assert (client.get("/nope").status_code, client.get("/nope").text) == (404, "Not Found")


def test_check_dir(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="does not exist"):
        StaticFiles(directory=tmp_path / "absent")
    lazy = StaticFiles(directory=tmp_path / "absent", check_dir=False)
    assert TestClient(lazy).get("/x").status_code == 404


@pytest.mark.anyio
@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/css/../../secret.txt",
        "/..",
        "/..\\secret.txt",
        "/css\\..\\..\\secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/data.txt\x00.png",
        "//" + "x" * 300,
        "/" + "a/" * 3000,
        "/" + "é" * 200,
        "/data.txt/",
        "/data.txt/more",
    ],
)
async def test_path_traversal_and_bad_names_are_404(root: Path, path: str) -> None:
    messages = await call(StaticFiles(directory=root), path)
    assert messages[0]["status"] == 404
    assert messages[1]["body"] == b"Not Found"


@pytest.mark.anyio
async def test_absolute_path_stays_inside(root: Path, tmp_path: Path) -> None:
    messages = await call(StaticFiles(directory=root), "/" + str(tmp_path / "secret.txt"))
    assert messages[0]["status"] == 404


@pytest.mark.anyio
async def test_symlink_escaping_root(root: Path, tmp_path: Path) -> None:
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    (root / "inner.txt").symlink_to(root / "data.txt")
    strict = StaticFiles(directory=root)
    assert (await call(strict, "/link.txt"))[0]["status"] == 404
    inner = await call(strict, "/inner.txt")
    assert (inner[0]["status"], inner[1]["body"]) == (200, DATA)
    relaxed = await call(StaticFiles(directory=root, follow_symlink=True), "/link.txt")
    assert (relaxed[0]["status"], relaxed[1]["body"]) == (200, b"top secret")


def test_mounted_in_app_with_url_for(root: Path) -> None:
    app = Faster()
    app.mount("/static", StaticFiles(directory=root), name="static")

    @app.get("/link")
    def link(request: Request) -> dict[str, str]:
        return {"url": str(request.url_for("static", path="css/app.css"))}

    client = TestClient(app)
    assert client.get("/link").json() == {"url": "http://testserver/static/css/app.css"}
    assert client.get("/static/css/app.css").content == b"body{}"
    ranged = client.get("/static/data.txt", headers={"range": "bytes=1-2"})
    assert (ranged.status_code, ranged.content) == (206, b"12")
    missing = client.get("/static/nope")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not Found"})
    post = client.post("/static/data.txt")
    assert (post.status_code, post.headers["allow"]) == (405, "GET, HEAD")
