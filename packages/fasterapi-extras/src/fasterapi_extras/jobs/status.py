"""What a job status query answers: the state of the job and, once finished, its outcome."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

__all__ = ["JobInfo", "JobStatus"]


class JobStatus(enum.StrEnum):
    """Where a job is: waiting, running, finished with a result, or failed for good."""

    QUEUED = "queued"
    """Waiting for a worker (also between a failed attempt and its retry)."""
    IN_PROGRESS = "in_progress"
    """A worker is running it."""
    COMPLETE = "complete"
    """It returned: ``JobInfo.result`` holds the value."""
    FAILED = "failed"
    """Its last attempt raised or exceeded its timeout: ``JobInfo.error`` holds the traceback."""


# SAQ's statuses (saq.job.Status values) -> ours
_FROM_SAQ = {
    "new": JobStatus.QUEUED,
    "queued": JobStatus.QUEUED,
    "active": JobStatus.IN_PROGRESS,
    "aborting": JobStatus.IN_PROGRESS,
    "complete": JobStatus.COMPLETE,
    "failed": JobStatus.FAILED,
    "aborted": JobStatus.FAILED,
}


@dataclass(frozen=True, slots=True)
class JobInfo:
    """One job as the queue knows it (``await queue.status(job_id)``)."""

    id: str
    function: str
    status: JobStatus
    result: Any = None
    """The job function's return value (decoded from JSON) once ``COMPLETE``."""
    error: str | None = None
    """The traceback of the last failed attempt (kept while a retry waits)."""
    attempts: int = 0
    """How many times a worker started it."""
    max_attempts: int = 1

    @property
    def finished(self) -> bool:
        """``COMPLETE`` or ``FAILED``: nothing more will happen to this job."""
        return self.status in (JobStatus.COMPLETE, JobStatus.FAILED)

    @classmethod
    def from_saq(cls, job: Any) -> JobInfo:
        """Read a ``saq.Job``."""
        status = job.status.value if isinstance(job.status, enum.Enum) else str(job.status)
        return cls(
            id=job.key,
            function=job.function,
            status=_FROM_SAQ.get(status, JobStatus.QUEUED),
            result=job.result,
            error=job.error,
            attempts=job.attempts,
            max_attempts=job.retries,
        )
