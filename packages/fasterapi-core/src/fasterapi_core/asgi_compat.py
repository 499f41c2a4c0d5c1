"""Small helpers that read common facts from an ASGI scope without building a Request."""

from __future__ import annotations

from fasterapi_core.types import Scope

__all__ = ["get_header", "get_route_path", "get_server_host", "http_version", "is_http2"]


def get_header(scope: Scope, name: str) -> str | None:
    """The first value of header ``name`` (case-insensitive), decoded as latin-1, or ``None``."""
    try:
        key = name.lower().encode("latin-1")
    except UnicodeEncodeError:
        return None
    for header, value in scope.get("headers", ()):
        if header.lower() == key:
            decoded: str = value.decode("latin-1")
            return decoded
    return None


def get_server_host(scope: Scope) -> str | None:
    """The host the client addressed: the ``Host`` header, else HTTP/2's ``:authority``,
    else ``scope["server"]`` as ``"host:port"`` (IPv6 in brackets); ``None`` if unknown."""
    host = get_header(scope, "host") or get_header(scope, ":authority")
    if host:
        return host
    server = scope.get("server")
    if not server:
        return None
    name, port = server[0], server[1] if len(server) > 1 else None
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return name if port is None else f"{name}:{port}"


def http_version(scope: Scope) -> str:
    """The HTTP version of the connection: ``"1.0"``, ``"1.1"`` (the default), ``"2"``, ``"3"``."""
    version = scope.get("http_version")
    return str(version) if version else "1.1"


def is_http2(scope: Scope) -> bool:
    """True when the request arrived over HTTP/2."""
    return http_version(scope) in ("2", "2.0")


def get_route_path(scope: Scope) -> str:
    """The path to route on: ``scope["path"]`` without the ``root_path`` it is mounted at.

    Mounted applications receive the full path and a ``root_path`` extended by the mount prefix
    (the convention of Starlette >= 0.33 and uvicorn); a path outside ``root_path`` is returned
    as it is.
    """
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if root_path and path.startswith(root_path):
        rest = path[len(root_path) :]
        if not rest or rest[0] == "/":
            return rest or "/"
    return path
