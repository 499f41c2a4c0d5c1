"""``FasterAPI.staticfiles``: re-exports of ``fasterapi_extras.staticfiles``."""

from fasterapi_extras.staticfiles import (
    StaticFiles,
)

__all__ = [
    "StaticFiles",
]
