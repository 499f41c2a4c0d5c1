"""Shared fixtures: the anyio backend, a real throwaway redis-server (never a mock), and the
FasterAPI-vs-FastAPI comparison helper; the summary line for tests skipped for a missing program
(tests/support/programs.py)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """A redis-server process on 127.0.0.1; ``url`` points at it, ``stop()`` kills it."""

    def __init__(self, directory: Path) -> None:
        program = require("redis-server")
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [
                program,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _ping(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url


# -- FasterAPI vs FastAPI comparisons (helpers in tests/params/fidelity.py) ---------------------

sys.path.insert(0, str(Path(__file__).resolve().parent / "params"))
sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))  # asgi_support

from fidelity import AppFactory, Pair  # noqa: E402
from programs import missing_summary, require  # noqa: E402


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line per program whose absence skipped tests, with how to install it."""
    reasons = []
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reasons.append(str(longrepr[2] if isinstance(longrepr, tuple) else longrepr))
    for line in missing_summary(reasons):
        terminalreporter.write_line(line, yellow=True, bold=True)


@pytest.fixture
def pair() -> Iterator[Callable[..., Pair]]:
    """Build an app twice (FasterAPI and FastAPI) and compare their answers to each request."""
    made: list[Pair] = []

    def make(factory: AppFactory, headers: Any = ()) -> Pair:
        made.append(Pair(factory, headers))
        return made[-1]

    yield make
    for item in made:
        item.ours.close()
        item.theirs.close()
