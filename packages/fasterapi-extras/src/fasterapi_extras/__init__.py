"""fasterapi_extras: static files, templates, Redis cache, SQLAlchemy, structlog, sub-interpreters.

Third-party packages are imported only when a feature that needs them is used; a missing one
raises ImportError naming the extra (``pip install "fasterapi-extras[jinja2]"``).
"""

from fasterapi_extras.log_config import (
    AccessLogMiddleware,
    configure_structlog,
    escape_control_characters,
)
from fasterapi_extras.redis_cache import RedisCacheMiddleware
from fasterapi_extras.sqlalchemy_ext import (
    async_engine_from_url_optional,
    sqlalchemy_session_dependency,
)
from fasterapi_extras.staticfiles import StaticFiles
from fasterapi_extras.subinterpreters import (
    SubInterpreterPool,
    run_in_subinterpreter,
    subinterpreters_available,
)
from fasterapi_extras.templating import Jinja2TemplateResponse, Jinja2Templates

__all__ = [
    "AccessLogMiddleware",
    "Jinja2TemplateResponse",
    "Jinja2Templates",
    "RedisCacheMiddleware",
    "StaticFiles",
    "SubInterpreterPool",
    "async_engine_from_url_optional",
    "configure_structlog",
    "escape_control_characters",
    "run_in_subinterpreter",
    "sqlalchemy_session_dependency",
    "subinterpreters_available",
]
