"""The request plan: a handler's signature compiled once into what each request must do."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from typing import Any

from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.core_settings import core_settings_of
from fasterapi_core.dependencies.analysis import _sub_dependant, build_dependant
from fasterapi_core.dependencies.body import (
    BodyPlan,
    distinct_body_fields,
    override_body_fields,
    single_body_value,
)
from fasterapi_core.dependencies.cache_keys import settle_cache_keys
from fasterapi_core.dependencies.extractors import compile_extract, compile_single
from fasterapi_core.dependencies.models import Dependant, ParamField, SpecialKind, unique_params
from fasterapi_core.dependencies.override_body import body_under_overrides
from fasterapi_core.dependencies.solver import (
    SolveContext,
    own_parameters,
    solve,
)
from fasterapi_core.exceptions import RequestValidationError
from fasterapi_core.params import Depends
from fasterapi_core.requests import HTTPConnection, Request
from fasterapi_core.types import Receive, Scope

__all__ = ["RequestPlan"]


class RequestPlan:
    """Everything known about a handler before the first request arrives.

    Holds the dependency graph (handler last), the body strategy, and flags that let the
    per-request path skip whatever the handler does not use.
    """

    def __init__(
        self,
        endpoint: Callable[..., Any],
        *,
        path_param_names: set[str],
        dependencies: Sequence[Depends] = (),
        dependant: Dependant | None = None,
    ) -> None:
        """``dependant``: a graph analysed already, compiled as it is (a plugin changed a
        route's ``dependant``), instead of ``endpoint``'s with ``dependencies`` first."""
        self.endpoint = endpoint
        self.path_param_names = set(path_param_names)
        if dependant is None:
            dependant = build_dependant(endpoint, path_param_names=self.path_param_names)
            extra = [
                _sub_dependant("", _annotation_of(dep), dep, self.path_param_names, [])
                for dep in dependencies
            ]
            for sub in extra:
                sub.name = None
            dependant.dependencies[:0] = extra
        settle_cache_keys(dependant)
        self.dependant: Dependant = dependant
        flat = dependant.walk()
        self.flat = flat
        body_fields = distinct_body_fields(flat)
        self.body: BodyPlan | None = BodyPlan(body_fields) if body_fields else None
        self.needs_exit_stack = any(item.is_generator for item in flat[:-1]) or bool(
            self.body is not None and self.body.is_form
        )
        self.has_function_scope = any(d.scope == "function" and d.is_generator for d in flat)
        """A ``yield`` dependency has ``scope="function"``: its exit stack closes early."""
        self.is_coroutine = dependant.is_coroutine or dependant.is_async_gen
        specials = {kind for item in flat for _, kind in item.specials}
        self.uses_background_tasks = SpecialKind.BACKGROUND_TASKS in specials
        self.uses_sub_response = SpecialKind.RESPONSE in specials
        self.has_parameters = bool(
            dependant.dependencies
            or dependant.path_params
            or dependant.query_params
            or dependant.header_params
            or dependant.cookie_params
            or dependant.specials
            or self.body is not None
        )
        self.is_flat = not dependant.dependencies and self.body is None
        """No dependencies and no body: :meth:`solve_flat` applies (nothing to await)."""
        self.positional = _positional_names(endpoint)
        """The handler's parameter names in signature order when it takes them all
        positionally (no keyword-only or variadic parameters); None otherwise."""
        own_extract = compile_extract(dependant, self.body, self.positional, as_tuple=False)
        self.extract: Callable[[Scope], Any] | None = None
        """For flat plans without special parameters: the handler's arguments from the scope
        alone (raises :class:`RequestValidationError`), a tuple when
        :attr:`positional_arguments`, else a dict; None otherwise."""
        self.positional_arguments = False
        """:attr:`extract` and :attr:`arguments` give a tuple (call ``endpoint(*args)``), and
        the value of :meth:`body_value` is passed by position."""
        self.extract_single: Callable[[Scope], Any] | None = None
        """When the handler's only parameter is a path parameter (taken positionally): its
        value from the scope (raises :class:`RequestValidationError`). :attr:`extract` is
        None then."""
        self.single_path: tuple[str, Callable[[str], Any]] | None = None
        """With :attr:`extract_single`, when the parameter's validator has a ``parse_text``:
        ``(key, parse)``, so that a caller may convert ``scope["path_params"][key]`` itself
        (ASCII text only; a ``ValueError`` or anything else goes to :attr:`extract_single`)."""
        if self.is_flat and own_extract is not None:
            self.extract_single, self.single_path = compile_single(
                dependant, self.body, self.positional
            )
            if self.extract_single is None:
                by_tuple = compile_extract(dependant, self.body, self.positional, as_tuple=True)
                self.positional_arguments = by_tuple is not None
                self.extract = by_tuple or own_extract
            else:
                self.positional_arguments = True
        self.single_leaf: Callable[[], Awaitable[Any]] | None = None
        """The coroutine function of the handler's one parameter, when that is a leaf
        dependency (``user = Depends(current_user)``): the handler is called with its result,
        unless the application overrides dependencies."""
        self.leaf_dependencies: list[Dependant] = []
        """When every dependency is a plain function taking nothing from the request (and no
        ``max_concurrency``) and the handler itself reads only path/query/header/cookie
        values: those dependencies, solved by :meth:`solve_leaves`. Empty otherwise."""
        plain = (
            d.is_leaf and not d.is_generator and d.limit is None for d in dependant.dependencies
        )
        if own_extract is not None and dependant.dependencies and all(plain):
            self.leaf_dependencies = list(dependant.dependencies)
            has_own = bool(
                dependant.path_params
                or dependant.query_params
                or dependant.header_params
                or dependant.cookie_params
            )
            self._own_extract: Callable[[Scope], dict[str, Any]] | None = (
                own_extract if has_own else None
            )
            keys = [sub.cache_key for sub in self.leaf_dependencies if sub.use_cache]
            self._leaves_share = len(set(keys)) < len(keys)  # one dependency used twice
            named = tuple(sub.name for sub in self.leaf_dependencies)
            self._leaves_as_tuple = not has_own and named == self.positional
            only = self.leaf_dependencies[0]
            if self._leaves_as_tuple and len(named) == 1 and only.is_coroutine:
                self.single_leaf = only.call
        self.body_only: ParamField | None = None
        """The one JSON body parameter when the handler takes nothing else (no dependencies,
        no other parameters): read with :meth:`body_value`."""
        if (
            self.body is not None
            and self.body.single is not None
            and not dependant.dependencies
            and not dependant.specials
            and len(dependant.body_params) == 1
            and not self.all_params()
        ):
            self.body_only = self.body.single
        self._override_cache: dict[tuple[Any, ...], Dependant] = {}
        self._override_bodies: dict[frozenset[str], BodyPlan] = {}
        self._override_body: dict[int, list[ParamField]] = {}
        """The body parameters an override adds (by the rebuilt dependant's id)."""
        self.arguments: Callable[[Scope, Receive], Awaitable[Any]] | None = None
        """The handler's arguments when they must be awaited but need no ``Request``: its
        :attr:`leaf_dependencies`. A tuple when
        :attr:`positional_arguments`, else a dict; None when the application overrides
        dependencies (the general :meth:`solve` applies them)."""
        if self.body_only is not None:
            self.positional_arguments = self.positional == (self.body_only.name,)
        elif self.leaf_dependencies:
            self.positional_arguments = self._leaves_as_tuple
            self.arguments = self.solve_leaves

    def all_params(self) -> list[ParamField]:
        """Every non-body parameter of the graph, one per source and key (for OpenAPI)."""
        return unique_params(self.flat)

    def _rebuild_override(self, original: Dependant, replacement: Callable[..., Any]) -> Dependant:
        key = (replacement, original.name, tuple(original.security_scopes))
        cached = self._override_cache.get(key)
        if cached is None:
            cached = build_dependant(
                replacement,
                path_param_names=self.path_param_names,
                name=original.name,
                use_cache=original.use_cache,
                security_scopes=original.security_scopes,
                own_scopes=original.own_scopes,
                scope=original.scope,
                limit=original.limit,
            )
            settle_cache_keys(cached)
            cached.cache_key = original.cache_key
            self._override_cache[key] = cached
            self._override_body[id(cached)] = override_body_fields(self.body, cached)
        return cached

    async def _read_override_body(self, sub: Dependant, ctx: SolveContext) -> None:
        """Read the body parameters an override adds (FastAPI reads each dependency's own)."""
        fields = self._override_body.get(id(sub))
        if not fields:
            return
        if self.body is None:  # the route reads no body: as if there were none
            BodyPlan(fields).absent(ctx)
        elif isinstance(ctx.connection, Request):  # embedded as the route's body is
            await BodyPlan(fields, embed=self.body.embed).read(ctx.connection, ctx)

    async def solve_leaves(self, scope: Scope, receive: Receive | None = None) -> Any:
        """The arguments of a plan with ``leaf_dependencies`` (see :attr:`arguments`); None
        when the application overrides dependencies (the general :meth:`solve` applies them).
        An override an earlier dependency installs applies to the later ones, as in FastAPI
        (one that is not a plain leaf sends the request to :meth:`solve`, which calls the
        earlier ones again)."""
        try:  # PERF: core_settings_of(scope.get("app")), two attribute reads on FasterAPI's apps
            overridden = scope["app"].core_settings.dependency_overrides
        except (KeyError, AttributeError):
            overridden = core_settings_of(scope.get("app")).dependency_overrides
        if overridden:
            return None
        values: dict[str, Any] = {}
        cache: dict[tuple[Any, ...], Any] | None = {} if self._leaves_share else None
        for sub in self.leaf_dependencies:
            if overridden and sub.call in overridden:  # installed by an earlier dependency
                sub = self._rebuild_override(sub, overridden[sub.call])
                if not sub.is_leaf or sub.is_generator or sub.limit is not None:
                    return None
            if cache is not None and sub.use_cache and sub.cache_key in cache:
                value = cache[sub.cache_key]
            else:
                call = sub.call
                value = await call() if sub.is_coroutine else await run_in_threadpool(call)
                if cache is not None and sub.use_cache:
                    cache[sub.cache_key] = value
            if sub.name is not None:
                values[sub.name] = value
        if self._own_extract is not None:
            values.update(self._own_extract(scope))
        return tuple(values.values()) if self._leaves_as_tuple else values

    def body_value(self, body: bytes, content_type: bytes | None) -> Any:
        """The value of the handler's only parameter, a JSON body (:attr:`body_only`), from
        the body and the raw content type :func:`~fasterapi_core.requests.body_headers`
        found (raises :class:`RequestValidationError`). Route handlers try the field's
        msgspec decoder themselves first for an ``application/json`` body."""
        field, plan = self.body_only, self.body
        assert field is not None and plan is not None
        text = None if content_type is None else content_type.decode("latin-1")
        return single_body_value(field, body, text, plan.strict_content_type)

    def solve_flat(self, connection: HTTPConnection) -> tuple[dict[str, Any], SolveContext]:
        """:meth:`solve` for plans with no dependencies and no body (``is_flat``): nothing to
        await, so the arguments are extracted synchronously. (Without special parameters,
        :attr:`extract` does the same from the scope alone.)"""
        kwargs: dict[str, Any] = {}
        ctx = SolveContext(connection, stack=None, overrides=None)
        own_parameters(self.dependant, ctx, kwargs)
        if ctx.errors:
            raise RequestValidationError(ctx.errors)
        return kwargs, ctx

    async def solve(
        self,
        connection: HTTPConnection,
        stack: AsyncExitStack | None,
        function_stack: AsyncExitStack | None = None,
    ) -> tuple[dict[str, Any], SolveContext]:
        """Resolve the handler's arguments; raise :class:`RequestValidationError` on bad input.
        ``yield`` dependencies enter ``stack``, or ``function_stack`` with ``scope="function"``."""
        dependant = self.dependant
        overrides = None
        if dependant.dependencies:  # overrides replace dependencies: nothing to look up otherwise
            overrides = core_settings_of(connection.scope.get("app")).dependency_overrides
        ctx = SolveContext(
            connection,
            stack=stack,
            overrides=overrides,
            override_dependants=self._rebuild_override if overrides is not None else None,
            function_stack=function_stack,
            read_body=self._read_override_body,
        )
        body_errors: list[dict[str, Any]] = []
        body = self.body
        if body is not None and isinstance(connection, Request):
            if overrides:  # what only overridden dependencies declare is not read
                body = body_under_overrides(body, dependant, overrides, self._override_bodies)
            await body.read(connection, ctx)
            body_errors, ctx.errors = ctx.errors, []
        if dependant.dependencies:
            kwargs = await solve(dependant, ctx)
        else:
            kwargs = {}
            own_parameters(dependant, ctx, kwargs)
        if ctx.errors or body_errors:
            # FastAPI's order: dependencies and parameters first, then the body.
            raise RequestValidationError([*ctx.errors, *body_errors], body=ctx.body)
        return kwargs, ctx


def _positional_names(endpoint: Callable[..., Any]) -> tuple[str, ...] | None:
    try:
        parameters = inspect.signature(endpoint).parameters.values()
    except (TypeError, ValueError):
        return None
    names = []
    for parameter in parameters:
        if parameter.kind not in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            return None
        names.append(parameter.name)
    return tuple(names)


def _annotation_of(dep: Depends) -> Any:
    if dep.dependency is None:
        raise TypeError("router or app dependencies need an explicit callable: Depends(func)")
    return dep.dependency
