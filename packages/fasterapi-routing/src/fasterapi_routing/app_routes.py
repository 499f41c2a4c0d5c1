"""The application's route registration: FastAPI's methods, each handing over to the
application's router (``app.router``)."""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Literal, TypeVar, Unpack

from fasterapi_core.datastructures import URLPath
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import FormLimitOptions
from fasterapi_core.params import Depends
from fasterapi_core.responses import JSONResponse, Response
from fasterapi_core.types import ASGIApp
from fasterapi_routing.frontend import resolve_check_dir
from fasterapi_routing.frontend_files import Fallback
from fasterapi_routing.method_decorators import AddRouteOptions, MethodDecorators, check_keywords
from fasterapi_routing.operation_ids import generate_unique_id
from fasterapi_routing.plain_registration import PlainRouteRegistration
from fasterapi_routing.responding import DefaultPlaceholder
from fasterapi_routing.router import FasterRouter
from fasterapi_routing.routes import APIRoute, BaseRoute

__all__ = ["AppRoutes"]

F = TypeVar("F", bound=Callable[..., Any])


class AppRoutes(MethodDecorators, PlainRouteRegistration):
    """``add_api_route``, ``get``..., ``websocket``, ``include_router``, ``mount``,
    ``url_path_for`` of the application (see :class:`FasterRouter` for each), and Starlette's
    ``add_route``, ``route``, ``add_websocket_route``, ``websocket_route``, ``host``."""

    router: FasterRouter

    def _register_route(self, route: Any) -> None:
        self.router._register_route(route)

    def add_route(
        self,
        path: str,
        route: Callable[..., Any],
        methods: Collection[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        """Serve ``route`` (``request -> Response``, or an ASGI app) at ``path`` (Starlette's
        application method: the endpoint is called ``route``)."""
        self.router.add_route(
            path, route, methods=methods, name=name, include_in_schema=include_in_schema
        )

    @property
    def routes(self) -> list[BaseRoute]:
        """Every route of the application, included routers' routes already flattened."""
        return self.router.routes

    def add_api_route(
        self, path: str, endpoint: Callable[..., Any], **options: Unpack[AddRouteOptions]
    ) -> None:
        """Register ``endpoint`` at ``path`` (keywords: :meth:`FasterRouter.add_api_route`)."""
        check_keywords(self, "add_api_route", options, AddRouteOptions)
        self.router.add_api_route(path, endpoint, **options)

    def websocket(
        self, path: str, name: str | None = None, *, dependencies: Sequence[Depends] | None = None
    ) -> Callable[[F], F]:
        """Register a WebSocket endpoint."""
        return self.router.websocket(path, name, dependencies=dependencies)

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
        dependencies: Sequence[Depends] | None = None,
    ) -> None:
        """Register a WebSocket endpoint at ``path``."""
        self.router.add_api_websocket_route(path, endpoint, name, dependencies=dependencies)

    def include_router(
        self,
        router: FasterRouter,
        *,
        prefix: str = "",
        tags: Sequence[Any] | None = None,
        dependencies: Sequence[Depends] | None = None,
        responses: Mapping[int | str, Any] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        default_response_class: type[Response] | DefaultPlaceholder = DefaultPlaceholder(
            JSONResponse
        ),
        callbacks: Sequence[BaseRoute] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str]
        | DefaultPlaceholder = DefaultPlaceholder(generate_unique_id),
        strict_content_type: bool | DefaultPlaceholder | None = None,
        max_body_size: int | None = None,
        form_limits: FormLimitOptions | FormLimits | None = None,
    ) -> None:
        """Add ``router``'s routes (``prefix=``, ``tags=``, ``dependencies=``, limits...)."""
        self.router.include_router(
            router,
            prefix=prefix,
            tags=tags,
            dependencies=dependencies,
            responses=responses,
            deprecated=deprecated,
            include_in_schema=include_in_schema,
            default_response_class=default_response_class,
            callbacks=callbacks,
            generate_unique_id_function=generate_unique_id_function,
            strict_content_type=strict_content_type,
            max_body_size=max_body_size,
            form_limits=form_limits,
        )

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve the ASGI application ``app`` under ``path``."""
        self.router.mount(path, app, name=name)

    def frontend(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        """Serve a built frontend at ``path`` after every other route (see
        :meth:`FasterRouter.frontend`)."""
        checked = resolve_check_dir(directory, check_dir)
        self.router.frontend(path, directory=directory, fallback=fallback, check_dir=checked)

    def url_path_for(self, name: str, /, **params: Any) -> URLPath:
        """The path of the route called ``name``."""
        return self.router.url_path_for(name, **params)


AppRoutes.add_api_route.__signature__ = inspect.signature(  # type: ignore[attr-defined]
    FasterRouter.add_api_route
).replace(return_annotation="None")
