"""Shared fixtures: the anyio backend, a real throwaway redis-server (never a mock), and the
FasterAPI-vs-FastAPI comparison helper; the summary line for tests skipped for a missing program
(tests/support/programs.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))  # asgi_support, programs

from redis_process import RedisProcess


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    """A real redis-server for one test (tests/support/redis_process.py)."""
    server = RedisProcess(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisProcess) -> str:
    return redis_server.url


# -- FasterAPI vs FastAPI comparisons (helpers in tests/params/fidelity.py) ---------------------

sys.path.insert(0, str(Path(__file__).resolve().parent / "params"))
from fidelity import AppFactory, Pair  # noqa: E402
from programs import missing_summary  # noqa: E402


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
