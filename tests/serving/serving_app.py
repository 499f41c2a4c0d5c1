"""A small app exercising what differs between servers: streaming, SSE, WebSocket echo, large
uploads, redirects, cookies, HEAD, 405, 422, a 500, lifespan state and request metadata."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import msgspec

from FasterAPI import (
    Cookie,
    EventSourceResponse,
    Faster,
    Header,
    PlainTextResponse,
    RedirectResponse,
    Request,
    Response,
    StreamingResponse,
    WebSocket,
    WebSocketDisconnect,
)

STARTED: list[str] = []


@asynccontextmanager
async def lifespan(app: Faster) -> AsyncIterator[dict[str, Any]]:
    STARTED.append("up")
    yield {"greeting": "hello from lifespan", "release": asyncio.Event()}


app = Faster(title="serving", lifespan=lifespan)


class Item(msgspec.Struct, forbid_unknown_fields=True):
    """A validated body."""

    name: Annotated[str, msgspec.Meta(min_length=1)]
    price: Annotated[float, msgspec.Meta(ge=0)]


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/state")
async def state(request: Request) -> dict[str, str]:
    return {"greeting": request.state.greeting}


@app.get("/echo/{name}")
async def echo(name: str, request: Request, q: str | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "q": q,
        "path": request.url.path,
        "query": str(request.url.query),
        "method": request.method,
        "scheme": request.url.scheme,
        "client_host": request.client.host if request.client else None,
        "root_path": request.scope.get("root_path", ""),
        "http_version": request.scope.get("http_version"),
    }


@app.get("/client")
async def client(request: Request) -> dict[str, Any]:
    address = request.scope["client"]
    return {"host": address[0], "port_type": type(address[1]).__name__}


@app.get("/headers")
async def headers(
    request: Request, x_token: Annotated[list[str] | None, Header()] = None
) -> dict[str, Any]:
    return {"x_token": x_token, "host": request.headers.get("host") is not None}


@app.post("/items", status_code=201)
async def create(item: Item) -> Item:
    return item


@app.put("/items/{item_id}")
async def replace(item_id: int, item: Item) -> dict[str, Any]:
    return {"id": item_id, "name": item.name}


@app.post("/upload")
async def upload(request: Request) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    async for chunk in request.stream():
        digest.update(chunk)
        size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


@app.get("/redirect")
async def redirect() -> RedirectResponse:
    return RedirectResponse("/health", status_code=307)


@app.get("/cookies/set")
async def set_cookie() -> Response:
    response = PlainTextResponse("set")
    response.set_cookie("session", "abc", httponly=True, samesite="lax")
    response.set_cookie("theme", "dark", max_age=60)
    return response


@app.get("/cookies/read")
async def read_cookie(
    session: Annotated[str | None, Cookie()] = None, theme: Annotated[str | None, Cookie()] = None
) -> dict[str, str | None]:
    return {"session": session, "theme": theme}


@app.get("/text")
async def text() -> PlainTextResponse:
    return PlainTextResponse("héllo wörld", headers={"x-multi": "1"})


@app.get("/empty", status_code=204)
async def empty() -> None:
    return None


@app.get("/boom")
async def boom() -> dict[str, str]:
    raise RuntimeError("boom")


@app.get("/stream")
async def stream() -> StreamingResponse:
    async def chunks() -> AsyncIterator[bytes]:
        for index in range(5):
            yield f"chunk{index}\n".encode()

    return StreamingResponse(chunks(), media_type="text/plain")


@app.get("/stream/held")
async def held(request: Request) -> StreamingResponse:
    """First chunk, then wait until ``/release`` is called: proves incremental delivery."""
    release: asyncio.Event = request.state.release
    release.clear()

    async def chunks() -> AsyncIterator[bytes]:
        yield b"first\n"
        await release.wait()
        yield b"second\n"

    return StreamingResponse(chunks(), media_type="text/plain")


@app.post("/release")
async def release_stream(request: Request) -> dict[str, bool]:
    request.state.release.set()
    return {"released": True}


@app.get("/sse")
async def sse() -> EventSourceResponse:
    async def events() -> AsyncIterator[dict[str, Any]]:
        for index in range(3):
            yield {"event": "tick", "id": str(index), "data": f"n={index}"}

    return EventSourceResponse(events(), ping=None)


@app.websocket("/ws")
async def ws_echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") is not None:
                if message["text"] == "close":
                    await websocket.close()
                    return
                await websocket.send_text("echo:" + message["text"])
            else:
                await websocket.send_bytes(b"echo:" + message["bytes"])
    except WebSocketDisconnect:
        return


@app.websocket("/ws/refused")
async def ws_refused(websocket: WebSocket) -> None:
    await websocket.close(code=1008)
