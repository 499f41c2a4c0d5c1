"""``TelemetryConfig``: the keys of ``Faster(telemetry={...})``, their defaults, and the
telemetry object an application gets (None when telemetry cannot be active)."""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Callable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, TypedDict

from fasterapi_core._optional import missing_extra

if TYPE_CHECKING:
    from fasterapi_routing.telemetry.switch import TelemetrySwitch

__all__ = ["SCOPE_KEY", "SERVING_KEY", "TelemetryConfig", "native_telemetry", "telemetry_config"]

SCOPE_KEY = "fastapi.telemetry"
"""The scope key holding the request's telemetry (FastAPI's: a mounted FastAPI-style app that
finds it does not record the request a second time)."""

SERVING_KEY = "fasterapi.telemetry.serving"
"""Set while an application with telemetry serves a request: it (called again, see
``Faster._serve_observed``) and the applications mounted in it (which get a copy of the scope)
do not record the request, excluded or not."""

TELEMETRY_EXTRA = "fasterapi-routing[telemetry]"


class TelemetryConfig(TypedDict, total=False):
    """Settings of ``Faster(telemetry={...})``; omitted keys keep their defaults.

    ``tracer_provider`` / ``meter_provider`` / ``logger_provider``: used instead of the global
    providers (never shut down by FasterAPI). ``tracing``, ``metrics``, ``logs``: each signal
    (default True). ``operation_spans``: spans for dependencies, endpoints, serialization and
    background tasks (default True). ``auto_configure``: add OTLP exporters from the
    ``OTEL_*`` environment at startup (default: ``FASTAPI_OTEL_AUTO_CONFIGURE=true``).
    ``exclude``: ``exclude(scope) -> bool``, True skips telemetry for that request.
    """

    tracer_provider: Any
    meter_provider: Any
    logger_provider: Any
    tracing: bool
    metrics: bool
    logs: bool
    operation_spans: bool
    auto_configure: bool
    exclude: Callable[[MutableMapping[str, Any]], bool] | None


_KEYS = frozenset(TelemetryConfig.__annotations__)


def telemetry_config(given: Mapping[str, Any] | None) -> TelemetryConfig:
    """``given`` over the defaults, copied (FastAPI's defaults and its environment switch)."""
    given = dict(given or {})
    unknown = sorted(set(given) - _KEYS)
    if unknown:
        raise TypeError(
            f"unknown telemetry setting(s) {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(sorted(_KEYS))}"
        )
    config: TelemetryConfig = {
        "tracer_provider": None,
        "meter_provider": None,
        "logger_provider": None,
        "tracing": True,
        "metrics": True,
        "logs": True,
        "operation_spans": True,
        "auto_configure": os.getenv("FASTAPI_OTEL_AUTO_CONFIGURE", "").lower() == "true",
        "exclude": None,
    }
    config.update(given)  # type: ignore[typeddict-item]
    return config


@functools.cache
def _api_installed() -> bool:
    return importlib.util.find_spec("opentelemetry") is not None and (
        importlib.util.find_spec("opentelemetry.trace") is not None
    )


def native_telemetry(config: TelemetryConfig, *, explicit: bool) -> TelemetrySwitch | None:
    """The telemetry of an application with ``config``; None when it can never be active: no
    signal on, or opentelemetry-api missing and ``telemetry=`` not given (``ImportError``
    naming the extra when it was given)."""
    if not (config["tracing"] or config["metrics"] or config["logs"]):
        return None
    if not _api_installed():
        if explicit:
            raise missing_extra("opentelemetry", TELEMETRY_EXTRA)
        return None
    from fasterapi_routing.telemetry.switch import TelemetrySwitch

    return TelemetrySwitch(config)
