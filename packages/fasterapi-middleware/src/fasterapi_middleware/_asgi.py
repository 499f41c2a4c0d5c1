"""Small raw-ASGI helpers shared by the middleware modules (internal)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from fasterapi_core.types import Scope, Send

__all__ = [
    "RawHeaders",
    "append_vary",
    "build_url_path",
    "format_host",
    "header_values",
    "parse_host",
    "send_plain",
]

RawHeaders = list[tuple[bytes, bytes]]

# reg-name (letters, digits, '-', '.', '_') or a bracketed IPv6 literal, then an optional port.
_HOST_RE = re.compile(
    rb"(?P<host>[A-Za-z0-9_][A-Za-z0-9._-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\])(?::(?P<port>[0-9]{1,5}))?"
)
_PATH_SAFE = "/!$&'()*+,;=:@-._~"
_QUERY_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "#")


def header_values(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> list[bytes]:
    """All values of header ``name`` (lower-case bytes) in order of appearance."""
    return [value for key, value in headers if key.lower() == name]


def parse_host(value: bytes) -> tuple[str, int | None] | None:
    """Split a Host header value into (lower-case host, port); ``None`` when malformed.

    Rejects userinfo (``a@b``), absolute-form (``http://x``), whitespace, control characters and
    out-of-range ports. IPv6 literals come back without brackets, a trailing dot is dropped.
    """
    match = _HOST_RE.fullmatch(value)
    if match is None:
        return None
    host = match.group("host").decode("ascii").lower()
    if host.startswith("["):
        host = host[1:-1]
        if host.count(":") < 2:
            return None
    elif host.endswith("."):
        host = host[:-1]
    port_bytes = match.group("port")
    port = None
    if port_bytes is not None:
        port = int(port_bytes)
        if port > 65535:
            return None
    return host, port


def format_host(host: str, port: int | None) -> str:
    """Inverse of ``parse_host``: bracket IPv6 literals, append a non-``None`` port."""
    text = f"[{host}]" if ":" in host else host
    return text if port is None else f"{text}:{port}"


def build_url_path(scope: Scope) -> str:
    """Percent-encoded ``root_path + path`` (without duplicating the prefix) plus ``?query``."""
    root_path: str = scope.get("root_path", "")
    path: str = scope.get("path", "/")
    if root_path and not path.startswith(root_path):
        path = root_path + path
    result = quote(path, safe=_PATH_SAFE) or "/"
    query: bytes = scope.get("query_string", b"")
    if query:
        result += "?" + quote(query.decode("latin-1"), safe=_QUERY_SAFE)
    return result


def append_vary(headers: RawHeaders, token: bytes) -> None:
    """Add ``token`` to the response's ``Vary`` header (in place), unless already present."""
    lowered = token.lower()
    for index, (key, value) in enumerate(headers):
        if key.lower() == b"vary":
            tokens = [item.strip().lower() for item in value.split(b",")]
            if lowered in tokens or b"*" in tokens:
                return
            headers[index] = (key, value + b", " + token)
            return
    headers.append((b"vary", token))


async def send_plain(
    send: Send,
    status: int,
    body: bytes,
    headers: RawHeaders | None = None,
    content_type: bytes = b"text/plain; charset=utf-8",
) -> None:
    """Send a complete response with ``content-length`` and ``content-type``."""
    raw: RawHeaders = [
        (b"content-length", str(len(body)).encode("ascii")),
        (b"content-type", content_type),
    ]
    if headers:
        raw.extend(headers)
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})
