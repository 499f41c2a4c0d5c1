"""``FasterAPI.jobs``: re-exports of ``fasterapi_extras.jobs`` (durable background jobs on
Redis through SAQ; needs ``fasterapi-extras[jobs]``)."""

from fasterapi_extras.jobs import (
    JobDependencyError,
    JobFunction,
    JobInfo,
    JobNotFoundError,
    JobOptions,
    JobQueue,
    JobsError,
    JobStatus,
    JobsUnavailableError,
)

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
