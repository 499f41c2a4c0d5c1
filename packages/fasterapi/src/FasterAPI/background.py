"""Background tasks run after the response is sent."""

from fasterapi_core.background import (
    BackgroundTask,
    BackgroundTasks,
)

__all__ = [
    "BackgroundTask",
    "BackgroundTasks",
]
