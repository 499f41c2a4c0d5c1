"""A route whose only parameter is its body reads it on a fast path; a route with more
parameters reads it through ``Request``. Both must answer every message sequence alike."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from FasterAPI import Faster, Limits

pytestmark = pytest.mark.anyio


class Item(msgspec.Struct):
    name: str
    size: int


def make_app() -> Faster:
    app = Faster(openapi_url=None, limits=Limits(max_body_size=64, max_json_depth=4))

    @app.post("/only-body", status_code=201)
    async def only_body(item: Item) -> Item:
        return item

    @app.post("/body-and-query", status_code=201)
    async def body_and_query(item: Item, tag: str = "x") -> Item:
        return item

    return app


def scope_for(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }


async def call(
    app: Faster, path: str, messages: list[dict[str, Any]], headers: list[tuple[bytes, bytes]]
) -> tuple[int, bytes]:
    inbox = list(messages)
    status, chunks = 0, []

    async def receive() -> dict[str, Any]:
        return inbox.pop(0) if inbox else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        else:
            chunks.append(message.get("body", b""))

    await app(scope_for(path, headers), receive, send)
    return status, b"".join(chunks)


def body(data: bytes, more: bool = False) -> dict[str, Any]:
    return {"type": "http.request", "body": data, "more_body": more}


JSON = [(b"content-type", b"application/json")]
TOO_LARGE = b'{"detail":"Request body exceeded maximum size of 64 bytes."}'
CASES = {
    "one message": ([body(b'{"name":"a","size":1}')], JSON),
    "three messages": ([body(b'{"name":', True), body(b'"a","si', True), body(b'ze":1}')], JSON),
    "empty last message": ([body(b'{"name":"a","size":1}', True), body(b"")], JSON),
    "declared length over the limit": (
        [body(b"{}")],
        [*JSON, (b"content-length", b"65")],
    ),
    "declared length not a number": ([body(b"{}")], [*JSON, (b"content-length", b"ten")]),
    "one message over the limit": ([body(b'{"name":"' + b"a" * 70 + b'","size":1}')], JSON),
    "chunks over the limit": ([body(b'{"name":"' + b"a" * 40, True), body(b"a" * 40)], JSON),
    "too deep": ([body(b'{"name":[[[[["x"]]]]],"size":1}')], JSON),
    "too deep but not JSON": (
        [body(b'{"name":[[[[["x"]]]]],"size":1}')],
        [(b"content-type", b"text/plain")],
    ),
    "invalid JSON": ([body(b'{"name":')], JSON),
    "no body": ([body(b"")], JSON),
    "wrong type": ([body(b'{"name":"a","size":"big"}')], JSON),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_both_reading_paths_answer_alike(case: str) -> None:
    messages, headers = CASES[case]
    app = make_app()
    fast = await call(app, "/only-body", messages, headers)
    general = await call(app, "/body-and-query", messages, headers)
    assert fast == general


async def test_expected_answers() -> None:
    app = make_app()
    answers = {
        case: await call(app, "/only-body", *CASES[case])
        for case in ("three messages", "declared length over the limit", "chunks over the limit")
    }
    assert answers == {
        "three messages": (201, b'{"name":"a","size":1}'),
        "declared length over the limit": (413, TOO_LARGE),
        "chunks over the limit": (413, TOO_LARGE),
    }
