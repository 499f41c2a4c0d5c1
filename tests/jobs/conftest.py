"""Fixtures of the jobs tests: one redis-server per module (started by the test, on a free
port under a temporary directory), a fresh queue name per test, and its worker processes."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from jobs_support import WorkerProcess
from redis_process import RedisProcess


@pytest.fixture(scope="module")
def redis_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProcess]:
    server = RedisProcess(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def queue_name() -> str:
    return f"jobs-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def start_worker(
    redis_process: RedisProcess, queue_name: str, tmp_path: Path
) -> Iterator[Callable[..., WorkerProcess]]:
    """Start a worker of this test's queue; every one started is stopped after the test (its
    output is printed when the test fails)."""
    started: list[WorkerProcess] = []

    def start(sweep: int = 60) -> WorkerProcess:
        worker = WorkerProcess(redis_process.url, queue_name, tmp_path, sweep)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    if started:
        print(started[0].output())
