"""``TelemetrySwitch``: an application's native telemetry, decided per request at the cost of
a few attribute reads while nothing is configured; OpenTelemetry is imported on first use."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from fasterapi_core.types import Scope
from fasterapi_routing.telemetry.config import SCOPE_KEY, SERVING_KEY, TelemetryConfig

if TYPE_CHECKING:
    from fasterapi_routing.telemetry.server import NativeTelemetry

__all__ = ["TelemetrySwitch"]

T = TypeVar("T")

_SIGNALS = (
    ("tracing", "tracer_provider"),
    ("metrics", "meter_provider"),
    ("logs", "logger_provider"),
)


class TelemetrySwitch:
    """Whether a request is recorded, and the recorder that does it."""

    __slots__ = ("_explicit", "_globals", "_recorder", "config")

    def __init__(self, config: TelemetryConfig) -> None:
        self.config = config
        self._recorder: NativeTelemetry | None = None
        enabled = [(signal, config[key]) for signal, key in _SIGNALS if config[signal]]  # type: ignore[literal-required]
        self._explicit = any(provider is not None for _, provider in enabled)
        """A provider given for an enabled signal: every request is recorded."""
        self._globals = tuple(signal for signal, provider in enabled if provider is None)
        """Enabled signals recorded once their global provider is configured."""

    def recorder(self) -> NativeTelemetry:
        """The recorder (OpenTelemetry imported on the first call)."""
        if self._recorder is None:
            from fasterapi_routing.telemetry.server import NativeTelemetry

            self._recorder = NativeTelemetry(self.config)
        return self._recorder

    def quiet_layer(self, layer: T) -> Callable[[], T | None] | None:
        """``check()`` -> ``layer`` while no request can be recorded (no provider configured
        anywhere): the application then serves by its fast path through ``layer``; else
        None. None when a provider was given (every request may be recorded)."""
        if self._explicit:
            return None
        from fasterapi_routing.telemetry.providers import quiet_layer

        return quiet_layer(layer)

    def records(self, scope: Scope) -> bool:
        """Whether ``scope`` is recorded: an HTTP request or WebSocket connection not already
        recorded by an enclosing application, with a provider configured for a signal."""
        # PERF: asked for every request of an application with telemetry (on by default when
        # opentelemetry-api is installed): while nothing is configured, attribute reads only.
        if not self._explicit and _nothing_configured():
            return False
        if scope["type"] not in ("http", "websocket") or SCOPE_KEY in scope or SERVING_KEY in scope:
            return False
        if self._explicit:
            return True
        from fasterapi_routing.telemetry.providers import global_provider

        return any(global_provider(signal) is not None for signal in self._globals)


def _first_check() -> bool:
    """Import OpenTelemetry's state readers on the first request, then use them."""
    global _nothing_configured
    from fasterapi_routing.telemetry.providers import nothing_configured

    _nothing_configured = nothing_configured
    return nothing_configured()


_nothing_configured: Callable[[], bool] = _first_check
