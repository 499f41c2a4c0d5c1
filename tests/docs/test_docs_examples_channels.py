"""docs/examples/channels_chat.py (guide/channels.md) through the TestClient: the room on
memory:// and on a real redis-server, two app instances (two workers) sharing one Redis."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import ModuleType

import pytest

from FasterAPI import TestClient

Load = Callable[[str], ModuleType]


def without_pings(lines: Iterator[str]) -> Iterator[str]:
    """An event stream's lines without the ``: ping`` comments (and their blank lines)."""
    for line in lines:
        if line == ": ping":
            next(lines)
            continue
        yield line


def test_chat_room_in_one_process(load_example: Load) -> None:
    example = load_example("channels_chat")
    with TestClient(example.app) as client:
        with client.websocket_connect("/rooms/lobby/ws?name=alice") as alice:
            assert alice.receive_json() == {"event": "joined", "name": "alice"}
            with client.websocket_connect("/rooms/lobby/ws?name=bob") as bob:
                assert bob.receive_json() == {"event": "joined", "name": "bob"}
                assert alice.receive_json() == {"event": "joined", "name": "bob"}
                bob.send_text("yo")
                said = {"event": "message", "name": "bob", "text": "yo"}
                assert (alice.receive_json(), bob.receive_json()) == (said, said)
                posted = client.post("/rooms/lobby/messages", json={"name": "eve", "text": "hi"})
                assert (posted.status_code, posted.json()) == (200, {"sent": True})
                said = {"event": "message", "name": "eve", "text": "hi"}
                assert (alice.receive_json(), bob.receive_json()) == (said, said)
            assert alice.receive_json() == {"event": "left", "name": "bob"}
        assert (
            client.post("/rooms/bad room/messages", json={"name": "x", "text": "y"}).status_code
            == 422
        )


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_sse_stream_receives_posted_messages(
    load_example: Load, backend: str, request: pytest.FixtureRequest
) -> None:
    url = "memory://" if backend == "memory" else request.getfixturevalue("redis_url")
    example = load_example("channels_chat")
    with (
        TestClient(example.create_app(url)) as client,
        client.stream("GET", "/rooms/news/events") as response,
    ):
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        lines = without_pings(response.iter_lines())
        assert [next(lines), next(lines), next(lines)] == ["event: ready", "data: news", ""]
        client.post("/rooms/news/messages", json={"name": "eve", "text": "one"})
        assert [next(lines), next(lines), next(lines)] == [
            "event: message",
            'data: {"event":"message","name":"eve","text":"one"}',
            "",
        ]


def test_two_app_instances_share_the_room_through_redis(load_example: Load, redis_url: str) -> None:
    example = load_example("channels_chat")
    with (
        TestClient(example.create_app(redis_url)) as worker_a,
        TestClient(example.create_app(redis_url)) as worker_b,
        worker_a.websocket_connect("/rooms/lobby/ws?name=alice") as alice,
    ):
        assert alice.receive_json() == {"event": "joined", "name": "alice"}
        with worker_b.websocket_connect("/rooms/lobby/ws?name=bob") as bob:
            assert bob.receive_json() == {"event": "joined", "name": "bob"}
            assert alice.receive_json() == {"event": "joined", "name": "bob"}
            alice.send_text("across workers")
            said = {"event": "message", "name": "alice", "text": "across workers"}
            assert (alice.receive_json(), bob.receive_json()) == (said, said)
