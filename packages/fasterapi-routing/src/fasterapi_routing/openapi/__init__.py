"""OpenAPI 3.1 generation and the interactive documentation pages."""

from fasterapi_routing.openapi.generator import generate_operation_id, get_openapi
from fasterapi_routing.openapi.html import (
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
