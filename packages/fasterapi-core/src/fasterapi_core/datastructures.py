"""Request and form data structures: URL, headers, query parameters, uploads, form data, state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fasterapi_core._headers import Headers, MutableHeaders
from fasterapi_core._multidict import FormData, ImmutableMultiDict, QueryParams
from fasterapi_core._upload import UploadFile
from fasterapi_core._url import URL, Address
from fasterapi_core._url_path import URLPath

__all__ = [
    "URL",
    "Address",
    "FormData",
    "Headers",
    "ImmutableMultiDict",
    "MutableHeaders",
    "QueryParams",
    "State",
    "URLPath",
    "UploadFile",
]


def _missing(name: str) -> str:
    return f"'State' object has no attribute '{name}'"


class State:
    """Attribute and item access over one dict: ``state.db`` and ``state["db"]`` are the same.

    ``request.state`` wraps ``scope["state"]``, so values placed there by the application
    (lifespan state) or by middleware are visible both ways.
    """

    __slots__ = ("_state",)

    _state: dict[str, Any]

    def __init__(self, state: dict[str, Any] | None = None) -> None:
        object.__setattr__(self, "_state", {} if state is None else state)

    def __getattr__(self, name: str) -> Any:
        if name == "_state":  # not initialised yet (copy/pickle): avoid infinite recursion
            raise AttributeError(name)
        try:
            return self._state[name]
        except KeyError:
            raise AttributeError(_missing(name)) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self._state[name] = value

    def __reduce__(self) -> tuple[type[State], tuple[dict[str, Any]]]:
        return (type(self), (self._state,))

    def __delattr__(self, name: str) -> None:
        try:
            del self._state[name]
        except KeyError:
            raise AttributeError(_missing(name)) from None

    def __getitem__(self, key: str) -> Any:
        return self._state[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._state[key] = value

    def __delitem__(self, key: str) -> None:
        del self._state[key]

    def __contains__(self, key: object) -> bool:
        return key in self._state

    def __iter__(self) -> Iterator[str]:
        return iter(self._state)

    def __len__(self) -> int:
        return len(self._state)

    def get(self, key: str, default: Any = None) -> Any:
        """The value for ``key``, or ``default``."""
        return self._state.get(key, default)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._state!r})"
