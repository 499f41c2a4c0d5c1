"""``BaseRoute``: what every route has (a path template, a name, reverse URL building)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fasterapi_routing.paths import NoMatchFound, build_path, path_param_names

__all__ = ["BaseRoute", "endpoint_name"]


def endpoint_name(endpoint: Callable[..., Any]) -> str:
    """The default route name: the endpoint's ``__name__`` (its class name for instances)."""
    return getattr(endpoint, "__name__", type(endpoint).__name__)


class BaseRoute:
    """What every route has: a path template, a name, and reverse URL building."""

    path: str
    name: str
    include_in_schema: bool = True

    def url_path_for(self, name: str, /, **params: Any) -> str:
        """The URL path of this route for ``params``; raises :class:`NoMatchFound`."""
        if name != self.name or set(params) != path_param_names(self.path):
            raise NoMatchFound(name, params)
        return build_path(self.path, params)
