"""``NativeTelemetry``: the server span, metrics and exception logs of each HTTP request and
WebSocket connection an application with telemetry handles."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from time import perf_counter, time_ns
from typing import Any

from opentelemetry import _logs, metrics, propagate, trace  # type: ignore[import-not-found,unused-ignore]
from opentelemetry import context as otel_context  # type: ignore[import-not-found,unused-ignore]
from opentelemetry._logs import SeverityNumber  # type: ignore[import-not-found,unused-ignore]
from opentelemetry.trace import SpanKind, StatusCode  # type: ignore[import-not-found,unused-ignore]

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_routing.telemetry.attributes import (
    HEADERS_GETTER,
    header_carrier,
    known_methods,
    redacted_query,
    server_attributes,
)
from fasterapi_routing.telemetry.config import TelemetryConfig
from fasterapi_routing.telemetry.providers import (
    SCHEMA_URL,
    SCOPE_NAME,
    SCOPE_VERSION,
    global_provider,
)
from fasterapi_routing.telemetry.request import (
    REQUEST_TELEMETRY_KEY,
    SCOPE_KEY,
    RequestTelemetry,
    exception_type,
    normal_websocket_disconnect,
)

__all__ = ["NativeTelemetry", "instrumented_by_contrib", "record_exception"]

_DURATION_BUCKETS = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.25,
    0.5,
    0.75,
    1.0,
    2.5,
    5.0,
    7.5,
    10.0,
)


def record_exception(scope: Scope, exc: BaseException) -> None:
    """Note an exception raised while handling ``scope`` (once), and log it as unhandled."""
    if scope["type"] == "websocket" and normal_websocket_disconnect(exc):
        return
    telemetry = scope.get(SCOPE_KEY)
    if not isinstance(telemetry, RequestTelemetry):
        return
    if any(seen is exc for seen in telemetry.exceptions):
        return
    telemetry.exceptions.append(exc)
    if telemetry.logger is None or not isinstance(exc, Exception):
        return
    websocket = scope["type"] == "websocket"
    telemetry.logger.emit(
        exception=exc,
        event_name="fastapi.websocket.exception" if websocket else "http.server.request.exception",
        timestamp=time_ns(),
        severity_number=SeverityNumber.ERROR,
        severity_text="ERROR",
        body=(
            "Unhandled exception in FastAPI WebSocket connection"
            if websocket
            else "Unhandled exception in FastAPI request"
        ),
        attributes={"http.route": telemetry.route} if telemetry.route else None,
    )


class NativeTelemetry:
    """Records one application's requests and connections according to its configuration."""

    def __init__(self, config: TelemetryConfig) -> None:
        self.config = config
        self._known_methods = known_methods()
        self._meter_provider: Any = None
        self._instruments: tuple[Any, Any] | None = None
        self._tracer_provider: Any = None
        self._tracer: Any = None

    def _provider(self, signal: str, explicit: Any) -> Any:
        """The provider of ``signal`` to record with, or None when it records nothing."""
        if not self.config[signal]:  # type: ignore[literal-required]
            return None
        provider = explicit if explicit is not None else global_provider(signal)
        if provider is None:
            return None
        if isinstance(
            provider,
            (trace.NoOpTracerProvider, metrics.NoOpMeterProvider, _logs.NoOpLoggerProvider),
        ):
            return None
        return provider

    def enabled(self) -> bool:
        """Whether any signal records (a provider is configured for it)."""
        config = self.config
        return (
            self._provider("tracing", config["tracer_provider"]) is not None
            or self._provider("metrics", config["meter_provider"]) is not None
            or self._provider("logs", config["logger_provider"]) is not None
        )

    def _meters(self, provider: Any) -> tuple[Any, Any]:
        if provider is not self._meter_provider or self._instruments is None:
            meter = provider.get_meter(SCOPE_NAME, SCOPE_VERSION, schema_url=SCHEMA_URL)
            duration = meter.create_histogram(
                "http.server.request.duration",
                unit="s",
                description="Duration of HTTP server requests.",
                explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
            )
            active = meter.create_up_down_counter(
                "http.server.active_requests",
                unit="{request}",
                description="Number of active HTTP server requests.",
            )
            self._instruments = (duration, active)
            self._meter_provider = provider
        return self._instruments

    def _tracer_of(self, provider: Any) -> Any:
        if provider is not self._tracer_provider or self._tracer is None:
            self._tracer = provider.get_tracer(SCOPE_NAME, SCOPE_VERSION, schema_url=SCHEMA_URL)
            self._tracer_provider = provider
        return self._tracer

    async def __call__(
        self,
        *,
        app: ASGIApp,
        scope: Scope,
        receive: Receive,
        send: Send,
        legacy_otel: bool = False,
        route_of: Callable[[Scope], str | None] | None = None,
    ) -> None:
        """Serve ``scope`` with ``app``, recording it. ``legacy_otel``: the stack already has
        opentelemetry-instrumentation's middleware (no second span, metric or log).
        ``route_of(scope)``: the route template of the request, found before it is served."""
        config = self.config
        exclude = config["exclude"]
        if exclude is not None and exclude(scope):
            await _serve_excluded(app, scope, receive, send)
            return
        websocket = scope["type"] == "websocket"
        tracer_provider = (
            None if legacy_otel else self._provider("tracing", config["tracer_provider"])
        )
        meter_provider = (
            None
            if legacy_otel or websocket
            else self._provider("metrics", config["meter_provider"])
        )
        logger_provider = None if legacy_otel else self._provider("logs", config["logger_provider"])
        if tracer_provider is None and meter_provider is None and logger_provider is None:
            await app(scope, receive, send)
            return
        await _Recording(self, scope, tracer_provider, meter_provider, logger_provider).serve(
            app, receive, send, route_of
        )


async def _serve_excluded(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    # The request does not inherit an outer one's data. (Mounted applications do not record it
    # either: Faster marks the scope while it serves, see config.SERVING_KEY.)
    token = otel_context.attach(otel_context.set_value(REQUEST_TELEMETRY_KEY, None))
    try:
        await app(scope, receive, send)
    finally:
        otel_context.detach(token)


class _Recording:
    """The telemetry of one request or connection being served."""

    def __init__(
        self,
        owner: NativeTelemetry,
        scope: Scope,
        tracer_provider: Any,
        meter_provider: Any,
        logger_provider: Any,
    ) -> None:
        self.scope = scope
        self.websocket = websocket = scope["type"] == "websocket"
        original = scope.get("method", "")
        method = original if original in owner._known_methods else "_OTHER"
        span_method = "WS" if websocket else "HTTP" if method == "_OTHER" else method
        attributes: dict[str, Any] = {
            "url.scheme": scope.get("scheme", "ws" if websocket else "http")
        }
        if websocket:
            attributes["network.protocol.name"] = "websocket"
        else:
            attributes["http.request.method"] = method
            if scope.get("http_version"):
                attributes["network.protocol.version"] = scope["http_version"]
        self.attributes = attributes
        self.active_attributes = {
            k: v for k, v in attributes.items() if k != "network.protocol.version"
        }
        meters: tuple[Any, Any] = (
            owner._meters(meter_provider) if meter_provider is not None else (None, None)
        )
        self.duration, self.active = meters
        self.parent_token = None
        span = tracer = None
        if tracer_provider is not None:
            parent = propagate.extract(header_carrier(scope), getter=HEADERS_GETTER)
            self.parent_token = otel_context.attach(parent)
            tracer = owner._tracer_of(tracer_provider)
            span_attributes = {**attributes, **server_attributes(scope)}
            if not websocket:
                span_attributes["url.path"] = scope["path"]
                if scope.get("query_string"):
                    span_attributes["url.query"] = redacted_query(scope["query_string"])
                if original != method:
                    span_attributes["http.request.method_original"] = original
            span = tracer.start_span(
                span_method, context=parent, kind=SpanKind.SERVER, attributes=span_attributes
            )
        self.span = span
        config = owner.config
        root = scope.get("app_root_path", scope.get("root_path", ""))
        self.telemetry = RequestTelemetry(
            span=span,
            span_method=span_method,
            tracer=tracer if config["operation_spans"] else None,
            logger=(
                _logs.get_logger(
                    SCOPE_NAME, SCOPE_VERSION, config["logger_provider"], schema_url=SCHEMA_URL
                )
                if logger_provider is not None
                else None
            ),
            mount_prefix=root.rstrip("/"),
        )
        self.started = perf_counter()
        self.finished = False
        self.deferred = False
        self.trailers = False
        self.disconnected = False

    def finish(self, error: BaseException | None = None) -> None:
        """End the span and record the metrics (once)."""
        if self.finished:
            return
        self.finished = True
        telemetry, attributes, span = self.telemetry, self.attributes, self.span
        if telemetry.route is not None:
            attributes["http.route"] = telemetry.route
        status = telemetry.status_code
        if status is not None:
            attributes["http.response.status_code"] = status
        failed = error is not None or (not self.websocket and (status is None or status >= 500))
        if failed:
            failure = error or (telemetry.exceptions[-1] if telemetry.exceptions else None)
            attributes["error.type"] = (
                exception_type(failure) if failure else str(status or "incomplete_response")
            )
        if span is not None:
            span.set_attributes(attributes)
            if failed:
                span.set_status(StatusCode.ERROR)
        if self.duration is not None:  # while the span is current: exemplars link to it
            self.duration.record(max(0.0, perf_counter() - self.started), attributes)
        if self.active is not None:
            self.active.add(-1, self.active_attributes)
        if span is not None:
            span.end()

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.telemetry.status_code = message["status"]
            self.trailers = message.get("trailers", False)
        await self._send(message)
        if (
            (kind == "http.response.body" and not message.get("more_body") and not self.trailers)
            or (kind == "http.response.trailers" and not message.get("more_trailers"))
            or kind == "http.response.pathsend"
        ):
            status = self.telemetry.status_code
            if status is not None and status >= 500:
                # An error answer: the exception behind it (re-raised by the error layer right
                # after) decides error.type, so the span ends when the application returns.
                self.deferred = True
            else:
                self.finish()

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.disconnect":
            self.disconnected = True
        return message

    async def serve(
        self,
        app: ASGIApp,
        receive: Receive,
        send: Send,
        route_of: Callable[[Scope], str | None] | None,
    ) -> None:
        scope, telemetry = self.scope, self.telemetry
        self._send, self._receive = send, receive
        if self.active is not None:
            self.active.add(1, self.active_attributes)
        scope[SCOPE_KEY] = telemetry
        token = otel_context.attach(otel_context.set_value(REQUEST_TELEMETRY_KEY, telemetry))
        current: AbstractContextManager[Any] = (
            trace.use_span(
                self.span, end_on_exit=False, record_exception=False, set_status_on_exception=False
            )
            if self.span is not None
            else nullcontext()
        )
        try:
            with current:
                try:
                    if route_of is not None:
                        template = route_of(scope)
                        if template is not None:
                            telemetry.route_selected(telemetry.mount_prefix + template)
                    if self.websocket:
                        await app(scope, receive, send)
                    else:
                        await app(scope, self.receive, self.send)
                except BaseException as exc:
                    record_exception(scope, exc)
                    self.finish(
                        None if self.websocket and normal_websocket_disconnect(exc) else exc
                    )
                    raise
                finally:
                    if not self.finished:
                        self.finish(self._unfinished())
        finally:
            telemetry.data = None
            telemetry.exceptions.clear()
            otel_context.detach(token)
            scope.pop(SCOPE_KEY, None)
            if self.parent_token is not None:
                otel_context.detach(self.parent_token)

    def _unfinished(self) -> BaseException | None:
        if self.websocket or self.deferred:
            return None
        if self.disconnected:
            return ConnectionError("Client disconnected")
        return RuntimeError("Incomplete ASGI response")


def instrumented_by_contrib(stack: Any) -> bool:
    """Whether the built stack has opentelemetry-instrumentation-asgi's middleware (what
    ``FastAPIInstrumentor`` adds): native telemetry then records nothing a second time."""
    seen: set[int] = set()
    while stack is not None and id(stack) not in seen:
        seen.add(id(stack))
        cls = type(stack)
        if (
            cls.__module__ == "opentelemetry.instrumentation.asgi"
            and cls.__name__ == "OpenTelemetryMiddleware"
        ):
            return True
        stack = getattr(stack, "app", None)
    return False
