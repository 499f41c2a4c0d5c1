"""StreamingResponse and EventSourceResponse (Server-Sent Events)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import httpx
import pytest

from fasterapi_core.background import BackgroundTask
from fasterapi_core.sse import EventSourceResponse, ServerSentEvent
from fasterapi_core.streaming import StreamingResponse

pytestmark = pytest.mark.anyio

SCOPE: dict[str, Any] = {"type": "http", "method": "GET", "path": "/", "headers": []}
SCOPE_24: dict[str, Any] = {**SCOPE, "asgi": {"version": "3.0", "spec_version": "2.4"}}


class Recorder:
    """An ASGI ``send`` that records messages and can signal when a body chunk arrives."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.first_chunk = anyio.Event()

    async def __call__(self, message: Any) -> None:
        self.messages.append(dict(message))
        if message["type"] == "http.response.body" and message.get("body"):
            self.first_chunk.set()

    @property
    def bodies(self) -> list[bytes]:
        return [m["body"] for m in self.messages if m["type"] == "http.response.body"]


async def never_disconnect() -> dict[str, Any]:
    await anyio.sleep_forever()
    raise AssertionError  # pragma: no cover


async def test_async_generator_chunks_and_messages_exact() -> None:
    async def numbers() -> AsyncIterator[Any]:
        yield b"one,"
        yield "two,"
        yield memoryview(b"three")

    send = Recorder()
    response = StreamingResponse(numbers(), media_type="text/plain", headers={"X-A": "1"})
    with anyio.fail_after(5):
        await response(SCOPE, never_disconnect, send)
    assert send.messages == [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"x-a", b"1"), (b"content-type", b"text/plain; charset=utf-8")],
        },
        {"type": "http.response.body", "body": b"one,", "more_body": True},
        {"type": "http.response.body", "body": b"two,", "more_body": True},
        {"type": "http.response.body", "body": b"three", "more_body": True},
        {"type": "http.response.body", "body": b"", "more_body": False},
    ]


async def test_chunks_are_sent_as_produced() -> None:
    send = Recorder()

    async def waits_for_its_first_chunk_to_be_sent() -> AsyncIterator[bytes]:
        yield b"a"
        await send.first_chunk.wait()  # deadlocks if chunks were buffered
        yield b"b"

    with anyio.fail_after(5):
        await StreamingResponse(waits_for_its_first_chunk_to_be_sent())(
            SCOPE, never_disconnect, send
        )
    assert send.bodies == [b"a", b"b", b""]


async def test_sync_iterator_runs_in_worker_thread() -> None:
    threads: list[int] = []
    closed: list[bool] = []

    def blocking() -> Iterator[str]:
        try:
            for part in ("x", "y"):
                threads.append(threading.get_ident())
                yield part
        finally:
            closed.append(True)

    send = Recorder()
    with anyio.fail_after(5):
        await StreamingResponse(blocking())(SCOPE, never_disconnect, send)
    assert send.bodies == [b"x", b"y", b""]
    assert threads and all(t != threading.get_ident() for t in threads)
    assert closed == [True]


async def test_sync_list_content() -> None:
    send = Recorder()
    with anyio.fail_after(5):
        await StreamingResponse(["a", b"b"]).to_asgi(send)
    assert send.bodies == [b"a", b"b", b""]
    assert send.messages[0]["headers"] == []


async def test_disconnect_stops_generator_waiting_inside() -> None:
    send = Recorder()
    finished: list[str] = []

    async def forever() -> AsyncIterator[bytes]:
        try:
            yield b"first"
            await anyio.sleep_forever()
            yield b"never"  # pragma: no cover
        finally:
            finished.append("finally")

    async def receive() -> dict[str, Any]:
        await send.first_chunk.wait()
        return {"type": "http.disconnect"}

    with anyio.fail_after(5):
        await StreamingResponse(forever())(SCOPE, receive, send)
    assert finished == ["finally"]
    assert send.bodies == [b"first"]


async def test_disconnect_closes_generator_suspended_at_yield() -> None:
    finished: list[str] = []
    stuck = anyio.Event()
    messages: list[Any] = []

    async def send(message: Any) -> None:
        messages.append(message)
        if message.get("body") == b"2":
            stuck.set()
            await anyio.sleep_forever()  # a slow client: the send never completes

    async def counter() -> AsyncIterator[bytes]:
        try:
            n = 0
            while True:
                n += 1
                yield str(n).encode()
        finally:
            finished.append("finally")

    async def receive() -> dict[str, Any]:
        await stuck.wait()
        return {"type": "http.disconnect"}

    with anyio.fail_after(5):
        await StreamingResponse(counter())(SCOPE, receive, send)
    assert finished == ["finally"]
    assert [m.get("body") for m in messages[1:]] == [b"1", b"2"]


async def test_disconnect_closes_sync_generator() -> None:
    finished: list[str] = []
    send = Recorder()

    def gen() -> Iterator[bytes]:
        try:
            yield b"first"
            while True:
                yield b"more"
        finally:
            finished.append("finally")

    async def receive() -> dict[str, Any]:
        await send.first_chunk.wait()
        return {"type": "http.disconnect"}

    with anyio.fail_after(5):
        await StreamingResponse(gen())(SCOPE, receive, send)
    assert finished == ["finally"]
    assert send.bodies[0] == b"first"
    assert send.messages[-1].get("more_body") is True  # never completed normally


async def test_request_body_messages_are_ignored_while_listening() -> None:
    received = [{"type": "http.request", "body": b"ignored", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if received:
            return received.pop()
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover

    async def gen() -> AsyncIterator[bytes]:
        yield b"ok"

    send = Recorder()
    with anyio.fail_after(5):
        await StreamingResponse(gen())(SCOPE, receive, send)
    assert send.bodies == [b"ok", b""]


async def test_spec_2_4_send_oserror_stops_stream() -> None:
    finished: list[str] = []
    sent: list[Any] = []

    async def send(message: Any) -> None:
        if message.get("body") == b"2":
            raise OSError("client gone")
        sent.append(message)

    async def counter() -> AsyncIterator[bytes]:
        try:
            for n in range(1, 100):
                yield str(n).encode()
        finally:
            finished.append("finally")

    async def receive() -> dict[str, Any]:
        raise AssertionError("ASGI 2.4 streaming must not listen on receive")

    ran: list[str] = []

    async def after() -> None:
        ran.append("background")

    with anyio.fail_after(5):
        await StreamingResponse(counter(), background=BackgroundTask(after))(
            SCOPE_24, receive, send
        )
    assert finished == ["finally"]
    assert [m.get("body") for m in sent[1:]] == [b"1"]
    assert ran == ["background"]


async def test_generator_error_propagates_unwrapped() -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"a"
        raise KeyError("boom")

    with anyio.fail_after(5), pytest.raises(KeyError):
        await StreamingResponse(broken())(SCOPE, never_disconnect, Recorder())


async def test_bad_chunk_type_raises_type_error() -> None:
    async def bad() -> AsyncIterator[Any]:
        yield 123

    with anyio.fail_after(5), pytest.raises(TypeError):
        await StreamingResponse(bad())(SCOPE, never_disconnect, Recorder())


async def test_background_runs_after_stream() -> None:
    order: list[str] = []

    async def gen() -> AsyncIterator[bytes]:
        yield b"x"

    async def send(message: Any) -> None:
        order.append(str(message.get("more_body", "start")))

    def task() -> None:
        order.append("task")

    with anyio.fail_after(5):
        await StreamingResponse(gen(), background=BackgroundTask(task))(
            SCOPE, never_disconnect, send
        )
    assert order == ["start", "True", "False", "task"]


async def test_streaming_through_httpx() -> None:
    async def gen() -> AsyncIterator[str]:
        for i in range(3):
            yield f"line {i}\n"

    app = StreamingResponse(gen(), media_type="text/plain")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        reply = await c.get("/")
    assert reply.status_code == 200
    assert reply.text == "line 0\nline 1\nline 2\n"
    assert "content-length" not in reply.headers


# --- Server-Sent Events ----------------------------------------------------------------------


async def sse_bodies(response: EventSourceResponse) -> list[bytes]:
    send = Recorder()
    with anyio.fail_after(5):
        await response(SCOPE, never_disconnect, send)
    return send.bodies


def test_server_sent_event_encoding_exact() -> None:
    """FastAPI's rules: ``data`` is JSON (a str quoted, as ``json.dumps`` writes it),
    ``raw_data`` is sent as it is, over several ``data:`` lines when multi-line."""
    event = ServerSentEvent(raw_data="line1\nline2\r\nline3", event="update", id="7", retry=3000)
    assert event.encode() == (
        b"event: update\ndata: line1\ndata: line2\ndata: line3\nid: 7\nretry: 3000\n\n"
    )
    assert ServerSentEvent(data="line1\nline2").encode() == b'data: "line1\\nline2"\n\n'
    assert ServerSentEvent(comment="keep\nalive").encode() == b": keep\n: alive\n\n"
    assert ServerSentEvent(data={"a": [1, 2], "é": 1.5}).encode() == (
        b'data: {"a": [1, 2], "\\u00e9": 1.5}\n\n'
    )
    assert ServerSentEvent(data="").encode() == b'data: ""\n\n'
    assert ServerSentEvent(raw_data="").encode() == b"data: \n\n"
    assert ServerSentEvent(data="x").encode("\r\n") == b'data: "x"\r\n\r\n'


@pytest.mark.parametrize(
    "kwargs",
    [
        {"event": "update\ndata: forged"},
        {"event": "a\rb"},
        {"id": "1\n\nevent: x"},
        {"id": "nul\x00"},
        {"retry": -1},
        {"retry": "10"},
    ],
)
def test_server_sent_event_rejects_forgery(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ServerSentEvent(data="x", **kwargs)


async def test_event_source_items_and_headers() -> None:
    async def events() -> AsyncIterator[Any]:
        yield {"data": "hello"}
        yield {"event": "update", "data": "world", "id": "1"}
        yield ServerSentEvent(data=["a", 1], retry=10)  # FastAPI's event: JSON as json.dumps
        yield "plain\ntext"
        yield b"data: raw\n\n"
        yield {"comment": "note"}

    send = Recorder()
    with anyio.fail_after(5):
        await EventSourceResponse(events(), ping=None)(SCOPE, never_disconnect, send)
    assert send.messages[0] == {
        "type": "http.response.start",
        "status": 200,
        "headers": [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-cache"),
            (b"x-accel-buffering", b"no"),
        ],
    }
    assert send.bodies == [
        b"data: hello\n\n",
        b"event: update\ndata: world\nid: 1\n\n",
        b'data: ["a", 1]\nretry: 10\n\n',
        b"data: plain\ndata: text\n\n",
        b"data: raw\n\n",
        b": note\n\n",
        b"",
    ]


async def test_event_source_crlf_separator_and_user_headers() -> None:
    def events() -> Iterator[dict[str, str]]:
        yield {"data": "a\nb"}

    response = EventSourceResponse(
        events(), sep="\r\n", ping=None, headers={"Cache-Control": "no-store", "X-A": "1"}
    )
    assert response.raw_headers == [
        (b"cache-control", b"no-store"),
        (b"x-a", b"1"),
        (b"content-type", b"text/event-stream; charset=utf-8"),
        (b"x-accel-buffering", b"no"),
    ]
    assert await sse_bodies(response) == [b"data: a\r\ndata: b\r\n\r\n", b""]


async def test_event_source_forged_event_in_stream_raises() -> None:
    async def events() -> AsyncIterator[dict[str, str]]:
        yield {"event": "x\ndata: forged", "data": "y"}

    with pytest.raises(ValueError):
        await sse_bodies(EventSourceResponse(events(), ping=None))


async def test_event_source_unknown_dict_key_raises() -> None:
    async def events() -> AsyncIterator[dict[str, str]]:
        yield {"dta": "typo"}

    with pytest.raises(ValueError):
        await sse_bodies(EventSourceResponse(events(), ping=None))


async def test_event_source_pings_when_idle() -> None:
    ping_seen = anyio.Event()
    messages: list[bytes] = []

    async def send(message: Any) -> None:
        body = message.get("body")
        if body is not None:
            messages.append(body)
            if body == b": ping\n\n":
                ping_seen.set()

    async def events() -> AsyncIterator[dict[str, str]]:
        yield {"data": "first"}
        await ping_seen.wait()  # idle until the keep-alive comment went out
        yield {"data": "second"}

    with anyio.fail_after(5):
        await EventSourceResponse(events(), ping=0.01)(SCOPE, never_disconnect, send)
    assert messages[0] == b"data: first\n\n"
    assert messages[-2:] == [b"data: second\n\n", b""]
    assert set(messages[1:-2]) == {b": ping\n\n"}


async def test_event_source_disconnect_stops_generator() -> None:
    send = Recorder()
    finished: list[str] = []

    async def events() -> AsyncIterator[dict[str, str]]:
        try:
            yield {"data": "only"}
            await anyio.sleep_forever()
        finally:
            finished.append("finally")

    async def receive() -> dict[str, Any]:
        await send.first_chunk.wait()
        return {"type": "http.disconnect"}

    with anyio.fail_after(5):
        await EventSourceResponse(events())(SCOPE, receive, send)
    assert finished == ["finally"]
    assert send.bodies == [b"data: only\n\n"]


def test_event_source_rejects_bad_options() -> None:
    with pytest.raises(ValueError):
        EventSourceResponse(iter(()), sep="\t")
    with pytest.raises(ValueError):
        EventSourceResponse(iter(()), ping=0)
