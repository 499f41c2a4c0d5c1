"""FasterAPI: a high-performance ASGI web framework, a drop-in FastAPI replacement.

Powered by msgspec (C extension JSON, validation and encoding), radix-tree routing, uvloop and
Python 3.13 sub-interpreters. Every documented name is importable from here.
"""

import importlib
from typing import TYPE_CHECKING, Any

from FasterAPI import status
from fasterapi_core.asgi_compat import get_header, get_server_host, http_version, is_http2
from fasterapi_core.background import BackgroundTask, BackgroundTasks
from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.datastructures import (
    URL,
    FormData,
    Headers,
    MutableHeaders,
    QueryParams,
    State,
    UploadFile,
)
from fasterapi_core.encoding import jsonable_encoder
from fasterapi_core.exceptions import (
    HTTPException,
    RequestValidationError,
    ResponseValidationError,
    WebSocketDisconnect,
    WebSocketException,
)
from fasterapi_core.fileresponse import FileResponse
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import Limits
from fasterapi_core.middleware import BaseHTTPMiddleware, Middleware
from fasterapi_core.params import (
    Body,
    Cookie,
    Depends,
    File,
    Form,
    Header,
    Path,
    Query,
    Security,
)
from fasterapi_core.requests import HTTPConnection, Request
from fasterapi_core.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fasterapi_core.sse import EventSourceResponse, ServerSentEvent
from fasterapi_core.streaming import StreamingResponse
from fasterapi_core.websockets import WebSocket, WebSocketState
from fasterapi_routing import Faster, FasterRouter, RadixRouter

if TYPE_CHECKING:
    from fasterapi_core.testclient import TestClient
    from fasterapi_extras import (
        Jinja2Templates,
        RedisCacheMiddleware,
        StaticFiles,
        SubInterpreterPool,
        async_engine_from_url_optional,
        configure_structlog,
        run_in_subinterpreter,
        sqlalchemy_session_dependency,
    )
    from fasterapi_middleware import (
        CORSMiddleware,
        DatabasePoolMiddleware,
        GZipMiddleware,
        HTTPSRedirectMiddleware,
        RateLimitMiddleware,
        RequestIDMiddleware,
        TrustedHostMiddleware,
    )
    from fasterapi_security import (
        APIKeyCookie,
        APIKeyHeader,
        APIKeyQuery,
        HTTPAuthorizationCredentials,
        HTTPBasic,
        HTTPBasicCredentials,
        HTTPBearer,
        OAuth2PasswordBearer,
        OAuth2PasswordRequestForm,
        OAuth2PasswordRequestFormStrict,
        SecurityScopes,
        compare_secrets,
    )
    from fasterapi_security.jwt import (
        JWTBearer,
        create_access_token,
        oauth2_access_token_json,
        oauth2_password_token_response,
    )

# Loaded on first use (PEP 562): the test client pulls in httpx, JWT pulls in PyJWT and
# cryptography, and the security, middleware and extras packages are not needed by every app;
# ``from FasterAPI import StaticFiles`` works as before, it just imports on demand.
_LAZY = {
    "Jinja2Templates": "fasterapi_extras",
    "RedisCacheMiddleware": "fasterapi_extras",
    "StaticFiles": "fasterapi_extras",
    "SubInterpreterPool": "fasterapi_extras",
    "async_engine_from_url_optional": "fasterapi_extras",
    "configure_structlog": "fasterapi_extras",
    "run_in_subinterpreter": "fasterapi_extras",
    "sqlalchemy_session_dependency": "fasterapi_extras",
    "CORSMiddleware": "fasterapi_middleware",
    "DatabasePoolMiddleware": "fasterapi_middleware",
    "GZipMiddleware": "fasterapi_middleware",
    "HTTPSRedirectMiddleware": "fasterapi_middleware",
    "RateLimitMiddleware": "fasterapi_middleware",
    "RequestIDMiddleware": "fasterapi_middleware",
    "TrustedHostMiddleware": "fasterapi_middleware",
    "APIKeyCookie": "fasterapi_security",
    "APIKeyHeader": "fasterapi_security",
    "APIKeyQuery": "fasterapi_security",
    "HTTPAuthorizationCredentials": "fasterapi_security",
    "HTTPBasic": "fasterapi_security",
    "HTTPBasicCredentials": "fasterapi_security",
    "HTTPBearer": "fasterapi_security",
    "OAuth2PasswordBearer": "fasterapi_security",
    "OAuth2PasswordRequestForm": "fasterapi_security",
    "OAuth2PasswordRequestFormStrict": "fasterapi_security",
    "SecurityScopes": "fasterapi_security",
    "compare_secrets": "fasterapi_security",
    "TestClient": "fasterapi_core.testclient",
    "JWTBearer": "fasterapi_security.jwt",
    "create_access_token": "fasterapi_security.jwt",
    "oauth2_access_token_json": "fasterapi_security.jwt",
    "oauth2_password_token_response": "fasterapi_security.jwt",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

# Migration aliases: an app written for FastAPI runs after changing only the package name.
FastAPI = Faster
APIRouter = FasterRouter

__all__ = [
    "URL",
    "APIKeyCookie",
    "APIKeyHeader",
    "APIKeyQuery",
    "APIRouter",
    "BackgroundTask",
    "BackgroundTasks",
    "BaseHTTPMiddleware",
    "Body",
    "CORSMiddleware",
    "Cookie",
    "DatabasePoolMiddleware",
    "Depends",
    "EventSourceResponse",
    "FastAPI",
    "Faster",
    "FasterRouter",
    "File",
    "FileResponse",
    "Form",
    "FormData",
    "FormLimits",
    "GZipMiddleware",
    "HTMLResponse",
    "HTTPAuthorizationCredentials",
    "HTTPBasic",
    "HTTPBasicCredentials",
    "HTTPBearer",
    "HTTPConnection",
    "HTTPException",
    "HTTPSRedirectMiddleware",
    "Header",
    "Headers",
    "JSONResponse",
    "JWTBearer",
    "Jinja2Templates",
    "Limits",
    "Middleware",
    "MutableHeaders",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "OAuth2PasswordRequestFormStrict",
    "Path",
    "PlainTextResponse",
    "Query",
    "QueryParams",
    "RadixRouter",
    "RateLimitMiddleware",
    "RedirectResponse",
    "RedisCacheMiddleware",
    "Request",
    "RequestIDMiddleware",
    "RequestValidationError",
    "Response",
    "ResponseValidationError",
    "Security",
    "SecurityScopes",
    "ServerSentEvent",
    "State",
    "StaticFiles",
    "StreamingResponse",
    "SubInterpreterPool",
    "TestClient",
    "TrustedHostMiddleware",
    "UploadFile",
    "WebSocket",
    "WebSocketDisconnect",
    "WebSocketException",
    "WebSocketState",
    "async_engine_from_url_optional",
    "compare_secrets",
    "configure_structlog",
    "create_access_token",
    "get_header",
    "get_server_host",
    "http_version",
    "is_http2",
    "jsonable_encoder",
    "oauth2_access_token_json",
    "oauth2_password_token_response",
    "run_in_subinterpreter",
    "run_in_threadpool",
    "sqlalchemy_session_dependency",
    "status",
]
