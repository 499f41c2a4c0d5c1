"""The class of a ``Mount`` built while Starlette is imported: FasterAPI's ``Mount``, which is
also Starlette's ``starlette.routing.Mount``.

Starlette plugins walk ``app.routes`` and recurse into mounts with
``isinstance(route, starlette.routing.Mount) and route.routes``
(prometheus-fastapi-instrumentator labels a request to a mounted app ``/sub/ping`` that way).
When a module of Starlette is already imported (nothing is imported here that was not),
``Mount(...)`` and ``app.mount()`` build an instance of a subclass of both classes: FasterAPI's
methods and attributes first (its matching, child scope, limits, ``url_path_for``, identity
equality and hashing), Starlette's type for ``isinstance``. So ``isinstance(m, Mount)`` holds for
both classes, while ``type(m)`` is that subclass (named ``Mount``), not FasterAPI's ``Mount``
itself: compare types with ``isinstance``. Without Starlette, or when ``starlette`` is
FasterAPI's stand-in (whose ``Mount`` is FasterAPI's), ``Mount(...)`` is a FasterAPI ``Mount``.
A mount built before Starlette is imported stays FasterAPI's alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fasterapi_routing.starlette_twins import starlette_twin

if TYPE_CHECKING:
    from fasterapi_routing.mounts import Mount

__all__ = ["mount_class"]


def _app(self: Any) -> Any:
    return self.app


_NAMESPACE: dict[str, Any] = {
    "__doc__": (
        "FasterAPI's Mount (its behaviour), an instance of Starlette's Mount for plugins "
        "that walk mounted apps' routes."
    ),
    "__slots__": (),
    # FasterAPI's identity semantics (Starlette's __eq__ compares path and app, and makes its
    # instances unhashable).
    "__eq__": object.__eq__,
    "__hash__": object.__hash__,
    "_base_app": property(_app, doc="Starlette's name for ``app``."),
}


def mount_class(base: type[Mount]) -> type[Mount]:
    """The class ``Mount(...)`` instantiates (``base``: FasterAPI's ``Mount``)."""
    return starlette_twin(base, "starlette.routing", "Mount", _NAMESPACE)
