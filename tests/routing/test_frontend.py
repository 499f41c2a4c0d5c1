"""Frontend routes (FastAPI 0.165's ``app.frontend()`` / ``router.frontend()``) compared with
FastAPI: the same application built on both frameworks, each request's status, headers and body
bytes identical; plus the registration errors and warnings, as FastAPI raises them."""

import os
from pathlib import Path
from types import ModuleType
from typing import Any

import fastapi
import fastapi.testclient
import pytest
from twins import Twins

import FasterAPI
from FasterAPI.testclient import TestClient

HEADERS = (
    "content-type",
    "content-length",
    "etag",
    "last-modified",
    "accept-ranges",
    "location",
    "allow",
    "set-cookie",
    "x-dependency",
)
HTML = {"accept": "text/html"}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    return write(
        tmp_path / "dist",
        {
            "index.html": "<p>app shell</p>",
            "assets/app.js": "console.log('ok')",
            "assets/style.css": "p{}",
            "about/index.html": "about",
            "api": "a file named like the API route",
        },
    )


def root_app(dist: Path, fallback: Any = "auto") -> Any:
    def factory(fw: ModuleType) -> Any:
        app = fw.FastAPI()

        @app.get("/api")
        def read_api() -> dict[str, str]:
            return {"source": "api"}

        @app.get("/missing-item")
        def missing_item() -> None:
            raise fw.HTTPException(404, "api missing")

        app.frontend("/", directory=dist, fallback=fallback)
        return app

    return factory


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/", {}),
        ("GET", "/assets/app.js", {}),
        ("GET", "/assets/style.css", {}),
        ("HEAD", "/assets/app.js", {}),
        ("GET", "/about", {}),  # 307 to /about/
        ("GET", "/about/", {}),
        ("GET", "/dashboard/settings", HTML),  # navigation: index.html
        ("HEAD", "/dashboard/settings", HTML),
        ("GET", "/dashboard/settings", {"accept": "application/xhtml+xml;q=0.5"}),
        ("GET", "/dashboard/settings", {"accept": "text/html; q=0, */*"}),
        ("GET", "/dashboard/settings", {"accept": "*/*"}),
        ("GET", "/assets/missing.js", {}),
        ("POST", "/assets/app.js", {}),  # a file: 405
        ("POST", "/", {}),
        ("DELETE", "/dashboard/settings", HTML),  # fallback only: 404
        ("GET", "/api", HTML),  # the API route wins
        ("GET", "/missing-item", HTML),  # an API 404 is not replaced
        ("GET", "/../secret.txt", {}),
        ("GET", "/..%2fsecret.txt", {}),
        ("GET", "/%2e%2e/secret.txt", {}),
    ],
)
def test_root_frontend_answers_as_fastapi(
    dist: Path, method: str, path: str, headers: dict[str, str]
) -> None:
    (dist.parent / "secret.txt").write_text("secret")
    twins = Twins(root_app(dist), headers=HEADERS)
    response = twins.check(method, path, headers=headers, follow_redirects=False)
    assert b"secret" not in response.content


@pytest.mark.parametrize("fallback", ["auto", "index.html", "404.html", None])
def test_fallback_modes_answer_as_fastapi(tmp_path: Path, fallback: Any) -> None:
    dist = write(tmp_path / "dist", {"index.html": "shell", "404.html": "missing page"})
    twins = Twins(root_app(dist, fallback), headers=HEADERS)
    for accept in (HTML, {"accept": "image/png"}):
        twins.get("/nowhere", headers=accept)
        twins.post("/nowhere", headers=accept)


def test_api_route_405_wins_over_the_frontend(dist: Path) -> None:
    # (FastAPI's Allow header says GET; FasterAPI's GET routes answer HEAD too and say so.)
    twins = Twins(root_app(dist), headers=("content-type",))
    assert twins.post("/api").json() == {"detail": "Method Not Allowed"}


def test_conditional_request_gets_304_as_fastapi(dist: Path) -> None:
    # (FasterAPI's 304 also keeps Last-Modified and Accept-Ranges: core's FileResponse.)
    twins = Twins(root_app(dist), headers=("content-type", "content-length", "etag"))
    etag = twins.get("/assets/app.js").headers["etag"]
    response = twins.get("/assets/app.js", headers={"if-none-match": etag})
    assert response.status_code == 304


def test_included_router_prefixes_dependencies_and_headers(dist: Path) -> None:
    def factory(fw: ModuleType) -> Any:
        def session(request: fw.Request, response: fw.Response) -> None:
            if request.cookies.get("session") != "ok":
                raise fw.HTTPException(401)
            response.headers["X-Dependency"] = "applied"
            response.set_cookie("seen", "yes")

        child = fw.APIRouter(prefix="/internal", dependencies=[fw.Depends(session)])
        child.frontend("/ui", directory=dist, fallback="index.html")
        parent = fw.APIRouter()
        parent.include_router(child, prefix="/child")
        app = fw.FastAPI()
        app.include_router(parent, prefix="/parent")
        return app

    twins = Twins(factory, headers=HEADERS)
    base = "/parent/child/internal/ui"
    assert twins.get(f"{base}/assets/app.js").status_code == 401
    cookies = {"cookie": "session=ok"}
    assert twins.get(f"{base}/assets/app.js", headers=cookies).text == "console.log('ok')"
    assert twins.get(f"{base}/deep/link", headers={**HTML, **cookies}).status_code == 200
    twins.get(base, headers=cookies)
    twins.post(f"{base}/deep/link", headers={**HTML, **cookies})  # no dependency: 404
    twins.get("/parent/child/internal/uix", headers={**HTML, **cookies})  # segment boundary


def test_dependency_validation_error_is_a_422_as_fastapi(dist: Path) -> None:
    def factory(fw: ModuleType) -> Any:
        def needs_token(token: str) -> None:
            pass

        app = fw.FastAPI(dependencies=[fw.Depends(needs_token)])
        app.frontend("/", directory=dist)
        return app

    twins = Twins(factory, headers=HEADERS)
    assert twins.get("/assets/app.js").status_code == 422
    assert twins.get("/assets/app.js?token=x").status_code == 200


def test_longest_frontend_path_wins_across_routers(tmp_path: Path) -> None:
    site = write(tmp_path / "site", {"index.html": "site", "admin/page": "site asset"})
    admin = write(tmp_path / "admin", {"index.html": "admin"})

    def factory(fw: ModuleType) -> Any:
        router = fw.APIRouter()
        router.frontend("/", directory=admin, fallback="index.html")
        app = fw.FastAPI()
        app.frontend("/", directory=site, fallback="index.html")
        app.include_router(router, prefix="/admin")
        return app

    twins = Twins(factory, headers=HEADERS)
    assert twins.get("/admin/settings", headers=HTML).text == "admin"
    assert twins.get("/elsewhere", headers=HTML).text == "site"
    twins.get("/admin/page")
    twins.post("/admin/page", headers=HTML)


def test_each_inclusion_keeps_its_body_limit(dist: Path) -> None:
    def factory(fw: ModuleType) -> Any:
        router = fw.APIRouter()
        router.frontend("/", directory=dist)
        app = fw.FastAPI()
        app.include_router(router, prefix="/empty", max_body_size=0)
        app.include_router(router, prefix="/small", max_body_size=10)
        return app

    twins = Twins(factory, headers=HEADERS)
    headers = {"content-length": "1"}
    assert twins.check("GET", "/small/index.html", content=b"x", headers=headers).status_code == 200
    # (FastAPI's test client shows its 413 without the body it declares: status and type here.)
    ours = twins.ours.request("GET", "/empty/index.html", content=b"x", headers=headers)
    theirs = twins.theirs.request("GET", "/empty/index.html", content=b"x", headers=headers)
    assert (ours.status_code, ours.headers["content-type"]) == (413, "text/plain; charset=utf-8")
    assert (theirs.status_code, theirs.headers["content-type"]) == (
        413,
        ours.headers["content-type"],
    )


def test_frontend_routes_are_not_in_openapi(dist: Path) -> None:
    twins = Twins(root_app(dist))
    assert set(twins.openapi()["paths"]) == {"/api", "/missing-item"}


@pytest.mark.parametrize("fw", [FasterAPI, fastapi])
def test_registration_errors(fw: ModuleType, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("FASTAPI_ENV", raising=False)
    app = fw.FastAPI()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(AssertionError, match="fallback must be"):
        app.frontend("/", directory=empty, fallback="other")
    with pytest.raises(AssertionError, match="must start with '/'"):
        app.frontend("app", directory=empty)
    with pytest.raises(RuntimeError, match=r"Frontend directory '.*missing' does not exist"):
        fw.APIRouter().frontend("/", directory=tmp_path / "missing")
    with pytest.raises(RuntimeError, match=r"Frontend fallback file 'index\.html' does not exist"):
        app.frontend("/", directory=empty, fallback="index.html")


@pytest.mark.parametrize("fw", [FasterAPI, fastapi])
def test_development_warns_from_the_callers_line(
    fw: ModuleType, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("FASTAPI_ENV", "development")
    for owner in (fw.FastAPI(), fw.APIRouter()):
        with pytest.warns(UserWarning, match="does not exist") as caught:
            owner.frontend("/", directory=tmp_path / "missing")
        assert caught[0].filename == __file__


def test_missing_directory_unchecked_fails_on_request(tmp_path: Path) -> None:
    app = FasterAPI.FastAPI()
    app.frontend("/", directory=tmp_path / "missing", check_dir=False)
    with pytest.raises(RuntimeError, match="does not exist"):
        TestClient(app).get("/index.html")


def test_symlink_out_of_the_directory_is_a_404(tmp_path: Path) -> None:
    dist = write(tmp_path / "dist", {"index.html": "app"})
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", dist / "link.txt")
    twins = Twins(root_app(dist), headers=HEADERS)
    assert twins.get("/link.txt").status_code == 404


def test_app_without_frontends_has_no_low_priority_routes() -> None:
    app = FasterAPI.FastAPI()
    app.include_router(FasterAPI.APIRouter())
    assert app.router._low_priority_routes == []
    assert TestClient(app).get("/nowhere").json() == {"detail": "Not Found"}


@pytest.mark.parametrize("fw", [FasterAPI, fastapi])
def test_telemetry_route_is_the_frontend_path(fw: ModuleType, dist: Path) -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    router = fw.APIRouter()
    router.frontend("/ui", directory=dist, fallback="index.html")
    app = fw.FastAPI(telemetry={"tracer_provider": provider, "operation_spans": False})
    app.include_router(router, prefix="/app")
    app.frontend("/", directory=dist)
    client = TestClient(app) if fw is FasterAPI else fastapi.testclient.TestClient(app)
    assert client.get("/app/ui/deep/link", headers=HTML).text == "<p>app shell</p>"
    assert client.get("/assets/app.js").status_code == 200
    routes = [span.attributes["http.route"] for span in spans.get_finished_spans()]
    assert routes == ["/app/ui/{path}", "/{path}"]
