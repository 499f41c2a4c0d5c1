"""``FasterAPI.sqlalchemy_ext``: re-exports of ``fasterapi_extras.sqlalchemy_ext``."""

from fasterapi_extras.sqlalchemy_ext import (
    async_engine_from_url_optional,
    sqlalchemy_session_dependency,
)

__all__ = [
    "async_engine_from_url_optional",
    "sqlalchemy_session_dependency",
]
