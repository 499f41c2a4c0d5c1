"""Jobs enqueued from routes (TestClient) and run by a real SAQ worker process on a real
redis-server: dependency injection with cleanup, status queries, retries, timeouts, failures,
and a job that waits in Redis for a worker to start."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jobs_app
import pytest
from jobs_support import WorkerProcess, wait_until
from redis_process import RedisProcess

from FasterAPI.testclient import TestClient

pytestmark = pytest.mark.timeout(90)

WORKER_STARTS_WITHIN = 30.0  # seconds: a worker process imports FasterAPI and SAQ first


@pytest.fixture
def client(redis_process: RedisProcess, queue_name: str, tmp_path: Path) -> Any:
    _, app = jobs_app.build(redis_process.url, queue_name, tmp_path)
    with TestClient(app) as test_client:
        yield test_client


def finished(client: TestClient, job_id: str) -> dict[str, Any]:
    return wait_until(
        lambda: client.get(f"/jobs/{job_id}").json(),
        lambda body: body["status"] in ("complete", "failed"),
        WORKER_STARTS_WITHIN,
    )


def test_a_route_enqueues_a_job_the_worker_runs_with_its_dependencies(
    client: TestClient, start_worker: Callable[[], WorkerProcess], tmp_path: Path
) -> None:
    start_worker()
    response = client.post("/emails", params={"to": "ada@example.com", "subject": "hi"})
    assert response.status_code == 200
    job_id = response.json()["job_id"]
    assert response.json() == {"job_id": job_id}

    assert finished(client, job_id) == {
        "id": job_id,
        "status": "complete",
        "result": "mailer(noreply@example.com) sent 'hi' to ada@example.com",
        "attempts": 1,
        "error": None,
    }
    # the yield dependency was set up before the job and cleaned up after it
    assert jobs_app.read_marks(tmp_path) == [
        "mailer opened",
        "send_email to=ada@example.com subject=hi",
        "mailer closed",
    ]


def test_a_plain_function_job_runs_and_returns_its_result(
    client: TestClient, start_worker: Callable[[], WorkerProcess]
) -> None:
    start_worker()
    job_id = client.post("/jobs/add", json={"a": 2, "b": 40}).json()["job_id"]
    assert finished(client, job_id)["result"] == 42


def test_a_failing_attempt_is_retried_then_succeeds(
    client: TestClient, start_worker: Callable[[], WorkerProcess]
) -> None:
    start_worker()
    job_id = client.post("/jobs/flaky", json={"key": "k1"}).json()["job_id"]
    body = finished(client, job_id)
    assert body == {
        "id": job_id,
        "status": "complete",
        "result": {"key": "k1", "attempts": 2},
        "attempts": 2,
        "error": None,
    }


def test_a_job_that_raises_without_retries_is_failed_with_its_error(
    client: TestClient, start_worker: Callable[[], WorkerProcess]
) -> None:
    start_worker()
    job_id = client.post("/jobs/fails", json={"mailbox": "nobody"}).json()["job_id"]
    assert finished(client, job_id) == {
        "id": job_id,
        "status": "failed",
        "result": None,
        "attempts": 1,
        "error": "ValueError: no such mailbox: nobody",
    }


def test_a_job_exceeding_its_timeout_is_failed_and_its_dependencies_cleaned_up(
    client: TestClient, start_worker: Callable[[], WorkerProcess], tmp_path: Path
) -> None:
    start_worker()
    started = time.monotonic()
    job_id = client.post("/jobs/slow", json={"seconds": 30}).json()["job_id"]
    body = finished(client, job_id)
    assert body == {
        "id": job_id,
        "status": "failed",
        "result": None,
        "attempts": 1,
        "error": "TimeoutError",
    }
    assert time.monotonic() - started < 25  # cancelled at 0.5 s, not left to sleep 30 s
    assert jobs_app.read_marks(tmp_path) == ["mailer opened", "mailer closed"]


def test_a_job_enqueued_while_no_worker_runs_waits_and_survives_a_worker_restart(
    client: TestClient, start_worker: Callable[[], WorkerProcess]
) -> None:
    first = start_worker()
    warm = client.post("/jobs/add", json={"a": 1, "b": 1}).json()["job_id"]
    assert finished(client, warm)["result"] == 2
    first.stop()
    assert first.process is not None and first.process.returncode is not None

    job_id = client.post("/emails", params={"to": "late@example.com"}).json()["job_id"]
    queued = {"id": job_id, "status": "queued", "result": None, "attempts": 0, "error": None}
    assert client.get(f"/jobs/{job_id}").json() == queued
    time.sleep(1.0)
    assert client.get(f"/jobs/{job_id}").json() == queued  # nobody runs it

    start_worker()
    body = finished(client, job_id)
    assert body["status"] == "complete"
    assert body["result"] == "mailer(noreply@example.com) sent 'hello' to late@example.com"


def test_a_job_whose_worker_was_killed_is_retried_by_another_worker(
    client: TestClient, start_worker: Callable[..., WorkerProcess], tmp_path: Path
) -> None:
    first = start_worker(sweep=1)
    job_id = client.post("/jobs/resumable", json={"key": "r1"}).json()["job_id"]
    wait_until(
        lambda: {"marks": jobs_app.read_marks(tmp_path)},
        lambda body: body["marks"] == ["resumable r1 first attempt started"],
        WORKER_STARTS_WITHIN,
    )
    assert client.get(f"/jobs/{job_id}").json()["status"] == "in_progress"
    first.kill()  # mid-job: nobody will finish or fail this attempt
    assert client.get(f"/jobs/{job_id}").json()["status"] == "in_progress"

    start_worker(sweep=1)  # its sweep finds the attempt stuck past its 2 s timeout: retried
    assert finished(client, job_id) == {
        "id": job_id,
        "status": "complete",
        "result": 2,
        "attempts": 2,
        "error": None,
    }


def test_status_of_an_unknown_job_is_a_404(client: TestClient) -> None:
    response = client.get("/jobs/no-such-job")
    assert response.status_code == 404
    assert response.json()["detail"].endswith("has no job 'no-such-job'")
