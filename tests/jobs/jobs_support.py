"""Real processes for the jobs tests: a redis-server that can be killed and started again on
its port, and SAQ worker processes running ``jobs_app.settings``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from programs import require

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisProcess:
    """A redis-server on a fixed free port under ``directory``: ``kill()``, ``start()`` again."""

    def __init__(self, directory: Path) -> None:
        self.program = require("redis-server")
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _ping(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


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
