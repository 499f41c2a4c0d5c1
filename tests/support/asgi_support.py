"""Raw ASGI helpers for tests that drive an application without a client (a client would
normalise what they need to send as is, or hide what the application sends)."""

from typing import Any

import anyio


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


def exchange(app: Any, scope: dict[str, Any], body: bytes = b"") -> tuple[list[Any], int]:
    """Run one request: every message ``app`` sent, and how many times it called receive
    (each time it gets the whole ``body`` in one message)."""
    sent: list[dict[str, Any]] = []
    receives = 0

    async def receive() -> dict[str, Any]:
        nonlocal receives
        receives += 1
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    anyio.run(app, scope, receive, send)
    return sent, receives
