"""An HTTP response in place of the WebSocket handshake (ASGI's ``websocket.http.response``).

The application sends ``websocket.http.response.start`` then ``.body`` pieces before accepting;
the response goes out whole, with ``Date``, ``Content-Length`` and ``Connection: close`` unless
the application set them.
"""

from __future__ import annotations

from http import HTTPStatus

from websockets.datastructures import Headers
from websockets.http11 import Response

from ._responses import date_header
from ._types import Message

__all__ = ["Denial", "phrase"]


def phrase(status: int) -> str:
    """The reason phrase of an HTTP status ("" for a code without one)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class Denial:
    """A denial response being assembled from the application's messages."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, start: Message) -> None:
        status = int(start["status"])
        if not 100 <= status < 600:
            raise RuntimeError(f"invalid HTTP status {status}")
        self.status = status
        self.headers = [
            (bytes(k).decode("latin-1"), bytes(v).decode("latin-1"))
            for k, v in start.get("headers", ())
        ]
        self.body: list[bytes] = []

    def add(self, message: Message) -> Response | None:
        """Take a ``websocket.http.response.body`` message; the response once it is complete."""
        kind = message["type"]
        if kind != "websocket.http.response.body":
            raise RuntimeError(f"expected 'websocket.http.response.body', got {kind!r}")
        self.body.append(bytes(message.get("body", b"")))
        if message.get("more_body", False):
            return None
        content = b"".join(self.body)
        fields = Headers(self.headers)
        fields.setdefault("Date", date_header()[6:-2].decode("ascii"))
        fields.setdefault("Content-Length", str(len(content)))
        fields.setdefault("Connection", "close")
        return Response(self.status, phrase(self.status), fields, content)
