"""``api_route``, ``get``, ``post``, ``put``... : the route decorators shared by the application
and routers (each registers through its own ``add_api_route``).

Their keywords are FastAPI's, typed once in :class:`RouteOptions` (``**options:
Unpack[RouteOptions]``: editors complete and check them). A keyword that is not one of them
raises ``TypeError`` when the decorator is called, as FastAPI's explicit signatures do, and
``inspect.signature`` shows every keyword with its default (see :func:`sign_decorators`).
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypedDict, TypeVar, Unpack

from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import FormLimitOptions
from fasterapi_core.params import Depends
from fasterapi_core.responses import Response

__all__ = [
    "AddRouteOptions",
    "MethodDecorators",
    "RouteOptions",
    "check_keywords",
    "sign_decorators",
]

F = TypeVar("F", bound=Callable[..., Any])


class RouteOptions(TypedDict, total=False):
    """The keywords of ``get``, ``post``... and ``api_route``: FastAPI's (defaults as in
    :meth:`FasterRouter.add_api_route <fasterapi_routing.router.FasterRouter.add_api_route>`),
    plus ``strict_content_type`` (FastAPI takes it on ``add_api_route`` only)."""

    response_model: Any
    status_code: int | None
    tags: Sequence[Any] | None
    dependencies: Sequence[Depends] | None
    summary: str | None
    description: str | None
    response_description: str
    responses: Mapping[int | str, Any] | None
    deprecated: bool | None
    operation_id: str | None
    response_model_include: Any
    response_model_exclude: Any
    response_model_by_alias: bool
    response_model_exclude_unset: bool
    response_model_exclude_defaults: bool
    response_model_exclude_none: bool
    include_in_schema: bool
    response_class: type[Response] | Any
    name: str | None
    callbacks: Sequence[Any] | None
    openapi_extra: dict[str, Any] | None
    generate_unique_id_function: Callable[[Any], str] | Any
    strict_content_type: bool | Any
    max_body_size: int | None
    form_limits: FormLimitOptions | FormLimits | None


class AddRouteOptions(RouteOptions, total=False):
    """The keywords of ``add_api_route``: those of the decorators, the methods and the route
    class."""

    methods: Sequence[str] | None
    route_class_override: type[Any] | None


def check_keywords(owner: object, method: str, given: Mapping[str, Any], known: Any) -> None:
    """Raise ``TypeError`` for a keyword of ``given`` that ``known`` (a TypedDict) lacks, with
    Python's wording (and a close match, when there is one)."""
    names = known.__optional_keys__ | known.__required_keys__
    for keyword in given:
        if keyword not in names:
            message = (
                f"{type(owner).__name__}.{method}() got an unexpected keyword argument "
                f"{keyword!r}"
            )
            close = difflib.get_close_matches(keyword, sorted(names), n=1)
            raise TypeError(message + (f". Did you mean {close[0]!r}?" if close else ""))


class _Registers(Protocol):
    def add_api_route(
        self, path: str, endpoint: Callable[..., Any], **options: Unpack[AddRouteOptions]
    ) -> Any: ...


class MethodDecorators:
    """Decorators registering an endpoint (``api_route``) or an endpoint for one HTTP method
    (``get``...), through the ``add_api_route`` of the class using this mixin."""

    def api_route(
        self: _Registers,
        path: str,
        *,
        methods: Sequence[str] | None = None,
        **options: Unpack[RouteOptions],
    ) -> Callable[[F], F]:
        """Decorator form of ``add_api_route``: register the endpoint for ``methods``."""
        check_keywords(self, "api_route", options, RouteOptions)

        def decorator(endpoint: F) -> F:
            self.add_api_route(path, endpoint, methods=methods, **options)
            return endpoint

        return decorator

    def _method(self, method: str, path: str, options: RouteOptions) -> Callable[[F], F]:
        check_keywords(self, method.lower(), options, RouteOptions)
        return self.api_route(path, methods=[method], **options)  # type: ignore[misc]

    def get(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[F], F]:
        """Register a GET endpoint (it answers HEAD too)."""
        return self._method("GET", path, options)

    def post(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[F], F]:
        """Register a POST endpoint."""
        return self._method("POST", path, options)

    def put(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[F], F]:
        """Register a PUT endpoint."""
        return self._method("PUT", path, options)

    def patch(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[F], F]:
        """Register a PATCH endpoint."""
        return self._method("PATCH", path, options)

    def delete(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[F], F]:
        """Register a DELETE endpoint."""
        return self._method("DELETE", path, options)

    def head(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[F], F]:
        """Register a HEAD endpoint."""
        return self._method("HEAD", path, options)

    def options(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[F], F]:
        """Register an OPTIONS endpoint."""
        return self._method("OPTIONS", path, options)

    def trace(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[F], F]:
        """Register a TRACE endpoint."""
        return self._method("TRACE", path, options)


_DECORATORS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")


def sign_decorators(add_api_route: Callable[..., Any]) -> None:
    """Give ``api_route`` and ``get``... the explicit signature ``inspect.signature`` shows,
    with the keywords and defaults of ``add_api_route`` (called once, by router.py)."""
    source = inspect.signature(add_api_route).parameters
    self_param, path_param = source["self"], source["path"]

    def keywords(names: Any) -> list[inspect.Parameter]:
        return [source[name].replace(kind=inspect.Parameter.KEYWORD_ONLY) for name in names]

    options = [name for name in RouteOptions.__annotations__ if name in source]
    route_params = [self_param, path_param, *keywords(options)]
    for name in _DECORATORS:
        function = getattr(MethodDecorators, name)
        function.__signature__ = inspect.Signature(route_params)
    MethodDecorators.api_route.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [self_param, path_param, *keywords(["methods", *options])]
    )
