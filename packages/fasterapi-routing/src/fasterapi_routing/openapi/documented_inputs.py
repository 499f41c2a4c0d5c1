"""What an operation documents from its dependency graph, in FastAPI's order.

The route plan runs dependencies first (children before parents); FastAPI documents the
graph from the endpoint down (parents before children), parameters grouped by location (path,
query, header, cookie), and one security requirement per scheme with the scopes of every
use of it merged.
"""

from __future__ import annotations

from typing import Any

from fasterapi_core.dependencies import Dependant, ParamField
from fasterapi_core.dependencies.models import unique_params
from fasterapi_routing.routes import APIRoute

__all__ = ["documented_body_fields", "documented_params", "security_requirements"]

_LOCATIONS = ("path", "query", "header", "cookie")


def _from_the_endpoint(route: APIRoute) -> list[Dependant]:
    """The route's dependants, the endpoint first, then each dependency depth first."""
    out: list[Dependant] = []
    pending = [route.plan.dependant]
    while pending:
        dependant = pending.pop()
        out.append(dependant)
        pending.extend(reversed(dependant.dependencies))
    return out


def documented_params(route: APIRoute) -> list[ParamField]:
    """The path, query, header and cookie parameters, one per location and name."""
    params = unique_params(_from_the_endpoint(route))
    return sorted(params, key=lambda field: _LOCATIONS.index(field.source.value))


def documented_body_fields(route: APIRoute, fields: list[ParamField]) -> list[ParamField]:
    """The body ``fields`` in FastAPI's order: the endpoint's own, then its dependencies'."""
    if len(fields) < 2:
        return fields
    order: dict[str, int] = {}
    for dependant in _from_the_endpoint(route):
        for field in dependant.body_params:
            order.setdefault(field.body_key, len(order))
    return sorted(fields, key=lambda field: order.get(field.body_key, len(order)))


def security_requirements(route: APIRoute, schemes: dict[str, Any]) -> list[dict[str, list[str]]]:
    """The operation's ``security``: per scheme, the scopes of all its uses; each scheme's
    definition is added to ``schemes``."""
    try:
        from fasterapi_core.security_base import SecurityBase
    except ImportError:  # pragma: no cover - the module ships with fasterapi-core
        return []
    scopes: dict[str, list[str]] = {}
    for dependant in _from_the_endpoint(route)[1:]:
        call = dependant.call
        if not isinstance(call, SecurityBase):
            continue
        schemes.setdefault(call.scheme_name, dict(call.model))
        merged = scopes.setdefault(call.scheme_name, [])
        merged.extend(scope for scope in dependant.security_scopes if scope not in merged)
    return [{name: names} for name, names in scopes.items()]
