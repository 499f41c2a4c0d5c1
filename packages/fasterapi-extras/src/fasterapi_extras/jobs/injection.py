"""A job function with FasterAPI's dependency injection: its ``Depends(...)`` parameters are
solved by FasterAPI's solver in the worker, outside HTTP; the others are the job's arguments.

The dependency graph is analysed once, when the function is declared. Each run solves it in an
``AsyncExitStack`` closed when the job returns, raises or is cancelled by its timeout: ``yield``
dependencies are cleaned up then. A job has no request: a dependency that reads a query or
header parameter or a body gets :class:`JobDependencyError`; one that asks for ``Request`` gets
a connection whose scope has the type ``"job"``; tasks added to ``BackgroundTasks`` run after
the job function returns, before the dependencies are cleaned up.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from contextlib import AsyncExitStack
from typing import Any

from fasterapi_core.background import BackgroundTasks
from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.connection import HTTPConnection
from fasterapi_core.dependencies import Dependant, SolveContext, build_dependant, solve
from fasterapi_core.dependencies.analysis import get_typed_parameters
from fasterapi_core.dependencies.callables import is_coroutine_callable
from fasterapi_core.params import Depends
from fasterapi_extras.jobs.errors import JobDependencyError

__all__ = ["JobFunction"]


def _is_dependency(param: inspect.Parameter) -> bool:
    if isinstance(param.default, Depends):
        return True
    metadata = getattr(param.annotation, "__metadata__", ())
    return any(isinstance(item, Depends) for item in metadata)


class JobFunction:
    """``call`` analysed for the worker: the dependant of its ``Depends(...)`` parameters and
    the signature of its job arguments (what ``enqueue`` takes)."""

    def __init__(self, call: Callable[..., Any], name: str) -> None:
        if not callable(call):
            raise TypeError(f"a job must be a function, not {call!r}")
        self.call = call
        self.name = name
        self.is_coroutine = is_coroutine_callable(call)
        params = get_typed_parameters(call)
        positional_only = [p.name for p in params if p.kind is inspect.Parameter.POSITIONAL_ONLY]
        if positional_only:
            raise TypeError(
                f"job {name!r}: positional-only parameters {positional_only} cannot be given "
                f"by keyword; jobs take keyword arguments"
            )
        dependencies = [p for p in params if _is_dependency(p)]
        self.arguments = inspect.Signature(
            [p.replace(annotation=inspect.Parameter.empty) for p in params if not _is_dependency(p)]
        )
        self.dependant: Dependant | None = None
        if dependencies:
            # PERF: the graph is analysed once here; a run only solves it
            self.dependant = build_dependant(
                _signature_only(call, dependencies), path_param_names=set()
            )

    def bind(self, kwargs: Mapping[str, Any]) -> dict[str, Any]:
        """Check ``kwargs`` against the job's arguments (``TypeError`` naming the job)."""
        try:
            self.arguments.bind(**kwargs)
        except TypeError as exc:
            raise TypeError(f"job {self.name!r}: {exc}") from None
        return dict(kwargs)

    async def run(
        self,
        kwargs: Mapping[str, Any],
        overrides: dict[Callable[..., Any], Callable[..., Any]] | None = None,
    ) -> Any:
        """Solve the dependencies, call the function with them and ``kwargs``, clean up."""
        async with AsyncExitStack() as stack:
            if self.dependant is None:
                return await self._call(kwargs, {})
            values, background_tasks = await self._solve(self.dependant, stack, overrides)
            result = await self._call(kwargs, values)
            if background_tasks is not None:
                await background_tasks.run()
            return result

    async def _call(self, kwargs: Mapping[str, Any], values: dict[str, Any]) -> Any:
        if self.is_coroutine:
            return await self.call(**kwargs, **values)
        return await run_in_threadpool(self.call, **kwargs, **values)

    async def _solve(
        self,
        dependant: Dependant,
        stack: AsyncExitStack,
        overrides: dict[Callable[..., Any], Callable[..., Any]] | None,
    ) -> tuple[dict[str, Any], BackgroundTasks | None]:
        def rebuild(original: Dependant, replacement: Callable[..., Any]) -> Dependant:
            rebuilt = build_dependant(
                replacement,
                path_param_names=set(),
                name=original.name,
                use_cache=original.use_cache,
                scope=original.scope,
            )
            rebuilt.cache_key = original.cache_key
            return rebuilt

        connection = HTTPConnection({"type": "job", "job": self.name, "headers": [], "state": {}})
        ctx = SolveContext(
            connection, stack=stack, overrides=overrides, override_dependants=rebuild
        )
        values = await solve(dependant, ctx)
        if ctx.errors or ctx.missing_body:
            raise JobDependencyError(self.name, ctx.errors)
        return values, ctx.background_tasks


def _signature_only(
    call: Callable[..., Any], params: list[inspect.Parameter]
) -> Callable[..., Any]:
    """A stand-in callable whose signature is ``call``'s dependency parameters (resolved)."""

    def dependencies(**values: Any) -> dict[str, Any]:
        return values

    dependencies.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    dependencies.__qualname__ = getattr(call, "__qualname__", dependencies.__qualname__)
    return dependencies
