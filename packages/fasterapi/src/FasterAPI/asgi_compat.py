"""ASGI helpers: headers, server host and HTTP version from a scope."""

from fasterapi_core.asgi_compat import (
    get_header,
    get_server_host,
    http_version,
    is_http2,
)

__all__ = [
    "get_header",
    "get_server_host",
    "http_version",
    "is_http2",
]
