"""FasterAPI's own OpenTelemetry integration, FastAPI 0.165's ``telemetry=`` surface.

``Faster(telemetry={...})`` (a :class:`TelemetryConfig`) records, for each HTTP request and
WebSocket connection, a server span with HTTP semantic conventions and the route template
(``http.route``), the ``http.server.request.duration`` and ``http.server.active_requests``
metrics, and log records for unhandled exceptions and validation failures. It is on by default
as in FastAPI, active only once a tracer, meter or logger provider is configured (globally or in
the configuration); without opentelemetry-api installed it costs nothing. opentelemetry-api is
the ``telemetry`` extra of fasterapi-routing and is imported only when telemetry can be active.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fasterapi_routing.telemetry.config import TelemetryConfig
from fasterapi_routing.telemetry.data import TelemetryData

if TYPE_CHECKING:
    from opentelemetry.context import Context  # type: ignore[import-not-found,unused-ignore]

__all__ = ["TelemetryConfig", "TelemetryData", "get_telemetry_data"]


def get_telemetry_data(context: Context | None = None) -> TelemetryData | None:
    """The data of the request or connection being handled in ``context`` (default: the current
    OpenTelemetry context), read synchronously; None outside one, or once it has finished."""
    from fasterapi_routing.telemetry.request import current_request_telemetry

    found: Any = current_request_telemetry(context)
    return None if found is None else found.data
