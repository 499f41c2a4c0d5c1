"""What kind of callable a handler or dependency is: coroutine, generator, async generator.

FastAPI 0.165 looks through ``functools.partial`` and ``functools.wraps`` wrappers (the
``__wrapped__`` chain) and into a callable instance's ``__call__``: a plain function wrapping
an ``async def`` is awaited, one wrapping a generator is a ``yield`` dependency, an instance
whose ``__call__`` is decorated is classified by what the decorator wraps. Decided once, when
the route is built.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["is_async_gen_callable", "is_coroutine_callable", "is_gen_callable"]

if sys.version_info >= (3, 13):
    from inspect import iscoroutinefunction
else:  # asyncio's also recognises the legacy ``_is_coroutine`` marker, as FastAPI does
    from asyncio import iscoroutinefunction


def _without_partial(func: Any) -> Any:
    while isinstance(func, functools.partial):
        func = func.func
    return func


def _unwrapped(func: Any) -> Any:
    """``func`` without its partials and ``functools.wraps`` layers."""
    try:
        return inspect.unwrap(_without_partial(func))
    except ValueError:  # a __wrapped__ cycle: take it as it is
        return _without_partial(func)


def _classify(
    call: Callable[..., Any], test: Callable[[Any], bool], *, routine_first: bool = False
) -> bool:
    """Whether ``call``, or the ``__call__`` of the instance it is, passes ``test`` (each
    looked at as given, less partials, and fully unwrapped)."""
    outer, inner = _without_partial(call), _unwrapped(call)
    for func in (outer, inner):
        if (not routine_first or inspect.isroutine(func)) and test(func):
            return True
    if inspect.isclass(inner):
        return False
    for owner in (outer, inner):
        dunder = getattr(owner, "__call__", None)  # noqa: B004
        if dunder is not None and (test(_without_partial(dunder)) or test(_unwrapped(dunder))):
            return True
    return False


def is_coroutine_callable(call: Callable[..., Any]) -> bool:
    """Calling ``call`` gives an awaitable to await (``async def``, or a wrapper of one)."""
    return _classify(call, iscoroutinefunction, routine_first=True)


def is_async_gen_callable(call: Callable[..., Any]) -> bool:
    """``call`` is an async generator function (a ``yield`` dependency), or wraps one."""
    return _classify(call, inspect.isasyncgenfunction)


def is_gen_callable(call: Callable[..., Any]) -> bool:
    """``call`` is a generator function (a ``yield`` dependency), or wraps one."""
    return _classify(call, inspect.isgeneratorfunction)
