"""Which calls of a dependency share one value per request: FastAPI 0.165's cache keys.

A dependency is called once per request for each ``(callable, scopes, teardown)``; the OAuth2
scopes count only for a dependency that uses them (it declares scopes with ``Security``, asks
for ``SecurityScopes``, is a security scheme, or depends on one that does). ``get_db`` used
directly and under ``Security(get_user, scopes=["read"])`` is one call.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

from fasterapi_core.dependencies.models import Dependant, SpecialKind
from fasterapi_core.security_base import SecurityBase

__all__ = ["settle_cache_keys"]


def settle_cache_keys(dependant: Dependant) -> None:
    """Drop the scopes from the cache key of every dependant of the graph that does not use
    them (keys are built with the scopes, see ``analysis.build_dependant``)."""
    uses: dict[int, bool] = {}
    for item in dependant.walk():  # children before parents
        used = _uses_scopes(item, uses)
        if not used and item.cache_key and item.cache_key[1]:
            item.cache_key = (item.cache_key[0], (), *item.cache_key[2:])


def _uses_scopes(dependant: Dependant, uses: dict[int, bool]) -> bool:
    known = uses.get(id(dependant))
    if known is not None:
        return known
    result = (
        bool(dependant.own_scopes)
        or any(kind == SpecialKind.SECURITY_SCOPES for _, kind in dependant.specials)
        or isinstance(_unwrapped(dependant.call), SecurityBase)
        or any(_uses_scopes(sub, uses) for sub in dependant.dependencies)
    )
    uses[id(dependant)] = result
    return result


def _unwrapped(call: Any) -> Any:
    while isinstance(call, functools.partial):
        call = call.func
    try:
        return inspect.unwrap(call)
    except ValueError:  # a __wrapped__ cycle
        return call
