"""A body read through Starlette's ``Request`` (a parameter annotated with it, or
``fastapi.Request`` where the stand-in keeps a real Starlette) stays within the route's
``max_body_size``, as on FastAPI: the same application on both, the same answers."""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from starlette.requests import Request as StarletteRequest
from twins import Twins, sub

HEADERS = ("content-type", "content-length")


def app(fw: ModuleType) -> Any:
    app = fw.FastAPI(max_body_size=5)

    async def echo(request: StarletteRequest) -> Any:
        return sub(fw, "responses").PlainTextResponse(await request.body())

    async def streamed(request: StarletteRequest) -> Any:
        return {"received": b"".join([chunk async for chunk in request.stream()]).decode()}

    app.post("/")(echo)
    app.post("/streamed")(streamed)
    app.post("/route", max_body_size=8)(echo)
    return app


class Chunks:
    """A body sent without ``Content-Length`` (chunked), to each twin: only the bytes
    received count."""

    def __init__(self, *parts: bytes) -> None:
        self.parts = parts

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.parts)


@pytest.mark.parametrize("path", ["/", "/streamed", "/route"])
@pytest.mark.parametrize(
    "body",
    [b"12345", b"123456", b"12345678", b"123456789", b""],
    ids=["5", "6", "8", "9", "empty"],
)
def test_declared_length(path: str, body: bytes) -> None:
    twins = Twins(app, headers=HEADERS)
    answer = twins.post(path, content=body)
    limit = 8 if path == "/route" else 5
    assert answer.status_code == (413 if len(body) > limit else 200)


@pytest.mark.parametrize("path", ["/", "/streamed", "/route"])
@pytest.mark.parametrize(
    "parts", [(b"12", b"345"), (b"12345",), (b"123", b"456"), (b"1234", b"56789")]
)
def test_chunked_body_counts_the_bytes_received(path: str, parts: tuple[bytes, ...]) -> None:
    twins = Twins(app, headers=HEADERS)
    answer = twins.post(path, content=Chunks(*parts))
    limit = 8 if path == "/route" else 5
    assert answer.status_code == (413 if sum(map(len, parts)) > limit else 200)
    if answer.status_code == 413:
        assert answer.json() == {"detail": "Content Too Large"}
