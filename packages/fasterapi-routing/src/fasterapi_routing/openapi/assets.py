"""Where the Swagger UI and ReDoc files come from: installed packages, or the CDN.

The ``docs-ui`` extra of ``fasterapi-routing`` (part of the ``fasterapi`` install) brings
``mkdocs-swagger-ui-tag`` (Swagger UI 5, Apache-2.0, its ``LICENSE`` and ``NOTICE`` shipped) and
``mkdocs-redoc-tag`` (ReDoc 2, MIT, its ``LICENCE`` shipped). Only their static files are used:
the packages are located, never imported (their plugin modules import MkDocs). Neither ships a
favicon, so the docs pages use ``FAVICON_SVG``, drawn here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = [
    "CDN_REDOC_JS",
    "CDN_SWAGGER_CSS",
    "CDN_SWAGGER_FAVICON",
    "CDN_SWAGGER_JS",
    "DOCS_UI_EXTRA",
    "FAVICON_NAME",
    "FAVICON_SVG",
    "LOCAL_ASSET_NAMES",
    "find_local_assets",
    "package_directory",
]

CDN_SWAGGER_JS = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
CDN_SWAGGER_CSS = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"
CDN_SWAGGER_FAVICON = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/favicon-32x32.png"
CDN_REDOC_JS = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"

#: What to install for local assets.
DOCS_UI_EXTRA = "fasterapi-routing[docs-ui]"

_SWAGGER = "mkdocs_swagger_ui_tag"
_REDOC = "mkdocs_redoc_tag"
#: file name served -> (package, path inside the package directory)
_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "swagger-ui-bundle.js": (_SWAGGER, ("swagger-ui", "javascripts", "swagger-ui-bundle.js")),
    "swagger-ui.css": (_SWAGGER, ("swagger-ui", "stylesheets", "swagger-ui.css")),
    "redoc.standalone.js": (_REDOC, ("redoc", "javascripts", "redoc.standalone.js")),
}

#: The file names served under the static URL when the packages are installed.
LOCAL_ASSET_NAMES = tuple(_FILES)

#: The docs pages' icon (served under the static URL next to the files above).
FAVICON_NAME = "favicon.svg"
FAVICON_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    b'<circle cx="16" cy="16" r="15" fill="#173647"/>'
    b'<path d="M13 8c-2 0-3 1-3 3v2.5c0 1.5-1 2.5-2.5 2.5 1.5 0 2.5 1 2.5 2.5V21c0 2 1 3 3 3'
    b'M19 8c2 0 3 1 3 3v2.5c0 1.5 1 2.5 2.5 2.5-1.5 0-2.5 1-2.5 2.5V21c0 2-1 3-3 3" '
    b'fill="none" stroke="#85ea2d" stroke-width="2.2" stroke-linecap="round"/></svg>\n'
)


def package_directory(name: str) -> Path | None:
    """The directory of the installed package ``name``, found without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def find_local_assets() -> dict[str, Path] | None:
    """``{file name: path}`` of the installed asset files, or None unless all of them exist."""
    directories = {package: package_directory(package) for package in (_SWAGGER, _REDOC)}
    found: dict[str, Path] = {}
    for name, (package, parts) in _FILES.items():
        directory = directories[package]
        if directory is None or not directory.joinpath(*parts).is_file():
            return None
        found[name] = directory.joinpath(*parts)
    return found
