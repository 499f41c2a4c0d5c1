"""granian's RSGI interface serving FasterAPI's adapter (fasterapi_routing.servers.rsgi) when a
WebSocket endpoint or dependency raises (tests/websockets/served_error_app.py): before the
handshake the client gets HTTP 500 (uvicorn's answer; it was 403), after it the connection ends
at once (RSGI sends a close frame without a code: the client reads 1005; the client waited for
it until a garbage collection released the transport), and the exception is logged once."""

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from tests.support.redis_process import free_port

pytest.importorskip("granian")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    port = free_port()
    log = tmp_path_factory.mktemp("rsgi-ws") / "granian.log"
    command = [sys.executable, "-m", "granian", "--interface", "rsgi", "--host", "127.0.0.1"]
    command += ["--port", str(port), "tests.websockets.served_error_app:fasterapi_app"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with connect(f"ws://127.0.0.1:{port}/after-accept", open_timeout=1) as ws:
                    ws.send("warm-up")
                    ws.recv(timeout=5)
                break
            except (OSError, TimeoutError, ConnectionClosed):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"granian did not start:\n{log.read_text()}") from None
                time.sleep(0.1)
        yield port, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_failure_before_the_handshake_is_http_500(served: tuple[int, Path]) -> None:
    port, _ = served
    with pytest.raises(InvalidStatus) as refused, connect(f"ws://127.0.0.1:{port}/before-accept"):
        pass  # pragma: no cover
    assert refused.value.response.status_code == 500


def test_failure_after_the_handshake_ends_the_connection_at_once(served: tuple[int, Path]) -> None:
    port, log = served
    started = time.monotonic()
    with connect(f"ws://127.0.0.1:{port}/after-accept", close_timeout=1) as websocket:
        websocket.send("hello")
        assert websocket.recv(timeout=5) == "hello"
        with pytest.raises(ConnectionClosed):
            websocket.recv(timeout=5)
    assert time.monotonic() - started < 3
    assert websocket.close_code == 1005  # RSGI carries no close code
    deadline = time.monotonic() + 5
    while "ValueError: endpoint failed" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "ValueError: endpoint failed" in log.read_text()
