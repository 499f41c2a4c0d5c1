"""docs/examples/jobs_emails.py (guide/jobs.md): a signup enqueues a job that a real worker
process (``python -m saq jobs_emails.settings``) runs on a real redis-server; Redis down → 503."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from FasterAPI import TestClient

Load = Callable[[str], ModuleType]
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def worker(redis_url: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "JOBS_REDIS_URL": redis_url, "SMTP_HOST": "smtp.test"}
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "saq", "jobs_emails.settings"],
        cwd=EXAMPLES,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_signup_enqueues_a_job_the_worker_runs(
    load_example: Load,
    redis_url: str,
    worker: subprocess.Popen[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JOBS_REDIS_URL", redis_url)
    example = load_example("jobs_emails")
    with TestClient(example.app) as client:
        response = client.post("/signup", params={"email": "ada@example.com"})
        assert response.status_code == 202
        job_id = response.json()["job_id"]
        deadline = time.monotonic() + 30
        while (body := client.get(f"/jobs/{job_id}").json())["status"] != "complete":
            assert body["status"] in ("queued", "in_progress"), body
            assert time.monotonic() < deadline, body
            time.sleep(0.05)
        assert body == {
            "status": "complete",
            "attempts": 1,
            "result": {"to": "ada@example.com", "subject": "Welcome!", "via": "smtp.test"},
        }
        missing = client.get("/jobs/nope")
        assert (missing.status_code, missing.json()) == (404, {"detail": "no such job"})


def test_signup_answers_503_when_redis_is_down(
    load_example: Load, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("JOBS_REDIS_URL", f"redis://127.0.0.1:{port}/0")
    example = load_example("jobs_emails")
    with TestClient(example.app) as client:
        started = time.monotonic()
        response = client.post("/signup", params={"email": "ada@example.com"})
        assert time.monotonic() - started < 6
        assert response.status_code == 503
        assert response.json() == {"detail": "job queue unavailable: enqueue failed"}
