"""The benchmark API (see ``apps.py``) for Starlette, Litestar and BlackSheep.

Starlette has no validation or dependency injection: its app validates the body with msgspec and
the query by hand, and calls the dependency directly, as a performance-minded Starlette user would.
BlackSheep binds path/query parameters by annotation and injects the dependency through its own
container (rodi); its body is validated with msgspec, since BlackSheep has no constraint checks.
Litestar uses its own msgspec-based validation and ``Provide`` dependency.
"""

from typing import Annotated, Any
from urllib.parse import parse_qsl

import msgspec
from apps import FILLERS, ITEMS, Item, UserIn, filler_handler

__all__ = ["blacksheep_app", "litestar_app", "starlette_app"]


class _BadQuery(Exception):
    pass


def _search_params(query: str) -> tuple[str, int]:
    params = dict(parse_qsl(query))
    try:
        limit = int(params.get("limit", "10"))
    except ValueError as exc:
        raise _BadQuery from exc
    if "q" not in params or not 1 <= limit <= 100:
        raise _BadQuery
    return params["q"], limit


# -- Starlette ---------------------------------------------------------------------------------


def starlette_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import BaseRoute, Route, WebSocketRoute
    from starlette.websockets import WebSocket, WebSocketDisconnect

    user_decoder = msgspec.json.Decoder(UserIn)
    invalid = JSONResponse({"detail": "invalid"}, status_code=422)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def get_user(request: Request) -> Response:
        user_id = request.path_params["user_id"]
        return JSONResponse({"id": user_id, "name": f"user{user_id}"})

    async def create_user(request: Request) -> Response:
        try:
            user = user_decoder.decode(await request.body())
        except msgspec.ValidationError:
            return invalid
        return JSONResponse(msgspec.to_builtins(user), status_code=201)

    async def search(request: Request) -> Response:
        try:
            q, limit = _search_params(request.scope["query_string"].decode("latin-1"))
        except _BadQuery:
            return invalid
        return JSONResponse({"q": q, "limit": limit})

    async def current_user() -> str:
        return "alice"

    async def dep(request: Request) -> Response:
        return JSONResponse({"user": await current_user()})

    async def list_items(request: Request) -> Response:
        return JSONResponse(ITEMS)

    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnect:
            pass

    def filler(index: int) -> Any:
        async def endpoint(request: Request) -> Response:
            return JSONResponse({"id": request.path_params["item_id"], "route": index})

        return endpoint

    async def last(request: Request) -> Response:
        return JSONResponse({"id": request.path_params["item_id"], "route": "last"})

    routes: list[BaseRoute] = [
        Route("/health", health),
        Route("/users/{user_id:int}", get_user),
        Route("/users", create_user, methods=["POST"]),
        Route("/search", search),
        Route("/dep", dep),
        Route("/items", list_items),
        WebSocketRoute("/ws", echo),
    ]
    routes += [Route(f"/filler{i}/{{item_id:int}}", filler(i)) for i in range(FILLERS)]
    routes.append(Route("/last/{item_id:int}", last))
    return Starlette(routes=routes)


# -- Litestar ----------------------------------------------------------------------------------


def litestar_app() -> Any:
    from litestar import Litestar, WebSocket, get, post, websocket
    from litestar.di import Provide
    from litestar.exceptions import WebSocketDisconnect
    from litestar.handlers import HTTPRouteHandler
    from litestar.params import Parameter

    items = [Item(**item) for item in ITEMS]

    @get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @get("/users/{user_id:int}")
    async def get_user(user_id: int) -> dict[str, Any]:
        return {"id": user_id, "name": f"user{user_id}"}

    @post("/users", status_code=201)
    async def create_user(data: UserIn) -> UserIn:
        return data

    @get("/search")
    async def search(q: str, limit: Annotated[int, Parameter(ge=1, le=100)] = 10) -> dict[str, Any]:
        return {"q": q, "limit": limit}

    async def current_user() -> str:
        return "alice"

    @get("/dep", dependencies={"user": Provide(current_user)})
    async def dep(user: str) -> dict[str, str]:
        return {"user": user}

    @get("/items")
    async def list_items() -> list[Item]:
        return items

    @websocket("/ws")
    async def echo(socket: WebSocket[Any, Any, Any]) -> None:
        await socket.accept()
        try:
            while True:
                await socket.send_text(await socket.receive_text())
        except WebSocketDisconnect:
            pass

    @get("/last/{item_id:int}")
    async def last(item_id: int) -> dict[str, Any]:
        return {"id": item_id, "route": "last"}

    fillers: list[HTTPRouteHandler] = [
        get(f"/filler{i}/{{item_id:int}}", name=f"filler{i}")(filler_handler(i))
        for i in range(FILLERS)
    ]
    handlers = [health, get_user, create_user, search, dep, list_items, echo, *fillers, last]
    return Litestar(route_handlers=handlers, openapi_config=None)


# -- BlackSheep --------------------------------------------------------------------------------


class CurrentUser:
    """The BlackSheep app's dependency, resolved by its container for each request."""

    def __init__(self, name: str) -> None:
        self.name = name


def blacksheep_app() -> Any:
    from blacksheep import Application, Request, Response, WebSocket, json
    from blacksheep.server.routing import Router
    from blacksheep.server.websocket import WebSocketDisconnectError

    user_decoder = msgspec.json.Decoder(UserIn)
    router = Router()
    app = Application(router=router)

    def make_user() -> CurrentUser:
        return CurrentUser("alice")

    app.services.add_transient_by_factory(make_user, CurrentUser)

    async def health() -> Response:
        return json({"status": "ok"})

    async def get_user(user_id: int) -> Response:
        return json({"id": user_id, "name": f"user{user_id}"})

    async def create_user(request: Request) -> Response:
        try:
            user = user_decoder.decode(await request.read() or b"")
        except msgspec.ValidationError:
            return json({"detail": "invalid"}, status=422)
        return json(msgspec.to_builtins(user), status=201)

    async def search(q: str, limit: int = 10) -> Response:
        if not 1 <= limit <= 100:
            return json({"detail": "invalid"}, status=422)
        return json({"q": q, "limit": limit})

    async def dep(user: CurrentUser) -> Response:
        return json({"user": user.name})

    async def list_items() -> Response:
        return json(ITEMS)

    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnectError:
            pass

    def filler(index: int) -> Any:
        async def endpoint(item_id: int) -> Response:
            return json({"id": item_id, "route": index})

        return endpoint

    async def last(item_id: int) -> Response:
        return json({"id": item_id, "route": "last"})

    router.add_get("/health", health)
    router.add_get("/users/{user_id}", get_user)
    router.add_post("/users", create_user)
    router.add_get("/search", search)
    router.add_get("/dep", dep)
    router.add_get("/items", list_items)
    router.add_ws("/ws", echo)
    for i in range(FILLERS):
        router.add_get(f"/filler{i}/{{item_id}}", filler(i))
    router.add_get("/last/{item_id}", last)
    return app
