"""The ``starlette.*`` module paths of the stand-in, served only when Starlette is not installed.

These are the Starlette names FastAPI applications import (``starlette.responses``,
``starlette.middleware.cors``...), each the FasterAPI object that plays its part.
"""

from __future__ import annotations

from FasterAPI._stand_in.fastapi_paths import same_names
from FasterAPI._stand_in.finder import PathTable
from fasterapi_core import status

__all__ = ["REASONS", "STARLETTE"]

_MODULES: dict[str, dict[str, str]] = {
    "starlette": {},
    "starlette.applications": same_names("FasterAPI._stand_in.starlette_application", "Starlette"),
    "starlette.background": same_names("FasterAPI.background", "BackgroundTask BackgroundTasks"),
    "starlette.concurrency": same_names(
        "FasterAPI.concurrency", "iterate_in_threadpool run_in_threadpool"
    ),
    "starlette.datastructures": same_names(
        "fasterapi_core.datastructures",
        "Address FormData Headers ImmutableMultiDict MutableHeaders QueryParams State URL "
        "URLPath UploadFile",
    ),
    "starlette.exceptions": {
        "HTTPException": "FasterAPI.exceptions:BaseHTTPException",
        "WebSocketException": "FasterAPI.exceptions:WebSocketException",
    },
    "starlette.middleware": same_names("FasterAPI.middleware", "Middleware"),
    "starlette.middleware.base": same_names("FasterAPI.middleware", "BaseHTTPMiddleware"),
    "starlette.middleware.cors": same_names("FasterAPI.middleware", "CORSMiddleware"),
    "starlette.middleware.errors": same_names("fasterapi_routing", "ServerErrorMiddleware"),
    "starlette.middleware.exceptions": same_names("fasterapi_routing", "ExceptionMiddleware"),
    "starlette.middleware.gzip": same_names("FasterAPI.middleware", "GZipMiddleware"),
    "starlette.middleware.httpsredirect": same_names(
        "FasterAPI.middleware", "HTTPSRedirectMiddleware"
    ),
    "starlette.middleware.sessions": same_names(
        "fasterapi_middleware.sessions", "SessionMiddleware"
    ),
    "starlette.middleware.trustedhost": same_names("FasterAPI.middleware", "TrustedHostMiddleware"),
    "starlette.requests": same_names(
        "FasterAPI.requests", "ClientDisconnect HTTPConnection Request"
    ),
    "starlette.responses": same_names(
        "FasterAPI.responses",
        "FileResponse HTMLResponse JSONResponse PlainTextResponse RedirectResponse Response "
        "StreamingResponse",
    ),
    "starlette.routing": {
        **same_names(
            "FasterAPI.routing", "BaseRoute Host Match Mount NoMatchFound Route WebSocketRoute"
        ),
        "request_response": "fasterapi_routing.route_handler_hook:request_response",
        **same_names("FasterAPI._stand_in.starlette_routing", "Router compile_path"),
    },
    "starlette.staticfiles": same_names("FasterAPI.staticfiles", "StaticFiles"),
    "starlette.status": same_names("FasterAPI.status", " ".join(status.__all__)),
    "starlette.templating": same_names("FasterAPI.templating", "Jinja2Templates"),
    "starlette.testclient": same_names(
        "fasterapi_core.testclient", "TestClient WebSocketDenialResponse WebSocketTestSession"
    ),
    "starlette.types": {
        **same_names("fasterapi_core.types", "ASGIApp Message Receive Scope Send"),
        "ExceptionHandler": "fasterapi_routing.errors:ExceptionHandler",
    },
    "starlette.websockets": same_names(
        "FasterAPI.websockets", "WebSocket WebSocketDisconnect WebSocketState"
    ),
}

REASONS: dict[str, str] = {
    "starlette.__version__": "Starlette is not installed; these names are FasterAPI's",
    "starlette.middleware.wsgi": "FasterAPI serves ASGI applications only",
    "starlette.middleware.authentication": (
        "install Starlette to use its AuthenticationMiddleware on a FasterAPI app"
    ),
    "starlette.authentication": (
        "install Starlette to use its AuthenticationMiddleware on a FasterAPI app"
    ),
    "starlette.concurrency.run_until_first_complete": "Starlette deprecated it; use anyio",
    "starlette.formparsers": "FasterAPI parses forms with its own parser (FormLimits)",
}

STARLETTE = PathTable("starlette", _MODULES, REASONS)
"""The table the finder serves for ``starlette`` (when it is not installed)."""
