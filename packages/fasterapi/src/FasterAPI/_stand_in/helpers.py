"""Small FastAPI names with no public FasterAPI module, defined here on FasterAPI's terms.

``fastapi.FastAPI`` (``Faster`` with FastAPI's default title), ``fastapi.__version__``,
``fastapi.logger.logger``, the type aliases of ``fastapi.types`` and the helpers of
``fastapi.utils`` that plugins import.
"""

from __future__ import annotations

import logging
import types
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from fasterapi_routing.applications import Faster

__all__ = [
    "FASTAPI_VERSION",
    "REF_TEMPLATE",
    "DecoratedCallable",
    "DefaultType",
    "DependencyCacheKey",
    "FastAPI",
    "IncEx",
    "ModelNameMap",
    "UnionType",
    "deep_dict_update",
    "is_body_allowed_for_status_code",
    "logger",
]

FASTAPI_VERSION = "0.165.0"
"""``fastapi.__version__`` under the stand-in: the FastAPI release whose API it follows and
whose test suite (``scripts/fastapi_suite.py``) is its specification."""

logger = logging.getLogger("fasterapi")
"""``fastapi.logger.logger``: the parent of every logger of FasterAPI's application layer
(``fasterapi.error``, ...)."""

REF_TEMPLATE = "#/components/schemas/{model}"
"""Where FasterAPI's OpenAPI document puts the schema of ``model``."""

DecoratedCallable = TypeVar("DecoratedCallable", bound=Callable[..., Any])
DefaultType = TypeVar("DefaultType")
UnionType = types.UnionType
IncEx = set[int] | set[str] | Mapping[int, Any] | Mapping[str, Any]
"""The ``include``/``exclude`` argument of ``jsonable_encoder`` and response models."""
ModelNameMap = dict[type[Any], str]
DependencyCacheKey = tuple[Any, ...]
"""FasterAPI caches a dependency's value per request under ``Dependant.cache_key``."""


def is_body_allowed_for_status_code(status_code: int | str | None) -> bool:
    """Whether a response with ``status_code`` may carry a body (OpenAPI ranges always may)."""
    if status_code is None or status_code in {"default", "1XX", "2XX", "3XX", "4XX", "5XX"}:
        return True
    code = int(status_code)
    return not (code < 200 or code in {204, 205, 304})


def deep_dict_update(main_dict: dict[Any, Any], update_dict: dict[Any, Any]) -> None:
    """Merge ``update_dict`` into ``main_dict``: nested dicts merged, lists concatenated."""
    for key, value in update_dict.items():
        current = main_dict.get(key)
        if key in main_dict and isinstance(current, dict) and isinstance(value, dict):
            deep_dict_update(current, value)
        elif key in main_dict and isinstance(current, list) and isinstance(value, list):
            main_dict[key] = current + value
        else:
            main_dict[key] = value


class FastAPI(Faster):
    """``fastapi.FastAPI`` under the stand-in: :class:`~FasterAPI.Faster` with FastAPI's default
    title ("FastAPI"), so an unmodified app documents itself as it does on FastAPI."""

    def __init__(self, *, title: str = "FastAPI", **options: Any) -> None:
        super().__init__(title=title, **options)
