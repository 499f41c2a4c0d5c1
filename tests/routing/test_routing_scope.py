"""The scope's routing keys (``route``, ``path_params``, ``router``), as FastAPI sets them, are
there for every piece of user code that is given the scope: endpoints and dependencies taking a
Request, exception handlers, returned Response objects, dependency overrides and middleware,
whichever way the route was matched (static path, "/prefix/{x}" table, radix tree)."""

from typing import Annotated, Any

import pytest

from FasterAPI import Depends, Faster, HTTPException, Request, TestClient
from FasterAPI.exceptions import RequestValidationError
from FasterAPI.responses import JSONResponse, Response
from fasterapi_core.types import Receive, Scope, Send


def routing_view(scope: Scope) -> dict[str, Any]:
    """What user code sees of the routing keys."""
    route = scope.get("route")
    return {
        "route": None if route is None else route.path,
        "path_params": scope.get("path_params"),
        "router": scope.get("router") is scope["app"].router,
    }


async def who() -> str:
    return "alice"


class RouteEcho(Response):
    """A Response that reads the routing keys of the scope it is sent with."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await JSONResponse(routing_view(scope))(scope, receive, send)


def make_app() -> Faster:
    app = Faster(openapi_url=None)

    @app.get("/plain")
    async def plain() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    @app.get("/deep/{a}/{b}")
    async def deep(a: int, b: str) -> dict[str, Any]:
        return {"a": a, "b": b}

    @app.get("/fails/{code}")
    async def fails(code: int) -> None:
        raise HTTPException(status_code=code, detail="no")

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError("boom")

    @app.get("/echo/{name}")
    async def echo(name: str) -> Response:
        return RouteEcho()

    @app.get("/sees/{item_id}")
    async def sees(item_id: int, request: Request) -> dict[str, Any]:
        return {**routing_view(request.scope), "url": str(request.url_for("item", item_id=3))}

    @app.get("/who")
    async def with_dependency(user: Annotated[str, Depends(who)]) -> dict[str, str]:
        return {"user": user}

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(
            {**routing_view(request.scope), "url": str(request.url_for("plain"))},
            status_code=exc.status_code,
        )

    @app.exception_handler(RuntimeError)
    async def crashed(request: Request, exc: RuntimeError) -> JSONResponse:
        return JSONResponse(routing_view(request.scope), status_code=500)

    return app


def test_an_endpoint_taking_a_request_sees_the_route_the_params_and_the_router() -> None:
    response = TestClient(make_app()).get("/sees/5")
    assert response.status_code == 200
    assert response.json() == {
        "route": "/sees/{item_id}",
        "path_params": {"item_id": "5"},
        "router": True,
        "url": "http://testserver/items/3",
    }


@pytest.mark.parametrize(
    ("path", "route", "params"),
    [
        ("/fails/404", "/fails/{code}", {"code": "404"}),  # "/prefix/{x}" table
        ("/fails/418", "/fails/{code}", {"code": "418"}),
    ],
)
def test_an_exception_handler_sees_the_routing_keys(
    path: str, route: str, params: dict[str, str]
) -> None:
    response = TestClient(make_app()).get(path)
    assert response.status_code == int(params["code"])
    assert response.json() == {
        "route": route,
        "path_params": params,
        "router": True,
        "url": "http://testserver/plain",
    }


def test_an_error_handler_for_an_unexpected_exception_sees_the_routing_keys() -> None:
    client = TestClient(make_app(), raise_server_exceptions=False)
    response = client.get("/crash")  # a static path
    assert response.status_code == 500
    assert response.json() == {"route": "/crash", "path_params": {}, "router": True}


def test_a_validation_error_reaches_the_handler_with_the_routing_keys() -> None:
    app = make_app()

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(routing_view(request.scope), status_code=422)

    for path, route, params in [
        ("/items/x", "/items/{item_id}", {"item_id": "x"}),
        ("/deep/x/y", "/deep/{a}/{b}", {"a": "x", "b": "y"}),  # the radix tree
    ]:
        response = TestClient(app).get(path)
        assert response.status_code == 422
        assert response.json() == {"route": route, "path_params": params, "router": True}


def test_a_returned_response_is_sent_with_the_routing_keys() -> None:
    response = TestClient(make_app()).get("/echo/ann")
    assert response.status_code == 200
    assert response.json() == {
        "route": "/echo/{name}",
        "path_params": {"name": "ann"},
        "router": True,
    }


def test_an_override_taking_a_request_sees_the_routing_keys() -> None:
    app = make_app()

    async def from_request(request: Request) -> str:
        route = request.scope["route"]
        return f"{route.path} {request.scope['router'] is app.router}"

    app.dependency_overrides[who] = from_request
    response = TestClient(app).get("/who")
    assert response.status_code == 200
    assert response.json() == {"user": "/who True"}


def test_middleware_sees_the_route_of_a_plain_endpoint() -> None:
    app = make_app()

    class RouteHeader:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            async def send_with_route(message: Any) -> None:
                if message["type"] == "http.response.start":
                    route = scope["route"].path.encode()
                    params = ",".join(scope["path_params"]).encode()
                    message["headers"] = [
                        *message["headers"],
                        (b"x-route", route),
                        (b"x-params", params),
                    ]
                await send(message)

            await self.inner(scope, receive, send_with_route)

    app.add_middleware(RouteHeader)
    client = TestClient(app)
    for path, route, params in [
        ("/plain", "/plain", ""),
        ("/items/4", "/items/{item_id}", "item_id"),
        ("/deep/1/b", "/deep/{a}/{b}", "a,b"),
        ("/who", "/who", ""),
    ]:
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["x-route"] == route
        assert response.headers["x-params"] == params


def test_a_404_handler_can_build_urls() -> None:
    app = make_app()

    @app.exception_handler(404)
    async def missing(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(
            {"url": str(request.url_for("item", item_id=1)), "route": "route" in request.scope},
            status_code=404,
        )

    response = TestClient(app).get("/nowhere")
    assert response.status_code == 404
    assert response.json() == {"url": "http://testserver/items/1", "route": False}
