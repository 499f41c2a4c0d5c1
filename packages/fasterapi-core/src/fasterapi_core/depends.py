"""Dependency markers: ``Depends`` (a parameter's value produced by calling a dependency),
``Security`` (one that also declares OAuth2 scopes) and ``SecurityScopes`` (the scopes injected
into a dependency). Re-exported by :mod:`fasterapi_core.params`, as FastAPI's ``fastapi.params``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, Literal

from fasterapi_core.concurrency import ConcurrencyLimit

__all__ = ["Depends", "Security", "SecurityScopes"]


@dataclasses.dataclass(frozen=True, repr=False)
class Depends:
    """Declare that a parameter's value is produced by calling ``dependency``.

    With ``use_cache=True`` (the default) the dependency runs once per request even when several
    parts of the graph ask for it. ``Depends()`` without a callable uses the parameter's annotation.
    For a dependency with ``yield``, ``scope="function"`` runs the code after ``yield`` as soon
    as the endpoint returns (before the response is sent); ``"request"`` (the default for
    ``yield`` dependencies) runs it after the response, as FastAPI does. ``max_concurrency``
    bounds how many requests run it at once (the others wait). A frozen dataclass, as FastAPI's
    (``dataclasses.replace(declaration, max_concurrency=2)`` makes a copy; equal declarations
    hash alike, two with ``max_concurrency`` never compare equal: each has its own limit).
    """

    dependency: Callable[..., Any] | None = None
    _: dataclasses.KW_ONLY
    use_cache: bool = True
    scope: Literal["function", "request"] | None = None
    max_concurrency: int | None = None
    _concurrency: ConcurrencyLimit | None = None
    """The limit's accounting: a copy keeps it (shares it) while its ``max_concurrency`` is
    the same, as FastAPI's ``dataclasses.replace`` does."""

    def __post_init__(self) -> None:
        if self.scope not in (None, "function", "request"):
            raise ValueError(
                f'Depends(scope=...) must be "function" or "request", not {self.scope!r}'
            )
        limit = self._concurrency
        if self.max_concurrency is None:
            limit = None
        elif limit is None or limit.limit != self.max_concurrency:
            limit = ConcurrencyLimit(self.max_concurrency)
        object.__setattr__(self, "_concurrency", limit)

    @property
    def limit(self) -> ConcurrencyLimit | None:
        """``max_concurrency``: at most that many runs of this declaration at once (across
        requests; a ``yield`` dependency holds its place until torn down), as in FastAPI."""
        return self._concurrency

    def __repr__(self) -> str:
        name = getattr(self.dependency, "__name__", type(self.dependency).__name__)
        cache = "" if self.use_cache else ", use_cache=False"
        return f"{type(self).__name__}({name}{cache})"


@dataclasses.dataclass(frozen=True, repr=False)
class Security(Depends):
    """A dependency that also declares the OAuth2 ``scopes`` it requires."""

    scopes: Sequence[str] = ()
    """As given (``None``, which FastAPI allows, is an empty tuple)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.scopes is None:
            object.__setattr__(self, "scopes", ())


class SecurityScopes:
    """Injected into a dependency: the OAuth2 scopes required by every ``Security`` above it."""

    __slots__ = ("scope_str", "scopes")

    def __init__(self, scopes: Sequence[str] | None = None) -> None:
        self.scopes: list[str] = list(scopes or ())
        self.scope_str: str = " ".join(self.scopes)

    def __repr__(self) -> str:
        return f"SecurityScopes({self.scopes!r})"
