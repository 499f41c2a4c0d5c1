"""The application of the jobs tests: a queue, its job functions (one with a ``yield``
dependency), and routes that enqueue them and query their status. The worker process imports
``jobs_app.settings`` (``python -m saq jobs_app.settings``), configured by the environment:
JOBS_TEST_REDIS_URL, JOBS_TEST_QUEUE and JOBS_TEST_MARKS (a directory where jobs leave marks
the tests read)."""

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from FasterAPI import Depends, FastAPI, HTTPException
from FasterAPI.jobs import JobNotFoundError, JobOptions, JobQueue


def mark(marks: Path, line: str) -> None:
    with (marks / "marks.txt").open("a") as file:
        file.write(line + "\n")


def read_marks(marks: Path) -> list[str]:
    path = marks / "marks.txt"
    return path.read_text().splitlines() if path.exists() else []


def build(url: str, name: str, marks: Path) -> tuple[JobQueue, FastAPI]:
    """The queue with its job functions, and the application enqueueing them."""
    queue = JobQueue(url, name=name, defaults=JobOptions(timeout=5), operation_timeout=0.5)

    def settings_dependency() -> dict[str, str]:
        return {"sender": "noreply@example.com"}

    async def mailer(
        settings: Annotated[dict[str, str], Depends(settings_dependency)],
    ) -> AsyncIterator[str]:
        mark(marks, "mailer opened")
        try:
            yield f"mailer({settings['sender']})"
        finally:
            mark(marks, "mailer closed")

    @queue.job
    async def send_email(to: str, subject: str, mailer: Annotated[str, Depends(mailer)]) -> str:
        mark(marks, f"send_email to={to} subject={subject}")
        return f"{mailer} sent {subject!r} to {to}"

    @queue.job(name="flaky", retries=2)
    async def flaky(key: str) -> dict[str, Any]:
        attempts = marks / f"attempts-{key}"
        count = int(attempts.read_text()) + 1 if attempts.exists() else 1
        attempts.write_text(str(count))
        if count == 1:
            raise RuntimeError(f"first attempt of {key} fails")
        return {"key": key, "attempts": count}

    @queue.job(name="slow", timeout=0.5, retries=0)
    async def slow(seconds: float, mailer: Annotated[str, Depends(mailer)]) -> str:
        await asyncio.sleep(seconds)
        return "too late"

    @queue.job(name="resumable", timeout=2, retries=1)
    async def resumable(key: str) -> int:
        attempts = marks / f"attempts-{key}"
        count = int(attempts.read_text()) + 1 if attempts.exists() else 1
        attempts.write_text(str(count))
        if count == 1:
            mark(marks, f"resumable {key} first attempt started")
            await asyncio.sleep(30)  # its worker is killed meanwhile
        return count

    @queue.job(name="fails")
    async def fails(mailbox: str) -> None:
        raise ValueError(f"no such mailbox: {mailbox}")

    @queue.job(name="add")
    def add(a: int, b: int) -> int:  # a plain function: run in a thread
        return a + b

    app = FastAPI()

    @app.post("/emails")
    async def post_email(to: str, subject: str = "hello") -> dict[str, str]:
        return {"job_id": await queue.enqueue(send_email, to=to, subject=subject)}

    @app.post("/jobs/{name}")
    async def post_job(name: str, arguments: dict[str, Any]) -> dict[str, str]:
        return {"job_id": await queue.enqueue(name, **arguments)}

    @app.get("/jobs/{job_id}")
    async def get_job(job_id: str) -> dict[str, Any]:
        try:
            info = await queue.status(job_id)
        except JobNotFoundError as exc:
            raise HTTPException(404, str(exc)) from None
        return {
            "id": info.id,
            "status": info.status,
            "result": info.result,
            "attempts": info.attempts,
            "error": info.error.strip().splitlines()[-1] if info.error else None,
        }

    return queue, app


def settings() -> dict[str, Any]:
    """The worker's settings (SAQ calls this), from the environment the test gives it."""
    queue, _ = build(
        os.environ["JOBS_TEST_REDIS_URL"],
        os.environ["JOBS_TEST_QUEUE"],
        Path(os.environ["JOBS_TEST_MARKS"]),
    )
    sweep = int(os.environ.get("JOBS_TEST_SWEEP", "60"))
    return queue.worker_settings(timers={"sweep": sweep})
