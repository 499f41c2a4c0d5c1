"""``TelemetryData``: request or connection data for synchronous OpenTelemetry processors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["TelemetryData"]


@dataclass(kw_only=True)
class TelemetryData:
    """Data of the request or connection being handled, filled in as FasterAPI handles it:
    ``request`` / ``websocket`` when the route starts, ``body`` (as read, before validation),
    ``values`` (the arguments resolved) and ``errors`` (validation errors with their input).

    Integrations read it as-is and redact before exporting anything; it is never exported by
    FasterAPI itself, and it is cleared when the request finishes.
    """

    request: Any = None
    websocket: Any = None
    body: Any = None
    values: dict[str, Any] | None = None
    errors: Sequence[Any] | None = None
