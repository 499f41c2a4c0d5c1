"""Dependencies and endpoints behind ``functools.wraps`` decorators, ``functools.partial`` and
callable instances are classified as FastAPI 0.165 does (a sync wrapper of an ``async def`` is
awaited, of a generator is a ``yield`` dependency). Same app on FasterAPI and FastAPI."""

import functools
from collections.abc import AsyncIterator, Callable, Iterator
from types import ModuleType
from typing import Annotated, Any

import pytest
from fidelity import Pair

log: list[str] = []


def sync_wrap(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


@sync_wrap
async def async_value() -> str:
    return "async"


@sync_wrap
def gen_value() -> Iterator[str]:
    log.append("gen enter")
    try:
        yield "gen"
    finally:
        log.append("gen exit")


@sync_wrap
async def async_gen_value() -> AsyncIterator[str]:
    log.append("agen enter")
    try:
        yield "agen"
    finally:
        log.append("agen exit")


class WrappedCall:
    @sync_wrap
    async def __call__(self) -> str:
        return "instance"


class AsyncGenCall:
    async def __call__(self, value: str) -> AsyncIterator[str]:
        yield value


async def echo(value: str) -> str:
    return value


def make_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    Depends = fw.Depends

    @app.get("/async")
    async def use_async(v: Annotated[str, Depends(async_value)]) -> str:
        return v

    @app.get("/gen")
    async def use_gen(v: Annotated[str, Depends(gen_value)]) -> str:
        return v

    @app.get("/agen")
    async def use_agen(v: Annotated[str, Depends(async_gen_value)]) -> str:
        return v

    @app.get("/instance")
    async def use_instance(v: Annotated[str, Depends(WrappedCall())]) -> str:
        return v

    @app.get("/partial-async")
    async def use_partial(v: Annotated[str, Depends(functools.partial(echo, "partial"))]) -> str:
        return v

    @app.get("/partial-agen")
    async def use_partial_gen(
        v: Annotated[str, Depends(functools.partial(AsyncGenCall(), "partial-gen"))],
    ) -> str:
        return v

    @app.get("/wrapped-endpoint")
    @sync_wrap
    async def wrapped_endpoint() -> str:
        return "endpoint"

    return app


@pytest.mark.parametrize(
    "path",
    [
        "/async",
        "/gen",
        "/agen",
        "/instance",
        "/partial-async",
        "/partial-agen",
        "/wrapped-endpoint",
    ],
)
def test_same_answer_as_fastapi(path: str) -> None:
    Pair(make_app).get(path)


def test_wrapped_generators_are_torn_down() -> None:
    both = Pair(make_app)
    del log[:]
    assert both.ours.get("/gen").json() == "gen"
    assert both.ours.get("/agen").json() == "agen"
    ours = list(log)
    del log[:]
    both.theirs.get("/gen")
    both.theirs.get("/agen")
    assert ours == log == ["gen enter", "gen exit", "agen enter", "agen exit"]
