"""The Swagger UI and ReDoc files: where they come from, how they are served, the CDN fallback."""

import logging
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from FasterAPI import Faster, TestClient
from fasterapi_routing.openapi import assets, docs

CACHE = "public, max-age=86400"
ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
}
CDN_WARNING = (
    "Swagger UI and ReDoc files are not installed, so the docs pages load them from "
    "cdn.jsdelivr.net and need internet access. Install fasterapi-routing[docs-ui] (the "
    "fasterapi distribution includes it) to serve them from the application, or pass "
    "docs_static_url=None to choose the CDN."
)


@pytest.fixture
def no_local_assets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The asset packages are missing, and the once-per-process warning was not logged yet."""
    monkeypatch.setattr(docs, "find_local_assets", lambda: None)
    monkeypatch.setattr(docs, "_warned", False)


def test_asset_packages_ship_swagger_ui_5_and_redoc_2_with_licenses() -> None:
    files = assets.find_local_assets()
    assert files is not None
    assert sorted(files) == sorted(assets.LOCAL_ASSET_NAMES) == sorted(ASSET_TYPES)
    bundle = files["swagger-ui-bundle.js"].read_bytes()
    assert re.search(rb'PACKAGE_VERSION:"5\.\d+\.\d+"', bundle)
    assert b"SwaggerUIBundle" in bundle
    assert files["swagger-ui.css"].read_bytes().startswith(b".swagger-ui{")
    assert re.search(rb'ReDoc Version: ","2\.\d+\.\d+"', files["redoc.standalone.js"].read_bytes())
    swagger = assets.package_directory("mkdocs_swagger_ui_tag")
    redoc = assets.package_directory("mkdocs_redoc_tag")
    assert swagger is not None and redoc is not None
    assert "Apache License" in (swagger / "swagger-ui" / "LICENSE").read_text()
    assert "SmartBear" in (swagger / "swagger-ui" / "NOTICE").read_text()
    assert "The MIT License" in (redoc / "redoc" / "LICENCE").read_text()
    # Located, never imported: their plugin modules import MkDocs.
    assert "mkdocs_swagger_ui_tag" not in sys.modules
    assert "mkdocs_redoc_tag" not in sys.modules


def test_every_file_is_required(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(assets, "package_directory", lambda name: tmp_path / name)
    assert assets.find_local_assets() is None
    swagger = tmp_path / "mkdocs_swagger_ui_tag" / "swagger-ui"
    redoc = tmp_path / "mkdocs_redoc_tag" / "redoc"
    for path in (
        swagger / "javascripts" / "swagger-ui-bundle.js",
        swagger / "stylesheets" / "swagger-ui.css",
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    assert assets.find_local_assets() is None
    (redoc / "javascripts").mkdir(parents=True)
    (redoc / "javascripts" / "redoc.standalone.js").write_text("x")
    assert assets.find_local_assets() == {
        "swagger-ui-bundle.js": swagger / "javascripts" / "swagger-ui-bundle.js",
        "swagger-ui.css": swagger / "stylesheets" / "swagger-ui.css",
        "redoc.standalone.js": redoc / "javascripts" / "redoc.standalone.js",
    }


def test_package_directory_only_finds_installed_packages() -> None:
    assert assets.package_directory("no_such_package_for_docs_assets") is None
    assert assets.package_directory("os") is None  # a module, not a package
    json_directory = assets.package_directory("json")
    assert json_directory is not None and (json_directory / "decoder.py").is_file()


def test_asset_routes_serve_the_files() -> None:
    client = TestClient(Faster())
    files = assets.find_local_assets()
    assert files is not None
    for name, path in files.items():
        response = client.get(f"/docs/static/{name}")
        assert response.status_code == 200, name
        etag = response.headers["etag"]
        assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
        assert dict(response.headers) == {
            "cache-control": CACHE,
            "content-type": ASSET_TYPES[name],
            "content-length": str(path.stat().st_size),
            "accept-ranges": "bytes",
            "last-modified": response.headers["last-modified"],
            "etag": etag,
        }
        assert response.content == path.read_bytes()
        head = client.head(f"/docs/static/{name}")
        assert head.status_code == 200
        assert dict(head.headers) == dict(response.headers)
        assert head.content == b""
        again = client.get(f"/docs/static/{name}", headers={"if-none-match": etag})
        assert again.status_code == 304
        assert again.content == b""
    assert client.get("/docs/static/../../etc/passwd").status_code == 404
    assert client.get("/docs/static/other.js").status_code == 404
    assert client.get("/docs/static/swagger-ui-bundle.js.map").status_code == 404
    refused = client.post("/docs/static/swagger-ui.css")
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, HEAD"


def test_favicon_is_ours_and_served() -> None:
    client = TestClient(Faster())
    response = client.get("/docs/static/favicon.svg")
    assert response.status_code == 200
    assert dict(response.headers) == {
        "cache-control": CACHE,
        "content-length": str(len(assets.FAVICON_SVG)),
        "content-type": "image/svg+xml",
    }
    assert response.content == assets.FAVICON_SVG
    svg = ET.fromstring(response.content)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.attrib["viewBox"] == "0 0 32 32"
    head = client.head("/docs/static/favicon.svg")
    assert (head.status_code, dict(head.headers), head.content) == (
        200,
        dict(response.headers),
        b"",
    )


@pytest.mark.usefixtures("no_local_assets")
def test_cdn_fallback_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="fasterapi")
    client = TestClient(Faster())
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("fasterapi.docs", "WARNING", CDN_WARNING)
    ]
    for name in (*assets.LOCAL_ASSET_NAMES, assets.FAVICON_NAME):
        assert client.get(f"/docs/static/{name}").status_code == 404, name
    Faster()
    Faster(title="another")
    assert len(caplog.records) == 1


@pytest.mark.usefixtures("no_local_assets")
@pytest.mark.parametrize(
    "options",
    [
        {"docs_static_url": None},
        {"docs_url": None, "redoc_url": None},
        {"openapi_url": None},
        {"swagger_js_url": "/ui.js", "swagger_css_url": "/ui.css", "redoc_js_url": "/redoc.js"},
        {"redoc_url": None, "swagger_js_url": "/ui.js", "swagger_css_url": "/ui.css"},
        {"docs_url": None, "redoc_js_url": "https://assets.example/redoc.js"},
    ],
)
def test_no_warning_when_no_page_uses_the_cdn_by_default(
    options: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="fasterapi")
    Faster(**options)
    assert caplog.records == []


@pytest.mark.usefixtures("no_local_assets")
def test_warning_when_one_page_still_uses_the_cdn(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="fasterapi")
    Faster(redoc_js_url="/redoc.js")
    assert [r.getMessage() for r in caplog.records] == [CDN_WARNING]


def test_no_warning_with_local_assets(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(docs, "_warned", False)
    caplog.set_level(logging.WARNING, logger="fasterapi")
    Faster()
    assert caplog.records == []
