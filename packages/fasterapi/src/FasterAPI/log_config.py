"""``FasterAPI.log_config``: re-exports of ``fasterapi_extras.log_config``."""

from fasterapi_extras.log_config import (
    AccessLogMiddleware,
    configure_structlog,
    escape_control_characters,
)

__all__ = [
    "AccessLogMiddleware",
    "configure_structlog",
    "escape_control_characters",
]
