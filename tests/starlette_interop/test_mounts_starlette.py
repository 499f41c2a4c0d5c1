"""Mounted applications as Starlette and FastAPI have them: a FasterAPI ``Mount`` is an instance
of ``starlette.routing.Mount`` (Starlette imported), the mounted app's scope carries
``root_path``/``app_root_path`` as Starlette 1.10's, ``request.url_for`` inside it does not repeat
the mount path, routes under ``/tenants/{tenant}`` see the mount's parameters, ``url_for`` keeps a
``Host`` route's host; and a replaced ``Starlette.__call__`` (sentry-sdk) serves FasterAPI apps.
Each behaviour runs on FastAPI and on FasterAPI and the answers are compared."""

from typing import Any

import fastapi
import fastapi.testclient
import pytest
import starlette.applications
import starlette.routing

import FasterAPI
import FasterAPI.routing
from FasterAPI.testclient import TestClient
from fasterapi_routing.mounts import Mount as FasterMount

SIDES = {
    "fasterapi": (FasterAPI, FasterAPI.routing, TestClient),
    "fastapi": (fastapi, starlette.routing, fastapi.testclient.TestClient),
}


def _both(build: Any, *paths: str, **client_options: Any) -> dict[str, Any]:
    """``{side: [(status, body), ...]}`` of ``paths`` on the app ``build(module, routing)``."""
    found = {}
    for side, (module, routing, client_class) in SIDES.items():
        client = client_class(build(module, routing), **client_options)
        found[side] = [(r.status_code, r.json()) for r in map(client.get, paths)]
    return found


def test_a_mount_is_starlettes_mount_and_fasterapis() -> None:
    app = FasterAPI.FastAPI()
    app.mount("/sub", FasterAPI.FastAPI(), name="sub")
    built = FasterAPI.routing.Mount("/static", app=FasterAPI.FastAPI())
    for mount in (app.routes[-1], built):
        assert isinstance(mount, starlette.routing.Mount)
        assert isinstance(mount, FasterMount)
        assert type(mount).__name__ == "Mount"
        assert type(mount).matches is FasterMount.matches  # FasterAPI's behaviour first
        assert mount == mount and mount != FasterAPI.routing.Mount(mount.path, app=mount.app)
    assert {built: 1}[built] == 1  # hashable, as FasterAPI's (Starlette's Mount is not)


def test_a_subclass_of_mount_stays_itself() -> None:
    class Custom(FasterAPI.routing.Mount):
        pass

    assert type(Custom("/c", app=FasterAPI.FastAPI())) is Custom


def _walk(routes: list[Any], scope: dict[str, Any]) -> str | None:
    """prometheus-fastapi-instrumentator's walk: recurse into Starlette mounts' routes."""
    for route in routes:
        match, child = route.matches(scope)
        if match == starlette.routing.Match.NONE:
            continue
        if isinstance(route, starlette.routing.Mount) and route.routes:
            inner = _walk(route.routes, {**scope, **child})
            if inner is not None:
                return route.path + inner
            continue
        return str(route.path)
    return None


@pytest.mark.parametrize("path", ["/sub/items/3", "/sub/nothing", "/top"])
def test_the_instrumentators_walk_names_routes_of_mounted_apps(path: str) -> None:
    names = {}
    for side, (module, _, _) in SIDES.items():
        app, sub = module.FastAPI(), module.FastAPI()
        sub.get("/items/{item_id}")(lambda item_id: item_id)
        app.get("/top")(lambda: 1)
        app.mount("/sub", sub)
        scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
        names[side] = _walk(app.routes, scope)
    assert names["fasterapi"] == names["fastapi"]
    assert names["fastapi"] == {"/sub/items/3": "/sub/items/{item_id}", "/top": "/top"}.get(path)


def _mounted(module: Any, routing: Any) -> Any:
    app, sub, tenants = module.FastAPI(), module.FastAPI(), module.FastAPI()

    @sub.get("/page", name="page")
    def page(request: module.Request) -> dict[str, Any]:
        scope = request.scope
        return {
            "root_path": scope.get("root_path"),
            "app_root_path": scope.get("app_root_path"),
            "base_url": str(request.base_url),
            "url_for": str(request.url_for("admin:page")),
            "statics": str(request.url_for("admin:static", path="a.css")),
        }

    sub.mount("/statics", module.FastAPI(), name="static")

    @tenants.get("/items/{item_id}", name="item")
    def item(item_id: int, request: module.Request) -> dict[str, Any]:
        return {
            "path_params": request.path_params,
            "root_path": request.scope.get("root_path"),
            "url_for": str(request.url_for("tenants:item", tenant="t2", item_id=item_id + 1)),
        }

    @tenants.get("/whoami")
    def whoami(tenant: str) -> str:  # a query parameter: not the mount's
        return tenant

    app.mount("/admin", sub, name="admin")
    app.mount("/tenants/{tenant}", tenants, name="tenants")
    return app


@pytest.mark.parametrize("root_path", ["", "/api"])
def test_mounted_apps_scope_and_url_for_as_starlette(root_path: str) -> None:
    paths = ("/admin/page", "/tenants/acme/items/5", "/tenants/acme/whoami?tenant=q")
    paths = tuple(root_path + path for path in paths)  # the path a proxy forwards, as is
    found = _both(_mounted, *paths, root_path=root_path)
    assert found["fasterapi"] == found["fastapi"]
    assert found["fastapi"][0] == (
        200,
        {
            "root_path": root_path + "/admin",
            "app_root_path": root_path,
            "base_url": f"http://testserver{root_path}/",
            "url_for": f"http://testserver{root_path}/admin/page",
            "statics": f"http://testserver{root_path}/admin/statics/a.css",
        },
    )
    assert found["fastapi"][1] == (
        200,
        {
            "path_params": {"tenant": "acme", "item_id": "5"},
            "root_path": root_path + "/tenants/acme",
            "url_for": f"http://testserver{root_path}/tenants/t2/items/6",
        },
    )
    assert found["fastapi"][2] == (200, "q")


def _hosted(module: Any, routing: Any) -> Any:
    app, api = module.FastAPI(), module.FastAPI()
    api.get("/users", name="users")(lambda: [])

    @app.get("/links")
    def links(request: module.Request) -> str:
        return str(request.url_for("api:users"))

    app.router.routes.append(routing.Host("api.example.com", app=api, name="api"))
    return app


def test_url_for_keeps_a_host_routes_host() -> None:
    found = _both(_hosted, "/links")
    assert found["fasterapi"] == found["fastapi"] == [(200, "http://api.example.com/users")]


def test_a_replaced_starlette_call_serves_fasterapi_apps() -> None:
    """What sentry-sdk's Starlette integration does: replace ``Starlette.__call__``."""
    original = starlette.applications.Starlette.__dict__["__call__"]
    seen: list[tuple[str, Any]] = []

    async def replaced(self: Any, scope: Any, receive: Any, send: Any) -> None:
        seen.append((scope["path"], scope.get("app")))
        try:
            await original(self, scope, receive, send)
        except RuntimeError:
            seen.append(("raised", None))
            raise

    def build() -> Any:
        app = FasterAPI.FastAPI()

        @app.get("/ok")
        def ok(request: FasterAPI.Request) -> bool:
            return request.app is app

        @app.get("/fail")
        def fail() -> None:
            raise RuntimeError("boom")

        return app

    untouched = TestClient(build(), raise_server_exceptions=False)
    assert untouched.get("/ok").json() is True  # its stack built before the replacement
    starlette.applications.Starlette.__call__ = replaced  # type: ignore[method-assign]
    try:
        app = build()
        client = TestClient(app, raise_server_exceptions=False)
        answers = [(r.status_code, r.text) for r in (client.get("/ok"), client.get("/fail"))]
        assert untouched.get("/ok").json() is True
    finally:
        starlette.applications.Starlette.__call__ = original  # type: ignore[method-assign]
    assert answers == [(200, "true"), (500, "Internal Server Error")]
    assert seen == [("/ok", app), ("/fail", app), ("raised", None)]


@pytest.mark.parametrize("redirect_slashes", [True, False])
def test_a_mounts_bare_path_is_redirected_as_starlette(redirect_slashes: bool) -> None:
    """``/sub`` is not the mount's (``/sub/...`` is): redirected to ``/sub/``, or 404."""
    found = {}
    for side, (module, _, client_class) in SIDES.items():
        app, sub = module.FastAPI(), module.FastAPI()
        app.router.redirect_slashes = redirect_slashes
        sub.get("/")(lambda: "sub root")
        app.mount("/sub", sub)
        client = client_class(app)
        found[side] = [
            (r.status_code, r.headers.get("location"), r.text)
            for r in (client.get("/sub", follow_redirects=False), client.get("/sub/"))
        ]
    assert found["fasterapi"] == found["fastapi"]
    bare = (
        (307, "http://testserver/sub/", "")
        if redirect_slashes
        else (404, None, '{"detail":"Not Found"}')
    )
    assert found["fastapi"] == [bare, (200, None, '"sub root"')]


def _websocket_links(module: Any, routing: Any) -> Any:
    app = module.FastAPI()

    @app.websocket("/ws/{room}", name="ws")
    async def ws(websocket: module.WebSocket, room: str) -> None:  # pragma: no cover
        await websocket.accept()

    @app.get("/links", name="links")
    def links(request: module.Request) -> list[str]:
        return [str(request.url_for("ws", room="a")), str(request.url_for("links"))]

    return app


@pytest.mark.parametrize("base_url", ["http://testserver", "https://example.com"])
def test_url_for_keeps_a_websocket_routes_scheme(base_url: str) -> None:
    found = _both(_websocket_links, "/links", base_url=base_url)
    secure = base_url.startswith("https")
    host = base_url.split("://")[1]
    expected = [f"{'wss' if secure else 'ws'}://{host}/ws/a", f"{base_url}/links"]
    assert found["fasterapi"] == found["fastapi"] == [(200, expected)]
