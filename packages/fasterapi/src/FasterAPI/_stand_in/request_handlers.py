"""``fastapi.routing.get_request_handler`` of the stand-in: a name instrumentations can patch.

sentry-sdk's FastAPI integration (enabled by default by ``sentry_sdk.init``) replaces
``fastapi.routing.get_request_handler`` at ``init`` to wrap each route's handler. FasterAPI runs
routes from compiled plans and never calls this function, so the replacement has no effect: the
errors and transaction names sentry reports come from its Starlette integration, which FasterAPI
applications run (``fasterapi_routing.starlette_entry``). Called directly, it raises.
"""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["get_request_handler"]


def get_request_handler(*args: Any, **kwargs: Any) -> NoReturn:
    """FastAPI's builder of a route's ``request -> response`` function: not supported."""
    raise NotImplementedError(
        "fastapi.routing.get_request_handler is not supported by FasterAPI's fastapi stand-in: "
        "FasterAPI runs routes from compiled plans; subclass APIRoute and override "
        "get_route_handler() instead (FasterAPI.as_fastapi; docs/coming-from-fastapi.md)"
    )
