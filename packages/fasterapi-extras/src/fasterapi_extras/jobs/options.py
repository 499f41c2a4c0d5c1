"""The options of a job: its timeout, how often and how soon it is retried, how long its
outcome is kept. Set per queue (``JobQueue(defaults=...)``) or per job (``@queue.job(...)``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

__all__ = ["JobOptions"]


@dataclass(frozen=True, slots=True)
class JobOptions:
    """How a job runs: SAQ enforces these in the worker."""

    timeout: float = 10.0
    """Seconds an attempt may run before it is cancelled and counts as failed; 0: no limit."""
    retries: int = 0
    """Attempts after the first one when an attempt raises or times out."""
    retry_delay: float = 0.0
    """Seconds before a retry (the base delay when ``retry_backoff`` is set)."""
    retry_backoff: bool | float = False
    """Exponential backoff with jitter from ``retry_delay``; a number caps the delay."""
    result_ttl: int = 600
    """Seconds the finished job (status, result, error) stays queryable."""

    def __post_init__(self) -> None:
        if self.timeout < 0:
            raise ValueError(f"timeout must be 0 (no limit) or positive, not {self.timeout!r}")
        if self.retries < 0:
            raise ValueError(f"retries must be 0 or more, not {self.retries!r}")
        if self.retry_delay < 0:
            raise ValueError(f"retry_delay must be 0 or more, not {self.retry_delay!r}")
        if self.result_ttl <= 0:
            raise ValueError(f"result_ttl must be positive, not {self.result_ttl!r}")

    def replace(self, **changes: Any) -> JobOptions:
        """These options with the ``changes`` that are not ``None``."""
        given = {key: value for key, value in changes.items() if value is not None}
        return dataclasses.replace(self, **given) if given else self

    def saq(self) -> dict[str, Any]:
        """The matching ``saq.Job`` fields (SAQ's ``retries`` counts every attempt)."""
        return {
            "timeout": self.timeout,
            "retries": self.retries + 1,
            "retry_delay": self.retry_delay,
            "retry_backoff": self.retry_backoff,
            "ttl": self.result_ttl,
        }
