"""Starlette's ``HTTPException`` and ``WebSocketException`` in FasterAPI's exception layer.

FastAPI's ``HTTPException`` subclasses Starlette's, so FastAPI applications register handlers
for ``starlette.exceptions.HTTPException`` (its documentation recommends it) and libraries
raise Starlette's exceptions. Here, as in FastAPI:

* a handler registered for Starlette's ``HTTPException`` also catches FasterAPI's (the
  router's 404 and 405 included), and one for Starlette's ``WebSocketException`` FasterAPI's;
* a raised Starlette ``HTTPException`` gets the status handlers and the default ``{"detail"}``
  answer, a raised ``WebSocketException`` closes the connection with its code and reason;
  handlers registered for FasterAPI's (or FastAPI's) ``HTTPException`` do not catch it.

Classes are recognised by name and module (Starlette is never imported here).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fasterapi_core.exceptions import BaseHTTPException, WebSocketException

__all__ = ["foreign_aliases", "foreign_default", "is_foreign_http_exception"]

_HTTP = ("starlette.exceptions", "HTTPException")
_WEBSOCKET = ("starlette.exceptions", "WebSocketException")
_OURS = {_HTTP: BaseHTTPException, _WEBSOCKET: WebSocketException}


def _name(cls: Any) -> tuple[str, str]:
    return (getattr(cls, "__module__", ""), getattr(cls, "__name__", ""))


def foreign_aliases(handlers: Mapping[Any, Any]) -> dict[type[BaseException], Any]:
    """The type handlers to add for ``handlers`` (a handler registered for Starlette's
    ``HTTPException`` or ``WebSocketException`` also handles FasterAPI's base class of it,
    unless that has its own handler)."""
    aliases: dict[type[BaseException], Any] = {}
    for key, handler in handlers.items():
        ours = _OURS.get(_name(key)) if isinstance(key, type) else None
        if ours is not None and ours not in handlers:
            aliases[ours] = handler
    return aliases


def _is_named(exc: BaseException, name: tuple[str, str]) -> bool:
    return any(_name(cls) == name for cls in type(exc).__mro__)


def is_foreign_http_exception(exc: BaseException) -> bool:
    """Whether ``exc`` is a Starlette ``HTTPException`` (or a subclass, but not FasterAPI's)."""
    return not isinstance(exc, BaseHTTPException) and _is_named(exc, _HTTP)


def foreign_default(
    exc: BaseException, defaults: Mapping[Any, Callable[[Any, Any], Any]]
) -> Callable[[Any, Any], Any] | None:
    """The default handler (from ``defaults``, FasterAPI's) of a raised Starlette exception
    no registered handler takes, else None."""
    if isinstance(exc, (BaseHTTPException, WebSocketException)):
        return None
    if _is_named(exc, _HTTP):
        return defaults[BaseHTTPException]
    if _is_named(exc, _WEBSOCKET):
        return defaults[WebSocketException]
    return None
