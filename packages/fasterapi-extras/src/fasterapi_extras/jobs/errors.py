"""The errors of durable jobs: Redis unreachable, an unknown job id, a job's dependencies."""

from __future__ import annotations

from typing import Any

from fasterapi_core.exceptions import HTTPException

__all__ = ["JobDependencyError", "JobNotFoundError", "JobsError", "JobsUnavailableError"]


class JobsError(Exception):
    """Base class of the errors raised by :class:`~fasterapi_extras.jobs.JobQueue`."""


class JobsUnavailableError(JobsError, HTTPException):
    """Redis cannot be reached (or did not answer within ``JobQueue.operation_timeout``).

    Raised by ``enqueue`` and ``status``; being an ``HTTPException``, a route that lets it
    propagate answers ``503 {"detail": "job queue unavailable: enqueue failed"}``. The client
    sees no more; ``str(exc)`` (for logs) adds the ``reason``.
    """

    def __init__(self, operation: str, reason: str) -> None:
        HTTPException.__init__(
            self, status_code=503, detail=f"job queue unavailable: {operation} failed"
        )
        self.operation = operation
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.detail}: {self.reason}"


class JobNotFoundError(JobsError, LookupError):
    """No job has this id in the queue: never enqueued, or its record expired
    (``result_ttl`` seconds after it finished)."""


class JobDependencyError(JobsError):
    """A dependency of a job function asked for something a job does not have (a query or
    header parameter, a request body): ``errors`` lists the problems, as a 422 would."""

    def __init__(self, function: str, errors: list[dict[str, Any]]) -> None:
        self.function = function
        self.errors = errors
        super().__init__(f"the dependencies of job {function!r} cannot be solved: {errors}")
