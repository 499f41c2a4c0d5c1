"""HTTP and WebSocket status code constants (as ``fastapi.status``)."""

from fasterapi_core.status import *  # noqa: F403
from fasterapi_core.status import __all__ as __all__
