"""Native OpenTelemetry telemetry: ``Faster(telemetry={...})`` (see
:mod:`fasterapi_routing.telemetry`); FastAPI's ``fastapi.telemetry``."""

from fasterapi_routing.telemetry import TelemetryConfig, TelemetryData, get_telemetry_data

__all__ = ["TelemetryConfig", "TelemetryData", "get_telemetry_data"]
