"""The Swagger UI, ReDoc and OAuth2 redirect pages, and the locally served assets."""

from pathlib import Path

import pytest

from FasterAPI import Faster, TestClient
from FasterAPI.openapi import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fasterapi_routing.openapi import assets, docs

CDN = "https://cdn.jsdelivr.net/npm/"


def test_local_assets_are_found_and_are_swagger_ui_5_and_redoc_2() -> None:
    files = assets.find_local_assets()
    assert files is not None
    assert sorted(files) == sorted(assets.LOCAL_ASSET_NAMES)
    bundle = files["swagger-ui-bundle.js"].read_bytes()
    assert b"SwaggerUIBundle" in bundle
    assert b".swagger-ui" in files["swagger-ui.css"].read_bytes()
    assert b"Redoc" in files["redoc.standalone.js"].read_bytes()


def test_swagger_ui_page_uses_local_assets() -> None:
    client = TestClient(Faster(title="Shop"))
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert "<title>Shop - Swagger UI</title>" in page
    assert '<script src="/docs/static/swagger-ui-bundle.js"></script>' in page
    assert 'href="/docs/static/swagger-ui.css"' in page
    assert 'href="/docs/static/favicon-32x32.png"' in page
    assert '"url":"/openapi.json"' in page
    assert '"dom_id":"#swagger-ui"' in page
    assert "options.oauth2RedirectUrl = window.location.origin + \"/docs/oauth2-redirect\";" in page
    assert CDN not in page


def test_assets_are_served() -> None:
    client = TestClient(Faster())
    files = assets.find_local_assets()
    assert files is not None
    expected_types = {
        "swagger-ui-bundle.js": "text/javascript",
        "swagger-ui.css": "text/css",
        "redoc.standalone.js": "text/javascript",
        "favicon-32x32.png": "image/png",
    }
    for name, path in files.items():
        response = client.get(f"/docs/static/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"].split(";")[0] == expected_types[name]
        assert response.headers["cache-control"] == "public, max-age=86400"
        assert response.content == path.read_bytes()
    assert client.get("/docs/static/../../etc/passwd").status_code == 404
    assert client.get("/docs/static/other.js").status_code == 404


def test_redoc_page_uses_local_assets_without_google_fonts() -> None:
    client = TestClient(Faster(title="Shop"))
    response = client.get("/redoc")
    assert response.status_code == 200
    page = response.text
    assert "<title>Shop - ReDoc</title>" in page
    assert '<redoc spec-url="/openapi.json"></redoc>' in page
    assert '<script src="/docs/static/redoc.standalone.js"></script>' in page
    assert "fonts.googleapis.com" not in page


def test_cdn_fallback_without_local_assets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docs, "find_local_assets", lambda: None)
    client = TestClient(Faster())
    page = client.get("/docs").text
    assert f'<script src="{CDN}swagger-ui-dist@5/swagger-ui-bundle.js"></script>' in page
    assert f'href="{CDN}swagger-ui-dist@5/swagger-ui.css"' in page
    redoc = client.get("/redoc").text
    assert f'<script src="{CDN}redoc@2/bundles/redoc.standalone.js"></script>' in redoc
    assert "fonts.googleapis.com" in redoc
    assert client.get("/docs/static/swagger-ui-bundle.js").status_code == 404


def test_missing_package_is_not_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(assets, "_PACKAGE", "no_such_package_for_docs_assets")
    assert assets.find_local_assets() is None


def test_configurable_asset_urls_and_static_path() -> None:
    app = Faster(
        swagger_js_url="https://assets.example/ui.js",
        swagger_css_url="/custom/ui.css",
        redoc_js_url="https://assets.example/redoc.js",
        docs_static_url="/_assets",
        swagger_ui_parameters={"deepLinking": False, "syntaxHighlight": {"theme": "obsidian"}},
        swagger_ui_init_oauth={"clientId": "abc"},
    )
    client = TestClient(app)
    page = client.get("/docs").text
    assert '<script src="https://assets.example/ui.js"></script>' in page
    assert 'href="/custom/ui.css"' in page
    assert 'href="/_assets/favicon-32x32.png"' in page
    assert '"deepLinking":false' in page
    assert '"syntaxHighlight":{"theme":"obsidian"}' in page
    assert 'ui.initOAuth({"clientId":"abc"});' in page
    assert client.get("/_assets/swagger-ui.css").status_code == 200
    assert client.get("/docs/static/swagger-ui.css").status_code == 404
    assert '<script src="https://assets.example/redoc.js"></script>' in client.get("/redoc").text


def test_static_url_none_forces_cdn() -> None:
    client = TestClient(Faster(docs_static_url=None))
    assert f"{CDN}swagger-ui-dist@5/swagger-ui-bundle.js" in client.get("/docs").text
    assert client.get("/docs/static/swagger-ui.css").status_code == 404


def test_custom_and_disabled_urls() -> None:
    app = Faster(
        openapi_url="/api/schema.json",
        docs_url="/api/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    client = TestClient(app)
    assert client.get("/api/schema.json").status_code == 200
    page = client.get("/api/docs").text
    assert '"url":"/api/schema.json"' in page
    assert "oauth2RedirectUrl" not in page
    for url in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
        assert client.get(url).status_code == 404, url
    assert client.get("/docs/static/redoc.standalone.js").status_code == 200


def test_no_docs_pages_keeps_openapi_json() -> None:
    client = TestClient(Faster(docs_url=None, redoc_url=None))
    assert client.get("/openapi.json").status_code == 200
    for url in ("/docs", "/redoc", "/docs/oauth2-redirect", "/docs/static/swagger-ui.css"):
        assert client.get(url).status_code == 404, url


def test_root_path_prefixes_every_url() -> None:
    client = TestClient(Faster(root_path="/prefix"))
    page = client.get("/docs").text
    assert '"url":"/prefix/openapi.json"' in page
    assert '<script src="/prefix/docs/static/swagger-ui-bundle.js"></script>' in page
    assert 'window.location.origin + "/prefix/docs/oauth2-redirect"' in page
    redoc = client.get("/redoc").text
    assert '<redoc spec-url="/prefix/openapi.json"></redoc>' in redoc
    assert '<script src="/prefix/docs/static/redoc.standalone.js"></script>' in redoc


def test_oauth2_redirect_page() -> None:
    response = TestClient(Faster()).get("/docs/oauth2-redirect")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "window.opener.swaggerUIRedirectOauth2" in response.text
    assert "oauth2.callback(" in response.text
    assert response.text == get_swagger_ui_oauth2_redirect_html().body.decode()


def test_helpers_escape_their_inputs() -> None:
    page = get_swagger_ui_html(
        openapi_url="/o.json</script><script>alert(1)</script>", title="<b>T</b>"
    ).body.decode()
    assert "</script><script>alert(1)" not in page
    assert "<title>&lt;b&gt;T&lt;/b&gt; </title>" not in page
    assert "<title>&lt;b&gt;T&lt;/b&gt;</title>" in page
    redoc = get_redoc_html(openapi_url='/o.json"><x', title="R").body.decode()
    assert '<redoc spec-url="/o.json&quot;&gt;&lt;x"></redoc>' in redoc


def test_docs_routes_are_not_documented() -> None:
    client = TestClient(Faster())
    assert client.get("/openapi.json").json()["paths"] == {}
