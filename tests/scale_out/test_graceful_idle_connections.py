"""fasterapi-server's graceful shutdown and idle keep-alive connections: a request a client (such
as nginx reusing an upstream connection) sends on an idle connection just after the shutdown
began is answered with ``Connection: close``, not reset unread. This is what makes a POST sent
by nginx during a rolling restart safe (nginx never passes a sent POST to another backend)."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scale_out_cluster import ROOT, accepts, end, free_port, wait_until

APP = "tests.serving.server_protocol_app:app"  # /health answers 200 "ok"


@contextmanager
def serving(directory: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``python -m fasterapi_server`` of the protocol app on a free port; killed at the end."""
    port = free_port()
    log = directory / "server.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fasterapi_server",
            APP,
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: accepts(port), process, "fasterapi_server", log)
        yield process, port
    finally:
        end(process, signal.SIGKILL)


def test_requests_sent_on_idle_connections_as_shutdown_begins_are_answered(
    tmp_path: Path,
) -> None:
    with serving(tmp_path) as (process, port):
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(5)]
        for connection in connections:  # five idle keep-alive connections
            connection.request("GET", "/health")
            response = connection.getresponse()
            assert (response.status, response.read(), response.getheader("connection")) == (
                200,
                b"ok",
                None,
            )
        process.send_signal(signal.SIGTERM)
        time.sleep(0.02)  # the server has begun its shutdown (the old code closed them here)
        for connection in connections:
            connection.request("GET", "/health")
        answers = []
        for connection in connections:
            response = connection.getresponse()
            answers.append((response.status, response.read(), response.getheader("connection")))
        assert answers == [(200, b"ok", "close")] * 5
        assert process.wait(timeout=15) == 0
        assert not accepts(port)
        for connection in connections:
            connection.close()


def test_a_websocket_handshake_on_an_idle_connection_during_shutdown_is_503(
    tmp_path: Path,
) -> None:
    with serving(tmp_path) as (process, port):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/health")
        assert connection.getresponse().read() == b"ok"
        process.send_signal(signal.SIGTERM)
        time.sleep(0.02)
        handshake = {
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
        }
        connection.request("GET", "/ws/peer", headers=handshake)
        response = connection.getresponse()
        assert (response.status, response.read()) == (503, b"Server shutting down")
        assert process.wait(timeout=15) == 0
        connection.close()
