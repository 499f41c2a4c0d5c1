"""Operation ids: the ``operationId`` of each OpenAPI operation and the route's ``unique_id``
(FastAPI's ``generate_unique_id_function``, which also names the ``Body_...`` and
``Response_...`` schemas that client generators turn into type names)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fasterapi_routing.routes import APIRoute

__all__ = ["generate_operation_id", "generate_unique_id", "openapi_path"]

_CONVERTOR = re.compile(r"{([^{}:]+):[^{}]*}")
_NON_WORD = re.compile(r"\W")


def openapi_path(path: str) -> str:
    """``/items/{id:int}`` → ``/items/{id}`` (OpenAPI has no convertors)."""
    return _CONVERTOR.sub(r"{\1}", path)


def generate_operation_id(route: APIRoute, method: str) -> str:
    """FastAPI's default operation id: ``{name}{path}_{method}``, non-word characters → ``_``."""
    return _NON_WORD.sub("_", route.name + openapi_path(route.path)) + "_" + method.lower()


def generate_unique_id(route: APIRoute) -> str:
    """The default ``generate_unique_id_function``: :func:`generate_operation_id` for the
    route's first method in alphabetical order (FastAPI takes the first of its method set).
    With this default, each method of a several-method route keeps its own operation id."""
    return generate_operation_id(route, min(route.methods))
