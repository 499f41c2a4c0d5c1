"""FastAPI's ``max_body_size=`` and ``form_limits=`` on routes, routers, ``include_router`` and
mounts, mapped onto the application's :class:`~fasterapi_core.limits.Limits`.

Each route's overrides are resolved when it is registered (the most specific setting wins:
route, its router, each ``include_router`` on the way, the application). A route with
overrides is served through :func:`limit_handle`: it answers a declared ``Content-Length``
over its body limit with FastAPI's 413 ``Content Too Large`` (plain text, as FastAPI sends it
whatever the endpoint does), and otherwise stores its limits in the scope, where ``Request``
reads them. Routes without overrides are untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fasterapi_core.limits import (
    DEFAULT_LIMITS,
    LIMITS_SCOPE_KEY,
    Limits,
    limits_of,
    with_overrides,
)
from fasterapi_core.responses import PlainTextResponse
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_routing.started import MarkingSend

__all__ = [
    "LimitOverrides",
    "first_limit",
    "inherited_limits",
    "limit_handle",
    "merged_form_limits",
]


def first_limit(*limits: int | None) -> int | None:
    """The first body size limit that is set, most specific first (FastAPI's precedence)."""
    for limit in limits:
        if limit is not None:
            return limit
    return None


def merged_form_limits(*layers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Form limit overrides merged from the least to the most specific layer."""
    merged: dict[str, Any] = {}
    for layer in layers:
        if layer:
            merged.update(layer)
    return merged


class LimitOverrides:
    """A route's (or mount's) ``max_body_size`` and form limit overrides, and the limits they
    make from the ones they override (computed once per base, then reused)."""

    __slots__ = ("_base", "_limits", "form", "max_body_size")

    def __init__(self, max_body_size: int | None, form: Mapping[str, Any] | None) -> None:
        self.max_body_size = max_body_size
        self.form = dict(form or {})
        self._base: Limits | None = None
        self._limits: Limits = DEFAULT_LIMITS

    def __bool__(self) -> bool:
        return self.max_body_size is not None or bool(self.form)

    def resolve(self, base: Limits) -> Limits:
        """``base`` (the application's limits, or those a mount passed on) overridden."""
        if base is not self._base:
            self._limits = with_overrides(base, self.max_body_size, self.form)
            self._base = base
        return self._limits


def _declared_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def limit_handle(handle: ASGIApp, overrides: LimitOverrides) -> ASGIApp:
    """``handle`` serving its requests under ``overrides``."""
    max_body_size = overrides.max_body_size
    resolve = overrides.resolve

    async def limited(scope: Scope, receive: Receive, send: Send) -> None:
        base = scope.get(LIMITS_SCOPE_KEY)
        if base is None:
            base = limits_of(scope.get("app"))
        if max_body_size is not None:
            declared = _declared_length(scope)
            if declared is not None and declared > max_body_size:
                too_large = PlainTextResponse("Content Too Large", status_code=413)
                await too_large(scope, receive, MarkingSend(scope, send))
                return
        limits = resolve(base)
        if limits is not base:
            scope[LIMITS_SCOPE_KEY] = limits
        await handle(scope, receive, send)

    return limited


def inherited_limits(scope: Scope, app: Any, overrides: LimitOverrides | None) -> Limits | None:
    """The limits a mount passes on to the application it serves: its own overrides over those
    of the request so far. None when ``app`` is a FasterAPI application with limits of its own
    (set with ``limits=``, ``max_body_size=`` or ``form_limits=``), which then apply instead."""
    if limits_of(app) is not DEFAULT_LIMITS:
        return None
    base = scope.get(LIMITS_SCOPE_KEY)
    if base is None:
        base = limits_of(scope.get("app"))
    return overrides.resolve(base) if overrides else base
