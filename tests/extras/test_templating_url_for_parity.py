"""``url_for`` in Jinja templates and ``Request.url_for`` under a ``root_path`` and in a
mounted application, compared with FastAPI 0.165 (Starlette 1.10): the template's
``url_for(...)`` is a URL (``.path`` is its path) and URLs start at the top application's
root, the mount's prefix coming from the route lookup."""

from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

import fastapi
import pytest

import FasterAPI

TEMPLATE = (
    "{{ url_for('static', path='/app.css').path }}|{{ url_for('item', item_id=7).path }}"
    "|{{ url_for('item', item_id=7) }}"
)


def _app(fw: ModuleType, tmp_path: Path) -> Any:
    templating = import_module(f"{fw.__name__}.templating")
    staticfiles = import_module(f"{fw.__name__}.staticfiles")
    templates = templating.Jinja2Templates(directory=tmp_path / "templates")
    app = fw.FastAPI()
    app.mount("/static", staticfiles.StaticFiles(directory=tmp_path / "static"), name="static")
    request_class = fw.Request

    @app.get("/items/{item_id}", name="item")
    def item(request: request_class, item_id: int) -> Any:  # type: ignore[valid-type]
        return templates.TemplateResponse(request=request, name="links.html")

    @app.get("/direct")
    def direct(request: request_class) -> str:  # type: ignore[valid-type]
        return str(request.url_for("item", item_id=3))

    return app


def _answers(fw: ModuleType, tmp_path: Path, mount: str, root_path: str) -> list[Any]:
    app = _app(fw, tmp_path)
    if mount:
        outer = fw.FastAPI()
        outer.mount(mount, app)
        app = outer
    testclient = import_module(f"{fw.__name__}.testclient")
    client = testclient.TestClient(app, root_path=root_path, base_url="https://example.com")
    prefix = root_path + mount
    answers = []
    for path in ("/items/1", "/direct"):
        response = client.get(prefix + path)
        answers.append((response.status_code, response.text))
    return answers


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "links.html").write_text(TEMPLATE)
    (tmp_path / "static").mkdir()
    return tmp_path


@pytest.mark.parametrize("root_path", ["", "/api/v1"])
@pytest.mark.parametrize("mount", ["", "/subapp"])
def test_url_for_as_fastapi(folder: Path, mount: str, root_path: str) -> None:
    ours = _answers(FasterAPI, folder, mount, root_path)
    assert ours == _answers(fastapi, folder, mount, root_path)
    prefix = root_path + mount
    assert ours[0] == (
        200,
        f"{prefix}/static/app.css|{prefix}/items/7|https://example.com{prefix}/items/7",
    )
    assert ours[1] == (200, f'"https://example.com{prefix}/items/3"')
