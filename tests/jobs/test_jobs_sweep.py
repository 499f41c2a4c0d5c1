"""The sweep of FasterAPI's SAQ queue on a real redis-server: a job just moved to the active
list (not yet marked active by its worker) is left alone by one sweep and requeued by the next
when it is still unmarked (its worker died between the two steps); many jobs waiting when a
worker starts all run once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import jobs_app
import pytest
from jobs_support import WorkerProcess, wait_until
from redis_process import RedisProcess

from FasterAPI.jobs import JobStatus
from FasterAPI.testclient import TestClient

pytestmark = pytest.mark.timeout(90)


def test_a_job_dequeued_by_a_worker_that_died_is_requeued_by_the_second_sweep(
    redis_process: RedisProcess, queue_name: str, tmp_path: Path
) -> None:
    queue, _ = jobs_app.build(redis_process.url, queue_name, tmp_path)

    async def scenario() -> None:
        saq_queue = queue.worker_settings()["queue"]
        job_id = await queue.enqueue("add", a=1, b=2)
        taken = await saq_queue.dequeue(timeout=1)  # a worker took it ... and died
        assert taken is not None and taken.key == job_id
        assert (await queue.status(job_id)).status is JobStatus.QUEUED

        assert await saq_queue.sweep(lock=1, abort=0.1) == []  # perhaps being marked: left
        await asyncio.sleep(1.1)  # the sweep lock expires
        swept = await saq_queue.sweep(lock=1, abort=0.1)
        assert swept == [taken.id]
        again = await saq_queue.dequeue(timeout=1)  # back in the queue for the next worker
        assert again is not None and again.key == job_id
        await saq_queue.disconnect()
        await queue.close()

    asyncio.run(scenario())


def test_jobs_waiting_when_a_worker_starts_all_run_once(
    redis_process: RedisProcess,
    queue_name: str,
    tmp_path: Path,
    start_worker: Callable[[], WorkerProcess],
) -> None:
    _, app = jobs_app.build(redis_process.url, queue_name, tmp_path)
    with TestClient(app) as client:
        ids = [client.post("/jobs/add", json={"a": n, "b": 1}).json()["job_id"] for n in range(8)]
        start_worker()
        for n, job_id in enumerate(ids):
            body = wait_until(
                lambda job_id=job_id: client.get(f"/jobs/{job_id}").json(),
                lambda body: body["status"] in ("complete", "failed"),
                30.0,
            )
            assert body == {
                "id": job_id,
                "status": "complete",
                "result": n + 1,
                "attempts": 1,
                "error": None,
            }
