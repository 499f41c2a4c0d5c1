"""The endpoint a validation error comes from, added to the error on its way to a handler.

FastAPI 0.165 names the endpoint (its file, line, function and ``METHOD /path``) in the text
of ``RequestValidationError``, ``WebSocketRequestValidationError`` and
``ResponseValidationError``. FasterAPI adds it only when such an error is handled (the error
path), from the route the router wrote in the scope: requests that validate pay nothing.
"""

from __future__ import annotations

import inspect
from typing import Any

from fasterapi_core.exceptions import EndpointContext, ValidationException
from fasterapi_core.types import Scope

__all__ = ["add_endpoint_context", "endpoint_context"]

_cache: dict[int, tuple[Any, EndpointContext]] = {}


def endpoint_context(endpoint: Any) -> EndpointContext:
    """``{"file", "line", "function"}`` of ``endpoint`` (what can be found), computed once."""
    cached = _cache.get(id(endpoint))
    if cached is not None and cached[0] is endpoint:
        return EndpointContext(**cached[1])
    ctx = EndpointContext()
    try:
        source_file = inspect.getsourcefile(endpoint)
        if source_file is not None:
            ctx["file"] = source_file
        ctx["line"] = inspect.getsourcelines(endpoint)[1]
        name = getattr(endpoint, "__name__", None)
        if name is not None:
            ctx["function"] = name
    except Exception:  # a builtin, a callable instance without source...: no context
        ctx = EndpointContext()
    _cache[id(endpoint)] = (endpoint, ctx)  # the endpoint kept alive: its id stays its own
    return EndpointContext(**ctx)


def add_endpoint_context(exc: BaseException, scope: Scope) -> None:
    """Give a validation error without context that of the route in ``scope`` (if any)."""
    if not isinstance(exc, ValidationException) or exc.endpoint_ctx is not None:
        return
    route = scope.get("route")
    endpoint = getattr(route, "endpoint", None)
    if endpoint is None:
        return
    ctx = endpoint_context(endpoint)
    path = getattr(route, "path", None)
    if isinstance(path, str) and path:
        kind = "WS" if scope.get("type") == "websocket" else scope.get("method", "")
        mount = str(scope.get("root_path", "")).rstrip("/")
        ctx["path"] = f"{kind} {mount}{path}"
    exc.endpoint_ctx = ctx
    exc.endpoint_function = ctx.get("function")
    exc.endpoint_path = ctx.get("path")
    exc.endpoint_file = ctx.get("file")
    exc.endpoint_line = ctx.get("line")
