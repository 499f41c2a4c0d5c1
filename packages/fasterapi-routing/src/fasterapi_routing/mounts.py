"""``Mount``: an ASGI application served under a path prefix."""

from __future__ import annotations

from typing import Any

from fasterapi_core.limits import LIMITS_SCOPE_KEY
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_routing.base_route import BaseRoute
from fasterapi_routing.body_limits import LimitOverrides, first_limit, inherited_limits
from fasterapi_routing.paths import NoMatchFound
from fasterapi_routing.started import RESPONSE_STARTED

__all__ = ["Mount"]


class Mount(BaseRoute):
    """An ASGI application served under a path prefix (``root_path`` grows by the prefix).

    The mounted application inherits the request's limits unless it is a FasterAPI application
    with limits of its own (FastAPI's rule for ``max_body_size`` and ``form_limits``); a mount
    in a router included with ``max_body_size=`` / ``form_limits=`` gets those."""

    include_in_schema = False

    def __init__(
        self,
        path: str,
        app: ASGIApp,
        *,
        name: str | None = None,
        limits: LimitOverrides | None = None,
    ) -> None:
        path = path.rstrip("/")
        if path and not path.startswith("/"):
            raise ValueError(f"mount paths must start with '/': {path!r}")
        self.path = path
        self.app = app
        self.name = name or ""
        self.limits = limits or None
        """Body and form limit overrides from the routers that included this mount."""

    def matches(self, route_path: str) -> bool:
        """True when ``route_path`` is the prefix itself or lies under it."""
        prefix = self.path
        return not prefix or route_path == prefix or route_path.startswith(prefix + "/")

    def copy_with(
        self,
        *,
        prefix: str = "",
        max_body_size: int | None = None,
        form_limits: dict[str, Any] | None = None,
        **_: Any,
    ) -> Mount:
        """This mount as seen through ``include_router`` (its own limits winning over the
        including router's)."""
        own = self.limits
        limits = LimitOverrides(
            first_limit(own.max_body_size if own else None, max_body_size),
            {**(form_limits or {}), **(own.form if own else {})},
        )
        return Mount(prefix + self.path, self.app, name=self.name, limits=limits)

    def url_path_for(self, name: str, /, **params: Any) -> str:
        """``name`` itself with ``path=...``, or ``"mount:child"`` for a named child route."""
        if name == self.name and set(params) <= {"path"}:
            return self.path + "/" + str(params.get("path", "")).lstrip("/")
        if self.name and name.startswith(self.name + ":"):
            child = getattr(self.app, "url_path_for", None)
            if child is not None:
                return self.path + str(child(name[len(self.name) + 1 :], **params))
        raise NoMatchFound(name, params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Forward to the mounted app with ``root_path`` extended by the prefix."""
        child = dict(scope)
        child.pop(RESPONSE_STARTED, None)  # the mounted app's layers keep their own flag
        child["root_path"] = scope.get("root_path", "") + self.path
        limits = inherited_limits(scope, self.app, self.limits)
        if limits is None:
            child.pop(LIMITS_SCOPE_KEY, None)
        else:
            child[LIMITS_SCOPE_KEY] = limits
        await self.app(child, receive, send)
