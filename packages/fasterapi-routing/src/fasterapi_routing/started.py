"""Whether a response has started: the flag that error handling reads.

The rule: an error layer (``ServerErrorMiddleware``, ``ExceptionMiddleware``) may only answer an
exception with a new response while nothing has been sent. Instead of wrapping ``send`` in a
coroutine for every message, a layer whose app marks the flag itself (a ``FasterRouter``, see
:func:`app_marks_response_started`) hands the server's ``send`` over unwrapped, after
:func:`expect_response_start`, and reads :func:`response_started` when an exception arrives.
FasterAPI's own senders set the flag:

- a route's JSON fast path only when one of its two messages fails to send
  (:func:`mark_response_started`; nothing can fail after them);
- anything else (Response objects, redirects, plain routes, mounted apps, the 413 of a body
  limit) through :class:`MarkingSend` before the first message;
- a mounted app gets a child scope without the flag (:func:`forget_response_started`): its own
  layers keep theirs.

Any other app is wrapped in a :class:`MarkingSend` over a private dict. Every reader and writer of
the flag goes through this module; tests/app/test_error_after_start.py and
tests/routing/test_response_started.py prove the rule (never a second ``http.response.start``).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from fasterapi_core.types import Message, Send

__all__ = [
    "RESPONSE_STARTED",
    "MarkingSend",
    "app_marks_response_started",
    "expect_response_start",
    "forget_response_started",
    "mark_response_started",
    "response_started",
]

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


def mark_response_started(flags: MutableMapping[str, Any]) -> None:
    """Record that a response has (perhaps) started: an error layer must not answer any more."""
    flags[RESPONSE_STARTED] = True


def expect_response_start(flags: MutableMapping[str, Any]) -> None:
    """Reset the flag before calling an app that marks it itself (a new request, or a layer
    under another one that already saw a start)."""
    flags[RESPONSE_STARTED] = False


def forget_response_started(child_scope: MutableMapping[str, Any]) -> None:
    """Drop the flag from a mounted app's child scope: its own error layers keep their own."""
    child_scope.pop(RESPONSE_STARTED, None)


def app_marks_response_started(app: object) -> bool:
    """True when ``app`` sets the flag itself (``marks_response_started``: a ``FasterRouter``),
    so that an error layer can hand it the server's ``send`` unwrapped."""
    return bool(getattr(app, "marks_response_started", False))
