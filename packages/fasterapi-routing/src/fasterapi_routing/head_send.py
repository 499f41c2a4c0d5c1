"""``HeadSend``: a HEAD request is answered with the headers of its GET and no body.

The application wraps ``send`` once per HEAD request where it dispatches (``Faster.__call__``,
``FasterRouter.__call__``), so route handlers never check the method, and whatever answers
(a GET route, a 404 or 405, an error handler) sends no body.
"""

from __future__ import annotations

from fasterapi_core.types import Message, Send

__all__ = ["HeadSend"]


class HeadSend:
    """Forward a response without its body: the final body message is sent empty, earlier
    ``more_body`` chunks are dropped, everything else passes unchanged."""

    __slots__ = ("send",)

    def __init__(self, send: Send) -> None:
        self.send = send

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body"):
                return
            message = {"type": "http.response.body", "body": b""}
        await self.send(message)
