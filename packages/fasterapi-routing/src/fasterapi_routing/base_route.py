"""``BaseRoute``: what every route has (a path template, a name, reverse URL building, and
the compiled path Starlette's routing protocol exposes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from fasterapi_core.datastructures import URLPath
from fasterapi_core.types import Scope
from fasterapi_routing.convertors import Convertor
from fasterapi_routing.matching import compile_path
from fasterapi_routing.paths import NoMatchFound, build_path, path_param_names

__all__ = ["BaseRoute", "endpoint_name"]


def endpoint_name(endpoint: Callable[..., Any]) -> str:
    """The default route name: the endpoint's ``__name__`` (its class name for instances)."""
    return getattr(endpoint, "__name__", type(endpoint).__name__)


class BaseRoute:
    """What every route has: a path template, a name, and reverse URL building.

    ``path_format``, ``param_convertors`` and ``path_regex`` are Starlette's, computed from
    ``path`` when read (cached by template: no attribute is added to the route)."""

    path: str
    name: str
    include_in_schema: bool = True
    url_protocol: Literal["http", "websocket", ""] = "http"
    """The ``protocol`` of the :class:`URLPath` built by ``url_path_for``."""

    @property
    def path_format(self) -> str:
        """The path with each parameter as ``{name}`` (``/items/{id:int}`` → ``/items/{id}``)."""
        return compile_path(self.path).format

    @property
    def param_convertors(self) -> dict[str, Convertor]:
        """Each path parameter's convertor (``regex``, ``convert``, ``to_string``)."""
        return dict(compile_path(self.path).convertors)

    @property
    def path_regex(self) -> re.Pattern[str]:
        """The regex matching the route's path (Starlette's, anchored)."""
        return compile_path(self.path).regex

    def matches(self, scope: Scope) -> tuple[Any, Scope]:
        """Starlette's routing protocol: ``(Match, child_scope)`` for ``scope`` (a route is
        served by its ``handle(scope, receive, send)``, which subclasses provide)."""
        raise NotImplementedError  # pragma: no cover

    def url_path_for(self, name: str, /, **params: Any) -> URLPath:
        """The URL path of this route for ``params``; raises :class:`NoMatchFound`."""
        if name != self.name or set(params) != path_param_names(self.path):
            raise NoMatchFound(name, params)
        return URLPath(build_path(self.path, params), self.url_protocol)

    def __repr__(self) -> str:
        methods = getattr(self, "methods", None)
        shown = f", methods={sorted(methods)!r}" if methods is not None else ""
        return f"{type(self).__name__}(path={self.path!r}, name={self.name!r}{shown})"
