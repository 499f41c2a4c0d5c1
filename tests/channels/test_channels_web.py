"""The chat room of docs/examples/channels_chat.py served by two separate server processes
sharing one redis-server: WebSocket clients of both processes, and an SSE stream on one fed by
a POST to the other, see every message."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from websockets.sync.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[2]
APP = "docs/examples/channels_chat.py:app"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``fasterapi run`` of the chat example on a free port, with CHAT_CHANNELS_URL set."""

    def __init__(self, redis_url: str, log_path: Path, server: str = "fasterapi") -> None:
        self.port = free_port()
        self.log_path = log_path
        command = [sys.executable, "-m", "FasterAPI.cli", "run", APP, "--server", server]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        env = dict(os.environ, CHAT_CHANNELS_URL=redis_url)
        self.name = server
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env
            )

    def wait_ready(self) -> None:
        """Wait until ``/health`` answers (at most 60 s)."""
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{self.base}/health", timeout=1)
                return
            except httpx.TransportError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    log = self.log_path.read_text()
                    raise RuntimeError(f"{self.name} did not start:\n{log}") from None
                time.sleep(0.05)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def websocket(self, path: str) -> ClientConnection:
        return connect(f"ws://127.0.0.1:{self.port}{path}", open_timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def servers(
    module_redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    """Two server processes (fasterapi-server and uvicorn) started together, shared by the
    module's tests (each uses its own room)."""
    logs = tmp_path_factory.mktemp("servers")
    first = Server(module_redis_url, logs / "first.log")
    second = Server(module_redis_url, logs / "second.log", server="uvicorn")
    try:
        first.wait_ready()
        second.wait_ready()
        yield first, second
    finally:
        second.stop()
        first.stop()


def sse_lines(response: httpx.Response) -> Iterator[str]:
    """The lines of an event stream without the ``: ping`` keep-alive comments."""
    lines = response.iter_lines()
    for line in lines:
        if line == ": ping":
            next(lines)  # its blank line
            continue
        yield line


def receive(websocket: ClientConnection) -> Any:
    return json.loads(websocket.recv(timeout=10))


def test_websocket_clients_on_two_servers_share_the_room(servers: tuple[Server, Server]) -> None:
    first, second = servers
    with first.websocket("/rooms/lobby/ws?name=alice") as alice:
        assert receive(alice) == {"event": "joined", "name": "alice"}
        with second.websocket("/rooms/lobby/ws?name=bob") as bob:
            assert receive(bob) == {"event": "joined", "name": "bob"}
            assert receive(alice) == {"event": "joined", "name": "bob"}
            bob.send("hi from the second server")
            said = {"event": "message", "name": "bob", "text": "hi from the second server"}
            assert (receive(alice), receive(bob)) == (said, said)
            alice.send("hello back")
            said = {"event": "message", "name": "alice", "text": "hello back"}
            assert (receive(alice), receive(bob)) == (said, said)
            with second.websocket("/rooms/other/ws?name=carol") as carol:
                assert receive(carol) == {"event": "joined", "name": "carol"}
                # a POST to either server reaches the room's sockets on both
                posted = httpx.post(
                    f"{first.base}/rooms/lobby/messages", json={"name": "dave", "text": "posted"}
                )
                assert (posted.status_code, posted.json()) == (200, {"sent": True})
                said = {"event": "message", "name": "dave", "text": "posted"}
                assert (receive(alice), receive(bob)) == (said, said)
        assert receive(alice) == {"event": "left", "name": "bob"}


def test_sse_stream_on_one_server_gets_messages_posted_to_the_other(
    servers: tuple[Server, Server],
) -> None:
    first, second = servers
    with (
        httpx.Client(timeout=10) as client,
        client.stream("GET", f"{second.base}/rooms/news/events") as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        lines = sse_lines(response)
        assert [next(lines), next(lines), next(lines)] == ["event: ready", "data: news", ""]
        for text in ("one", "two"):
            posted = httpx.post(
                f"{first.base}/rooms/news/messages", json={"name": "eve", "text": text}
            )
            assert posted.status_code == 200
        received = [next(lines) for _ in range(6)]
    assert received == [
        "event: message",
        'data: {"event":"message","name":"eve","text":"one"}',
        "",
        "event: message",
        'data: {"event":"message","name":"eve","text":"two"}',
        "",
    ]


def test_leaving_clients_unsubscribe_on_both_servers(
    servers: tuple[Server, Server], module_redis_url: str
) -> None:
    """Once the WebSocket and SSE clients are gone, no server keeps a Redis subscription."""
    first, second = servers
    with first.websocket("/rooms/gone/ws?name=zoe") as zoe:
        assert receive(zoe) == {"event": "joined", "name": "zoe"}
        with (
            httpx.Client(timeout=10) as client,
            client.stream("GET", f"{second.base}/rooms/gone/events") as response,
        ):
            lines = sse_lines(response)
            assert next(lines) == "event: ready"
            assert subscribers(module_redis_url, "chat:gone") == 2
    deadline = time.monotonic() + 10
    while subscribers(module_redis_url, "chat:gone") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert subscribers(module_redis_url, "chat:gone") == 0


def subscribers(redis_url: str, channel: str) -> int:
    counts = dict(redis.Redis.from_url(redis_url).pubsub_numsub(channel))
    return int(counts[channel.encode()])


def test_a_bad_room_name_is_a_422_not_a_500(servers: tuple[Server, Server]) -> None:
    first, _ = servers
    response = httpx.post(f"{first.base}/rooms/no*room/messages", json={"name": "x", "text": "y"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "room"]
