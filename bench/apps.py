"""The same small API written three times: FasterAPI, FastAPI, and a hand-written raw ASGI app.

Endpoints (identical responses in all three):
- ``GET /health`` → ``{"status":"ok"}``
- ``GET /users/{user_id}`` (int) → ``{"id": ..., "name": "user<id>"}``
- ``POST /users`` with a validated 4-field body → the created user (201)
- ``GET /search?q=&limit=`` (str, int 1..100) → ``{"q": ..., "limit": ...}``
- ``GET /dep`` behind one dependency → ``{"user": "alice"}``
- ``GET /items`` → a list of 100 objects
"""

from typing import Annotated, Any
from urllib.parse import parse_qsl

import msgspec

ITEMS = [{"id": i, "name": f"item{i}", "price": i * 1.5, "tags": ["a", "b"]} for i in range(100)]


# -- FasterAPI ---------------------------------------------------------------------------------


def fasterapi_app() -> Any:
    from FasterAPI import Depends, Faster, Query

    class UserIn(msgspec.Struct):
        name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
        email: str
        age: Annotated[int, msgspec.Meta(ge=0, le=150)]
        active: bool = True

    class Item(msgspec.Struct):
        id: int
        name: str
        price: float
        tags: list[str]

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

    return app


# -- FastAPI -----------------------------------------------------------------------------------


def fastapi_app() -> Any:
    from fastapi import Depends, FastAPI, Query
    from pydantic import BaseModel, Field

    class UserIn(BaseModel):
        name: str = Field(min_length=1, max_length=50)
        email: str
        age: int = Field(ge=0, le=150)
        active: bool = True

    class Item(BaseModel):
        id: int
        name: str
        price: float
        tags: list[str]

    items = [Item(**item) for item in ITEMS]
    app = FastAPI(openapi_url=None)

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

    return app


# -- raw ASGI (the floor) ----------------------------------------------------------------------


class _RawUser(msgspec.Struct):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    email: str
    age: Annotated[int, msgspec.Meta(ge=0, le=150)]
    active: bool = True


class _RawItem(msgspec.Struct):
    id: int
    name: str
    price: float
    tags: list[str]


def raw_app() -> Any:
    encode = msgspec.json.Encoder().encode
    user_decoder = msgspec.json.Decoder(_RawUser)
    items = [_RawItem(**item) for item in ITEMS]
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

    async def app(scope: Any, receive: Any, send: Any) -> None:
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
        else:
            await respond(send, 404, b'{"detail":"Not Found"}')

    return app


FRAMEWORKS = {"raw": raw_app, "fasterapi": fasterapi_app, "fastapi": fastapi_app}
