"""Blocking code from async code, as ``fastapi.concurrency`` offers it."""

from fasterapi_core.concurrency import (
    contextmanager_in_threadpool,
    iterate_in_threadpool,
    run_in_threadpool,
)

__all__ = ["contextmanager_in_threadpool", "iterate_in_threadpool", "run_in_threadpool"]
