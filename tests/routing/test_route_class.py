"""Custom route classes (``route_class=``, ``APIRoute.get_route_handler``): FastAPI's
documented recipes (timing header, gzip request bodies, the body of a failed request in the
error) written once against either framework, with the same answers and order of events."""

import gzip
import json
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

import fastapi
import fastapi.exceptions
import fastapi.responses
import fastapi.routing
import fastapi.testclient
import pytest

import FasterAPI
import FasterAPI.exceptions
import FasterAPI.responses
import FasterAPI.routing
import FasterAPI.testclient

FRAMEWORKS = {
    "fasterapi": (FasterAPI, FasterAPI.Faster, FasterAPI.FasterRouter, FasterAPI.routing),
    "fastapi": (fastapi, fastapi.FastAPI, fastapi.APIRouter, fastapi.routing),
}
CLIENTS = {"fasterapi": FasterAPI.testclient.TestClient, "fastapi": fastapi.testclient.TestClient}


def route_classes(name: str, events: list[str]) -> dict[str, Any]:
    fw, _, _, routing = FRAMEWORKS[name]

    class GzipRequest(fw.Request):  # type: ignore[misc,name-defined]
        async def body(self) -> bytes:
            if not hasattr(self, "_body"):
                body = await super().body()
                if "gzip" in self.headers.getlist("Content-Encoding"):
                    body = gzip.decompress(body)
                self._body = body
            return self._body  # type: ignore[no-any-return]

    class GzipRoute(routing.APIRoute):  # type: ignore[misc,name-defined]
        def get_route_handler(self) -> Callable[..., Any]:
            original = super().get_route_handler()

            async def custom(request: Any) -> Any:
                return await original(GzipRequest(request.scope, request.receive))

            return custom

    class TimedRoute(routing.APIRoute):  # type: ignore[misc,name-defined]
        def get_route_handler(self) -> Callable[..., Any]:
            original = super().get_route_handler()

            async def custom(request: Any) -> Any:
                events.append("timer: start")
                response = await original(request)
                events.append("timer: end")
                response.headers["X-Response-Time"] = "fast"
                return response

            return custom

    class BodyInErrorRoute(routing.APIRoute):  # type: ignore[misc,name-defined]
        def get_route_handler(self) -> Callable[..., Any]:
            original = super().get_route_handler()

            async def custom(request: Any) -> Any:
                try:
                    return await original(request)
                except fw.exceptions.RequestValidationError as exc:
                    body = await request.body()
                    detail = {"errors": exc.errors(), "body": body.decode()}
                    raise fw.HTTPException(status_code=422, detail=detail) from None

            return custom

    return {"gzip": GzipRoute, "timed": TimedRoute, "body_in_error": BodyInErrorRoute}


def build(name: str, events: list[str]) -> Any:
    fw, app_cls, router_cls, _ = FRAMEWORKS[name]
    classes = route_classes(name, events)
    app = app_cls()
    app.router.route_class = classes["gzip"]

    @app.post("/sum")
    async def sum_numbers(numbers: Annotated[list[int], fw.Body()]) -> dict[str, int]:
        return {"sum": sum(numbers)}

    async def resource() -> AsyncIterator[str]:
        events.append("dependency: enter")
        yield "db"
        events.append("dependency: exit")

    timed = router_cls(route_class=classes["timed"])

    @timed.get("/timed/{n}")
    def timed_endpoint(
        n: int, background: fw.BackgroundTasks, db: Annotated[str, fw.Depends(resource)]
    ) -> dict[str, Any]:
        events.append("endpoint")
        background.add_task(events.append, "background task")
        return {"n": n, "db": db}

    def plain(q: int) -> dict[str, int]:
        return {"q": q}

    def checked(value: Annotated[int, fw.Body(embed=True)]) -> dict[str, int]:
        return {"value": value}

    override = classes["body_in_error"]
    timed.add_api_route("/plain", plain, methods=["GET"], route_class_override=override)
    timed.add_api_route("/checked", checked, methods=["POST"], route_class_override=override)

    app.include_router(timed, prefix="/r")
    return app


def call(name: str, method: str, path: str, **kwargs: Any) -> tuple[Any, list[str]]:
    events: list[str] = []
    response = CLIENTS[name](build(name, events)).request(method, path, **kwargs)
    answer = (response.status_code, response.headers.get("x-response-time"), response.json())
    return answer, events


CASES = {
    "gzipped body": (
        "POST",
        "/sum",
        {
            "content": gzip.compress(b"[1, 2, 3]"),
            "headers": {"Content-Encoding": "gzip", "Content-Type": "application/json"},
        },
    ),
    "plain body": ("POST", "/sum", {"json": [4, 5]}),
    "invalid gzipped body": (
        "POST",
        "/sum",
        {
            "content": gzip.compress(b'["x"]'),
            "headers": {"Content-Encoding": "gzip", "Content-Type": "application/json"},
        },
    ),
    "timed, with a yield dependency and a background task": ("GET", "/r/timed/7", {}),
    "timed, invalid path parameter": ("GET", "/r/timed/x", {}),
    "body in the error": ("POST", "/r/checked", {"json": {"value": "nope"}}),
    "valid body, same class": ("POST", "/r/checked", {"json": {"value": 3}}),
    "query error through the class": ("GET", "/r/plain?q=z", {}),
}


@pytest.mark.parametrize("case", CASES)
def test_recipes_answer_as_under_fastapi(case: str) -> None:
    method, path, kwargs = CASES[case]
    assert call("fasterapi", method, path, **kwargs) == call("fastapi", method, path, **kwargs)


def test_gzip_route_decodes_the_body() -> None:
    method, path, kwargs = CASES["gzipped body"]
    assert call("fasterapi", method, path, **kwargs) == ((200, None, {"sum": 6}), [])


def test_timed_route_order_of_events() -> None:
    answer, events = call("fasterapi", "GET", "/r/timed/7")
    assert answer == (200, "fast", {"n": 7, "db": "db"})
    assert events == [
        "timer: start",
        "dependency: enter",
        "endpoint",
        "timer: end",
        "background task",
        "dependency: exit",
    ]


def test_the_failed_body_reaches_the_error() -> None:
    answer, _ = call("fasterapi", "POST", "/r/checked", json={"value": "nope"})
    status, _, detail = answer
    assert status == 422
    assert detail["detail"]["body"] == json.dumps({"value": "nope"}, separators=(",", ":"))
    assert [error["loc"] for error in detail["detail"]["errors"]] == [["body", "value"]]


def test_include_router_keeps_the_route_class() -> None:
    app = build("fasterapi", [])
    classes = {type(route).__name__ for route in app.routes if hasattr(route, "methods")}
    assert {"GzipRoute", "TimedRoute", "BodyInErrorRoute"} <= classes


def test_routes_of_the_default_class_keep_the_compiled_handlers() -> None:
    app = FasterAPI.Faster()

    @app.get("/")
    async def root() -> dict[str, str]:
        return {"ok": "yes"}

    route = next(r for r in app.routes if getattr(r, "path", "") == "/")
    assert route.exposes_scope is False
    assert CLIENTS["fasterapi"](app).get("/").json() == {"ok": "yes"}
