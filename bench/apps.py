"""The same small API written for each framework, plus a hand-written raw ASGI app (the floor).

Endpoints (identical status and JSON body in every app):
- ``GET /health`` → ``{"status":"ok"}``
- ``GET /users/{user_id}`` (int) → ``{"id": ..., "name": "user<id>"}``
- ``POST /users`` with a validated 4-field body → the created user (201)
- ``GET /search?q=&limit=`` (str, int 1..100) → ``{"q": ..., "limit": ...}``
- ``GET /dep`` behind one dependency → ``{"user": "alice"}``
- ``GET /items`` → a list of 100 objects
- ``GET /last/{item_id}`` → ``{"id": ..., "route": "last"}``: the 200th route registered, after the
  ones above, the websocket and ``FILLERS`` other ``/filler<i>/{item_id}`` routes
- ``WS /ws`` → echoes every text message

Every factory takes no argument (``uvicorn --factory apps:fasterapi_app`` works). Starlette,
Litestar and BlackSheep live in ``apps_more.py``; ``FRAMEWORKS`` lists them all, raw first.
"""

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qsl

import msgspec

ITEMS = [{"id": i, "name": f"item{i}", "price": i * 1.5, "tags": ["a", "b"]} for i in range(100)]
MAIN_ROUTES = 7  # the six HTTP endpoints above and the websocket
FILLERS = 200 - MAIN_ROUTES - 1  # so that /last/{item_id} is the 200th route


class UserIn(msgspec.Struct):
    """The validated POST body (msgspec flavour, shared by the msgspec-based apps)."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    email: str
    age: Annotated[int, msgspec.Meta(ge=0, le=150)]
    active: bool = True


class Item(msgspec.Struct):
    """One element of ``GET /items``."""

    id: int
    name: str
    price: float
    tags: list[str]


def filler_handler(index: int) -> Callable[[int], Any]:
    """An async handler for ``/filler<index>/{item_id}`` (distinct function per route)."""

    async def filler(item_id: int) -> dict[str, Any]:
        return {"id": item_id, "route": index}

    filler.__name__ = f"filler{index}"
    return filler


# -- FasterAPI ---------------------------------------------------------------------------------


def fasterapi_app() -> Any:
    from FasterAPI import Depends, Faster, Query, WebSocket, WebSocketDisconnect

    items = [Item(**item) for item in ITEMS]
    app = Faster(openapi_url=None)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/users/{user_id}")
    async def get_user(user_id: int) -> dict[str, Any]:
        return {"id": user_id, "name": f"user{user_id}"}

    @app.post("/users", status_code=201)
    async def create_user(user: UserIn) -> UserIn:
        return user

    @app.get("/search")
    async def search(q: str, limit: Annotated[int, Query(ge=1, le=100)] = 10) -> dict[str, Any]:
        return {"q": q, "limit": limit}

    async def current_user() -> str:
        return "alice"

    @app.get("/dep")
    async def dep(user: Annotated[str, Depends(current_user)]) -> dict[str, str]:
        return {"user": user}

    @app.get("/items")
    async def list_items() -> list[Item]:
        return items

    @app.websocket("/ws")
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnect:
            pass

    for index in range(FILLERS):
        app.get(f"/filler{index}/{{item_id}}")(filler_handler(index))

    @app.get("/last/{item_id}")
    async def last(item_id: int) -> dict[str, Any]:
        return {"id": item_id, "route": "last"}

    return app


# -- FastAPI -----------------------------------------------------------------------------------


def fastapi_app() -> Any:
    from fastapi import Depends, FastAPI, Query, WebSocket, WebSocketDisconnect
    from pydantic import BaseModel, Field

    class PydanticUserIn(BaseModel):
        name: str = Field(min_length=1, max_length=50)
        email: str
        age: int = Field(ge=0, le=150)
        active: bool = True

    class PydanticItem(BaseModel):
        id: int
        name: str
        price: float
        tags: list[str]

    items = [PydanticItem(**item) for item in ITEMS]
    app = FastAPI(openapi_url=None)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/users/{user_id}")
    async def get_user(user_id: int) -> dict[str, Any]:
        return {"id": user_id, "name": f"user{user_id}"}

    @app.post("/users", status_code=201)
    async def create_user(user: PydanticUserIn) -> PydanticUserIn:
        return user

    @app.get("/search")
    async def search(q: str, limit: Annotated[int, Query(ge=1, le=100)] = 10) -> dict[str, Any]:
        return {"q": q, "limit": limit}

    async def current_user() -> str:
        return "alice"

    @app.get("/dep")
    async def dep(user: Annotated[str, Depends(current_user)]) -> dict[str, str]:
        return {"user": user}

    @app.get("/items")
    async def list_items() -> list[PydanticItem]:
        return items

    @app.websocket("/ws")
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnect:
            pass

    for index in range(FILLERS):
        app.get(f"/filler{index}/{{item_id}}")(filler_handler(index))

    @app.get("/last/{item_id}")
    async def last(item_id: int) -> dict[str, Any]:
        return {"id": item_id, "route": "last"}

    return app


# -- raw ASGI (the floor) ----------------------------------------------------------------------


def raw_app() -> Any:
    encode = msgspec.json.Encoder().encode
    user_decoder = msgspec.json.Decoder(UserIn)
    items = [Item(**item) for item in ITEMS]
    json_type = (b"content-type", b"application/json")

    async def respond(send: Any, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [json_type, (b"content-length", b"%d" % len(body))],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def read_body(receive: Any) -> bytes:
        chunks = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def lifespan(receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def websocket(scope: Any, receive: Any, send: Any) -> None:
        if scope["path"] != "/ws":
            await send({"type": "websocket.close", "code": 1000})
            return
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        while True:
            message = await receive()
            if message["type"] != "websocket.receive":
                return
            await send({"type": "websocket.send", "text": message.get("text")})

    async def app(scope: Any, receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind != "http":
            await (
                lifespan(receive, send) if kind == "lifespan" else websocket(scope, receive, send)
            )
            return
        path = scope["path"]
        method = scope["method"]
        if path == "/health" and method == "GET":
            await respond(send, 200, encode({"status": "ok"}))
        elif path.startswith("/users/") and method == "GET":
            try:
                user_id = int(path[7:])
            except ValueError:
                await respond(send, 422, b'{"detail":"bad id"}')
                return
            await respond(send, 200, encode({"id": user_id, "name": f"user{user_id}"}))
        elif path == "/users" and method == "POST":
            try:
                user = user_decoder.decode(await read_body(receive))
            except msgspec.ValidationError:
                await respond(send, 422, b'{"detail":"invalid"}')
                return
            await respond(send, 201, encode(user))
        elif path == "/search" and method == "GET":
            params = dict(parse_qsl(scope["query_string"].decode("latin-1")))
            try:
                limit = int(params.get("limit", "10"))
            except ValueError:
                limit = -1
            if "q" not in params or not 1 <= limit <= 100:
                await respond(send, 422, b'{"detail":"invalid"}')
                return
            await respond(send, 200, encode({"q": params["q"], "limit": limit}))
        elif path == "/dep" and method == "GET":
            await respond(send, 200, encode({"user": "alice"}))
        elif path == "/items" and method == "GET":
            await respond(send, 200, encode(items))
        elif path.startswith("/last/") and method == "GET":
            try:
                item_id = int(path[6:])
            except ValueError:
                await respond(send, 422, b'{"detail":"bad id"}')
                return
            await respond(send, 200, encode({"id": item_id, "route": "last"}))
        else:
            await respond(send, 404, b'{"detail":"Not Found"}')

    return app


def starlette_app() -> Any:
    from apps_more import starlette_app as factory

    return factory()


def litestar_app() -> Any:
    from apps_more import litestar_app as factory

    return factory()


def blacksheep_app() -> Any:
    from apps_more import blacksheep_app as factory

    return factory()


FRAMEWORKS: dict[str, Callable[[], Any]] = {
    "raw": raw_app,
    "fasterapi": fasterapi_app,
    "fastapi": fastapi_app,
    "starlette": starlette_app,
    "litestar": litestar_app,
    "blacksheep": blacksheep_app,
}
LABELS = {
    "raw": "raw ASGI",
    "fasterapi": "FasterAPI",
    "fastapi": "FastAPI",
    "starlette": "Starlette",
    "litestar": "Litestar",
    "blacksheep": "BlackSheep",
}
