"""slowapi scenarios, as its documentation shows it used (run by ``test_slowapi.py`` on FastAPI
and on FasterAPI): limits per route and per key, default and application limits with the
middleware, exempt routes, shared limits, custom key functions, error messages and handlers,
the rate-limit headers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.testclient import TestClient
from plugin_answers import answer
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.middleware import SlowAPIASGIMiddleware, SlowAPIMiddleware
from slowapi.util import get_remote_address
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response as StarletteResponse

RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "retry-after")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _app(limiter: Limiter) -> FastAPI:
    app = FastAPI()
    app.state.limiter = limiter
    app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)  # type: ignore[arg-type]
    return app


def _answers(client: TestClient, requests: list[tuple[str, str, dict[str, str]]]) -> list[Any]:
    found = []
    for method, path, headers in requests:
        response = client.request(method, path, headers=headers)
        record = answer(response, RATE_HEADERS)
        # The reset time is a clock reading: only whether the header is there and a number.
        reset = response.headers.get("x-ratelimit-reset")
        record["headers"]["x-ratelimit-reset"] = None if reset is None else _is_number(reset)
        # Retry-After counts down seconds to the window's end: 59 or 60 depending on the moment.
        retry = record["headers"]["retry-after"]
        if retry is not None:
            record["headers"]["retry-after"] = retry.isdigit() and 0 < int(retry) <= 60
        found.append(record)
    return found


def scenario_limit_per_route() -> Any:
    limiter = Limiter(key_func=get_remote_address)
    app = _app(limiter)

    @app.get("/home")
    @limiter.limit("2/minute")
    async def homepage(request: StarletteRequest) -> PlainTextResponse:
        return PlainTextResponse("test")

    @app.get("/mars")
    @limiter.limit("1/minute")
    def mars(request: Request) -> dict[str, str]:
        return {"planet": "mars"}

    @app.get("/free")
    def free() -> dict[str, bool]:
        return {"free": True}

    get = ("GET", "/home", {})
    return _answers(
        TestClient(app),
        [get, get, get, ("GET", "/mars", {}), ("GET", "/mars", {}), ("GET", "/free", {})],
    )


def scenario_limit_per_key_with_a_custom_key_function() -> Any:
    def api_key(request: StarletteRequest) -> str:
        return request.headers.get("x-api-key", "anonymous")

    limiter = Limiter(key_func=api_key)
    app = _app(limiter)

    @app.get("/items/{item_id}")
    @limiter.limit("2/minute")
    async def item(item_id: int, request: Request) -> dict[str, int]:
        return {"item_id": item_id}

    alice, bob = {"x-api-key": "alice"}, {"x-api-key": "bob"}
    return _answers(
        TestClient(app),
        [
            ("GET", "/items/1", alice),
            ("GET", "/items/2", alice),
            ("GET", "/items/3", alice),
            ("GET", "/items/1", bob),
            ("GET", "/items/x", bob),
            ("GET", "/items/1", {}),
        ],
    )


def scenario_limit_keyed_per_route_call() -> Any:
    def tenant(request: StarletteRequest) -> str:
        return request.path_params.get("tenant", "none")

    limiter = Limiter(key_func=get_remote_address)
    app = _app(limiter)

    @app.get("/t/{tenant}/report")
    @limiter.limit("1/minute", key_func=tenant)
    async def report(tenant: str, request: Request) -> dict[str, str]:
        return {"tenant": tenant}

    requests = [("GET", f"/t/{name}/report", {}) for name in ("a", "a", "b", "b", "c")]
    return _answers(TestClient(app), requests)


def scenario_default_limits_and_exempt_routes_with_the_middleware() -> Any:
    limiter = Limiter(key_func=get_remote_address, default_limits=["2/minute"])
    app = _app(limiter)
    app.add_middleware(SlowAPIMiddleware)

    @app.get("/default")
    async def default(request: Request) -> dict[str, str]:
        return {"limit": "default"}

    @app.get("/health")
    @limiter.exempt
    async def health(request: Request) -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/own")
    @limiter.limit("3/minute")
    async def own(request: Request) -> dict[str, str]:
        return {"limit": "own"}

    requests = [("GET", "/default", {})] * 3 + [("GET", "/health", {})] * 4
    requests += [("GET", "/own", {})] * 4 + [("GET", "/missing", {})]
    return _answers(TestClient(app), requests)


def scenario_default_limits_with_the_asgi_middleware() -> Any:
    limiter = Limiter(key_func=get_remote_address, default_limits=["1/minute"])
    app = _app(limiter)
    app.add_middleware(SlowAPIASGIMiddleware)

    @app.get("/a")
    def a() -> dict[str, str]:
        return {"route": "a"}

    @app.get("/b")
    @limiter.exempt
    def b() -> dict[str, str]:
        return {"route": "b"}

    requests = [("GET", "/a", {})] * 2 + [("GET", "/b", {})] * 2
    return _answers(TestClient(app), requests)


def scenario_application_limits() -> Any:
    limiter = Limiter(key_func=get_remote_address, application_limits=["3/minute"])
    app = _app(limiter)
    app.add_middleware(SlowAPIMiddleware)

    @app.get("/one")
    def one() -> str:
        return "one"

    @app.get("/two")
    def two() -> str:
        return "two"

    requests = [("GET", "/one", {}), ("GET", "/two", {})] * 2
    return _answers(TestClient(app), requests)


def scenario_shared_limit() -> Any:
    limiter = Limiter(key_func=get_remote_address)
    app = _app(limiter)
    shared = limiter.shared_limit("3/minute", scope="pictures")

    @app.get("/cats")
    @shared
    async def cats(request: Request) -> list[str]:
        return ["tom"]

    @app.get("/dogs")
    @shared
    async def dogs(request: Request) -> list[str]:
        return ["rex"]

    requests = [("GET", "/cats", {}), ("GET", "/dogs", {})] * 2
    return _answers(TestClient(app), requests)


def scenario_error_message_cost_and_methods() -> Any:
    limiter = Limiter(key_func=get_remote_address)
    app = _app(limiter)

    @app.api_route("/upload", methods=["GET", "POST"])
    @limiter.limit("4/minute", per_method=True, cost=2, error_message="slow down")
    async def upload(request: Request) -> dict[str, str]:
        return {"method": request.method}

    requests = [("POST", "/upload", {})] * 3 + [("GET", "/upload", {})] * 2
    return _answers(TestClient(app), requests)


def scenario_exempt_when() -> Any:
    limiter = Limiter(key_func=get_remote_address)
    app = _app(limiter)
    admins: list[bool] = []

    @app.get("/data")
    @limiter.limit("1/minute", exempt_when=lambda: bool(admins))
    async def data(request: Request) -> dict[str, int]:
        return {"n": 1}

    client = TestClient(app)
    found = _answers(client, [("GET", "/data", {})] * 2)
    admins.append(True)
    return found + _answers(client, [("GET", "/data", {})])


def scenario_custom_error_handler() -> Any:
    limiter = Limiter(key_func=get_remote_address)
    app = FastAPI()
    app.state.limiter = limiter

    @app.exception_handler(RateLimitExceeded)
    async def too_many(request: Request, exc: RateLimitExceeded) -> JSONResponse:
        return JSONResponse(
            {"detail": f"too many requests: {exc.detail}", "path": request.url.path},
            status_code=429,
            headers={"x-limited": "yes"},
        )

    @app.post("/login")
    @limiter.limit("1/minute")
    async def login(request: Request) -> dict[str, str]:
        return {"token": "t"}

    client = TestClient(app)
    found = _answers(client, [("POST", "/login", {})] * 2)
    found.append(client.post("/login").headers.get("x-limited"))
    return found


def scenario_rate_limit_headers() -> Any:
    limiter = Limiter(key_func=get_remote_address, headers_enabled=True)
    app = _app(limiter)

    @app.get("/json")
    @limiter.limit("2/minute")
    async def json_route(request: Request, response: Response) -> dict[str, str]:
        return {"kind": "json"}

    @app.get("/plain")
    @limiter.limit("1/minute")
    def plain(request: Request) -> PlainTextResponse:
        return PlainTextResponse("plain")

    requests = [("GET", "/json", {})] * 3 + [("GET", "/plain", {})] * 2
    return _answers(TestClient(app), requests)


def scenario_rate_limit_headers_with_starlette_response() -> Any:
    limiter = Limiter(key_func=get_remote_address, headers_enabled=True)
    app = _app(limiter)

    @app.get("/json")
    @limiter.limit("2/minute")
    async def json_route(request: StarletteRequest, response: StarletteResponse) -> dict[str, str]:
        return {"kind": "json"}

    return _answers(TestClient(app), [("GET", "/json", {})] * 3)


def scenario_disabled_limiter() -> Any:
    limiter = Limiter(key_func=get_remote_address, enabled=False)
    app = _app(limiter)

    @app.get("/x")
    @limiter.limit("1/minute")
    async def x(request: Request) -> dict[str, str]:
        return {"x": "x"}

    return _answers(TestClient(app), [("GET", "/x", {})] * 3)
