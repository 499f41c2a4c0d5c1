"""``Mount``: an ASGI application served under a path prefix."""

from __future__ import annotations

import re
from typing import Any

from fasterapi_core.datastructures import URLPath
from fasterapi_core.limits import LIMITS_SCOPE_KEY
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_routing.base_route import BaseRoute
from fasterapi_routing.body_limits import LimitOverrides, first_limit, inherited_limits
from fasterapi_routing.convertors import Convertor
from fasterapi_routing.matching import CompiledPath, compile_path, match_enum, match_path
from fasterapi_routing.paths import (
    NoMatchFound,
    build_path,
    get_route_path,
    is_no_match,
    path_param_names,
)
from fasterapi_routing.starlette_mount import mount_class
from fasterapi_routing.started import forget_response_started

__all__ = ["Mount"]


class Mount(BaseRoute):
    """An ASGI application served under a path prefix (``root_path`` grows by the prefix).

    The mounted application inherits the request's limits unless it is a FasterAPI application
    with limits of its own (FastAPI's rule for ``max_body_size`` and ``form_limits``); a mount
    in a router included with ``max_body_size=`` / ``form_limits=`` gets those."""

    include_in_schema = False

    def __new__(cls, *args: Any, **kwargs: Any) -> Mount:
        """A FasterAPI ``Mount`` that is also Starlette's when Starlette is imported (see
        starlette_mount.py); a subclass's own class otherwise."""
        if cls is Mount:
            cls = mount_class(cls)
        return super().__new__(cls)

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

    def matches_path(self, route_path: str) -> bool:
        """True when ``route_path`` lies under the prefix (``prefix/...``, Starlette's rule: the
        bare prefix is not the mount's; with ``redirect_slashes`` the router redirects it to
        ``prefix/``), how FasterAPI's dispatch picks a mount."""
        prefix = self.path
        if "{" in prefix:  # /tenants/{tenant}: the regex of prefix/{path:path}
            return self.compiled.regex.match(route_path) is not None
        return not prefix or route_path.startswith(prefix + "/")

    def matches(self, scope: Scope) -> tuple[Any, Scope]:
        """Starlette's routing protocol: FULL for an HTTP or WebSocket path under the prefix
        (``prefix/...``), with the child scope Starlette gives (``root_path`` grown by the
        matched part, ``app_root_path``, ``path_params``, ``endpoint``), else NONE."""
        match = match_enum()
        if scope["type"] not in ("http", "websocket"):
            return match.NONE, {}
        route_path = get_route_path(scope)
        params = match_path(self.compiled, route_path, scope)
        if params is None:
            return match.NONE, {}
        remaining = "/" + params.pop("path")
        root_path = scope.get("root_path", "")
        child: Scope = {
            "path_params": params,  # an enclosing mount's merged in (match_path)
            "app_root_path": scope.get("app_root_path", root_path),
            "root_path": root_path + route_path[: -len(remaining)],
            "endpoint": self.app,
        }
        return match.FULL, child

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r}, name={self.name!r}, app={self.app!r})"

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

    @property
    def routes(self) -> list[Any]:
        """The routes of the mounted application (``[]`` when it has none), as Starlette's."""
        return list(getattr(self.app, "routes", []))

    @property
    def compiled(self) -> CompiledPath:
        """The path Starlette matches a mount with: ``prefix/{path:path}``."""
        return compile_path(self.path + "/{path:path}")

    @property
    def path_format(self) -> str:
        """Starlette's: ``/static/{path}``."""
        return self.compiled.format

    @property
    def param_convertors(self) -> dict[str, Convertor]:
        """Starlette's: ``path`` (and the prefix's own parameters)."""
        return dict(self.compiled.convertors)

    @property
    def path_regex(self) -> re.Pattern[str]:
        """Starlette's: the regex of ``prefix/{path:path}``."""
        return self.compiled.regex

    def url_path_for(self, name: str, /, **params: Any) -> URLPath:
        """``name`` itself with ``path=...``, ``"mount:child"`` for a route of the mounted
        app, or (an unnamed mount, as Starlette's) any route of the mounted app."""
        if name == self.name and set(params) <= {"path"}:
            return URLPath(self.path + "/" + str(params.get("path", "")).lstrip("/"))
        child = getattr(self.app, "url_path_for", None)
        if child is not None and (not self.name or name.startswith(self.name + ":")):
            own = path_param_names(self.path)  # /tenants/{tenant}: the mount's own parameters
            if own <= set(params):
                prefix = build_path(self.path, {key: params[key] for key in own})
                rest = {key: value for key, value in params.items() if key not in own}
                try:
                    url = child(name[len(self.name) + 1 :] if self.name else name, **rest)
                except Exception as exc:
                    if not is_no_match(exc):
                        raise
                else:
                    return URLPath(prefix + str(url), getattr(url, "protocol", ""))
        raise NoMatchFound(name, params)

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Forward to the mounted app with ``root_path`` extended by the prefix (FasterAPI's
        dispatch, after :meth:`matches_path`)."""
        child = dict(scope)
        if "{" in self.path:  # the matched prefix, and its parameters
            child.update(self.matches(scope)[1])
        else:  # Starlette's child scope: url_for inside builds on the top level's root path
            root_path = scope.get("root_path", "")
            child.setdefault("app_root_path", root_path)
            child["root_path"] = root_path + self.path
            child["endpoint"] = self.app
        await self.handle(child, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Forward to the mounted app (Starlette's ``handle``: ``root_path`` already extended,
        by :meth:`serve` or by the child scope of :meth:`matches`)."""
        child = dict(scope)
        forget_response_started(child)
        limits = inherited_limits(scope, self.app, self.limits)
        if limits is None:
            child.pop(LIMITS_SCOPE_KEY, None)
        else:
            child[LIMITS_SCOPE_KEY] = limits
        await self.app(child, receive, send)
