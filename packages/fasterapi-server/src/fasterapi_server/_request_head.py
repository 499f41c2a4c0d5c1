"""Checks on a parsed request head: the target, the HTTP version, the Host field."""

from __future__ import annotations

import asyncio
from urllib.parse import unquote_to_bytes

import httptools

__all__ = ["Reject", "address", "check_version_and_host", "split_target", "wants_websocket"]


class Reject(Exception):
    """Raised inside a parser callback to refuse the request with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def address(transport: asyncio.BaseTransport, name: str) -> tuple[str, int] | None:
    """The ``(host, port)`` of a transport's ``sockname`` or ``peername``."""
    info = transport.get_extra_info(name)
    if isinstance(info, tuple) and len(info) >= 2:
        return (str(info[0]), int(info[1]))
    return None


def split_target(url: bytes) -> tuple[bytes, bytes, str]:
    """``(raw_path, query_string, path)`` of a request target (origin, absolute or ``*``).

    An unparsable target or a path that is not UTF-8 once percent-decoded is a ``400``.
    """
    if url[:1] == b"/" and b"#" not in url:
        raw_path, _, query = url.partition(b"?")
    else:
        try:
            parsed = httptools.parse_url(url)
        except httptools.HttpParserInvalidURLError:
            raise Reject(400, "Invalid request target") from None
        raw_path, query = parsed.path or b"/", parsed.query or b""
    try:
        if b"%" in raw_path:
            path = unquote_to_bytes(raw_path).decode("utf-8")
        else:
            path = raw_path.decode("utf-8")
    except UnicodeDecodeError:
        raise Reject(400, "Invalid request path encoding") from None
    return raw_path, query, path


def check_version_and_host(http_version: str, hosts: int) -> None:
    """HTTP/1.0 and 1.1 only; exactly one Host field in 1.1, at most one in 1.0; else ``400``.

    Another version (HTTP/0.9, HTTP/2.0 on this connection) is a ``400``, not a ``505``: what
    a client sent never counts as a server error.

    RFC 9112 section 3.2: a request with several Host fields, or an HTTP/1.1 request without
    one, is a ``400``: proxies and applications could otherwise disagree on the host.
    """
    if http_version != "1.1" and http_version != "1.0":
        raise Reject(400, "Unsupported HTTP version")
    if hosts != 1 and (hosts > 1 or http_version == "1.1"):
        raise Reject(400, "Missing or duplicate Host header")


def wants_websocket(headers: list[tuple[bytes, bytes]]) -> bool:
    """The head asks for a WebSocket (``Upgrade: websocket``, ``Connection: upgrade``)."""
    upgrade = connection = b""
    for name, value in headers:
        if name == b"upgrade":
            upgrade = value.lower()
        elif name == b"connection":
            connection = value.lower()
    return upgrade == b"websocket" and b"upgrade" in connection
