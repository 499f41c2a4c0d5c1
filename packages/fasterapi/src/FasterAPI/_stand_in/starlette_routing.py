"""``starlette.routing.Router`` and ``compile_path`` of the stand-in (Starlette not installed).

``compile_path`` answers as Starlette's: ``(regex, format, convertors)`` for a path template or
a host template (``{sub}.example.org``: the port ignored, case-insensitive), an unknown convertor
an ``AssertionError``, a parameter named twice a ``ValueError``. The convertors are FasterAPI's
(those ``register_convertor`` added included).

``Router`` is FasterAPI's router with Starlette's constructor (``Router(routes=[...],
redirect_slashes=True, default=None, lifespan=None, *, middleware=None)``), usable as an ASGI
application on its own: outside an application (no ``scope["app"]``) a path nothing matches is
answered ``404 Not Found`` and a wrong method ``405 Method Not Allowed`` (with ``Allow``) in plain
text, as Starlette's router answers them, instead of raising for the application's handlers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.middleware import Middleware
from fasterapi_core.responses import PlainTextResponse
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_routing.convertors import CONVERTORS, Convertor
from fasterapi_routing.router import FasterRouter

__all__ = ["Router", "compile_path"]

#: A parameter as Starlette reads one: ``{name}`` or ``{name:convertor}``, identifiers only.
_PARAMETER = re.compile(r"{([a-zA-Z_]\w*)(?::([a-zA-Z_]\w*))?}", re.ASCII)


def compile_path(path: str) -> tuple[re.Pattern[str], str, dict[str, Convertor]]:
    """``"/users/{id:int}"`` -> ``(re.compile("^/users/(?P<id>[0-9]+)$"), "/users/{id}",
    {"id": <int convertor>})``, as Starlette's ``compile_path``."""
    is_host = not path.startswith("/")
    pattern, format_, end = "^", "", 0
    convertors: dict[str, Convertor] = {}
    repeated: set[str] = set()
    for found in _PARAMETER.finditer(path):
        name, kind = found.group(1), found.group(2) or "str"
        if kind not in CONVERTORS:
            raise AssertionError(f"Unknown path convertor '{kind}'")
        convertor = CONVERTORS[kind]
        literal = path[end : found.start()]
        pattern += re.escape(literal) + f"(?P<{name}>{convertor.regex})"
        format_ += literal + "{" + name + "}"
        if name in convertors:
            repeated.add(name)
        convertors[name] = convertor
        end = found.end()
    if repeated:
        plural = "s" if len(repeated) > 1 else ""
        raise ValueError(
            f"Duplicated param name{plural} {', '.join(sorted(repeated))} at path {path}"
        )
    tail = path[end:]
    format_ += tail
    if is_host and not tail.endswith("]"):
        tail = tail.rsplit(":", 1)[0]  # a host matches whatever the port
    pattern += re.escape(tail) + "$"
    return re.compile(pattern, re.IGNORECASE if is_host else 0), format_, convertors


class Router(FasterRouter):
    """Starlette's ``Router``: routes (``Route``, ``Mount``, ``Host``, FasterAPI's routes)
    served as an ASGI application, with its middleware."""

    def __init__(
        self,
        routes: Sequence[Any] | None = None,
        redirect_slashes: bool = True,
        default: ASGIApp | None = None,
        lifespan: Callable[[Any], Any] | None = None,
        *,
        middleware: Sequence[Middleware] | None = None,
    ) -> None:
        super().__init__(
            routes=routes, redirect_slashes=redirect_slashes, default=default, lifespan=lifespan
        )
        stack: ASGIApp = self._serve
        for layer in reversed(middleware or ()):
            cls, args, kwargs = layer
            stack = cls(stack, *args, **kwargs)
        self.middleware_stack = stack

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if "router" not in scope:
            scope["router"] = self
        await self.middleware_stack(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        if "app" in scope:  # inside an application: its handlers answer 404 and 405
            await FasterRouter.__call__(self, scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await FasterRouter.__call__(self, scope, receive, watched)
        except BaseHTTPException as exc:
            if started or exc.status_code not in (404, 405) or scope["type"] != "http":
                raise
            response = PlainTextResponse(exc.detail, exc.status_code, headers=exc.headers)
            await response(scope, receive, send)
