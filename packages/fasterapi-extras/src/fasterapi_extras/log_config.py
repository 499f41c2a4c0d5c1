"""structlog set-up and a per-request access log (requires ``fasterapi-extras[structlog]``).

``configure_structlog()`` renders console or JSON lines, merges ``structlog.contextvars`` into
every event and escapes CR, LF and other control characters in string values, so request data
cannot forge log lines. It may be called again (it reconfigures; nothing accumulates).

``AccessLogMiddleware`` emits one ``request`` event per HTTP request with ``method``, ``path``,
``query``, ``status``, ``duration_ms`` and ``request_id`` (from ``scope["state"]["request_id"]``
when ``RequestIDMiddleware`` put one there), bound with ``structlog.contextvars`` so log lines
written by handlers during the request carry the same fields.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import MutableMapping
from typing import Any

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_extras._optional import require

__all__ = ["AccessLogMiddleware", "configure_structlog", "escape_control_characters"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_control_characters(text: str) -> str:
    """``text`` with control characters written as escapes (``\\r``, ``\\n``, ``\\x1b``...)."""
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def _escape_processor(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key, value in event_dict.items():
        if isinstance(value, str) and key != "exception":
            event_dict[key] = escape_control_characters(value)
    return event_dict


def configure_structlog(*, json_format: bool = False, log_level: str | int = "INFO") -> None:
    """Configure structlog for console (default) or JSON output at ``log_level``; idempotent."""
    structlog: Any = require("structlog", "structlog")
    level = logging.getLevelName(log_level.upper()) if isinstance(log_level, str) else log_level
    if not isinstance(level, int):
        raise ValueError(f"Unknown log level: {log_level!r}")
    renderer = (
        structlog.processors.JSONRenderer()
        if json_format
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            _escape_processor,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(),
        cache_logger_on_first_use=False,
    )


class AccessLogMiddleware:
    """Pure-ASGI middleware logging one structlog event per HTTP request."""

    def __init__(self, app: ASGIApp, logger_name: str = "fasterapi.access") -> None:
        structlog: Any = require("structlog", "structlog")
        self.app = app
        self._contextvars = structlog.contextvars
        self.logger = structlog.get_logger(logger_name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        query = scope.get("query_string", b"").decode("latin-1")
        fields: dict[str, Any] = {
            "method": escape_control_characters(scope["method"]),
            "path": escape_control_characters(scope["path"]),
        }
        if query:
            fields["query"] = escape_control_characters(query)
        request_id = _request_id(scope)
        if request_id is not None:
            fields["request_id"] = request_id

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with self._contextvars.bound_contextvars(**fields):
            try:
                await self.app(scope, receive, send_status)
            finally:
                late_id = _request_id(scope)
                extra = {"request_id": late_id} if late_id is not None and not request_id else {}
                self.logger.info(
                    "request",
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 3),
                    **extra,
                )


def _request_id(scope: Scope) -> str | None:
    state = scope.get("state")
    value = state.get("request_id") if isinstance(state, dict) else None
    return escape_control_characters(value) if isinstance(value, str) else None
