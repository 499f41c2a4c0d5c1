"""Whether a response has started: the flag that error handling reads.

An error layer (``ServerErrorMiddleware``, ``ExceptionMiddleware``) may only answer an exception
with a new response while nothing has been sent. Instead of wrapping ``send`` in a coroutine for
every message, the layer hands the server's ``send`` to the router as it is and reads the flag
(absent means False); FasterAPI's own senders set it: a route's JSON fast path only when one of
its two messages fails to send (nothing can fail after them), anything else (Response objects,
redirects, mounted apps) through :class:`MarkingSend` before the first message.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from fasterapi_core.types import Message, Send

__all__ = ["RESPONSE_STARTED", "MarkingSend", "response_started"]

RESPONSE_STARTED = "fasterapi.response_started"
"""The scope key: ``True`` once a response (or a WebSocket accept/close) has been sent."""

_START_TYPES = frozenset({"http.response.start", "websocket.accept", "websocket.close"})


class MarkingSend:
    """``send`` that sets ``flags[RESPONSE_STARTED]`` when a response starts.

    ``flags`` is usually the request's scope; a layer wrapping an app it does not know can
    pass a private dict instead.
    """

    __slots__ = ("flags", "send")

    def __init__(self, flags: MutableMapping[str, Any], send: Send) -> None:
        self.flags = flags
        self.send = send

    async def __call__(self, message: Message) -> None:
        if message["type"] in _START_TYPES:
            self.flags[RESPONSE_STARTED] = True
        await self.send(message)


def response_started(flags: MutableMapping[str, Any]) -> bool:
    """True when a response has started according to ``flags`` (a scope or private dict)."""
    return bool(flags.get(RESPONSE_STARTED, False))
