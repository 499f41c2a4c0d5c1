"""``fastapi.routing._IncludedRouter`` of the stand-in: FastAPI's route that stands for an
included router in the including one's ``routes``, which plugins match to walk into it
(fastapi-pagination's ``add_pagination``).

FasterAPI's ``include_router`` adds copies of the included router's routes to the including
router's ``routes`` instead, so that walking ``app.routes`` meets every route already, and no
route is an ``_IncludedRouter``: the class exists for those ``isinstance`` checks and ``match``
statements, and cannot be instantiated.
"""

from __future__ import annotations

from typing import Any, NoReturn

from fasterapi_routing.base_route import BaseRoute

__all__ = ["IncludedRouter"]


class IncludedRouter(BaseRoute):
    """FastAPI's route of an included router; never one in FasterAPI (see the module)."""

    original_router: Any
    include_context: Any

    def __new__(cls, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(
            "FasterAPI's include_router copies the included router's routes into the "
            "including router: there is no _IncludedRouter route (FasterAPI.as_fastapi)"
        )
