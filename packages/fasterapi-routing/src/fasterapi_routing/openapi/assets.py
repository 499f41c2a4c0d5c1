"""Where the Swagger UI and ReDoc files come from: a local package, or the CDN.

With the ``docs-assets`` extra installed (``pip install fasterapi[docs-assets]``), the files of
``drf-spectacular-sidecar`` (Swagger UI 5 and ReDoc 2, refreshed monthly, static files only) are
served by the application itself, so the docs work without internet. The package is located
without being imported (importing it would import Django).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = [
    "CDN_REDOC_JS",
    "CDN_SWAGGER_CSS",
    "CDN_SWAGGER_FAVICON",
    "CDN_SWAGGER_JS",
    "LOCAL_ASSET_NAMES",
    "find_local_assets",
]

CDN_SWAGGER_JS = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
CDN_SWAGGER_CSS = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"
CDN_SWAGGER_FAVICON = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/favicon-32x32.png"
CDN_REDOC_JS = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"

_PACKAGE = "drf_spectacular_sidecar"
_RELATIVE = {
    "swagger-ui-bundle.js": ("swagger-ui-dist", "swagger-ui-bundle.js"),
    "swagger-ui.css": ("swagger-ui-dist", "swagger-ui.css"),
    "favicon-32x32.png": ("swagger-ui-dist", "favicon-32x32.png"),
    "redoc.standalone.js": ("redoc", "bundles", "redoc.standalone.js"),
}

#: The file names served under the static URL when the assets are installed.
LOCAL_ASSET_NAMES = tuple(_RELATIVE)


def find_local_assets() -> dict[str, Path] | None:
    """``{file name: path}`` of the installed asset files, or None when they are missing."""
    try:
        spec = importlib.util.find_spec(_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        root = Path(location) / "static" / _PACKAGE
        found = {name: root.joinpath(*parts) for name, parts in _RELATIVE.items()}
        if all(path.is_file() for path in found.values()):
            return found
    return None
