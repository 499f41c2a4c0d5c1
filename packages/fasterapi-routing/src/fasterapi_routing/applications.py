"""Faster: the ASGI application (routes, lifespan, middleware stack, exception handlers)."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from fasterapi_core.core_settings import CoreSettings
from fasterapi_core.datastructures import State
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import FormLimitOptions, Limits
from fasterapi_core.middleware import Middleware
from fasterapi_core.params import Depends
from fasterapi_core.responses import JSONResponse, Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_routing.app_middleware import AppMiddleware
from fasterapi_routing.app_routes import AppRoutes
from fasterapi_routing.app_settings import AppSettings, app_limits, check_app_keywords
from fasterapi_routing.errors import ExceptionHandler, ServerErrorMiddleware
from fasterapi_routing.head_send import HeadSend
from fasterapi_routing.operation_ids import generate_unique_id
from fasterapi_routing.responding import DefaultPlaceholder
from fasterapi_routing.router import ON_EVENT_DEPRECATED, FasterRouter
from fasterapi_routing.routes import APIRoute, BaseRoute, WebhookRoute
from fasterapi_routing.routing_scope import add_routing_keys
from fasterapi_routing.servers.rsgi_entry import RSGIEntry
from fasterapi_routing.telemetry.config import (
    SERVING_KEY,
    TelemetryConfig,
    native_telemetry,
    telemetry_config,
)

if TYPE_CHECKING:
    from fasterapi_routing.telemetry.switch import TelemetrySwitch

__all__ = ["Faster"]

F = TypeVar("F", bound=Callable[..., Any])


class Faster(AppSettings, AppRoutes, AppMiddleware, RSGIEntry):
    """The application: ``app = Faster(title="My API")``, then decorate endpoints.

    Accepts FastAPI's constructor arguments; ``telemetry`` (a
    :class:`~fasterapi_routing.telemetry.TelemetryConfig`) configures the native OpenTelemetry
    spans, metrics and logs (see :mod:`fasterapi_routing.telemetry`). ``limits`` (a
    ``Limits``) bounds body size, query parameter count, JSON depth and forms (safe defaults
    when ``None``); FastAPI's ``max_body_size`` and ``form_limits`` change it (and the latter
    sets the default limits of ``Request.form()``).
    ``stream_request_body=True`` makes ``Request.stream()`` drop chunks after yielding them
    (large uploads).

    Other keyword arguments are kept in ``app.extra`` (one that looks like a misspelt
    parameter, ``titel=``, raises ``TypeError``); the docs pages read these from it:
    ``swagger_js_url``, ``swagger_css_url``, ``swagger_favicon_url``, ``redoc_js_url``,
    ``redoc_favicon_url`` (asset addresses), ``docs_static_url`` (where local assets are
    served; ``None`` forces the CDN) and ``with_google_fonts``.
    """

    def __init__(
        self,
        *,
        telemetry: TelemetryConfig | None = None,
        debug: bool = False,
        routes: Sequence[BaseRoute] | None = None,
        title: str = "FasterAPI",
        summary: str | None = None,
        description: str = "",
        version: str = "0.1.0",
        openapi_url: str | None = "/openapi.json",
        openapi_tags: list[dict[str, Any]] | None = None,
        servers: list[dict[str, Any]] | None = None,
        dependencies: Sequence[Depends] | None = None,
        default_response_class: type[Response] | DefaultPlaceholder = DefaultPlaceholder(
            JSONResponse
        ),
        redirect_slashes: bool = True,
        docs_url: str | None = "/docs",
        redoc_url: str | None = "/redoc",
        swagger_ui_oauth2_redirect_url: str | None = "/docs/oauth2-redirect",
        swagger_ui_init_oauth: dict[str, Any] | None = None,
        middleware: Sequence[Middleware] | None = None,
        exception_handlers: Mapping[Any, ExceptionHandler] | None = None,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        lifespan: Callable[[Any], Any] | None = None,
        terms_of_service: str | None = None,
        contact: dict[str, Any] | None = None,
        license_info: dict[str, Any] | None = None,
        root_path: str = "",
        root_path_in_servers: bool = True,
        responses: Mapping[int | str, Any] | None = None,
        callbacks: Sequence[BaseRoute] | None = None,
        webhooks: FasterRouter | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        swagger_ui_parameters: dict[str, Any] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str]
        | DefaultPlaceholder = DefaultPlaceholder(generate_unique_id),
        separate_input_output_schemas: bool = True,
        openapi_external_docs: dict[str, Any] | None = None,
        strict_content_type: bool | DefaultPlaceholder = DefaultPlaceholder(True),
        max_body_size: int | None = None,
        form_limits: FormLimitOptions | FormLimits | None = None,
        stream_request_body: bool = False,
        limits: Limits | None = None,
        **extra: Any,
    ) -> None:
        check_app_keywords(_PARAMETERS, None, root_path, extra)
        telemetry_settings = telemetry_config(telemetry)
        self.debug = debug
        self.title = title
        self.summary = summary
        self.description = description
        self.version = version
        self.openapi_url = openapi_url
        self.openapi_tags = openapi_tags
        self.servers = list(servers or [])
        self.docs_url = docs_url
        self.redoc_url = redoc_url
        self.swagger_ui_oauth2_redirect_url = swagger_ui_oauth2_redirect_url
        self.swagger_ui_parameters = swagger_ui_parameters
        self.terms_of_service = terms_of_service
        self.contact = contact
        self.license_info = license_info
        self.root_path = root_path
        self.root_path_in_servers = root_path_in_servers
        self.core_settings = CoreSettings(  # what core reads per request (core_settings.py)
            limits=app_limits(limits, max_body_size, form_limits),
            dependency_overrides={},
            stream_request_body=stream_request_body,
        )
        self.extra = extra
        self._options: dict[str, Any] = {
            "swagger_ui_init_oauth": swagger_ui_init_oauth,
            "separate_input_output_schemas": separate_input_output_schemas,
            "openapi_external_docs": openapi_external_docs,
            "telemetry": telemetry_settings,
            "native_telemetry": native_telemetry(
                telemetry_settings, explicit=telemetry is not None
            ),
        }
        self.state = State()
        self.router = FasterRouter(
            routes=routes,
            dependencies=dependencies,
            default_response_class=default_response_class,
            responses=responses,
            redirect_slashes=redirect_slashes,
            deprecated=deprecated,
            include_in_schema=include_in_schema,
            on_startup=on_startup,
            on_shutdown=on_shutdown,
            lifespan=lifespan,
            generate_unique_id_function=generate_unique_id_function,
            callbacks=callbacks,
            strict_content_type=strict_content_type,
            max_body_size=max_body_size,
        )
        if webhooks is not None:
            self.webhooks = webhooks
        self.exception_handlers: dict[Any, ExceptionHandler] = dict(exception_handlers or {})
        self.user_middleware: list[Middleware] = list(middleware or [])
        self.middleware_stack: ASGIApp | None = None
        self._direct_errors: ServerErrorMiddleware | None = None
        self._quiet_errors: Callable[[], ServerErrorMiddleware | None] | None = None
        """``check()`` -> the fast path's layer while default telemetry can record nothing."""
        self.openapi_schema: dict[str, Any] | None = None
        self.setup()

    def setup(self) -> None:
        """Register the OpenAPI document and the docs pages (unless their URLs are None)."""
        from fasterapi_routing.openapi.docs import install_docs

        install_docs(self)

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI 3.1 document of this application, generated once and cached.

        Override it (``app.openapi = custom``) to customise the schema, as with FastAPI.
        """
        if self.openapi_schema is None:
            from fasterapi_routing.openapi.generator import get_openapi

            webhooks = self.__dict__.get("_webhooks")
            self.openapi_schema = get_openapi(
                title=self.title,
                version=self.version,
                openapi_version=self.openapi_version,
                summary=self.summary,
                description=self.description,
                routes=self.routes,
                webhooks=None if webhooks is None else webhooks.routes,
                tags=self.openapi_tags,
                servers=self.servers,
                terms_of_service=self.terms_of_service,
                contact=self.contact,
                license_info=self.license_info,
                separate_input_output_schemas=self.separate_input_output_schemas,
                external_docs=self.openapi_external_docs,
            )
        return self.openapi_schema

    @property
    def webhooks(self) -> FasterRouter:
        """OpenAPI webhooks: ``@app.webhooks.post("new-subscription")`` documents a request
        this API sends. Created on first use: an application with more than 29 attributes
        loses CPython's inline attribute layout, which ``__call__`` relies on
        (tests/meta/test_attribute_layout.py)."""
        router = self.__dict__.get("_webhooks")
        if router is None:
            router = self.__dict__["_webhooks"] = FasterRouter(route_class=WebhookRoute)
        return router

    @webhooks.setter
    def webhooks(self, router: FasterRouter) -> None:
        self.__dict__["_webhooks"] = router

    # -- the ASGI entry -----------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self
        if self.root_path:
            scope["root_path"] = self.root_path
        errors = self._direct_errors
        if errors is None:  # PERF: only applications with middleware or telemetry get here
            quiet = self._quiet_errors
            if quiet is not None:  # telemetry on, recording nothing (no provider): fast path
                errors = quiet()
        if errors is not None and scope["type"] == "http" and errors is self.middleware_stack:
            # No user middleware: the error layer's work, inlined (see ServerErrorMiddleware).
            # PERF: bench app in process, GET /health, 2026-12-07, 12 interleaved rounds: 2.23 µs
            # here, 2.55 µs through the fused ServerErrorMiddleware (x1.14), 3.57 µs unfused.
            # The response-started flag stays unset (read as False) until one starts (started.py).
            router = self.router
            if scope["method"] == "HEAD":  # no body, whoever answers: route, 404/405, error
                send = HeadSend(send)
            route = None
            try:
                route = router.route_for(scope)  # routing keys: see routing_scope.py
                if route is not None:
                    await route.handle(scope, receive, send)
                else:
                    await router.not_found(scope, receive, send)
            except Exception as exc:
                if route is not None:  # an exception handler is given the scope
                    add_routing_keys(scope, route, router)
                await errors.fail(exc, scope, receive, send)
            return
        stack = self.middleware_stack
        if stack is None:
            built = self.build_middleware_stack()
            self.middleware_stack = stack = built
            direct = self._direct_layer(built)
            if self._options["native_telemetry"] is None:
                self._direct_errors = direct
            else:  # the fast path only while telemetry can record nothing
                if direct is not None:
                    self._quiet_errors = self._options["native_telemetry"].quiet_layer(direct)
            if direct is not None and scope["type"] == "http":
                await self(scope, receive, send)  # the first request takes the usual path too
                return
        telemetry = self._options["native_telemetry"]
        if telemetry is not None and (scope["type"] == "lifespan" or telemetry.records(scope)):
            await self._serve_observed(telemetry, scope, receive, send)
            return
        if scope["type"] == "http" and scope["method"] == "HEAD":
            send = HeadSend(send)  # as above: user middleware and error layers included
        await stack(scope, receive, send)

    async def _serve_observed(
        self, telemetry: TelemetrySwitch, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Native telemetry: the lifespan sets export up at startup; a request or connection
        is recorded around this application's own handling of it (fast path included), once
        (by the outermost application with telemetry, as in FastAPI)."""
        stack = self.middleware_stack
        assert stack is not None  # built by __call__ before
        if scope["type"] == "lifespan":
            from fasterapi_routing.telemetry.runtime import lifespan

            await lifespan(
                config=telemetry.config,
                app=stack,
                scope=scope,
                receive=receive,
                send=send,
            )
            return
        from fasterapi_routing.telemetry.operations import observe_routes
        from fasterapi_routing.telemetry.routes import route_template
        from fasterapi_routing.telemetry.server import instrumented_by_contrib

        observe_routes(self)  # operation spans and data, on recorded requests only
        scope[SERVING_KEY] = True  # neither this app, called again, nor mounted ones record it
        try:
            await telemetry.recorder()(
                app=self,
                scope=scope,
                receive=receive,
                send=send,
                legacy_otel=instrumented_by_contrib(stack),
                route_of=lambda scope: route_template(self, scope),
            )
        finally:
            scope.pop(SERVING_KEY, None)

    @property
    def _telemetry(self) -> TelemetryConfig:
        """The telemetry settings (FastAPI's attribute: defaults and ``telemetry=``)."""
        config: TelemetryConfig = self._options["telemetry"]
        return config

    def on_startup(self, func: F) -> F:
        """Decorator: run ``func`` when the server starts (before serving)."""
        self.router.lifespan_handlers.on_startup.append(func)
        return func

    def on_shutdown(self, func: F) -> F:
        """Decorator: run ``func`` when the server shuts down."""
        self.router.lifespan_handlers.on_shutdown.append(func)
        return func

    def on_event(self, event_type: str) -> Callable[[F], F]:
        """FastAPI's deprecated ``@app.on_event("startup" | "shutdown")``."""
        warnings.warn(ON_EVENT_DEPRECATED, DeprecationWarning, stacklevel=2)
        if event_type == "startup":
            return self.on_startup
        if event_type == "shutdown":
            return self.on_shutdown
        raise ValueError(f"unknown event type {event_type!r}")


_PARAMETERS = frozenset(inspect.signature(Faster.__init__).parameters) - {"self", "extra"}
