"""Durable background jobs on Redis through SAQ (``fasterapi-extras[jobs]``): job functions
with FasterAPI's ``Depends(...)`` solved in the worker, enqueued from routes with one call,
with retries, timeouts and status queries. ``BackgroundTasks`` stays the in-process option."""

from fasterapi_extras.jobs.errors import (
    JobDependencyError,
    JobNotFoundError,
    JobsError,
    JobsUnavailableError,
)
from fasterapi_extras.jobs.injection import JobFunction
from fasterapi_extras.jobs.options import JobOptions
from fasterapi_extras.jobs.queue import JobQueue
from fasterapi_extras.jobs.status import JobInfo, JobStatus

__all__ = [
    "JobDependencyError",
    "JobFunction",
    "JobInfo",
    "JobNotFoundError",
    "JobOptions",
    "JobQueue",
    "JobStatus",
    "JobsError",
    "JobsUnavailableError",
]
