"""FasterAPI classes that are also instances of Starlette's, for plugins that check types.

Some Starlette plugins test ``isinstance`` against Starlette's classes (a ``Mount`` to recurse
into, the stack's outer ``ServerErrorMiddleware``). When Starlette is already imported (nothing
is imported here that was not), :func:`starlette_twin` gives a subclass of FasterAPI's class
and Starlette's: FasterAPI's methods first, Starlette's type for ``isinstance``. Without
Starlette, or when ``starlette`` is FasterAPI's stand-in (whose name is FasterAPI's class), it
gives FasterAPI's class itself.
"""

from __future__ import annotations

import functools
import importlib
import sys
from typing import Any, TypeVar, cast

__all__ = ["starlette_twin"]

T = TypeVar("T", bound=type)


def starlette_twin(base: T, module: str, name: str, namespace: dict[str, Any]) -> T:
    """``base``, or (Starlette imported) a subclass of ``base`` and Starlette's
    ``module.name`` with ``namespace`` (built once per class)."""
    if "starlette" not in sys.modules:
        return base
    return cast(T, _twin(base, module, name, tuple(namespace.items())))


@functools.cache
def _twin(base: type, module: str, name: str, namespace: tuple[tuple[str, Any], ...]) -> type:
    try:
        starlette_class = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):  # the stand-in without this path, or a broken install
        return base
    if not isinstance(starlette_class, type) or issubclass(base, starlette_class):
        return base  # the stand-in: Starlette's name is FasterAPI's class
    attributes = {"__module__": base.__module__, "__qualname__": base.__qualname__}
    return type(base.__name__, (base, starlette_class), {**attributes, **dict(namespace)})
