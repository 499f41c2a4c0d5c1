"""``default_response_class`` through applications, routers and ``include_router``, and
``response_class`` on routes, compared with FastAPI 0.165 (the cases of its
tests/test_default_response_class.py and test_default_response_class_router.py)."""

from types import ModuleType
from typing import Any

import pytest
from twins import Twins, sub


def build(fw: ModuleType, app_default: bool) -> Any:
    responses = sub(fw, "responses")

    class CustomJSON(responses.JSONResponse):  # type: ignore[misc,name-defined]
        media_type = "application/x-custom"

    class Override(responses.JSONResponse):  # type: ignore[misc,name-defined]
        media_type = "application/x-override"

    app = fw.FastAPI(**({"default_response_class": CustomJSON} if app_default else {}))
    router_a = fw.APIRouter()
    router_a_a = fw.APIRouter()
    router_a_b_override = fw.APIRouter()
    router_b_override = fw.APIRouter()
    router_b_a = fw.APIRouter()
    router_b_a_c_override = fw.APIRouter()

    def hello(name: str) -> Any:
        return lambda: name

    def message(name: str) -> Any:
        return lambda: {"msg": name}

    app.get("/")(message("Hello World"))
    app.get("/override", response_class=responses.PlainTextResponse)(hello("Hello World"))
    router_a.get("/")(message("Hello A"))
    router_a.get("/override", response_class=responses.PlainTextResponse)(hello("Hello A"))
    router_a_a.get("/")(message("Hello A A"))
    router_a_a.get("/override", response_class=responses.PlainTextResponse)(hello("Hello A A"))
    router_a_b_override.get("/")(hello("Hello A B"))
    router_a_b_override.get("/override", response_class=responses.HTMLResponse)(
        hello("Hello A B")
    )
    router_b_override.get("/")(hello("Hello B"))
    router_b_override.get("/override", response_class=responses.HTMLResponse)(
        hello("Hello B")
    )
    router_b_a.get("/")(hello("Hello B A"))
    router_b_a.get("/override", response_class=responses.HTMLResponse)(hello("Hello B A"))
    router_b_a_c_override.get("/")(hello("Hello B A C"))
    router_b_a_c_override.get("/override", response_class=Override)(message("Hello B A C"))

    router_b_a.include_router(
        router_b_a_c_override, prefix="/c", default_response_class=responses.HTMLResponse
    )
    router_b_override.include_router(router_b_a, prefix="/a")
    router_a.include_router(router_a_a, prefix="/a")
    router_a.include_router(
        router_a_b_override, prefix="/b", default_response_class=responses.PlainTextResponse
    )
    app.include_router(router_a, prefix="/a")
    app.include_router(
        router_b_override, prefix="/b", default_response_class=responses.PlainTextResponse
    )
    return app


@pytest.mark.parametrize("app_default", [True, False])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/override",
        "/a",
        "/a/override",
        "/a/a",
        "/a/a/override",
        "/a/b",
        "/a/b/override",
        "/b",
        "/b/override",
        "/b/a",
        "/b/a/override",
        "/b/a/c",
        "/b/a/c/override",
    ],
)
def test_default_response_classes_match_fastapi(app_default: bool, path: str) -> None:
    twins = Twins(lambda fw: build(fw, app_default))
    assert twins.get(path).status_code == 200


def test_an_app_default_reaches_included_routers() -> None:
    def app(fw: ModuleType) -> Any:
        responses = sub(fw, "responses")
        app = fw.FastAPI(default_response_class=responses.HTMLResponse)
        plain = fw.APIRouter()
        plain.get("/a")(lambda: "<a>")
        own = fw.APIRouter(default_response_class=responses.PlainTextResponse)
        own.get("/b")(lambda: "b")
        inner = fw.APIRouter()
        inner.get("/d")(lambda: "d")
        outer = fw.APIRouter(default_response_class=responses.PlainTextResponse)
        outer.include_router(inner)
        app.include_router(plain)
        app.include_router(own)
        app.include_router(outer)
        return app

    twins = Twins(app)
    for path in ("/a", "/b", "/d"):
        twins.get(path)
