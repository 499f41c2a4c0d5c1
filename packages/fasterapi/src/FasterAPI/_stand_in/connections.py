"""``fastapi.Request`` and ``fastapi.requests.HTTPConnection`` in the stand-in: Starlette's
classes when a real Starlette is installed and kept, FasterAPI's otherwise.

On FastAPI these names *are* Starlette's classes, and plugins rely on it: slowapi's
``@limiter.limit`` refuses an endpoint's ``request`` unless it is an instance of
``starlette.requests.Request``. FasterAPI injects a real Starlette object for a parameter
annotated with Starlette's class (:mod:`fasterapi_core.dependencies.starlette_objects`), so
where the real Starlette is in use, an app's ``request: fastapi.Request`` gets one, as on
FastAPI. Where the stand-in also serves ``starlette.*``, both names are FasterAPI's classes.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from fasterapi_core.connection import HTTPConnection as FasterHTTPConnection
from fasterapi_core.requests import Request as FasterRequest

__all__ = ["HTTPConnection", "Request", "real_starlette_kept"]

HTTPConnection: type[Any]
Request: type[Any]

_FASTER = {"HTTPConnection": FasterHTTPConnection, "Request": FasterRequest}


def real_starlette_kept() -> bool:
    """Whether ``starlette`` is the real package (installed, not served by the stand-in)."""
    from FasterAPI.as_fastapi import served

    if "starlette" in served():
        return False
    try:
        return importlib.util.find_spec("starlette") is not None
    except (ImportError, ValueError):
        return False


def __getattr__(name: str) -> Any:
    if name not in _FASTER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}", name=name)
    if real_starlette_kept():
        return getattr(importlib.import_module("starlette.requests"), name)
    return _FASTER[name]
