"""``get``, ``post``, ``put``... : one decorator per HTTP method, shared by the application
and routers (each registers through its own ``api_route``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

__all__ = ["MethodDecorators"]

F = TypeVar("F", bound=Callable[..., Any])


class _Registers(Protocol):
    def api_route(
        self, path: str, *, methods: Sequence[str] | None = None, **options: Any
    ) -> Callable[[F], F]: ...


class MethodDecorators:
    """Decorators registering an endpoint for one HTTP method; options as ``api_route``'s,
    which the class using this mixin provides."""

    def get(self: _Registers, path: str, **options: Any) -> Callable[[F], F]:
        """Register a GET endpoint (it answers HEAD too)."""
        return self.api_route(path, methods=["GET"], **options)

    def post(self: _Registers, path: str, **options: Any) -> Callable[[F], F]:
        """Register a POST endpoint."""
        return self.api_route(path, methods=["POST"], **options)

    def put(self: _Registers, path: str, **options: Any) -> Callable[[F], F]:
        """Register a PUT endpoint."""
        return self.api_route(path, methods=["PUT"], **options)

    def patch(self: _Registers, path: str, **options: Any) -> Callable[[F], F]:
        """Register a PATCH endpoint."""
        return self.api_route(path, methods=["PATCH"], **options)

    def delete(self: _Registers, path: str, **options: Any) -> Callable[[F], F]:
        """Register a DELETE endpoint."""
        return self.api_route(path, methods=["DELETE"], **options)

    def head(self: _Registers, path: str, **options: Any) -> Callable[[F], F]:
        """Register a HEAD endpoint."""
        return self.api_route(path, methods=["HEAD"], **options)

    def options(self: _Registers, path: str, **options: Any) -> Callable[[F], F]:
        """Register an OPTIONS endpoint."""
        return self.api_route(path, methods=["OPTIONS"], **options)

    def trace(self: _Registers, path: str, **options: Any) -> Callable[[F], F]:
        """Register a TRACE endpoint."""
        return self.api_route(path, methods=["TRACE"], **options)
