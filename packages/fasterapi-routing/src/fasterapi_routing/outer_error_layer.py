"""The class of the stack's outermost layer: FasterAPI's ``ServerErrorMiddleware``, which is
also Starlette's when Starlette is imported.

Starlette plugins check the built stack's type: ``opentelemetry-instrumentation-fastapi`` wraps
``app.build_middleware_stack`` and instruments nothing unless the result is an instance of
``starlette.middleware.errors.ServerErrorMiddleware``. When a module of Starlette is already
imported (so nothing is imported here that was not), the stack's outer layer is a subclass of
both classes: FasterAPI's methods first (its 500 answer, ``fasterapi.error`` log line and
re-raise), Starlette's type for ``isinstance``. Without Starlette, or when ``starlette`` is
FasterAPI's stand-in (whose ``ServerErrorMiddleware`` is FasterAPI's), it is FasterAPI's class.
"""

from __future__ import annotations

from fasterapi_routing.errors import ServerErrorMiddleware
from fasterapi_routing.starlette_twins import starlette_twin

__all__ = ["server_error_middleware_class"]

_DOC = (
    "FasterAPI's ServerErrorMiddleware (its behaviour), an instance of Starlette's "
    "ServerErrorMiddleware for plugins that check the stack's type."
)


def server_error_middleware_class() -> type[ServerErrorMiddleware]:
    """The class ``build_middleware_stack`` makes the outermost layer of."""
    return starlette_twin(
        ServerErrorMiddleware,
        "starlette.middleware.errors",
        "ServerErrorMiddleware",
        {"__doc__": _DOC},
    )
