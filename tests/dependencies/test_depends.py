
"""Depends: functions, coroutines, classes, callables, sub-dependencies, caching, router and app
dependencies. Every app is built with FasterAPI and FastAPI and must answer identically."""

import threading
from types import ModuleType
from typing import Annotated, Any, Optional

import pytest
from fidelity import Pair

import FasterAPI


def make_app(fw: ModuleType) -> Any:
    Depends, Query, Header, Cookie, Body = fw.Depends, fw.Query, fw.Header, fw.Cookie, fw.Body
    HTTPException = fw.HTTPException
    calls: dict[str, int] = {}

    def count(name: str) -> None:
        calls[name] = calls.get(name, 0) + 1

    def common(q: Optional[str] = None, skip: int = 0, limit: int = Query(100, le=100)) -> Any:
        count("common")
        return {"q": q, "skip": skip, "limit": limit}

    async def async_common(x_key: Annotated[str, Header()]) -> str:
        count("async_common")
        return x_key

    class Paginator:
        def __init__(self, page: int = 1, size: int = 10) -> None:
            self.page = page
            self.size = size

    class Checker:
        def __init__(self, fixed: str) -> None:
            self.fixed = fixed

        def __call__(self, q: str = "") -> bool:
            return self.fixed in q

    contains_bar = Checker("bar")

    def level3(session: Optional[str] = Cookie(None)) -> str:
        count("level3")
        return session or "anon"

    def level2(user: str = Depends(level3), role: str = "reader") -> str:
        count("level2")
        return f"{user}:{role}"

    async def level1(ident: Annotated[str, Depends(level2)], u: str = Depends(level3)) -> Any:
        count("level1")
        return {"ident": ident, "user": u}

    def uncached_source() -> int:
        count("uncached")
        return calls["uncached"]

    def uses_uncached(
        a: int = Depends(uncached_source, use_cache=False),
        b: int = Depends(uncached_source, use_cache=False),
    ) -> list[int]:
        return [a, b]

    def verify_token(x_token: str = Header()) -> None:
        if x_token != "secret":
            raise HTTPException(status_code=400, detail="X-Token header invalid")

    def verify_key(x_key: str = Header()) -> str:
        if x_key != "key":
            raise HTTPException(status_code=403, detail="bad key", headers={"X-Why": "key"})
        return x_key

    def body_dep(item: dict[str, int] = Body(embed=True)) -> int:
        return sum(item.values())

    app = fw.FastAPI()

    @app.get("/common")
    def read_common(commons: dict[str, Any] = Depends(common)) -> Any:
        return commons

    @app.get("/async")
    async def read_async(key: str = Depends(async_common)) -> Any:
        return {"key": key}

    @app.get("/class")
    def read_class(p: Paginator = Depends()) -> Any:
        return {"page": p.page, "size": p.size}

    @app.get("/class-annotated")
    def read_class_annotated(p: Annotated[Paginator, Depends()]) -> Any:
        return {"page": p.page, "size": p.size}

    @app.get("/callable")
    def read_callable(found: bool = Depends(contains_bar)) -> Any:
        return {"found": found}

    @app.get("/deep")
    def read_deep(result: Any = Depends(level1), again: str = Depends(level2)) -> Any:
        return {"result": result, "again": again, "calls": dict(calls)}

    @app.get("/uncached")
    def read_uncached(pair: list[int] = Depends(uses_uncached)) -> Any:
        return {"pair": pair}

    @app.get("/errors")
    def read_errors(c: Any = Depends(common), key: str = Depends(async_common), n: int = 0) -> Any:
        return {"n": n}

    @app.get("/path-deps", dependencies=[Depends(verify_token), Depends(verify_key)])
    def read_path_deps() -> Any:
        return {"ok": True}

    @app.post("/body-dep")
    def read_body_dep(total: int = Depends(body_dep), extra: int = Body(0, embed=True)) -> Any:
        return {"total": total, "extra": extra}

    @app.get("/reset")
    def reset() -> Any:
        calls.clear()
        return {}

    router = fw.APIRouter(prefix="/r", dependencies=[Depends(verify_token)])

    @router.get("/items")
    def router_items() -> Any:
        return ["a"]

    app.include_router(router, dependencies=[Depends(verify_key)])
    return app


@pytest.fixture
def app_pair(pair: Any) -> Pair:
    return pair(make_app, headers=("x-why",))


@pytest.mark.parametrize("query", ["", "q=x&skip=1&limit=5", "limit=101", "skip=x&limit=y"])
def test_function_dependency(app_pair: Pair, query: str) -> None:
    app_pair.get(f"/common?{query}")


@pytest.mark.parametrize("headers", [{}, {"x-key": "k"}])
def test_async_dependency(app_pair: Pair, headers: dict[str, str]) -> None:
    app_pair.get("/async", headers=headers)


@pytest.mark.parametrize("url", ["/class", "/class-annotated"])
@pytest.mark.parametrize("query", ["", "page=2&size=3", "page=x"])
def test_class_dependency(app_pair: Pair, url: str, query: str) -> None:
    app_pair.get(f"{url}?{query}")


@pytest.mark.parametrize("query", ["", "q=foobar"])
def test_callable_instance_dependency(app_pair: Pair, query: str) -> None:
    app_pair.get(f"/callable?{query}")


@pytest.mark.parametrize("cookie", ["", "session=ann"])
def test_sub_dependencies_cached_once_per_request(app_pair: Pair, cookie: str) -> None:
    app_pair.get("/reset")
    response = app_pair.get("/deep?role=admin", headers={"cookie": cookie} if cookie else {})
    assert response.json()["calls"] == {"level3": 1, "level2": 1, "level1": 1}


def test_use_cache_false_calls_again(app_pair: Pair) -> None:
    app_pair.get("/reset")
    assert app_pair.get("/uncached").json() == {"pair": [1, 2]}


def test_errors_of_handler_and_dependencies_together(app_pair: Pair) -> None:
    response = app_pair.get("/errors?limit=1000&n=x")
    assert [e["loc"] for e in response.json()["detail"]] == [
        ["query", "limit"],
        ["header", "x-key"],
        ["query", "n"],
    ]


@pytest.mark.parametrize(
    "headers",
    [{}, {"x-token": "secret"}, {"x-token": "bad", "x-key": "key"},
     {"x-token": "secret", "x-key": "nope"}, {"x-token": "secret", "x-key": "key"}],
)
@pytest.mark.parametrize("url", ["/path-deps", "/r/items"])
def test_path_router_and_include_dependencies(
    app_pair: Pair, url: str, headers: dict[str, str]
) -> None:
    app_pair.get(url, headers=headers)


@pytest.mark.parametrize(
    "payload", [{"item": {"a": 1, "b": 2}, "extra": 3}, {"item": {"a": "x"}}, {}]
)
def test_body_parameter_in_dependency(app_pair: Pair, payload: Any) -> None:
    app_pair.post("/body-dep", json=payload)


def test_app_level_dependencies(pair: Any) -> None:
    def factory(fw: ModuleType) -> Any:
        def verify(x_token: str = fw.Header()) -> None:
            if x_token != "secret":
                raise fw.HTTPException(status_code=401, detail="nope")

        app = fw.FastAPI(dependencies=[fw.Depends(verify)])

        @app.get("/a")
        def a() -> Any:
            return "a"

        return app

    both = pair(factory)
    both.get("/a")
    both.get("/a", headers={"x-token": "bad"})
    both.get("/a", headers={"x-token": "secret"})


def test_sync_dependencies_run_in_threadpool_async_ones_on_the_loop() -> None:
    app = FasterAPI.Faster()
    seen: dict[str, int] = {}

    async def on_loop() -> None:
        seen["async"] = threading.get_ident()

    def in_pool() -> None:
        seen["sync"] = threading.get_ident()

    @app.get("/t", dependencies=[FasterAPI.Depends(on_loop), FasterAPI.Depends(in_pool)])
    async def t() -> Any:
        seen["handler"] = threading.get_ident()
        return {}

    assert FasterAPI.TestClient(app).get("/t").status_code == 200
    assert seen["async"] == seen["handler"]
    assert seen["sync"] != seen["handler"]


def test_request_and_response_in_dependency() -> None:
    app = FasterAPI.Faster()

    def stamp(request: FasterAPI.Request, response: FasterAPI.Response) -> str:
        response.headers["x-path"] = request.url.path
        response.set_cookie("seen", "1")
        return request.method

    @app.get("/stamp")
    def read(method: str = FasterAPI.Depends(stamp)) -> Any:
        return {"method": method}

    response = FasterAPI.TestClient(app).get("/stamp")
    assert response.json() == {"method": "GET"}
    assert response.headers["x-path"] == "/stamp"
    assert response.cookies["seen"] == "1"


def test_depends_without_callable_or_annotation_is_rejected() -> None:
    app = FasterAPI.Faster()
    with pytest.raises(TypeError):

        @app.get("/bad")
        def bad(x=FasterAPI.Depends()) -> Any:
            return x
