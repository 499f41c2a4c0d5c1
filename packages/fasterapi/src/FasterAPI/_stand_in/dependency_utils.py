"""``fastapi.dependencies.utils`` on FasterAPI's dependency machinery.

The helpers plugins use to analyse a callable (``get_dependant``, ``get_typed_signature``...) and
to solve its dependencies outside a route (``solve_dependencies``). The :class:`Dependant` they
give is FasterAPI's (``fastapi.dependencies.models.Dependant`` under the stand-in): the same
``call``, ``name``, ``dependencies``, ``path_params``/``query_params``/``header_params``/
``cookie_params``/``body_params`` and ``use_cache``; the parameters are FasterAPI's
:class:`~fasterapi_core.dependencies.ParamField`, not pydantic ``ModelField``\\ s.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from contextlib import AsyncExitStack
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal

from fasterapi_core.background import BackgroundTasks
from fasterapi_core.dependencies import (
    Dependant,
    ParamField,
    RequestPlan,
    SolveContext,
    build_dependant,
    get_typed_parameters,
    solve,
)
from fasterapi_core.dependencies.analysis import needs_embedding, rebuild_body_field
from fasterapi_core.dependencies.body import BodyPlan, distinct_body_fields
from fasterapi_core.dependencies.solver import missing_error
from fasterapi_core.exceptions import RequestValidationError
from fasterapi_core.params import Depends, ParamSource, Required, Security
from fasterapi_core.requests import HTTPConnection, Request
from fasterapi_core.responses import Response
from fasterapi_routing.paths import path_param_names

__all__ = [
    "ROUTE_BEING_SOLVED",
    "SolvedDependency",
    "_get_body_field",
    "_get_flat_body_params",
    "get_dependant",
    "get_parameterless_sub_dependant",
    "get_typed_annotation",
    "get_typed_return_annotation",
    "get_typed_signature",
    "solve_dependencies",
]


def get_typed_signature(call: Callable[..., Any]) -> inspect.Signature:
    """``call``'s signature with its string annotations resolved (``Annotated`` kept)."""
    signature = inspect.signature(call)
    resolved = {param.name: param.annotation for param in get_typed_parameters(call)}
    globalns = getattr(inspect.unwrap(call), "__globals__", {})
    return inspect.Signature(
        [
            param.replace(
                annotation=get_typed_annotation(
                    resolved.get(param.name, param.annotation), globalns
                )
            )
            for param in signature.parameters.values()
        ]
    )


def get_typed_annotation(annotation: Any, globalns: dict[str, Any]) -> Any:
    """``annotation`` evaluated in ``globalns`` when it is a string (``"None"`` gives None)."""
    if isinstance(annotation, str):
        annotation = eval(annotation, globalns, globalns)
        if annotation is type(None):
            return None
    return annotation


def get_typed_return_annotation(call: Callable[..., Any]) -> Any:
    """``call``'s return annotation, resolved; None when it has none."""
    annotation = inspect.signature(call).return_annotation
    if annotation is inspect.Signature.empty:
        return None
    return get_typed_annotation(annotation, getattr(inspect.unwrap(call), "__globals__", {}))


def get_dependant(
    *,
    path: str,
    call: Callable[..., Any],
    name: str | None = None,
    own_oauth_scopes: list[str] | None = None,
    parent_oauth_scopes: list[str] | None = None,
    use_cache: bool = True,
    scope: Literal["function", "request"] | None = None,
    concurrency: Any = None,
) -> Dependant:
    """Analyse ``call`` (and, recursively, its dependencies) for a route at ``path``.

    ``concurrency`` is the ``limit`` of a FasterAPI ``Depends(max_concurrency=...)``."""
    own = list(own_oauth_scopes or ())
    return build_dependant(
        call,
        path_param_names=path_param_names(path),
        name=name,
        use_cache=use_cache,
        security_scopes=[*(parent_oauth_scopes or ()), *own],
        own_scopes=own,
        scope=scope,
        limit=concurrency,
    )


def get_parameterless_sub_dependant(*, depends: Depends, path: str) -> Dependant:
    """The dependant of a ``dependencies=[Depends(...)]`` entry (its value is not passed on)."""
    if not callable(depends.dependency):
        raise TypeError("A parameter-less dependency must have a callable dependency")
    own = list(depends.scopes) if isinstance(depends, Security) else []
    return build_dependant(
        depends.dependency,
        path_param_names=path_param_names(path),
        use_cache=depends.use_cache,
        security_scopes=own,
        own_scopes=own,
        is_security=isinstance(depends, Security),
        scope=depends.scope,
        limit=depends.limit,
    )


def _get_flat_body_params(dependant: Dependant) -> list[ParamField]:
    """The body parameters of ``dependant`` and its dependencies, each once (FastAPI's helper,
    used by plugins that add a dependency to a route: fastapi-pagination)."""
    return distinct_body_fields(dependant.walk())


def _get_body_field(
    *, body_params: list[ParamField], name: str, embed_body_fields: bool
) -> BodyPlan | None:
    """What reads a route's body made of ``body_params`` (FastAPI's helper, a pydantic field
    there): FasterAPI's :class:`BodyPlan`, keyed by name if ``embed_body_fields``; None
    without body parameters. ``name`` (FastAPI's ``Body_`` model name) is not needed."""
    if not body_params:
        return None
    return BodyPlan(body_params, embed=embed_body_fields)


@dataclass
class SolvedDependency:
    """What :func:`solve_dependencies` found: the arguments of ``dependant.call``, the
    validation errors, and the objects the dependencies shared."""

    values: dict[str, Any]
    errors: list[Any]
    background_tasks: BackgroundTasks | None
    response: Response
    dependency_cache: dict[Any, Any]
    body: Any = None
    """FasterAPI's: the decoded request body, for ``RequestValidationError.body``."""


ROUTE_BEING_SOLVED: ContextVar[tuple[Dependant, RequestPlan, HTTPConnection] | None] = ContextVar(
    "ROUTE_BEING_SOLVED", default=None
)
"""Set by a route served through replaced ``fastapi.routing`` hooks (``routing_hooks``) around
its call of ``fastapi.routing.solve_dependencies``: the dependant it passes, the route's compiled
plan and FasterAPI's connection (the ``request=`` passed may be Starlette's, over it), which
:func:`solve_dependencies` then solves with (the route's own semantics)."""


async def solve_dependencies(
    *,
    request: HTTPConnection,
    dependant: Dependant,
    body: Any = None,
    background_tasks: BackgroundTasks | None = None,
    response: Response | None = None,
    dependency_overrides_provider: Any = None,
    dependency_cache: dict[Any, Any] | None = None,
    async_exit_stack: AsyncExitStack,
    embed_body_fields: bool = False,
) -> SolvedDependency:
    """Resolve the arguments of ``dependant.call`` for ``request``, as a route would.

    Sub-dependencies are called (overridden by ``dependency_overrides_provider``'s
    ``dependency_overrides``, cached in ``dependency_cache``); ``yield`` dependencies enter
    ``async_exit_stack``. Body parameters take ``body`` (the decoded JSON) when it is given,
    else are read from the request. Nothing is raised for invalid input: see ``errors``.
    """
    route = ROUTE_BEING_SOLVED.get()
    if route is not None and route[0] is dependant:
        return await _solve_route(route[1], route[2], async_exit_stack)
    overrides = getattr(dependency_overrides_provider, "dependency_overrides", None) or None
    names = {f.key for item in dependant.walk() for f in item.path_params}
    names.update(request.path_params)

    def rebuild(original: Dependant, replacement: Callable[..., Any]) -> Dependant:
        rebuilt = build_dependant(
            replacement,
            path_param_names=names,
            name=original.name,
            use_cache=original.use_cache,
            security_scopes=original.security_scopes,
            own_scopes=original.own_scopes,
            scope=original.scope,
            limit=original.limit,
        )
        rebuilt.cache_key = original.cache_key
        return rebuilt

    ctx = SolveContext(
        request,
        stack=async_exit_stack,
        overrides=overrides,
        override_dependants=rebuild if overrides else None,
    )
    if dependency_cache is not None:
        ctx.cache = dependency_cache
    ctx.background_tasks = background_tasks
    ctx.sub_response = response
    fields = _body_fields(dependant)
    if fields and body is not None and body is not Required:
        _given_body(fields, body, embed_body_fields or needs_embedding(fields), ctx)
    elif fields and isinstance(request, Request):
        await BodyPlan(fields).read(request, ctx)
    body_errors, ctx.errors = ctx.errors, []
    values = await solve(dependant, ctx)
    return SolvedDependency(
        values=values,
        errors=[*ctx.errors, *body_errors],
        background_tasks=ctx.background_tasks,
        response=ctx.sub_response if ctx.sub_response is not None else _blank_response(),
        dependency_cache=ctx.cache,
    )


async def _solve_route(
    plan: RequestPlan, connection: HTTPConnection, stack: AsyncExitStack
) -> SolvedDependency:
    """A route's arguments through its compiled plan, its validation errors returned (not
    raised), as FastAPI's solver gives them."""
    function_stack = connection.scope.get(_FUNCTION_STACK)
    try:
        values, ctx = await plan.solve(connection, stack, function_stack)
    except RequestValidationError as exc:
        errors = list(exc.errors())
        return SolvedDependency({}, errors, None, _blank_response(), {}, body=exc.body)
    response = ctx.sub_response if ctx.sub_response is not None else _blank_response()
    return SolvedDependency(values, [], ctx.background_tasks, response, ctx.cache, body=ctx.body)


_FUNCTION_STACK = "fasterapi.function_exit_stack"
"""Where ``request_response`` keeps the ``scope="function"`` exit stack (route_handler_hook)."""


def _body_fields(dependant: Dependant) -> list[ParamField]:
    fields: dict[str, ParamField] = {}
    for item in dependant.walk():
        for field in item.body_params:
            fields.setdefault(field.name, field)
    return list(fields.values())


def _given_body(fields: list[ParamField], body: Any, embed: bool, ctx: SolveContext) -> None:
    """Validate the decoded JSON ``body`` into ``ctx.body_values`` (FastAPI's embedding rule)."""
    ctx.body = body
    for original in fields:
        if original.source is not ParamSource.BODY:
            raise TypeError(
                f"solve_dependencies(body=...) takes a decoded JSON body; the form parameter "
                f"{original.name!r} is read from the request: pass body=None"
            )
        field = rebuild_body_field(original, embed=embed)
        raw = body
        if embed:
            if not isinstance(body, Mapping) or field.key not in body:
                if field.required:
                    ctx.errors.append(missing_error(("body", field.key)))
                else:
                    ctx.body_values[field.name] = field.default_value()
                continue
            raw = body[field.key]
        value, problems = field.validator.validate_python(raw)
        if problems:
            ctx.errors.extend(problems)
        else:
            ctx.body_values[field.name] = value


def _blank_response() -> Response:
    """The sub-response FastAPI hands back when no dependency asked for one."""
    response = Response()
    response.status_code = None  # type: ignore[assignment]
    del response.raw_headers[:]
    return response
