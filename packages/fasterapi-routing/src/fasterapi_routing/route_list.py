"""``RouteList``: a router's ``routes``, a list that tells the router when it changes, so that
routes appended directly (``app.routes.append(route)``, as plugins do) are served."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, SupportsIndex

__all__ = ["RouteList"]


class RouteList(list[Any]):
    """A ``list`` calling ``on_change()`` after each change (the router then rebuilds its
    dispatch tables at the next request; nothing is done per request)."""

    __slots__ = ("_on_change",)

    def __init__(self, routes: Iterable[Any], on_change: Callable[[], None]) -> None:
        super().__init__(routes)
        self._on_change = on_change

    def append(self, route: Any, /) -> None:
        super().append(route)
        self._on_change()

    def extend(self, routes: Iterable[Any], /) -> None:
        super().extend(routes)
        self._on_change()

    def insert(self, index: SupportsIndex, route: Any, /) -> None:
        super().insert(index, route)
        self._on_change()

    def remove(self, route: Any, /) -> None:
        super().remove(route)
        self._on_change()

    def pop(self, index: SupportsIndex = -1, /) -> Any:
        route = super().pop(index)
        self._on_change()
        return route

    def clear(self) -> None:
        super().clear()
        self._on_change()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        super().sort(*args, **kwargs)
        self._on_change()

    def reverse(self) -> None:
        super().reverse()
        self._on_change()

    def __setitem__(self, index: Any, value: Any, /) -> None:
        super().__setitem__(index, value)
        self._on_change()

    def __delitem__(self, index: Any, /) -> None:
        super().__delitem__(index)
        self._on_change()

    def __iadd__(self, routes: Iterable[Any], /) -> RouteList:  # type: ignore[misc]
        super().__iadd__(routes)
        self._on_change()
        return self

    def __imul__(self, count: SupportsIndex, /) -> RouteList:
        super().__imul__(count)
        self._on_change()
        return self
