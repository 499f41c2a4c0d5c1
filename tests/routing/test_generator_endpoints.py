"""Generator endpoints (FastAPI 0.134+): items streamed as JSON Lines, or as Server-Sent
Events with ``response_class=EventSourceResponse``; validated as the annotation's item type,
documented with ``itemSchema``. Compared with FastAPI."""

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Annotated, Any

import fastapi
import fastapi.sse
import pytest
from fastapi.testclient import TestClient as FastAPIClient
from pydantic import BaseModel

import FasterAPI
from FasterAPI.testclient import TestClient


class Item(BaseModel):
    name: str
    price: float = 0


def build(fw: Any, app_cls: Any, events: Any) -> tuple[Any, list[str]]:
    log: list[str] = []
    app = app_cls()

    async def resource() -> AsyncIterator[str]:
        log.append("open")
        yield "db"
        log.append("close")

    @app.get("/lines")
    async def lines(n: int = 2) -> AsyncIterable[Item]:
        for index in range(n):
            yield Item(name=f"item{index}", price=index)

    @app.get("/dicts")
    async def dicts() -> AsyncIterator[Item]:
        yield {"name": "from a dict", "price": "1.5"}

    @app.get("/sync")
    def sync_lines() -> Iterable[Item]:
        yield Item(name="sync")

    @app.get("/invalid")
    async def invalid() -> AsyncIterable[Item]:
        yield {"price": 1}

    @app.get("/held")
    async def held(db: Annotated[str, fw.Depends(resource)]) -> AsyncIterable[dict[str, str]]:
        log.append("first item")
        yield {"db": db}
        log.append("after last item")

    @app.get("/events", response_class=events)
    async def event_items() -> AsyncIterable[Item]:
        yield Item(name="a")
        yield Item(name="b", price=2)

    @app.get("/sync-events", response_class=events)
    def sync_events() -> Iterator[Item]:
        yield Item(name="s")

    @app.get("/needs-int")
    async def needs_int(n: int) -> AsyncIterable[int]:
        yield n

    return app, log


OURS, OURS_LOG = build(FasterAPI, FasterAPI.Faster, FasterAPI.EventSourceResponse)
THEIRS, THEIRS_LOG = build(fastapi, fastapi.FastAPI, fastapi.sse.EventSourceResponse)
CLIENTS = (
    TestClient(OURS, raise_server_exceptions=False),
    FastAPIClient(THEIRS, raise_server_exceptions=False),
)


@pytest.mark.parametrize(
    "path",
    [
        "/lines",
        "/lines?n=0",
        "/dicts",
        "/sync",
        "/invalid",
        "/held",
        "/events",
        "/sync-events",
        "/needs-int?n=x",
        "/needs-int?n=3",
    ],
)
def test_streams_match_fastapi(path: str) -> None:
    ours, theirs = (client.get(path) for client in CLIENTS)
    assert (ours.status_code, ours.headers["content-type"], ours.text) == (
        theirs.status_code,
        theirs.headers["content-type"],
        theirs.text,
    )


def test_json_lines_and_events() -> None:
    client = CLIENTS[0]
    lines = client.get("/lines?n=3")
    assert lines.headers["content-type"] == "application/jsonl"
    assert lines.text == (
        '{"name":"item0","price":0.0}\n{"name":"item1","price":1.0}\n{"name":"item2","price":2.0}\n'
    )
    events = client.get("/events")
    assert events.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert events.text == 'data: {"name":"a","price":0.0}\n\ndata: {"name":"b","price":2.0}\n\n'


def test_yield_dependencies_stay_open_until_the_stream_ends() -> None:
    OURS_LOG.clear()
    assert CLIENTS[0].get("/held").text == '{"db":"db"}\n'
    assert OURS_LOG == ["open", "first item", "after last item", "close"]


def test_documented_as_in_fastapi() -> None:
    ours = OURS.openapi()
    theirs = THEIRS.openapi()
    assert ours["paths"] == theirs["paths"]
    assert ours["components"] == theirs["components"]
    assert ours["paths"]["/lines"]["get"]["responses"]["200"]["content"] == {
        "application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Item"}}
    }


def test_server_sent_event_items_are_sent_as_they_are() -> None:
    def build(fw: Any, events: Any, event: Any) -> Any:
        app = fw.FastAPI()

        @app.get("/custom", response_class=events)
        async def custom():  # type: ignore[no-untyped-def]
            yield event(data={"x": 1}, event="tick", id="1", retry=1000)
            yield event(raw_data="raw\nline", comment="hi")
            yield event(data="quoted")

        return app

    ours = build(FasterAPI, FasterAPI.EventSourceResponse, FasterAPI.ServerSentEvent)
    theirs = build(fastapi, fastapi.sse.EventSourceResponse, fastapi.sse.ServerSentEvent)
    response = TestClient(ours).get("/custom")
    assert response.text == FastAPIClient(theirs).get("/custom").text
    assert response.text == (
        'event: tick\ndata: {"x": 1}\nid: 1\nretry: 1000\n\n: hi\ndata: raw\ndata: line\n\n'
        'data: "quoted"\n\n'
    )
    content = ours.openapi()["paths"]["/custom"]["get"]["responses"]["200"]["content"]
    assert content["text/event-stream"]["itemSchema"]["properties"]["data"] == {"type": "string"}
    assert ours.openapi()["paths"] == theirs.openapi()["paths"]
    with pytest.raises(ValueError, match="Cannot set both"):
        FasterAPI.ServerSentEvent(data="a", raw_data="b")
