"""Applications with native telemetry: their class gets an ``__call__`` that records requests
around the application's own (fast paths included), so applications without it pay nothing.

``observe(app)`` gives ``app`` a subclass of its class (made once per class) whose ``__call__``
serves the lifespan through the export set-up of :mod:`~fasterapi_routing.telemetry.runtime`
and records each HTTP request and WebSocket connection while a provider is configured; other
requests go straight to the class's own ``__call__``. The subclass has the class's name and
module, and ``isinstance`` checks are unchanged.
"""

from __future__ import annotations

from typing import Any

from fasterapi_core.types import Receive, Scope, Send

__all__ = ["observe", "observed_class"]


def observed_class(cls: type[Any]) -> type[Any]:
    """The subclass of application class ``cls`` that records requests (``cls`` itself when
    it is one). Applications are created as one by ``Faster.__new__`` when telemetry is
    possible: assigning ``__class__`` later would cost CPython's inline attribute values."""
    if cls.__dict__.get("__fasterapi_observed__", False):
        return cls
    observed = _OBSERVED.get(cls)
    if observed is None:
        observed = _OBSERVED[cls] = _make_observed(cls)
    return observed


def observe(app: Any) -> None:
    """Record ``app``'s requests (its ``_options["native_telemetry"]`` switch decides which),
    for an application not created as an observed one."""
    cls = type(app)
    if not getattr(cls, "__fasterapi_observed__", False):
        app.__class__ = observed_class(cls)


_OBSERVED: dict[type[Any], type[Any]] = {}


def _make_observed(cls: type[Any]) -> type[Any]:
    async def __call__(self: Any, scope: Scope, receive: Receive, send: Send) -> None:
        # PERF: one attribute read and the switch's check (attribute reads while nothing is
        # configured) before the class's own __call__ and its fast paths.
        serve = super(observed, self).__call__
        switch = self._options["native_telemetry"]
        if scope["type"] == "lifespan":
            from fasterapi_routing.telemetry.runtime import lifespan

            await lifespan(config=switch.config, app=serve, scope=scope, receive=receive, send=send)
        elif switch.records(scope):
            await _record(self, switch, serve, scope, receive, send)
        else:
            await serve(scope, receive, send)

    observed: type[Any] = type(
        cls.__name__,
        (cls,),
        {
            "__call__": __call__,
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__,
            "__fasterapi_observed__": True,
        },
    )
    return observed


async def _record(
    app: Any, switch: Any, serve: Any, scope: Scope, receive: Receive, send: Send
) -> None:
    from fasterapi_routing.telemetry.routes import route_template
    from fasterapi_routing.telemetry.server import instrumented_by_contrib

    scope["app"] = app
    if app.root_path:  # as the application's __call__ does: the route template needs it
        scope["root_path"] = app.root_path
    if app.middleware_stack is None:
        app.middleware_stack = app.build_middleware_stack()
        app._direct_errors = app._direct_layer(app.middleware_stack)
    await switch.recorder()(
        app=serve,
        scope=scope,
        receive=receive,
        send=send,
        legacy_otel=instrumented_by_contrib(app.middleware_stack),
        route_of=lambda scope: route_template(app, scope),
    )
