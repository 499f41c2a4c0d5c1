"""Generator endpoints compared byte for byte with FastAPI 0.165: raw chunks with an explicit
``response_class`` (FastAPI's text and image streaming tutorials), JSON Lines and
Server-Sent Events of typed and untyped items, ``ServerSentEvent`` encoding, status codes set
by the route or a dependency, ``default_response_class``; the cases of FastAPI's
tests/test_sse.py, test_stream_*.py and docs_src/stream_data."""

import base64
import typing
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from io import BytesIO
from types import ModuleType
from typing import Any

import anyio
import pytest
from pydantic import BaseModel, ConfigDict
from twins import Twins, sub

import FasterAPI


class Item(BaseModel):
    name: str
    description: str | None = None


ITEMS = [
    Item(name="Plumbus", description="A multi-purpose household device."),
    Item(name="Portal Gun", description="A portal opening device."),
    Item(name="Meeseeks Box"),
]
STORY = "Rick: Morty! Come on.\nMorty: What, Rick?\nRick: Got a surprise for you, Morty.\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def raw_streams(fw: ModuleType) -> Any:
    """docs_src/stream_data/tutorial001 and 002, and their variants."""
    responses = sub(fw, "responses")
    app = fw.FastAPI()

    class PNGStreamingResponse(responses.StreamingResponse):  # type: ignore[misc,name-defined]
        media_type = "image/png"

    @app.get("/story/stream", response_class=responses.StreamingResponse)
    async def stream_story() -> AsyncIterable[str]:
        for line in STORY.splitlines():
            yield line

    @app.get("/story/stream-no-async", response_class=responses.StreamingResponse)
    def stream_story_no_async() -> Iterable[str]:
        yield from STORY.splitlines()

    @app.get("/story/stream-no-annotation", response_class=responses.StreamingResponse)
    async def stream_story_no_annotation():  # type: ignore[no-untyped-def]
        for line in STORY.splitlines():
            yield line

    @app.get("/story/stream-bytes", response_class=responses.StreamingResponse)
    async def stream_story_bytes() -> AsyncIterable[bytes]:
        for line in STORY.splitlines():
            yield line.encode()

    @app.get("/story/stream-no-async-bytes", response_class=responses.StreamingResponse)
    def stream_story_no_async_bytes():  # type: ignore[no-untyped-def]
        for line in STORY.splitlines():
            yield line.encode()

    @app.get("/image/stream", response_class=PNGStreamingResponse)
    async def stream_image() -> AsyncIterable[bytes]:
        with BytesIO(PNG) as image:
            for chunk in image:
                yield chunk

    @app.get("/image/stream-no-async-yield-from", response_class=PNGStreamingResponse)
    def stream_image_yield_from() -> Iterable[bytes]:
        with BytesIO(PNG) as image:
            yield from image

    def extra_header(response: fw.Response) -> None:  # type: ignore[name-defined]
        response.headers["x-extra"] = "1"

    @app.get(
        "/text/plain",
        response_class=responses.StreamingResponse,
        status_code=201,
        dependencies=[fw.Depends(extra_header)],
    )
    async def with_headers(response: fw.Response) -> AsyncIterable[str]:  # type: ignore[name-defined]
        response.headers["x-late"] = "too late: the generator runs after the headers are sent"
        yield "é"

    @app.get("/not-streaming-class", response_class=responses.PlainTextResponse)
    async def plain_class() -> AsyncIterable[str]:
        yield "x"  # FastAPI gives the generator to PlainTextResponse: a server error

    @app.get("/bad-chunk", response_class=responses.StreamingResponse)
    async def bad_chunk():  # type: ignore[no-untyped-def]
        yield 1

    return app


RAW_PATHS = [
    "/story/stream",
    "/story/stream-no-async",
    "/story/stream-no-annotation",
    "/story/stream-bytes",
    "/story/stream-no-async-bytes",
    "/image/stream",
    "/image/stream-no-async-yield-from",
    "/text/plain",
    "/not-streaming-class",
]


@pytest.fixture(scope="module")
def raw() -> Iterator[Twins]:
    twins = Twins(raw_streams, headers=("content-type", "content-length", "x-extra", "x-late"))
    yield twins
    twins.close()


@pytest.mark.parametrize("path", RAW_PATHS)
def test_raw_chunks_with_the_response_class(raw: Twins, path: str) -> None:
    raw.get(path)


def test_raw_chunks_are_the_body(raw: Twins) -> None:
    """Regression: these answered ``application/jsonl`` with each chunk JSON-quoted."""
    story = raw.get("/story/stream")
    assert story.text == STORY.replace("\n", "")
    assert "content-type" not in story.headers
    image = raw.get("/image/stream")
    assert (image.headers["content-type"], image.content) == ("image/png", PNG)
    extra = raw.get("/text/plain")
    assert (extra.status_code, extra.headers["x-extra"], extra.text) == (201, "1", "é")


def test_raw_stream_of_a_wrong_chunk_stops(raw: Twins) -> None:
    ours, theirs = (client.get("/bad-chunk") for client in (raw.ours, raw.theirs))
    assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content) == (200, b"")


def test_raw_streams_documented_as_fastapi(raw: Twins) -> None:
    paths = raw.openapi()["paths"]
    assert paths["/story/stream"]["get"]["responses"]["200"] == {
        "description": "Successful Response"
    }
    assert paths["/image/stream"]["get"]["responses"]["200"]["content"] == {
        "image/png": {"schema": {"type": "string"}}
    }


class Configured(BaseModel):
    model_config = ConfigDict(ser_json_inf_nan="strings")
    value: float


NON_FINITE = [
    float("nan"),
    float("inf"),
    {"nested": [[float("-inf")], {"value": float("nan")}]},
    Item(name="model"),
    {"text": "é ü", "keys": {None: "null key", float("inf"): "infinite key"}, "n": 1.5},
]


def item_streams(fw: ModuleType) -> Any:
    """FastAPI's tests/test_sse.py, test_stream_bare_type.py and test_stream_non_finite_floats.py."""
    sse = sub(fw, "sse")
    events = sse.EventSourceResponse
    event = sse.ServerSentEvent
    app = fw.FastAPI()

    @app.get("/items/stream", response_class=events)
    async def sse_items() -> AsyncIterable[Item]:
        for item in ITEMS:
            yield item

    @app.get("/items/stream-sync", response_class=events)
    def sse_items_sync() -> Iterable[Item]:
        yield from ITEMS

    @app.get("/items/stream-no-annotation", response_class=events)
    async def sse_items_no_annotation():  # type: ignore[no-untyped-def]
        for item in ITEMS:
            yield item

    @app.get("/items/stream-dict", response_class=events)
    async def sse_items_dict():  # type: ignore[no-untyped-def]
        for item in ITEMS:
            yield {"name": item.name, "description": item.description}

    @app.get("/items/stream-sse-event", response_class=events)
    async def sse_items_event():  # type: ignore[no-untyped-def]
        yield event(data="hello", event="greeting", id="1")
        yield event(data={"key": "value", "é": [1, 2.5]}, event="json-data", id="2")
        yield event(comment="just a comment\nsecond line")
        yield event(data="retry-test", retry=5000)
        yield event(data=Item(name="model"))
        yield event(data=b"bytes")

    @app.get("/items/stream-mixed", response_class=events)
    async def sse_items_mixed() -> AsyncIterable[Item]:
        for item in ITEMS:
            yield item
        yield event(data="custom-event", event="special")
        yield ITEMS[1]

    @app.post("/items/stream-post", response_class=events)
    async def sse_items_post() -> AsyncIterable[Item]:
        for item in ITEMS:
            yield item

    @app.get("/items/stream-raw", response_class=events)
    async def sse_items_raw():  # type: ignore[no-untyped-def]
        yield event(raw_data="plain text without quotes")
        yield event(raw_data="<div>html\nfragment</div>", event="html")

    @app.get("/items/stream-bare-async")
    async def stream_bare_async() -> typing.AsyncIterable:  # type: ignore[type-arg]
        yield {"name": "foo", "é": "ü"}

    @app.get("/items/stream-bare-sync")
    def stream_bare_sync() -> typing.Iterable:  # type: ignore[type-arg]
        yield {"name": "bar"}

    @app.get("/jsonl-exclude-none", response_model_exclude_none=True)
    async def exclude_none() -> AsyncIterable[Item]:
        yield Item(name="foo")

    @app.get("/untyped-jsonl")
    @app.get("/untyped-sse", response_class=events)
    async def untyped():  # type: ignore[no-untyped-def]
        for item in NON_FINITE:
            yield item

    @app.get("/untyped-sse-events", response_class=events)
    async def untyped_events():  # type: ignore[no-untyped-def]
        for item in NON_FINITE:
            yield event(data=item)

    @app.get("/configured-jsonl")
    @app.get("/configured-sse", response_class=events)
    async def configured() -> AsyncIterator[Configured]:
        yield Configured(value=float("nan"))

    @app.get("/configured-sse-events", response_class=events)
    async def configured_events():  # type: ignore[no-untyped-def]
        yield event(data=Configured(value=float("nan")))
        yield event(raw_data="NaN")

    @app.get("/items/stream-invalid")
    async def stream_invalid() -> AsyncIterable[Item]:
        yield {"name": "valid"}
        yield {"name": 1}

    return app


ITEM_PATHS = [
    ("GET", "/items/stream"),
    ("GET", "/items/stream-sync"),
    ("GET", "/items/stream-no-annotation"),
    ("GET", "/items/stream-dict"),
    ("GET", "/items/stream-sse-event"),
    ("GET", "/items/stream-mixed"),
    ("POST", "/items/stream-post"),
    ("GET", "/items/stream-raw"),
    ("GET", "/items/stream-bare-async"),
    ("GET", "/items/stream-bare-sync"),
    ("GET", "/jsonl-exclude-none"),
    ("GET", "/untyped-jsonl"),
    ("GET", "/untyped-sse"),
    ("GET", "/untyped-sse-events"),
    ("GET", "/configured-jsonl"),
    ("GET", "/configured-sse"),
    ("GET", "/configured-sse-events"),
    ("GET", "/items/stream-invalid"),
]


@pytest.fixture(scope="module")
def items() -> Iterator[Twins]:
    twins = Twins(item_streams, headers=("content-type", "cache-control", "x-accel-buffering"))
    yield twins
    twins.close()


@pytest.mark.parametrize(("method", "path"), ITEM_PATHS)
def test_item_streams_match_fastapi(items: Twins, method: str, path: str) -> None:
    items.check(method, path)


def test_event_data_is_always_json(items: Twins) -> None:
    """Regression: ``ServerSentEvent(data="hello")`` sent ``data: hello``; FastAPI quotes it,
    and writes untyped data as ``json.dumps`` does."""
    text = items.get("/items/stream-sse-event").text
    assert 'event: greeting\ndata: "hello"\nid: 1\n\n' in text
    assert 'data: {"key": "value", "\\u00e9": [1, 2.5]}\n' in text
    assert ": just a comment\n: second line\n\n" in text
    assert 'data: {"name":"model","description":null}\n\n' in text
    assert 'data: "bytes"\n\n' in text
    raw = items.get("/items/stream-raw").text
    assert raw == (
        "data: plain text without quotes\n\n"
        "event: html\ndata: <div>html\ndata: fragment</div>\n\n"
    )


def test_untyped_items_as_fastapi_writes_them(items: Twins) -> None:
    lines = items.get("/untyped-jsonl").text.splitlines()
    assert lines[0] == "null"
    assert lines[2] == '{"nested": [[null], {"value": null}]}'
    assert lines[3] == '{"name": "model", "description": null}'
    assert items.get("/jsonl-exclude-none").text == '{"name":"foo"}\n'


def test_item_streams_documented_as_fastapi(items: Twins) -> None:
    items.openapi()


def status_codes(fw: ModuleType) -> Any:
    """FastAPI's tests/test_stream_status_code.py."""
    responses = sub(fw, "responses")
    events = sub(fw, "sse").EventSourceResponse
    app = fw.FastAPI()

    def set_accepted(response: fw.Response) -> None:  # type: ignore[name-defined]
        response.status_code = 202
        response.headers["x-set"] = "yes"

    accepted = [fw.Depends(set_accepted)]

    @app.post("/sse", response_class=events, status_code=201)
    async def sse() -> AsyncIterable[dict[str, str]]:
        yield {"message": "created"}

    @app.post("/jsonl", status_code=201)
    async def jsonl() -> AsyncIterable[dict[str, str]]:
        yield {"message": "created"}

    @app.post("/raw", response_class=responses.StreamingResponse, status_code=201)
    async def raw() -> AsyncIterable[str]:
        yield "accepted"

    @app.post("/sse-dependency", response_class=events, dependencies=accepted)
    async def sse_dependency() -> AsyncIterable[dict[str, str]]:
        yield {"message": "accepted"}

    @app.post("/jsonl-dependency", status_code=201, dependencies=accepted)
    async def jsonl_dependency() -> AsyncIterable[dict[str, str]]:
        yield {"message": "overridden"}

    @app.post(
        "/raw-dependency",
        response_class=responses.StreamingResponse,
        status_code=201,
        dependencies=accepted,
    )
    async def raw_dependency() -> AsyncIterable[str]:
        yield "overridden"

    return app


@pytest.mark.parametrize(
    "path",
    ["/sse", "/jsonl", "/raw", "/sse-dependency", "/jsonl-dependency", "/raw-dependency"],
)
def test_status_codes_match_fastapi(path: str) -> None:
    twins = Twins(status_codes, headers=("content-type", "x-set", "cache-control"))
    try:
        response = twins.post(path)
    finally:
        twins.close()
    assert response.status_code == (202 if "dependency" in path else 201)


def default_classes(fw: ModuleType) -> Any:
    """FastAPI's default_response_class cases of tests/test_sse.py (the class of the app or
    router the route is declared on)."""
    events = sub(fw, "sse").EventSourceResponse
    app = fw.FastAPI(default_response_class=events)
    router = fw.APIRouter(default_response_class=events)

    async def stream() -> AsyncIterable[Item]:
        for item in ITEMS:
            yield item

    router.add_api_route("/stream", stream)
    app.add_api_route("/stream", stream)
    app.include_router(router, prefix="/router")
    return app


def test_default_response_class_streams_events() -> None:
    twins = Twins(default_classes, headers=("content-type", "cache-control"))
    try:
        for path in ("/stream", "/router/stream"):
            response = twins.get(path)
            assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        twins.openapi()
    finally:
        twins.close()


def test_format_sse_event_is_fastapis() -> None:
    """``fastapi.sse.format_sse_event``: same keyword-only signature, same bytes."""
    import fastapi.sse

    from FasterAPI.sse import format_sse_event

    cases: list[dict[str, Any]] = [
        {"data_str": "Hello\n"},
        {"data_str": "Hello\n\n"},
        {"data_str": "\n"},
        {"data_str": "Hello\r\nWorld"},
        {"data_str": "Hello\rWorld"},
        {"data_str": "A\u2028B"},
        {"data_str": "A\vB"},
        {"data_str": ""},
        {"comment": "hi\n"},
        {},
        {"data_str": '{"a": 1}', "event": "e", "id": "7", "retry": 10, "comment": "c\r\nd"},
    ]
    for case in cases:
        assert format_sse_event(**case) == fastapi.sse.format_sse_event(**case), case
    assert format_sse_event(data_str="Hello\r\nWorld") == b"data: Hello\ndata: World\n\n"
    with pytest.raises(TypeError):
        format_sse_event("positional")  # type: ignore[misc]
    assert FasterAPI.sse.KEEPALIVE_COMMENT == fastapi.sse.KEEPALIVE_COMMENT


def test_server_sent_event_checks_as_fastapi() -> None:
    from FasterAPI.sse import ServerSentEvent

    with pytest.raises(ValueError, match="Cannot set both"):
        ServerSentEvent(data="json", raw_data="raw")
    with pytest.raises(ValueError, match="null"):  # FastAPI's message
        ServerSentEvent(data="test", id="has\0null")
    for field in ("event", "id"):
        for value in ("first\nsecond", "first\rsecond", "first\r\nsecond"):
            with pytest.raises(ValueError, match=f"SSE '{field}' must be a single line"):
                ServerSentEvent(data="test", **{field: value})
    for retry in (-1, 1.5):
        with pytest.raises(ValueError):
            ServerSentEvent(data="test", retry=retry)  # type: ignore[arg-type]
    event = ServerSentEvent(raw_data="r")
    assert (event.data, event.raw_data) == (None, "r")


def cancellable(fw: ModuleType) -> Any:
    """FastAPI's tests/test_stream_cancellation.py: generators that never wait."""
    responses = sub(fw, "responses")
    app = fw.FastAPI()

    @app.get("/stream-raw", response_class=responses.StreamingResponse)
    async def stream_raw() -> AsyncIterable[str]:
        i = 0
        while True:
            yield f"item {i}\n"
            i += 1

    @app.get("/stream-jsonl")
    async def stream_jsonl() -> AsyncIterable[int]:
        i = 0
        while True:
            yield i
            i += 1

    return app


@pytest.mark.anyio
@pytest.mark.parametrize("path", ["/stream-raw", "/stream-jsonl"])
async def test_busy_generators_can_be_cancelled(path: str) -> None:
    app = cancellable(FasterAPI)
    chunks: list[bytes] = []

    async def receive() -> Any:
        await anyio.sleep_forever()

    async def send(message: Any) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.0"},
        "http_version": "1.1",
        "method": "GET",
        "path": path,
        "query_string": b"",
        "root_path": "",
        "headers": [],
        "server": ("test", 80),
    }
    with anyio.fail_after(10):  # the generator never waits: only a checkpoint lets this end
        with anyio.move_on_after(0.2) as cancel:
            await app(scope, receive, send)
    assert cancel.cancelled_caught
    assert len(chunks) > 1
