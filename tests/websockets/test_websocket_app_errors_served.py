"""An exception in a WebSocket endpoint or dependency on the wire (issue #18): fasterapi-server
against uvicorn, each serving the same endpoints on FastAPI and on FasterAPI
(served_error_app.py). Before the handshake is accepted the client gets uvicorn's HTTP 500;
after it, the connection is dropped without a close frame (the client reads 1006), as uvicorn
0.55 does; the server logs the exception once, with its traceback."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosedError, InvalidStatus
from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parents[2]
SERVERS = {"uvicorn": "uvicorn", "fasterapi": "fasterapi_server"}
APPS = {"fastapi": "fastapi_app", "fasterapi": "fasterapi_app"}
COMBINATIONS = [(server, app) for server in SERVERS for app in APPS]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Served:
    """One server process serving one of the two applications."""

    def __init__(self, server: str, app: str, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        target = f"tests.websockets.served_error_app:{APPS[app]}"
        command = [sys.executable, "-m", SERVERS[server], target, "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--log-level", "warning"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=log_path.open("wb"), stderr=subprocess.STDOUT
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"server did not start:\n{self.log()}") from None
                time.sleep(0.05)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, str], Served]]:
    base = tmp_path_factory.mktemp("ws-errors")
    started = {(s, a): Served(s, a, base / f"{s}-{a}.log") for s, a in COMBINATIONS}
    try:
        for served in started.values():
            served.wait_ready()
        yield started
    finally:
        for served in started.values():
            served.stop()


def before_accept(port: int) -> Any:
    """The refused handshake: status, headers (but the date) and body."""
    with pytest.raises(InvalidStatus) as refused, connect(f"ws://127.0.0.1:{port}/before-accept"):
        pass  # pragma: no cover
    response = refused.value.response
    headers = sorted((k.lower(), v) for k, v in response.headers.raw_items() if k != "Date")
    return response.status_code, response.reason_phrase, headers, bytes(response.body or b"")


def after_accept(port: int) -> Any:
    """The echo, then how the connection ended: the close frames received and sent."""
    with connect(f"ws://127.0.0.1:{port}/after-accept") as websocket:
        websocket.send("hello")
        echo = websocket.recv(timeout=5)
        with pytest.raises(ConnectionClosedError) as closed:
            websocket.recv(timeout=5)
    error = closed.value
    return echo, error.rcvd, error.sent, websocket.close_code


def logged(served: Served, since: int, count: int) -> str:
    """The server's log after offset ``since`` once ``count`` exceptions are in it."""
    deadline = time.monotonic() + 5
    while served.log()[since:].count("Exception in ASGI application") < count:
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    time.sleep(0.2)  # nothing more comes
    return served.log()[since:]


@pytest.fixture(scope="module")
def reference(servers: dict[tuple[str, str], Served]) -> tuple[Any, Any]:
    """What uvicorn answers with FastAPI (its log settled before the tests read theirs)."""
    served = servers["uvicorn", "fastapi"]
    outcome = before_accept(served.port), after_accept(served.port)
    logged(served, 0, 2)
    return outcome


@pytest.mark.parametrize(("server", "app"), COMBINATIONS, ids=["-".join(c) for c in COMBINATIONS])
def test_websocket_errors_on_the_wire_as_uvicorn_with_fastapi(
    servers: dict[tuple[str, str], Served], reference: tuple[Any, Any], server: str, app: str
) -> None:
    served = servers[server, app]
    since = len(served.log())
    refused = before_accept(served.port)
    dropped = after_accept(served.port)
    assert (refused, dropped) == reference
    assert refused == (
        500,
        "Internal Server Error",
        [
            ("connection", "close"),
            ("content-length", "21"),
            ("content-type", "text/plain; charset=utf-8"),
        ],
        b"Internal Server Error",
    )
    assert dropped == ("hello", None, None, 1006)  # no close frame either way
    log = logged(served, since, 2)
    assert log.count("Exception in ASGI application") == 2, log  # once per connection
    assert log.count("ValueError: dependency failed") == 1, log
    assert log.count("ValueError: endpoint failed") == 1, log
    assert "Traceback (most recent call last)" in log
    assert "Exception in WebSocket endpoint" not in log  # the old application-level line
