"""EventSourceResponse through a Faster app: event formats, multi-line data, pings, streaming
without buffering, and stopping when the client disconnects."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest

from fasterapi_core import EventSourceResponse
from fasterapi_core.testclient import TestClient
from fasterapi_routing import Faster


def scope_for(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }


def test_dict_str_and_multiline_events_exact() -> None:
    app = Faster()

    @app.get("/stream")
    async def stream() -> EventSourceResponse:
        async def events() -> AsyncIterator[Any]:
            yield {"data": "hello"}
            yield {"event": "update", "data": "world", "id": "1"}
            yield "plain text"
            yield {"data": "line one\nline two\r\nline three", "retry": 500}
            yield {"data": {"json": [1, 2]}}
            yield {"comment": "just a comment"}

        return EventSourceResponse(events(), ping=None)

    response = TestClient(app).get("/stream")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    assert "content-length" not in response.headers
    assert response.text == (
        "data: hello\n\n"
        "event: update\ndata: world\nid: 1\n\n"
        "data: plain text\n\n"
        "data: line one\ndata: line two\ndata: line three\nretry: 500\n\n"
        'data: {"json":[1,2]}\n\n'
        ": just a comment\n\n"
    )


def test_event_field_injection_is_refused() -> None:
    app = Faster()

    @app.get("/evil")
    async def evil() -> EventSourceResponse:
        async def events() -> AsyncIterator[Any]:
            yield {"event": "x\ndata: forged", "data": "d"}

        return EventSourceResponse(events(), ping=None)

    with pytest.raises(ValueError, match="single line"):
        TestClient(app).get("/evil")


@pytest.mark.anyio
async def test_pings_while_idle() -> None:
    app = Faster()

    @app.get("/slow")
    async def slow() -> EventSourceResponse:
        async def events() -> AsyncIterator[Any]:
            yield "first"
            await anyio.sleep(0.35)  # idle time the pinger must fill
            yield "second"

        return EventSourceResponse(events(), ping=0.1)

    bodies: list[bytes] = []

    async def receive() -> Any:
        await anyio.sleep_forever()

    async def send(message: Any) -> None:
        if message["type"] == "http.response.body":
            bodies.append(message.get("body", b""))

    with anyio.fail_after(5):
        await app(scope_for("/slow"), receive, send)
    events = [body for body in bodies if body]
    assert events[0] == b"data: first\n\n"
    assert events[-1] == b"data: second\n\n"
    assert set(events[1:-1]) == {b": ping\n\n"}
    assert len(events[1:-1]) >= 2


@pytest.mark.anyio
async def test_events_are_sent_as_produced_and_stop_on_disconnect() -> None:
    app = Faster()
    first_sent = anyio.Event()
    disconnected = anyio.Event()
    produced: list[int] = []
    closed: list[bool] = []

    @app.get("/live")
    async def live() -> EventSourceResponse:
        async def events() -> AsyncIterator[Any]:
            try:
                yield {"data": "one"}
                # Not buffered: the client has event one before the generator goes on.
                with anyio.fail_after(2):
                    await first_sent.wait()
                n = 0
                while True:  # endless stream: only the disconnect can stop it
                    n += 1
                    produced.append(n)
                    yield {"data": str(n)}
                    await anyio.sleep(0.01)
            finally:
                closed.append(True)

        return EventSourceResponse(events(), ping=None)

    bodies: list[bytes] = []

    async def receive() -> Any:
        await disconnected.wait()
        return {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            bodies.append(message["body"])
            first_sent.set()
            if len(bodies) == 3:
                disconnected.set()

    with anyio.fail_after(5):
        await app(scope_for("/live"), receive, send)
    assert bodies[:3] == [b"data: one\n\n", b"data: 1\n\n", b"data: 2\n\n"]
    assert len(produced) <= 4  # stopped promptly after the disconnect
    assert closed == [True]
