"""Serve an app with ``fasterapi run --server X`` on 127.0.0.1 for every server installed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serving_support import SERVING_APP, Served, installed_servers, serve


@pytest.fixture(scope="session")
def serving_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Served]]:
    """The serving app under every installed server, keyed by test id."""
    base = tmp_path_factory.mktemp("serving")
    started: dict[str, Served] = {}
    try:
        for name, flag in installed_servers():
            started[name] = serve(SERVING_APP, flag, base / f"{name}.log")
        yield started
    finally:
        for served in started.values():
            served.stop()


@pytest.fixture(params=[name for name, _ in installed_servers()])
def served(request: pytest.FixtureRequest, serving_servers: dict[str, Served]) -> Served:
    """One server at a time (parametrised); it must still be alive afterwards."""
    server: Served = serving_servers[request.param]
    assert server.process.poll() is None, server.log()
    return server
