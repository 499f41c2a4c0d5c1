"""A plain HTTP scope for tests that drive an application through raw ASGI messages."""

from typing import Any


def http_scope(path: str, method: str = "GET", query: bytes = b"") -> dict[str, Any]:
    """The scope a server would build for ``method path?query`` with a ``Host`` header."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
