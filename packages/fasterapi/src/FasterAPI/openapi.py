"""``FasterAPI.openapi``: the OpenAPI document and the documentation pages (FastAPI's names).

``get_openapi(...)`` builds the document from routes (FastAPI's ``fastapi.openapi.utils``);
``get_swagger_ui_html``, ``get_redoc_html`` and ``get_swagger_ui_oauth2_redirect_html`` build the
pages (FastAPI's ``fastapi.openapi.docs``), e.g. for custom docs routes. ``models`` holds the
document's pydantic models (FastAPI's ``fastapi.openapi.models``), imported on first use.
"""

import importlib
from typing import Any

from fasterapi_routing.openapi import (
    generate_operation_id,
    get_openapi,
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)

__all__ = [
    "generate_operation_id",
    "get_openapi",
    "get_redoc_html",
    "get_swagger_ui_html",
    "get_swagger_ui_oauth2_redirect_html",
]


def __getattr__(name: str) -> Any:
    """``models``: the OpenAPI pydantic models, imported (with pydantic) on first use."""
    if name == "models":
        return importlib.import_module("fasterapi_routing.openapi.models")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
