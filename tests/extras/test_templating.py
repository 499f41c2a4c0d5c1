"""Jinja2Templates through a Faster app: both call forms, autoescaping, url_for, options."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from fasterapi_core.background import BackgroundTask
from fasterapi_core.requests import Request
from fasterapi_core.responses import Response
from fasterapi_core.testclient import TestClient
from fasterapi_extras.staticfiles import StaticFiles
from fasterapi_extras.templating import Jinja2TemplateResponse, Jinja2Templates
from fasterapi_routing import Faster


@pytest.fixture
def templates(tmp_path: Path) -> Jinja2Templates:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "hello.html").write_text("<h1>Hello {{ name }}</h1>")
    (folder / "feed.xml").write_text("<t>{{ name }}</t>")
    (folder / "plain.txt").write_text("raw {{ name }}")
    (folder / "links.html").write_text(
        "{{ url_for('static', path='app.css') }}|{{ url_for('item', item_id=7) }}"
        "|{{ request.url.path }}"
    )
    (tmp_path / "static").mkdir()
    return Jinja2Templates(directory=folder)


@pytest.fixture
def client(templates: Jinja2Templates, tmp_path: Path) -> TestClient:
    app = Faster()
    app.mount("/static", StaticFiles(directory=tmp_path / "static"), name="static")
    done: list[str] = []
    app.state_done = done  # type: ignore[attr-defined]

    @app.get("/hello/{name}")
    def hello(request: Request, name: str) -> Response:
        return templates.TemplateResponse(request, "hello.html", {"name": name})

    @app.get("/old/{name}")
    def old(request: Request, name: str) -> Response:
        return templates.TemplateResponse("hello.html", {"request": request, "name": name})

    @app.get("/kw")
    def keywords(request: Request) -> Response:
        return templates.TemplateResponse(
            request=request,
            name="hello.html",
            context={"name": "kw"},
            status_code=201,
            headers={"x-extra": "1"},
            background=BackgroundTask(done.append, "bg"),
        )

    @app.get("/feed")
    def feed(request: Request) -> Response:
        return templates.TemplateResponse(
            request, "feed.xml", {"name": "<&>"}, media_type="application/xml"
        )

    @app.get("/plain")
    def plain(request: Request) -> Response:
        return templates.TemplateResponse(request, "plain.txt", {"name": "<b>"})

    @app.get("/links", name="links")
    def links(request: Request) -> Response:
        return templates.TemplateResponse(request, "links.html")

    @app.get("/items/{item_id}", name="item")
    def item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    return TestClient(app)


def test_new_and_old_call_forms(client: TestClient) -> None:
    new = client.get("/hello/Ann")
    assert new.status_code == 200
    assert new.text == "<h1>Hello Ann</h1>"
    assert new.headers["content-type"] == "text/html; charset=utf-8"
    assert client.get("/old/Bob").text == "<h1>Hello Bob</h1>"


def test_keyword_form_status_headers_background(client: TestClient) -> None:
    response = client.get("/kw")
    assert (response.status_code, response.text) == (201, "<h1>Hello kw</h1>")
    assert response.headers["x-extra"] == "1"
    assert client.app.state_done == ["bg"]  # type: ignore[attr-defined]


def test_autoescape_html_and_xml_only(client: TestClient) -> None:
    escaped = client.get("/hello/<script>'\"&")
    assert escaped.text == "<h1>Hello &lt;script&gt;&#39;&#34;&amp;</h1>"
    feed = client.get("/feed")
    assert feed.text == "<t>&lt;&amp;&gt;</t>"
    assert feed.headers["content-type"] == "application/xml"
    assert client.get("/plain").text == "raw <b>"


def test_url_for_routes_and_mounts(client: TestClient) -> None:
    assert client.get("/links").text == (
        "http://testserver/static/app.css|http://testserver/items/7|/links"
    )


def test_response_keeps_template_and_context(templates: Jinja2Templates) -> None:
    app = Faster()
    seen: list[Jinja2TemplateResponse] = []

    @app.get("/")
    def index(request: Request) -> Response:
        response = templates.TemplateResponse(request, "hello.html", {"name": "x"})
        seen.append(response)
        return response

    TestClient(app).get("/")
    assert seen[0].template.name == "hello.html"
    assert seen[0].context["name"] == "x"
    assert isinstance(seen[0].context["request"], Request)


def test_context_processors_and_env(tmp_path: Path) -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ site }}:{{ name }}"}))
    templates = Jinja2Templates(env=env, context_processors=[lambda request: {"site": "S"}])
    app = Faster()

    @app.get("/")
    def index(request: Request) -> Response:
        return templates.TemplateResponse(request, "t.html", {"name": "n"})

    assert TestClient(app).get("/").text == "S:n"


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Jinja2Templates()
    templates = Jinja2Templates(env=jinja2.Environment(loader=jinja2.DictLoader({"a": "x"})))
    with pytest.raises(ValueError, match="request"):
        templates.TemplateResponse("a", {})
    with pytest.raises(jinja2.TemplateNotFound):
        templates.get_template("missing.html")
