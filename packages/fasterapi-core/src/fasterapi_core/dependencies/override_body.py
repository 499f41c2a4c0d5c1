"""The body a route reads while the application overrides some of its dependencies.

FastAPI reads each dependency's own body parameters when it solves it: those of a dependency
that an override replaces are not read, nor validated (a form union of the original does not
refuse a request made for its replacement). The route's body plan is then used less those
fields, with its embedding as declared; the replacement's own fields are read apart (see
``RequestPlan._read_override_body``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fasterapi_core.dependencies.body import BodyPlan
from fasterapi_core.dependencies.models import Dependant

__all__ = ["body_under_overrides"]


def body_under_overrides(
    body: BodyPlan,
    dependant: Dependant,
    overrides: dict[Callable[..., Any], Callable[..., Any]],
    cache: dict[frozenset[str], BodyPlan],
) -> BodyPlan:
    """``body`` less the fields only overridden dependencies of ``dependant`` declare (the
    plan for each such set made once, kept in ``cache``)."""
    dead = _overridden_body_keys(dependant, overrides)
    if not dead:
        return body
    plan = cache.get(dead)
    if plan is None:
        plan = cache[dead] = body.without(dead)
    return plan


def _overridden_body_keys(
    dependant: Dependant, overrides: dict[Callable[..., Any], Callable[..., Any]]
) -> frozenset[str]:
    live: set[str] = set()
    replaced: set[str] = set()

    def visit(item: Dependant) -> None:
        live.update(field.body_key for field in item.body_params)
        for sub in item.dependencies:
            if _overridden(sub.call, overrides):
                replaced.update(f.body_key for each in sub.walk() for f in each.body_params)
            else:
                visit(sub)

    visit(dependant)
    return frozenset(replaced - live)


def _overridden(call: Any, overrides: dict[Callable[..., Any], Callable[..., Any]]) -> bool:
    try:
        return call in overrides
    except TypeError:  # an unhashable callable cannot be a key
        return False
