"""The routing keys of the scope: ``route``, ``path_params`` and ``router``.

FastAPI writes them into every request's scope; code given the scope or a ``Request``
reads them (``request.path_params``, ``request.url_for``, middleware reading the matched
route). The rule, for FasterAPI's compiled routes:

- ``FasterRouter.route_for`` (dispatch.py, the dispatch of ``Faster.__call__``) writes them
  before running a route that can show the scope to user code (a ``Request``/``WebSocket``
  parameter anywhere in its dependencies, a sync endpoint, the general solver), and for every
  route the radix tree matched (its path parameters come from the tree);
- a route that cannot (:attr:`APIRoute.exposes_scope` False: its endpoint and dependencies
  take only typed parameters) runs without them (``path_params`` only, for ``/prefix/{x}``
  routes), and :func:`add_routing_keys` writes them the moment user code could see the scope
  after all: before an exception handler (``Faster.__call__``), before a returned ``Response``
  is sent or dependency overrides run (compiled_handler.py), before telemetry's observed
  handler runs (telemetry/operations.py);
- user middleware always sees them: with middleware, dispatch goes through
  ``FasterRouter.match_http``, which writes them first.

tests/routing/test_routing_scope.py proves the rule for each kind of user code and each way a
route is matched (static path, ``/prefix/{x}`` table, radix tree).
"""

from __future__ import annotations

from typing import Any

from fasterapi_core.types import Scope

__all__ = ["add_routing_keys"]


def add_routing_keys(scope: Scope, route: Any, router: Any = None) -> None:
    """Write ``route``, ``path_params`` (empty unless present) and ``router`` (``router``, or
    the application's router) into ``scope`` where dispatch left them out."""
    if "route" not in scope:
        scope["route"] = route
        if "path_params" not in scope:
            scope["path_params"] = {}
    if "router" not in scope:
        if router is None:
            router = getattr(scope.get("app"), "router", None)
        if router is not None:
            scope["router"] = router
