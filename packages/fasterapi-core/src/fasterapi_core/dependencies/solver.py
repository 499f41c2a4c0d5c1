"""Per-request resolution of a compiled dependency graph."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from typing import Any

import anyio

from fasterapi_core.background import BackgroundTasks
from fasterapi_core.concurrency import (
    ShieldedCleanup,
    contextmanager_in_threadpool,
    holding,
    run_in_threadpool,
)
from fasterapi_core.dependencies.models import Dependant, ParamField, SpecialKind
from fasterapi_core.params import SecurityScopes
from fasterapi_core.requests import HTTPConnection
from fasterapi_core.responses import Response

__all__ = [
    "SolveContext",
    "missing_error",
    "own_parameters",
    "path_parameters",
    "request_parameters",
    "scalar_parameters",
    "solve",
]

_MISSING_MSG = "Field required"


def missing_error(loc: tuple[str | int, ...]) -> dict[str, Any]:
    """FastAPI's error for an absent required value."""
    return {"type": "missing", "loc": loc, "msg": _MISSING_MSG, "input": None}


class SolveContext:
    """What one request carries through the resolution of its dependency graph."""

    __slots__ = (
        "background_tasks",
        "body",
        "body_values",
        "cache",
        "cleanup_scope",
        "connection",
        "errors",
        "function_stack",
        "missing_body",
        "overrides",
        "stack",
        "sub_response",
    )

    def __init__(
        self,
        connection: HTTPConnection,
        *,
        stack: AsyncExitStack | None,
        overrides: dict[Callable[..., Any], Callable[..., Any]] | None,
        override_dependants: Callable[[Dependant, Callable[..., Any]], Dependant] | None = None,
        function_stack: AsyncExitStack | None = None,
        read_body: Callable[[Dependant, SolveContext], Awaitable[None]] | None = None,
    ) -> None:
        self.connection = connection
        self.stack = stack
        self.function_stack = function_stack or stack
        """Where ``Depends(..., scope="function")`` dependencies with ``yield`` are entered:
        closed when the endpoint returns (``stack`` closes after the response)."""
        # PERF: one attribute for the three (no per-request cost for routes without overrides)
        self.overrides = (
            (overrides, override_dependants, read_body) if overrides is not None else None
        )
        """``(overrides, rebuild(dependant, replacement), read_body(rebuilt, ctx))``: the
        last reads the body parameters an override adds to the route's. The application's
        dict itself (perhaps empty): an override a dependency installs applies at once."""
        self.cleanup_scope: anyio.CancelScope | None = None
        """Shielded while an async ``yield`` dependency cleans up (see ``ShieldedCleanup``);
        entered in ``stack`` before the first one."""
        self.cache: dict[tuple[Any, ...], Any] = {}
        self.errors: list[dict[str, Any]] = []
        self.missing_body = 0  # body values that failed validation (their errors come last)
        self.body_values: dict[str, Any] = {}
        self.body: Any = None  # the decoded request body, for RequestValidationError.body
        self.background_tasks: BackgroundTasks | None = None
        self.sub_response: Response | None = None


def scalar_parameters(
    fields: list[ParamField],
    getter: Callable[[str], Any],
    list_getter: Callable[[str], list[Any]] | None,
    values: dict[str, Any],
    errors: list[dict[str, Any]],
) -> None:
    """Validate query/header/cookie ``fields`` read with ``getter`` (``list_getter`` for
    sequences) into ``values``; problems are appended to ``errors``."""
    for field in fields:
        if field.read is not None:  # a parameter model, alias choices
            value, problems = field.read(field, getter, list_getter)
            if problems:
                errors.extend(problems)
            else:
                values[field.name] = value
            continue
        if field.is_sequence and list_getter is not None:
            raw: Any = list_getter(field.key)
            present = bool(raw)
        else:
            raw = getter(field.key)
            present = raw is not None
        if not present:
            if field.required:
                errors.append(missing_error((field.source.value, field.key)))
                continue
            if not field.marker.validate_default:
                values[field.name] = field.default_value()
                continue
            value, problems = field.absent_value()
        else:
            value, problems = field.validator.validate(raw)
        if problems:
            errors.extend(problems)
        else:
            values[field.name] = value


def _special_value(kind: str, dependant: Dependant, ctx: SolveContext) -> Any:
    if kind in (SpecialKind.REQUEST, SpecialKind.WEBSOCKET, SpecialKind.CONNECTION):
        return ctx.connection
    if kind == SpecialKind.BACKGROUND_TASKS:
        if ctx.background_tasks is None:
            ctx.background_tasks = BackgroundTasks()
        return ctx.background_tasks
    if kind == SpecialKind.RESPONSE:
        if ctx.sub_response is None:
            sub = Response()
            sub.status_code = None  # type: ignore[assignment]
            del sub.raw_headers[:]
            ctx.sub_response = sub
        return ctx.sub_response
    return SecurityScopes(dependant.security_scopes)


async def _call_dependency(
    dependant: Dependant, call: Callable[..., Any], kwargs: Any, ctx: SolveContext
) -> Any:
    if dependant.is_async_gen or dependant.is_sync_gen:
        return await _enter_generator(dependant, call, kwargs, ctx)
    if dependant.limit is not None:
        async with dependant.limit.semaphore():  # max_concurrency: wait for a place
            return await _call_plain(dependant, call, kwargs)
    return await _call_plain(dependant, call, kwargs)


async def _enter_generator(
    dependant: Dependant, call: Callable[..., Any], kwargs: Any, ctx: SolveContext
) -> Any:
    """Enter a ``yield`` dependency in its exit stack; its cleanup runs to the end even when
    the request is cancelled (as in FastAPI), a sync one's in a worker thread."""
    stack = ctx.function_stack if dependant.scope == "function" else ctx.stack
    if stack is None or ctx.stack is None:
        raise RuntimeError("a dependency with yield needs an exit stack")
    factory: Callable[..., Any] | None = dependant.context_factory
    if factory is None:  # PERF: made once (functools.wraps on each request cost ~1 us)
        gen_cm: Callable[..., Iterator[Any]] = call
        if dependant.is_async_gen:
            factory = contextlib.asynccontextmanager(call)
        else:
            factory = contextlib.contextmanager(gen_cm)
        dependant.context_factory = factory
    manager: Any = factory(**kwargs)
    cm: contextlib.AbstractAsyncContextManager[Any]
    if dependant.is_async_gen:
        cleanup_scope = ctx.cleanup_scope
        if cleanup_scope is None:  # the request stack encloses both scopes' dependencies
            cleanup_scope = ctx.cleanup_scope = ctx.stack.enter_context(anyio.CancelScope())
        cm = ShieldedCleanup(manager, cleanup_scope)
    else:
        cm = contextmanager_in_threadpool(manager)
    if dependant.limit is not None:  # the place is held until the teardown
        cm = holding(cm, dependant.limit.semaphore())
    return await stack.enter_async_context(cm)


async def _call_plain(dependant: Dependant, call: Callable[..., Any], kwargs: Any) -> Any:
    if dependant.is_coroutine:
        return await call(**kwargs)
    return await run_in_threadpool(call, **kwargs)


async def solve(dependant: Dependant, ctx: SolveContext) -> dict[str, Any]:
    """Resolve the arguments of ``dependant.call``; problems are appended to ``ctx.errors``."""
    values: dict[str, Any] = {}
    errors = ctx.errors
    for sub in dependant.dependencies:
        call = sub.call
        if ctx.overrides is not None and ctx.overrides[0]:
            overrides, rebuild, read_body = ctx.overrides
            replacement = overrides.get(call)
            if replacement is not None and rebuild is not None:
                sub = rebuild(sub, replacement)
                call = sub.call
                if read_body is not None:
                    await read_body(sub, ctx)
        if sub.use_cache and sub.cache_key in ctx.cache:
            if sub.name is not None:
                values[sub.name] = ctx.cache[sub.cache_key]
            continue
        if sub.is_leaf:
            kwargs: dict[str, Any] = {}
        else:
            before = len(errors) + ctx.missing_body
            kwargs = await solve(sub, ctx)
            if len(errors) + ctx.missing_body > before:
                continue  # something it needs is invalid: do not call it
        if sub.is_coroutine and sub.limit is None:
            value = await call(**kwargs)
        else:
            value = await _call_dependency(sub, call, kwargs, ctx)
        if sub.use_cache:
            ctx.cache[sub.cache_key] = value
        if sub.name is not None:
            values[sub.name] = value
    own_parameters(dependant, ctx, values)
    return values


def path_parameters(
    fields: list[ParamField],
    path_params: dict[str, Any],
    values: dict[str, Any],
    errors: list[dict[str, Any]],
) -> None:
    """Validate the path parameters ``fields`` from the router's matches into ``values``."""
    for field in fields:
        raw = path_params.get(field.key)
        if raw is None:
            errors.append(missing_error(("path", field.key)))
            continue
        value, problems = field.validator.validate(raw if type(raw) is str else str(raw))
        if problems:
            errors.extend(problems)
        else:
            values[field.name] = value


def request_parameters(
    dependant: Dependant,
    connection: HTTPConnection,
    values: dict[str, Any],
    errors: list[dict[str, Any]],
) -> None:
    """Fill ``values`` with ``dependant``'s path, query, header and cookie parameters."""
    if dependant.path_params:
        path_parameters(dependant.path_params, connection.path_params, values, errors)
    if dependant.query_params:
        query = connection.query_params
        scalar_parameters(dependant.query_params, query.get, query.getlist, values, errors)
    if dependant.header_params:
        headers = connection.headers
        scalar_parameters(dependant.header_params, headers.get, headers.getlist, values, errors)
    if dependant.cookie_params:
        cookies = connection.cookies
        scalar_parameters(dependant.cookie_params, cookies.get, None, values, errors)


def own_parameters(dependant: Dependant, ctx: SolveContext, values: dict[str, Any]) -> None:
    """Fill ``values`` with what ``dependant`` reads from the request itself (not its
    dependencies): path, query, header, cookie, special and body parameters."""
    request_parameters(dependant, ctx.connection, values, ctx.errors)
    for name, kind in dependant.specials:
        values[name] = _special_value(kind, dependant, ctx)
    if dependant.body_params:
        body_values = ctx.body_values
        for field in dependant.body_params:
            if field.body_key in body_values:
                values[field.name] = body_values[field.body_key]
            else:
                ctx.missing_body += 1
