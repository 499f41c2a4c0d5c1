"""Starlette responses returned by endpoints, sent as they are (FastAPI's behaviour).

An endpoint (or a plugin's handler, such as prometheus-fastapi-instrumentator's ``/metrics``)
may return any ``starlette.responses.Response``: it is an ASGI application, called with the
request's scope, its ``background`` run after it. Only the branches where a result is not
FasterAPI's ``Response`` (and not JSON-encodable) ask; Starlette is never imported here.
"""

from __future__ import annotations

import sys
from typing import Any

from fasterapi_core.background import BackgroundTasks

__all__ = ["adopt_foreign_response", "is_foreign_response", "is_foreign_response_class"]

_STARLETTE_RESPONSES = "starlette.responses"


def is_foreign_response(result: Any) -> bool:
    """Whether ``result`` is a Starlette ``Response`` (any subclass: ``StreamingResponse``,
    ``FileResponse``, ``RedirectResponse``...). False when Starlette was never imported."""
    module = sys.modules.get(_STARLETTE_RESPONSES)
    cls = getattr(module, "Response", None)
    return isinstance(cls, type) and isinstance(result, cls)


def is_foreign_response_class(cls: type) -> bool:
    """Whether ``cls`` is Starlette's ``Response`` or a subclass (by its MRO's names): a
    return annotation that declares no response model, as in FastAPI."""
    return any(
        getattr(base, "__module__", None) == _STARLETTE_RESPONSES and base.__name__ == "Response"
        for base in cls.__mro__
    )


def adopt_foreign_response(result: Any, background: BackgroundTasks | None) -> Any:
    """``result``, a Starlette response, with the route's background tasks as its
    ``background`` when it has none (FastAPI's rule; sub-response headers are not merged)."""
    if background is not None and result.background is None:
        result.background = background
    return result
