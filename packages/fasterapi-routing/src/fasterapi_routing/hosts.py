"""``Host``: an ASGI application served for requests whose ``Host`` header matches a pattern
(Starlette's ``Host``: ``{subdomain}.example.org``, port ignored, case-insensitive)."""

from __future__ import annotations

import re
from typing import Any

from fasterapi_core.datastructures import URLPath
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_routing.base_route import BaseRoute
from fasterapi_routing.convertors import Convertor
from fasterapi_routing.matching import CompiledPath, compile_path, match_enum, match_path
from fasterapi_routing.paths import NoMatchFound, build_path, is_no_match, path_param_names

__all__ = ["Host", "request_host"]

_HOST = re.compile(r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^:\[\]/@?#\s]+)(?::[0-9]*)?")


def request_host(scope: Scope) -> str | None:
    """The scope's ``Host`` header without its port, lowercased (None: absent or invalid)."""
    for key, value in scope.get("headers", ()):
        if key == b"host":
            found = _HOST.fullmatch(value.decode("latin-1"))
            return None if found is None else found.group("host").lower()
    return None


class Host(BaseRoute):
    """Serve ``app`` for requests whose host matches ``host`` (its ``{parameters}`` become
    path parameters). Not documented in OpenAPI."""

    include_in_schema = False

    def __init__(self, host: str, app: ASGIApp, name: str | None = None) -> None:
        if host.startswith("/"):
            raise ValueError(f"a host pattern must not start with '/': {host!r}")
        self.host = host
        self.app = app
        self.name = name or ""
        compile_path(host)

    @property
    def compiled(self) -> CompiledPath:
        """The compiled host pattern."""
        return compile_path(self.host)

    @property
    def host_format(self) -> str:
        """The host with each parameter as ``{name}``."""
        return self.compiled.format

    @property
    def host_regex(self) -> re.Pattern[str]:
        """The regex matching the host (case-insensitive)."""
        return self.compiled.regex

    @property
    def param_convertors(self) -> dict[str, Convertor]:
        """Each host parameter's convertor."""
        return dict(self.compiled.convertors)

    @property
    def routes(self) -> list[Any]:
        """The routes of the application served (``[]`` when it has none)."""
        return list(getattr(self.app, "routes", []))

    def matches(self, scope: Scope) -> tuple[Any, Scope]:
        """Starlette's: FULL for an HTTP or WebSocket request to a matching host."""
        match = match_enum()
        if scope["type"] not in ("http", "websocket"):
            return match.NONE, {}
        host = request_host(scope)
        params = None if host is None else match_path(self.compiled, host, scope)
        if params is None:
            return match.NONE, {}
        return match.FULL, {"path_params": params, "endpoint": self.app}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Forward to the application."""
        await self.app(scope, receive, send)

    def url_path_for(self, name: str, /, **params: Any) -> URLPath:
        """``name`` itself with ``path=`` and the host's parameters, or ``"host:child"`` (any
        child route's name when the host has no name); the URL path carries the host."""
        host_params = path_param_names(self.host)
        own = {key: value for key, value in params.items() if key in host_params}
        if set(own) == host_params:
            host = build_path(self.host_format, own)
            rest = {key: value for key, value in params.items() if key not in host_params}
            if self.name and name == self.name and set(rest) == {"path"}:
                return URLPath(str(rest["path"]), host=host)
            if not self.name or name.startswith(self.name + ":"):
                child = name[len(self.name) + 1 :] if self.name else name
                for route in self.routes:
                    try:
                        url = route.url_path_for(child, **rest)
                    except Exception as exc:
                        if is_no_match(exc):
                            continue
                        raise
                    return URLPath(str(url), getattr(url, "protocol", ""), host=host)
        raise NoMatchFound(name, params)

    def copy_with(self, *, prefix: str = "", **_: Any) -> Host:
        """This host as seen through ``include_router``: its app mounted under ``prefix``."""
        app = self.app
        if prefix:
            from fasterapi_routing.router import FasterRouter  # a cycle: routers hold hosts

            app = FasterRouter()
            app.mount(prefix, self.app)
        return Host(self.host, app, name=self.name or None)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(host={self.host!r}, name={self.name!r}, app={self.app!r})"
