"""Real processes for the jobs tests: SAQ worker processes running ``jobs_app.settings`` (the
redis-server is tests/support/redis_process.py's)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


class WorkerProcess:
    """``python -m saq jobs_app.settings``: a real SAQ worker running the test queue's jobs."""

    def __init__(self, redis_url: str, queue_name: str, marks: Path, sweep: int = 60) -> None:
        self.env = {
            **os.environ,
            "JOBS_TEST_REDIS_URL": redis_url,
            "JOBS_TEST_QUEUE": queue_name,
            "JOBS_TEST_MARKS": str(marks),
            "JOBS_TEST_SWEEP": str(sweep),  # seconds between sweeps (SAQ's default: 60)
            "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
        }
        self.log = marks / "worker.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "saq", "jobs_app.settings", "-v"],
                cwd=HERE,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """SIGKILL: the worker dies in the middle of whatever it runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM (SAQ's graceful shutdown), then SIGKILL after 10 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def wait_until(
    read: Callable[[], dict[str, Any]], done: Callable[[dict[str, Any]], bool], within: float
) -> dict[str, Any]:
    """Call ``read`` until ``done`` accepts its answer; AssertionError after ``within`` s."""
    deadline = time.monotonic() + within
    while True:
        answer = read()
        if done(answer):
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"still {answer} after {within} s")
        time.sleep(0.05)
