"""The documented public API (shared/spec/api-reference.md): every name and module path exists."""

from __future__ import annotations

import importlib

import pytest

TOP_LEVEL = [
    "Faster", "FasterRouter", "RadixRouter", "Request", "Response", "JSONResponse",
    "HTMLResponse", "PlainTextResponse", "RedirectResponse", "StreamingResponse", "FileResponse",
    "EventSourceResponse", "Path", "Query", "Header", "Cookie", "Body", "Form", "File", "Depends",
    "HTTPException", "BaseHTTPMiddleware", "CORSMiddleware", "GZipMiddleware",
    "TrustedHostMiddleware", "HTTPSRedirectMiddleware", "RequestIDMiddleware",
    "RateLimitMiddleware", "DatabasePoolMiddleware", "RedisCacheMiddleware", "BackgroundTasks",
    "BackgroundTask", "WebSocket", "WebSocketDisconnect", "WebSocketState", "UploadFile",
    "FormData", "APIKeyHeader", "APIKeyQuery", "APIKeyCookie", "HTTPBasic",
    "HTTPBasicCredentials", "OAuth2PasswordBearer", "OAuth2PasswordRequestForm",
    "SecurityScopes", "JWTBearer", "create_access_token", "oauth2_access_token_json",
    "oauth2_password_token_response", "StaticFiles", "Jinja2Templates", "configure_structlog",
    "async_engine_from_url_optional", "sqlalchemy_session_dependency", "get_header",
    "get_server_host", "http_version", "is_http2", "SubInterpreterPool", "run_in_subinterpreter",
    "TestClient",
]

MODULE_NAMES = {
    "FasterAPI.exceptions": ["RequestValidationError", "HTTPException"],
    "FasterAPI.security": [
        "APIKeyHeader", "APIKeyQuery", "APIKeyCookie", "HTTPBasic", "HTTPBasicCredentials",
        "OAuth2PasswordBearer", "OAuth2PasswordRequestForm", "SecurityScopes",
    ],
    "FasterAPI.jwt_auth": [
        "JWTBearer", "create_access_token", "oauth2_access_token_json",
        "oauth2_password_token_response",
    ],
    "FasterAPI.sqlalchemy_ext": ["sqlalchemy_session_dependency", "async_engine_from_url_optional"],
    "FasterAPI.log_config": ["configure_structlog"],
    "FasterAPI.asgi_compat": ["get_header", "get_server_host", "http_version", "is_http2"],
    "FasterAPI.middleware": ["BaseHTTPMiddleware", "CORSMiddleware", "RateLimitMiddleware"],
}


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_documented_name_is_importable_from_fasterapi(name: str) -> None:
    module = importlib.import_module("FasterAPI")
    assert name in module.__all__
    assert getattr(module, name) is not None


@pytest.mark.parametrize(("module_name", "names"), sorted(MODULE_NAMES.items()))
def test_documented_module_paths(module_name: str, names: list[str]) -> None:
    module = importlib.import_module(module_name)
    for name in names:
        assert name in module.__all__, f"{module_name}.{name}"
        assert getattr(module, name) is getattr(importlib.import_module("FasterAPI"), name)


def test_migration_aliases() -> None:
    import FasterAPI

    assert FasterAPI.FastAPI is FasterAPI.Faster
    assert FasterAPI.APIRouter is FasterAPI.FasterRouter
