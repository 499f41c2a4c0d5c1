"""``include_router``: a router's routes served under another's prefix and settings.

Each route is copied into the including router with the inclusion's prefix, tags,
dependencies, responses and limits merged in (FastAPI's precedence: the route's own and the
included router's settings win over the inclusion's, which win over the including router's).
The inclusion is remembered on the included router, so a route added to it afterwards is
copied the same way at once: FastAPI 0.165 serves such late routes too (its included routers
are live), and here nothing is looked up per request to do so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fasterapi_core.exceptions import FastAPIError
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import FormLimitOptions, form_limit_overrides, validate_max_body_size
from fasterapi_core.params import Depends
from fasterapi_core.responses import JSONResponse, Response
from fasterapi_routing.body_limits import first_limit, merged_form_limits
from fasterapi_routing.foreign_routes import included_copy
from fasterapi_routing.lifespan import LifespanHandlers
from fasterapi_routing.operation_ids import generate_unique_id
from fasterapi_routing.responding import DefaultPlaceholder, given
from fasterapi_routing.routes import APIRoute, APIWebSocketRoute, BaseRoute, Mount

if TYPE_CHECKING:
    from fasterapi_routing.router import FasterRouter

__all__ = ["Inclusion", "RouterInclusion"]


@dataclass(frozen=True, slots=True)
class Inclusion:
    """The settings one ``include_router`` call gives the routes it copies."""

    prefix: str
    tags: list[Any]
    dependencies: list[Depends]
    responses: dict[int | str, Any]
    deprecated: bool | None
    include_in_schema: bool
    default_response_class: Any
    generate_unique_id_function: Callable[[APIRoute], str]
    callbacks: list[BaseRoute]
    strict_content_type: Any
    max_body_size: int | None
    form_limits: dict[str, Any]

    def copy(self, route: BaseRoute) -> BaseRoute:
        """``route`` as the including router serves it."""
        if not self.prefix and getattr(route, "path", None) == "":  # any route (FastAPI's)
            name = getattr(route, "name", "unknown")
            raise FastAPIError(f"Prefix and path cannot be both empty (path operation: {name})")
        if isinstance(route, APIRoute):
            return route.copy_with(
                prefix=self.prefix,
                tags=self.tags,
                dependencies=self.dependencies,
                responses=self.responses,
                deprecated=self.deprecated,
                include_in_schema=self.include_in_schema,
                default_response_class=self.default_response_class,
                generate_unique_id_function=self.generate_unique_id_function,
                callbacks=self.callbacks,
                strict_content_type=self.strict_content_type,
                max_body_size=self.max_body_size,
                form_limits=self.form_limits,
            )
        if isinstance(route, APIWebSocketRoute):
            return route.copy_with(prefix=self.prefix, dependencies=self.dependencies)
        if isinstance(route, Mount):
            return route.copy_with(
                prefix=self.prefix, max_body_size=self.max_body_size, form_limits=self.form_limits
            )
        copied: BaseRoute = included_copy(route, self.prefix)  # Starlette's, plain routes
        return copied


class RouterInclusion:
    """``include_router`` and the live inclusions of :class:`~fasterapi_routing.FasterRouter`."""

    prefix: str
    tags: list[Any]
    dependencies: list[Depends]
    responses: dict[int | str, Any]
    deprecated: bool | None
    include_in_schema: bool
    callbacks: list[BaseRoute]
    default_response_class: Any
    generate_unique_id_function: Any
    strict_content_type: Any
    max_body_size: int | None
    form_limits: dict[str, Any]
    _included: list[FasterRouter]
    _includers: list[tuple[RouterInclusion, Inclusion]]
    _low_priority_routes: list[Any]
    lifespan_handlers: LifespanHandlers

    if TYPE_CHECKING:  # FasterRouter's and LowPriorityRoutes'

        def _add(self, route: BaseRoute) -> None: ...

        def _include_low_priority(
            self,
            routes: Sequence[Any],
            *,
            prefix: str,
            dependencies: Sequence[Depends],
            max_body_size: int | None,
            form_limits: dict[str, Any],
        ) -> None: ...

    def include_router(
        self,
        router: FasterRouter,
        *,
        prefix: str = "",
        tags: Sequence[Any] | None = None,
        dependencies: Sequence[Depends] | None = None,
        default_response_class: type[Response] | DefaultPlaceholder = DefaultPlaceholder(
            JSONResponse
        ),
        responses: Mapping[int | str, Any] | None = None,
        callbacks: Sequence[BaseRoute] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        generate_unique_id_function: Callable[[APIRoute], str]
        | DefaultPlaceholder = DefaultPlaceholder(generate_unique_id),
        strict_content_type: bool | DefaultPlaceholder | None = None,
        max_body_size: int | None = None,
        form_limits: FormLimitOptions | FormLimits | None = None,
    ) -> None:
        """Add every route of ``router`` under ``prefix``, with these tags, dependencies,
        responses and limits (the route's and ``router``'s own winning); routes added to
        ``router`` later are added here too."""
        validate_max_body_size(max_body_size)
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise ValueError("an include prefix must start with '/' and not end with '/'")
        if router is self:
            raise AssertionError(
                "Cannot include the same APIRouter instance into itself. "
                "Did you mean to include a different router?"
            )
        if router._includes(self):
            raise AssertionError(
                "Cannot include an APIRouter instance that already includes this router. "
                "Did you mean to include a different router?"
            )
        body_limit = first_limit(router.max_body_size, max_body_size, self.max_body_size)
        inclusion = Inclusion(
            prefix=self.prefix + prefix,
            tags=[*self.tags, *(tags or [])],
            dependencies=[*self.dependencies, *(dependencies or [])],
            responses={**self.responses, **(responses or {})},
            deprecated=deprecated if deprecated is not None else self.deprecated,
            include_in_schema=include_in_schema and self.include_in_schema,
            default_response_class=given(
                default_response_class, given(self.default_response_class, None)
            ),
            generate_unique_id_function=given(
                generate_unique_id_function, self.generate_unique_id_function
            ),
            callbacks=[*self.callbacks, *(callbacks or [])],
            strict_content_type=given(strict_content_type, self.strict_content_type),
            max_body_size=body_limit,
            form_limits=merged_form_limits(
                self.form_limits, form_limit_overrides(form_limits), router.form_limits
            ),
        )
        copies = [inclusion.copy(route) for route in router.routes]  # all checked, then added
        for copied in copies:
            self._add(copied)
        self._include_low_priority(
            router._low_priority_routes,
            prefix=inclusion.prefix,
            dependencies=inclusion.dependencies,
            max_body_size=body_limit,
            form_limits=inclusion.form_limits,
        )
        self.lifespan_handlers.include(router.lifespan_handlers)
        self._included.append(router)
        router._includers.append((self, inclusion))

    def _add_to_includers(self, route: BaseRoute) -> None:
        """A route added after this router was included: served by the including routers."""
        for includer, inclusion in self._includers:
            if not inclusion.prefix and getattr(route, "path", None) == "":
                continue  # no request reaches it: FastAPI accepts it late without a word
            includer._add(inclusion.copy(route))

    def _includes(self, router: RouterInclusion) -> bool:
        """Whether ``router`` was included here, directly or through an included router."""
        seen: set[int] = set()
        pending = list(self._included)
        while pending:
            included = pending.pop()
            if included is router:
                return True
            if id(included) not in seen:
                seen.add(id(included))
                pending.extend(included._included)
        return False
