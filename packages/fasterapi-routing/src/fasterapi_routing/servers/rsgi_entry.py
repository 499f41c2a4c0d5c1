"""The RSGI entry of ``Faster`` (granian ``--interface rsgi``): same stack, same routes.

The adapter module (:mod:`fasterapi_routing.servers.rsgi`, and asyncio with it) is imported
only when granian serves the application.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

__all__ = ["RSGIEntry"]


class RSGIEntry:
    """``__rsgi__``, ``__rsgi_init__`` and ``__rsgi_del__``: granian's calls, each forwarded to
    the application's :class:`~fasterapi_routing.servers.rsgi.RSGIAdapter`."""

    def _rsgi(self) -> Any:
        from fasterapi_routing.servers.rsgi import rsgi_adapter

        return rsgi_adapter(self)

    def __rsgi__(self, scope: Any, protocol: Any) -> Coroutine[Any, Any, None]:
        adapter = self.__dict__.get("_rsgi_adapter")
        if adapter is None:
            adapter = self._rsgi()
        handle: Coroutine[Any, Any, None] = adapter.handle(scope, protocol)
        return handle

    def __rsgi_init__(self, loop: Any) -> None:
        self._rsgi().startup(loop)

    def __rsgi_del__(self, loop: Any) -> None:
        self._rsgi().shutdown(loop)
