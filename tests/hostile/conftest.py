"""The hostile target (examples/hostile_app.py) under uvicorn and under fasterapi-server (the
session fixture is parametrised), and a liveness check after every test: each hostile case must
leave the server answering ``/health`` with 200."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hostile_http import OUTSIDE_SECRET, PREFIX_SECRET, SERVERS, Server, get, start_server


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session", params=SERVERS)
def hostile(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    name: str = request.param
    base = tmp_path_factory.mktemp(f"hostile-{name}")
    static = base / "static"
    (static / "sub").mkdir(parents=True)
    (static / "hello.txt").write_text("hello static\n")
    (static / "sub" / "inner.txt").write_text("inner\n")
    (static / "big.bin").write_bytes(bytes(range(256)) * 256)  # 64 KiB
    (base / "secret.txt").write_text(OUTSIDE_SECRET)
    (base / "static_secret").mkdir()
    (base / "static_secret" / "key.txt").write_text(PREFIX_SECRET)
    os.symlink(base / "secret.txt", static / "link.txt")
    os.symlink(base, static / "linkdir")
    options = ["--timeout-keep-alive", "5"]
    if name == "uvicorn":
        # uvicorn trusts X-Forwarded-For from 127.0.0.1 by default, which would let the
        # loopback test client pick its address; trust only the app's proxy instead.
        # (fasterapi-server never rewrites the client address from proxy headers.)
        options += ["--forwarded-allow-ips", "10.0.0.1"]
    server = start_server(
        "examples.hostile_app:app",
        base / "server.log",
        {"HOSTILE_STATIC_DIR": str(static)},
        *options,
        server=name,
    )
    server.extra = {"base": base, "static": static}
    yield server
    server.stop()


@pytest.fixture
def port(hostile: Server) -> Iterator[int]:
    """The server's port; after the test the server must still be up and healthy."""
    yield hostile.port
    assert hostile.alive(), "the server process died:\n" + hostile.log()
    reply = get(hostile.port, "/health")
    assert (reply.status, reply.body) == (200, b'{"status":"ok"}')
