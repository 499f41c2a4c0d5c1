"""Durable background jobs: the signup route enqueues a welcome email and answers at once; a
worker process (``saq jobs_emails.settings``) sends it, with a mailer given by ``Depends``."""

import os
from collections.abc import AsyncIterator
from typing import Annotated, Any

from FasterAPI import Depends, FastAPI, HTTPException
from FasterAPI.jobs import JobNotFoundError, JobOptions, JobQueue

REDIS_URL = os.environ.get("JOBS_REDIS_URL", "redis://127.0.0.1:6379/0")

queue = JobQueue(
    REDIS_URL,
    name="emails",
    defaults=JobOptions(timeout=30, retries=3, retry_delay=1.0, retry_backoff=True),
)


class Mailer:
    """Stands for an SMTP connection: opened per job, closed after it."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.open = True

    async def send(self, to: str, subject: str) -> dict[str, str]:
        assert self.open, "the mailer is closed"
        return {"to": to, "subject": subject, "via": self.host}


def smtp_host() -> str:
    return os.environ.get("SMTP_HOST", "smtp.example.com")


async def get_mailer(host: Annotated[str, Depends(smtp_host)]) -> AsyncIterator[Mailer]:
    mailer = Mailer(host)
    try:
        yield mailer
    finally:
        mailer.open = False  # runs when the job returns, raises or times out


@queue.job
async def send_welcome_email(
    to: str, mailer: Annotated[Mailer, Depends(get_mailer)]
) -> dict[str, str]:
    return await mailer.send(to, "Welcome!")


app = FastAPI()


@app.post("/signup", status_code=202)
async def signup(email: str) -> dict[str, str]:
    # Redis down: JobsUnavailableError, a 503 {"detail": "job queue unavailable: enqueue failed"}
    return {"job_id": await queue.enqueue(send_welcome_email, to=email)}


@app.get("/jobs/{job_id}")
async def job_status(job_id: str) -> dict[str, Any]:
    try:
        info = await queue.status(job_id)
    except JobNotFoundError:
        raise HTTPException(404, "no such job") from None
    return {"status": info.status, "attempts": info.attempts, "result": info.result}


def settings() -> dict[str, Any]:
    """What the worker runs: ``saq jobs_emails.settings``."""
    return queue.worker_settings()
