"""ASGI helpers: header lookup, server host, HTTP version."""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core.asgi_compat import get_header, get_server_host, http_version, is_http2


def scope(headers: list[tuple[bytes, bytes]] | None = None, **extra: Any) -> dict[str, Any]:
    return {"type": "http", "headers": headers or [], **extra}


def test_get_header_case_insensitive_first_value_latin1() -> None:
    s = scope([(b"x-a", b"1"), (b"X-A", b"2"), (b"x-b", b"caf\xe9\xff")])
    assert get_header(s, "X-A") == "1"
    assert get_header(s, "x-b") == "café\xff"
    assert get_header(s, "missing") is None
    assert get_header(s, "ключ") is None
    assert get_header({"type": "http"}, "x-a") is None


def test_get_server_host_prefers_host_header() -> None:
    s = scope([(b"host", b"example.com:8080")], server=("10.0.0.1", 80))
    assert get_server_host(s) == "example.com:8080"


def test_get_server_host_http2_authority() -> None:
    s = scope([(b":authority", b"h2.example.com")], server=("10.0.0.1", 443))
    assert get_server_host(s) == "h2.example.com"


def test_get_server_host_falls_back_to_server() -> None:
    assert get_server_host(scope(server=("10.0.0.1", 8000))) == "10.0.0.1:8000"
    assert get_server_host(scope(server=("::1", 8000))) == "[::1]:8000"
    assert get_server_host(scope(server=("/tmp/sock", None))) == "/tmp/sock"
    assert get_server_host(scope([(b"host", b"")], server=("a", 1))) == "a:1"
    assert get_server_host(scope()) is None
    assert get_server_host(scope(server=None)) is None


@pytest.mark.parametrize(
    ("version", "expected", "h2"),
    [
        (None, "1.1", False),
        ("1.0", "1.0", False),
        ("1.1", "1.1", False),
        ("2", "2", True),
        ("2.0", "2.0", True),
        ("3", "3", False),
    ],
)
def test_http_version(version: str | None, expected: str, h2: bool) -> None:
    s = scope() if version is None else scope(http_version=version)
    assert http_version(s) == expected
    assert is_http2(s) is h2
