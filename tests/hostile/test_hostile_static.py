"""StaticFiles and FileResponse under attack: traversal, symlinks, Range floods,
Content-Disposition injection."""

from __future__ import annotations

import pytest
from hostile_http import OUTSIDE_SECRET, PREFIX_SECRET, exchange, get, request

TRAVERSALS = [
    "/static/../secret.txt",
    "/static/%2e%2e/secret.txt",
    "/static/%2E%2E/secret.txt",
    "/static/..%2fsecret.txt",
    "/static/..%2Fsecret.txt",
    "/static/%2e%2e%2fsecret.txt",
    "/static/..%5csecret.txt",
    "/static/..\\secret.txt",
    "/static/%252e%252e/secret.txt",  # double encoding
    "/static/%c0%ae%c0%ae/secret.txt",  # overlong UTF-8 dots
    "/static/sub/../../secret.txt",
    "/static/sub/%2e%2e/%2e%2e/secret.txt",
    "/static/./../secret.txt",
    "/static//../secret.txt",
    "/static/%2fetc%2fpasswd",
    "/static//etc/passwd",
    "/static/%00../secret.txt",
    "/static/hello.txt%00.png",
    "/static/....//secret.txt",
    "/static/..;/secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_ghsa_starlette_static_path_traversal_in_every_encoding(port: int, target: str) -> None:
    reply = get(port, target)
    assert 400 <= reply.status < 500, (target, reply.status)
    assert OUTSIDE_SECRET.encode() not in reply.body
    assert b"root:" not in reply.body


@pytest.mark.parametrize(
    "target",
    [
        "/static/../static_secret/key.txt",
        "/static/..%2fstatic_secret/key.txt",
        "/static/%2e%2e/static_secret/key.txt",
    ],
)
def test_cve_2023_29159_static_prefix_confusion_with_a_sibling_directory(
    port: int, target: str
) -> None:
    reply = get(port, target)
    assert 400 <= reply.status < 500
    assert PREFIX_SECRET.encode() not in reply.body


@pytest.mark.parametrize("target", ["/static/link.txt", "/static/linkdir/secret.txt"])
def test_static_symlink_escaping_the_directory_is_not_followed(port: int, target: str) -> None:
    reply = get(port, target)
    assert reply.status == 404
    assert OUTSIDE_SECRET.encode() not in reply.body


def test_static_serves_a_regular_file(port: int) -> None:
    reply = get(port, "/static/sub/inner.txt")
    assert (reply.status, reply.body) == (200, b"inner\n")


def test_static_range_flood_of_many_overlapping_ranges_is_refused(port: int) -> None:
    ranges = ",".join(["0-65535"] * 2000)
    reply = get(port, "/static/big.bin", headers={"Range": f"bytes={ranges}"})
    # Either refused (416) or served once as the whole file; never 2000 copies of it.
    assert reply.status in (200, 416), reply.status
    assert len(reply.body) <= 65536


def test_static_range_flood_of_many_small_ranges_stays_bounded(port: int) -> None:
    ranges = ",".join(f"{i}-{i}" for i in range(0, 60000, 3))  # a 230 KB header
    reply = get(port, "/static/big.bin", headers={"Range": f"bytes={ranges}"})
    # 431: fasterapi-server refuses request heads over 64 KiB before the app sees them.
    assert reply.status in (200, 206, 416, 431), reply.status
    assert len(reply.body) < 4 * 65536


@pytest.mark.parametrize(
    "value",
    ["bytes=99999999-", "bytes=-0", "bytes=5-1", "bytes=a-b", "octets=0-1", "bytes=" + "9" * 400],
)
def test_static_malformed_or_unsatisfiable_ranges(port: int, value: str) -> None:
    reply = get(port, "/static/big.bin", headers={"Range": value})
    assert reply.status in (200, 416), (value, reply.status)
    if reply.status == 200:
        assert len(reply.body) == 65536


def test_static_head_and_conditional_requests_do_not_leak_bodies(port: int) -> None:
    reply = exchange(port, request("/static/hello.txt", method="HEAD"))
    assert reply is not None and reply.status == 200
    etag = reply.header("etag")
    assert etag
    again = get(port, "/static/hello.txt", headers={"If-None-Match": etag})
    assert (again.status, again.body) == (304, b"")


@pytest.mark.parametrize(
    "name",
    [
        'evil"; filename="x.exe',
        "evil\r\nSet-Cookie: owned=1",
        "evil\nX-Injected: 1",
        "..\\..\\windows\\system32.txt",
        "résumé \u202e.txt",
    ],
)
def test_content_disposition_injection_through_a_download_name(port: int, name: str) -> None:
    from urllib.parse import quote

    reply = get(port, "/download?name=" + quote(name))
    assert reply.status == 200
    assert reply.header("set-cookie") is None
    assert reply.header("x-injected") is None
    disposition = reply.header("content-disposition") or ""
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    # The quoted filename cannot be closed early to smuggle a second parameter.
    assert 'filename="x.exe' not in disposition
    assert reply.body == b"hello static\n"
