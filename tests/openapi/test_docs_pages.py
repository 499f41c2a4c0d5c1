"""The Swagger UI, ReDoc and OAuth2 redirect pages: local asset URLs by default, or the CDN."""

from html.parser import HTMLParser

import pytest

from FasterAPI import Faster, TestClient
from FasterAPI.openapi import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fasterapi_routing.openapi import docs

CDN = "https://cdn.jsdelivr.net/npm/"
FONTS = (
    '<link rel="stylesheet" href="https://fonts.googleapis.com/css?'
    'family=Montserrat:300,400,700|Roboto:300,400,700">'
)
CACHE = "public, max-age=86400"

SHOP_SWAGGER_UI = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Shop - Swagger UI</title>
  <link rel="stylesheet" type="text/css" href="/docs/static/swagger-ui.css">
  <link rel="shortcut icon" href="/docs/static/favicon.svg">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/static/swagger-ui-bundle.js"></script>
  <script>
    const ui = SwaggerUIBundle({
      url: "/openapi.json",
      "dom_id": "#swagger-ui",
      "layout": "BaseLayout",
      "deepLinking": true,
      "showExtensions": true,
      "showCommonExtensions": true,
      oauth2RedirectUrl: window.location.origin + "/docs/oauth2-redirect",
      presets: [
        SwaggerUIBundle.presets.apis,
        SwaggerUIBundle.SwaggerUIStandalonePreset
      ],
    });
    window.ui = ui;
  </script>
</body>
</html>
"""

SHOP_REDOC = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Shop - ReDoc</title>
  <link rel="shortcut icon" href="/docs/static/favicon.svg">
  <style>body { margin: 0; padding: 0; }</style>
</head>
<body>
  <noscript>ReDoc needs JavaScript to show this documentation.</noscript>
  <redoc spec-url="/openapi.json"></redoc>
  <script src="/docs/static/redoc.standalone.js"></script>
</body>
</html>
"""


class _Links(HTMLParser):
    """The ``src`` and ``href`` attribute values of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.extend(value or "" for name, value in attrs if name in ("src", "href"))


def links(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.urls


def test_default_pages_are_exact() -> None:
    client = TestClient(Faster(title="Shop"))
    for url, expected in (("/docs", SHOP_SWAGGER_UI), ("/redoc", SHOP_REDOC)):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.text == expected


def test_default_pages_reference_only_local_urls() -> None:
    client = TestClient(Faster())
    expected = {
        "/docs": [
            "/docs/static/swagger-ui.css",
            "/docs/static/favicon.svg",
            "/docs/static/swagger-ui-bundle.js",
        ],
        "/redoc": ["/docs/static/favicon.svg", "/docs/static/redoc.standalone.js"],
        "/docs/oauth2-redirect": [],
    }
    for url, urls in expected.items():
        page = client.get(url).text
        assert links(page) == urls, url
        assert "http://" not in page and "https://" not in page, url
        assert "fonts.googleapis.com" not in page, url
        for linked in urls:
            assert client.get(linked).status_code == 200, linked


@pytest.mark.parametrize(
    ("app_root_path", "server_root_path", "prefix"),
    [("/prefix", "", "/prefix"), ("", "/proxy", "/proxy")],
    ids=["app-root-path", "server-root-path"],
)
def test_root_path_prefixes_every_url(
    app_root_path: str, server_root_path: str, prefix: str
) -> None:
    client = TestClient(Faster(root_path=app_root_path), root_path=server_root_path)
    page = client.get("/docs").text
    assert links(page) == [
        f"{prefix}/docs/static/swagger-ui.css",
        f"{prefix}/docs/static/favicon.svg",
        f"{prefix}/docs/static/swagger-ui-bundle.js",
    ]
    assert f'url: "{prefix}/openapi.json",' in page
    assert f'window.location.origin + "{prefix}/docs/oauth2-redirect"' in page
    redoc = client.get("/redoc").text
    assert links(redoc) == [
        f"{prefix}/docs/static/favicon.svg",
        f"{prefix}/docs/static/redoc.standalone.js",
    ]
    assert f'<redoc spec-url="{prefix}/openapi.json"></redoc>' in redoc
    for url in (*links(page), *links(redoc)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == CACHE, url


def test_google_fonts_follow_the_asset_source_unless_chosen() -> None:
    assert FONTS not in TestClient(Faster()).get("/redoc").text
    assert FONTS in TestClient(Faster(with_google_fonts=True)).get("/redoc").text
    assert FONTS in TestClient(Faster(docs_static_url=None)).get("/redoc").text
    cdn = TestClient(Faster(docs_static_url=None, with_google_fonts=False)).get("/redoc").text
    assert FONTS not in cdn
    assert f"{CDN}redoc@2/bundles/redoc.standalone.js" in cdn


def test_cdn_fallback_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docs, "find_local_assets", lambda: None)
    client = TestClient(Faster())
    assert links(client.get("/docs").text) == [
        f"{CDN}swagger-ui-dist@5/swagger-ui.css",
        f"{CDN}swagger-ui-dist@5/favicon-32x32.png",
        f"{CDN}swagger-ui-dist@5/swagger-ui-bundle.js",
    ]
    redoc = client.get("/redoc").text
    assert FONTS in redoc
    assert links(redoc)[1:] == [
        f"{CDN}swagger-ui-dist@5/favicon-32x32.png",
        f"{CDN}redoc@2/bundles/redoc.standalone.js",
    ]


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
    assert links(page) == ["/custom/ui.css", "/_assets/favicon.svg", "https://assets.example/ui.js"]
    assert '"deepLinking": false,' in page
    assert '"syntaxHighlight": {"theme": "obsidian"},' in page
    assert 'ui.initOAuth({"clientId": "abc"});' in page  # json.dumps, as FastAPI writes it
    assert client.get("/_assets/swagger-ui.css").status_code == 200
    assert client.get("/_assets/favicon.svg").status_code == 200
    assert client.get("/docs/static/swagger-ui.css").status_code == 404
    redoc = client.get("/redoc").text
    assert links(redoc) == ["/_assets/favicon.svg", "https://assets.example/redoc.js"]


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
    assert 'url: "/api/schema.json",' in page
    assert "oauth2RedirectUrl" not in page
    for url in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
        assert client.get(url).status_code == 404, url
    assert client.get("/docs/static/redoc.standalone.js").status_code == 200


def test_no_docs_pages_keeps_openapi_json() -> None:
    client = TestClient(Faster(docs_url=None, redoc_url=None))
    assert client.get("/openapi.json").status_code == 200
    for url in (
        "/docs",
        "/redoc",
        "/docs/oauth2-redirect",
        "/docs/static/swagger-ui.css",
        "/docs/static/favicon.svg",
    ):
        assert client.get(url).status_code == 404, url


def test_oauth2_redirect_page() -> None:
    response = TestClient(Faster()).get("/docs/oauth2-redirect")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "window.opener.swaggerUIRedirectOauth2" in response.text
    assert "oauth2.callback(" in response.text
    assert response.text == get_swagger_ui_oauth2_redirect_html().body.decode()


def test_helpers_default_to_the_cdn_like_fastapi() -> None:
    page = get_swagger_ui_html(openapi_url="/o.json", title="T").body.decode()
    assert links(page) == [
        f"{CDN}swagger-ui-dist@5/swagger-ui.css",
        f"{CDN}swagger-ui-dist@5/favicon-32x32.png",
        f"{CDN}swagger-ui-dist@5/swagger-ui-bundle.js",
    ]
    redoc = get_redoc_html(openapi_url="/o.json", title="R").body.decode()
    assert FONTS in redoc
    assert (
        FONTS
        not in get_redoc_html(
            openapi_url="/o.json", title="R", with_google_fonts=False
        ).body.decode()
    )


def test_helpers_escape_their_inputs() -> None:
    page = get_swagger_ui_html(
        openapi_url="/o.json</script><script>alert(1)</script>", title="<b>T</b>"
    ).body.decode()
    assert "</script><script>alert(1)" not in page
    assert "<title>&lt;b&gt;T&lt;/b&gt;</title>" in page
    redoc = get_redoc_html(openapi_url='/o.json"><x', title="R").body.decode()
    assert '<redoc spec-url="/o.json&quot;&gt;&lt;x"></redoc>' in redoc


def test_docs_routes_are_not_documented() -> None:
    client = TestClient(Faster())
    assert client.get("/openapi.json").json()["paths"] == {}
