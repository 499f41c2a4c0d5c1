"""Incremental delivery, WebSockets and lifespan on every server, over real sockets."""

from __future__ import annotations

import httpx
import pytest
from serving_support import Served
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect


def test_streamed_chunks_arrive_before_the_response_ends(served: Served) -> None:
    client = httpx.Client(base_url=served.base, timeout=10)
    with client, client.stream("GET", "/stream/held") as response:
        assert response.status_code == 200
        chunks = response.iter_raw()
        # The endpoint waits for /release before its second chunk: receiving the first
        # one proves it was delivered while the response was still open.
        assert next(chunks) == b"first\n"
        released = httpx.post(f"{served.base}/release", timeout=10)
        assert released.json() == {"released": True}
        assert b"".join(chunks) == b"second\n"


def test_websocket_echo_text_and_bytes(served: Served) -> None:
    with connect(f"ws://127.0.0.1:{served.port}/ws", open_timeout=10) as websocket:
        websocket.send("hello")
        assert websocket.recv(timeout=10) == "echo:hello"
        websocket.send(b"\x00\x01")
        assert websocket.recv(timeout=10) == b"echo:\x00\x01"
        for index in range(20):
            websocket.send(f"m{index}")
        assert [websocket.recv(timeout=10) for _ in range(20)] == [
            f"echo:m{index}" for index in range(20)
        ]
        websocket.send("close")
        with pytest.raises(ConnectionClosed) as closed:
            websocket.recv(timeout=10)
        # RSGI cannot carry a close code: granian sends a close frame without one (1005).
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == (1005 if served.name == "granian" else 1000)
    # The server is still serving after the client and the app closed.
    assert httpx.get(f"{served.base}/health", timeout=10).status_code == 200


def test_websocket_closed_before_accept_is_refused_with_403(served: Served) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://127.0.0.1:{served.port}/ws/refused", open_timeout=10)
    assert refused.value.response.status_code == 403
    assert httpx.get(f"{served.base}/health", timeout=10).status_code == 200


def test_lifespan_state_reaches_requests(served: Served) -> None:
    response = httpx.get(f"{served.base}/state", timeout=10)
    assert response.json() == {"greeting": "hello from lifespan"}
