"""Redis unreachable, killed, or hung: enqueue and status raise JobsUnavailableError within
about ``operation_timeout`` and a route answers 503 with a clear detail; never a hang."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import jobs_app
import pytest
from redis_process import RedisProcess, free_port

from FasterAPI.testclient import TestClient

pytestmark = pytest.mark.timeout(60)


def test_enqueue_with_no_redis_answers_503_quickly(tmp_path: Path) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    _, app = jobs_app.build(url, "outage", tmp_path)
    with TestClient(app) as client:
        started = time.monotonic()
        response = client.post("/emails", params={"to": "ada@example.com"})
        assert time.monotonic() - started < 3
        assert response.status_code == 503
        assert response.json() == {"detail": "job queue unavailable: enqueue failed"}

        response = client.get("/jobs/some-id")
        assert response.status_code == 503
        assert response.json() == {"detail": "job queue unavailable: status failed"}


@pytest.fixture
def hung_redis() -> Iterator[str]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


def test_enqueue_on_a_redis_that_never_answers_answers_503_in_bounded_time(
    hung_redis: str, tmp_path: Path
) -> None:
    _, app = jobs_app.build(hung_redis, "outage", tmp_path)  # operation_timeout=0.5
    with TestClient(app) as client:
        started = time.monotonic()
        response = client.post("/emails", params={"to": "ada@example.com"})
        assert time.monotonic() - started < 3
        assert response.status_code == 503
        assert response.json() == {"detail": "job queue unavailable: enqueue failed"}


def test_a_redis_killed_then_restarted(tmp_path: Path) -> None:
    server = RedisProcess(tmp_path)
    server.start()
    try:
        _, app = jobs_app.build(server.url, "outage", tmp_path)
        with TestClient(app) as client:
            first = client.post("/emails", params={"to": "a@example.com"})
            assert first.status_code == 200
            assert client.get(f"/jobs/{first.json()['job_id']}").json()["status"] == "queued"

            server.kill()
            started = time.monotonic()
            down = client.post("/emails", params={"to": "b@example.com"})
            assert time.monotonic() - started < 3
            assert down.status_code == 503
            assert down.json() == {"detail": "job queue unavailable: enqueue failed"}

            server.start()  # same port, empty (no persistence): the client reconnects
            again = client.post("/emails", params={"to": "c@example.com"})
            assert again.status_code == 200
            job_id = again.json()["job_id"]
            assert client.get(f"/jobs/{job_id}").json() == {
                "id": job_id,
                "status": "queued",
                "result": None,
                "attempts": 0,
                "error": None,
            }
    finally:
        server.kill()
