"""The documentation routes: the OpenAPI document, Swagger UI, ReDoc, their assets.

Options read from ``Faster(...)``'s extra keyword arguments: ``swagger_js_url``,
``swagger_css_url``, ``swagger_favicon_url``, ``redoc_js_url``, ``redoc_favicon_url`` (asset URLs;
by default the locally installed assets, else the jsDelivr CDN), ``with_google_fonts`` (ReDoc's
fonts from fonts.googleapis.com; default: only when the assets come from the CDN) and
``docs_static_url`` (where local assets are served, default ``/docs/static``; ``None`` chooses
the CDN); ``Faster(swagger_ui_init_oauth=...)`` is passed to ``ui.initOAuth``. When the asset
packages are missing the pages fall back to the CDN and a warning is logged once per process.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fasterapi_core.fileresponse import FileResponse
from fasterapi_core.requests import Request
from fasterapi_core.responses import HTMLResponse, JSONResponse, Response
from fasterapi_routing.openapi.assets import (
    CDN_REDOC_JS,
    CDN_SWAGGER_CSS,
    CDN_SWAGGER_FAVICON,
    CDN_SWAGGER_JS,
    DOCS_UI_EXTRA,
    FAVICON_NAME,
    FAVICON_SVG,
    find_local_assets,
)
from fasterapi_routing.openapi.html import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fasterapi_routing.operation_ids import generate_unique_id
from fasterapi_routing.routes import APIRoute

__all__ = ["DEFAULT_STATIC_URL", "install_docs"]

DEFAULT_STATIC_URL = "/docs/static"
_ASSET_CACHE_CONTROL = {"cache-control": "public, max-age=86400"}
# The options whose CDN default would leave a page blank offline (favicons do not).
_SWAGGER_SCRIPTS = ("swagger_js_url", "swagger_css_url")
_REDOC_SCRIPTS = ("redoc_js_url",)
_CDN_WARNING = (
    "Swagger UI and ReDoc files are not installed, so the docs pages load them from "
    "cdn.jsdelivr.net and need internet access. Install %s (the fasterapi distribution "
    "includes it) to serve them from the application, or pass docs_static_url=None to choose "
    "the CDN."
)
logger = logging.getLogger("fasterapi.docs")
_warned = False


def _warn_cdn_fallback() -> None:
    """Log, once per process, that the docs pages depend on the CDN."""
    global _warned
    if not _warned:
        _warned = True
        logger.warning(_CDN_WARNING, DOCS_UI_EXTRA)


def _root(request: Request) -> str:
    """The mount prefix: the server's ``root_path``, else the application's own."""
    root_path = request.scope.get("root_path") or getattr(request.app, "root_path", "")
    return str(root_path or "").rstrip("/")


def _asset_url(app: Any, option: str, local_name: str, cdn: str, local: bool) -> tuple[str, bool]:
    """``(url, relative)``: an explicit option, the local file, or the CDN address."""
    explicit = app.extra.get(option)
    if explicit:
        return str(explicit), str(explicit).startswith("/")
    if local:
        static_url = str(app.extra.get("docs_static_url", DEFAULT_STATIC_URL)).rstrip("/")
        return f"{static_url}/{local_name}", True
    return cdn, False


def _prefixed(root: str, url: tuple[str, bool]) -> str:
    return root + url[0] if url[1] else url[0]


def _add_page(app: Any, path: str, endpoint: Any, name: str) -> None:
    """A route outside the schema, free of the application's settings as FastAPI's plain
    Starlette routes for these pages are: its ``dependencies`` do not guard it, its
    ``route_class`` and ``generate_unique_id_function`` never see it. (An ``APIRoute``, so
    that it is matched in registration order with the others, before ``/{name}`` routes.)"""
    app.router.routes.append(
        APIRoute(
            path,
            endpoint,
            include_in_schema=False,
            name=name,
            generate_unique_id_function=generate_unique_id,
        )
    )


def _add_asset_routes(app: Any, static_url: str, files: dict[str, Path]) -> None:
    static_url = static_url.rstrip("/")
    for name, path in files.items():

        async def serve(request: Request, _path: Path = path) -> FileResponse:
            return FileResponse(_path, headers=_ASSET_CACHE_CONTROL, method=request.method)

        _add_page(app, f"{static_url}/{name}", serve, f"docs_{name}")

    async def favicon(request: Request) -> Response:
        return Response(FAVICON_SVG, media_type="image/svg+xml", headers=_ASSET_CACHE_CONTROL)

    _add_page(app, f"{static_url}/{FAVICON_NAME}", favicon, "docs_favicon")


def install_docs(app: Any) -> None:
    """Register ``openapi_url``, ``docs_url``, ``redoc_url`` (and asset) routes on ``app``."""
    openapi_url: str | None = app.openapi_url
    if not openapi_url:
        return

    async def openapi(request: Request) -> JSONResponse:
        schema = app.openapi()
        root_path = _root(request)
        if root_path and app.root_path_in_servers:
            # this response's copy only: a root path a client sends never reaches the cache
            servers = schema.get("servers", [])
            if root_path not in {server.get("url") for server in servers}:
                schema = {**schema, "servers": [{"url": root_path}, *servers]}
        return JSONResponse(schema)

    _add_page(app, openapi_url, openapi, "openapi")
    docs_url: str | None = app.docs_url
    redoc_url: str | None = app.redoc_url
    if not docs_url and not redoc_url:
        return
    static_url = app.extra.get("docs_static_url", DEFAULT_STATIC_URL)
    files = find_local_assets() if static_url else None
    local = files is not None
    if files is not None:
        _add_asset_routes(app, str(static_url), files)
    elif static_url:
        needed = (_SWAGGER_SCRIPTS if docs_url else ()) + (_REDOC_SCRIPTS if redoc_url else ())
        if not all(app.extra.get(option) for option in needed):
            _warn_cdn_fallback()
    title: str = app.title
    if docs_url:
        js = _asset_url(app, "swagger_js_url", "swagger-ui-bundle.js", CDN_SWAGGER_JS, local)
        css = _asset_url(app, "swagger_css_url", "swagger-ui.css", CDN_SWAGGER_CSS, local)
        icon = _asset_url(app, "swagger_favicon_url", FAVICON_NAME, CDN_SWAGGER_FAVICON, local)
        redirect_url: str | None = app.swagger_ui_oauth2_redirect_url
        init_oauth: dict[str, Any] | None = app.swagger_ui_init_oauth

        async def swagger_ui(request: Request) -> HTMLResponse:
            root = _root(request)
            return get_swagger_ui_html(
                openapi_url=root + openapi_url,
                title=f"{title} - Swagger UI",
                swagger_js_url=_prefixed(root, js),
                swagger_css_url=_prefixed(root, css),
                swagger_favicon_url=_prefixed(root, icon),
                oauth2_redirect_url=root + redirect_url if redirect_url else None,
                init_oauth=init_oauth,
                swagger_ui_parameters=app.swagger_ui_parameters,
            )

        _add_page(app, docs_url, swagger_ui, "swagger_ui")
        if redirect_url:

            async def oauth2_redirect(request: Request) -> HTMLResponse:
                return get_swagger_ui_oauth2_redirect_html()

            _add_page(app, redirect_url, oauth2_redirect, "oauth2_redirect")
    if redoc_url:
        redoc_js = _asset_url(app, "redoc_js_url", "redoc.standalone.js", CDN_REDOC_JS, local)
        redoc_icon = _asset_url(app, "redoc_favicon_url", FAVICON_NAME, CDN_SWAGGER_FAVICON, local)

        async def redoc(request: Request) -> HTMLResponse:
            root = _root(request)
            return get_redoc_html(
                openapi_url=root + openapi_url,
                title=f"{title} - ReDoc",
                redoc_js_url=_prefixed(root, redoc_js),
                redoc_favicon_url=_prefixed(root, redoc_icon),
                with_google_fonts=bool(app.extra.get("with_google_fonts", not local)),
            )

        _add_page(app, redoc_url, redoc, "redoc")
