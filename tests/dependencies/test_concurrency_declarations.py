"""``Depends(max_concurrency=...)`` declarations as FastAPI 0.165's: frozen dataclasses that
``dataclasses.replace`` copies (a same limit keeps its accounting, another gets its own), a
semaphore per event loop run (an app reused by several ``anyio.run``), and the blocking
context manager helper whose cleanup never waits for the default worker capacity."""

import dataclasses
import threading
from types import ModuleType, TracebackType
from typing import Annotated, Any

import anyio
import anyio.to_thread
import fastapi
import fastapi.concurrency
import httpx
import pytest

import FasterAPI
import FasterAPI.concurrency

FRAMEWORKS = {"fasterapi": FasterAPI, "fastapi": fastapi}


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(("original", "new"), [(1, 3), (3, 1), (1, None), (None, 2), (1, 1)])
def test_replace_keeps_or_renews_the_limit(framework: str, original: Any, new: Any) -> None:
    fw = FRAMEWORKS[framework]

    def dependency() -> None: ...

    declaration = fw.Depends(dependency, max_concurrency=original)
    copy = dataclasses.replace(declaration, max_concurrency=new, use_cache=False)
    assert (copy.dependency, copy.use_cache, copy.max_concurrency) == (dependency, False, new)
    shared = copy._concurrency is not None and copy._concurrency is declaration._concurrency
    assert shared is (original == new)
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.use_cache = True  # type: ignore[misc]


@pytest.mark.parametrize("value", [0, -1, 1.5, "2", True])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_invalid_limit_refused(framework: str, value: Any) -> None:
    with pytest.raises(ValueError, match="max_concurrency must be a positive integer or None"):
        FRAMEWORKS[framework].Depends(max_concurrency=value)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_app_reused_across_event_loop_runs(framework: str) -> None:
    fw = FRAMEWORKS[framework]
    app = fw.FastAPI()

    async def dependency() -> str:
        return "ok"

    @app.get("/")
    async def endpoint(value: Annotated[str, fw.Depends(dependency, max_concurrency=1)]) -> str:
        return value

    async def send() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get("/")
        assert (response.status_code, response.json()) == (200, "ok")

    anyio.run(send)
    anyio.run(send)


class Recording:
    def __init__(self) -> None:
        self.exit_threads: list[int] = []
        self.exit_args: list[Any] = []

    def __enter__(self) -> str:
        return "value"

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        self.exit_threads.append(threading.get_ident())
        self.exit_args.append(None if kind is None else kind.__name__)
        return False


def cleanup_without_capacity(module: ModuleType, cancel: bool) -> tuple[bool, bool, Any]:
    """The cleanup of ``contextmanager_in_threadpool`` while the only default worker is
    taken (and the body cancelled, or not): done, in a worker, with what exception type."""
    cm = Recording()
    done = {"finished": False}  # set by use() once out of the cancelled scope

    async def main() -> None:
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = 1
        entered, held, release, finished = (anyio.Event() for _ in range(4))

        async def hold() -> None:
            await entered.wait()
            async with limiter:
                held.set()
                await release.wait()

        async def use() -> None:
            with anyio.CancelScope() as scope:
                async with module.contextmanager_in_threadpool(cm):
                    entered.set()
                    await held.wait()
                    if cancel:
                        scope.cancel()
                        await anyio.lowlevel.checkpoint()
            done["finished"] = True
            finished.set()

        async with anyio.create_task_group() as group:
            group.start_soon(hold)
            group.start_soon(use)
            with anyio.move_on_after(2):  # not finished: the cleanup waits for capacity
                await finished.wait()
            release.set()

    anyio.run(main)
    in_worker = bool(cm.exit_threads) and cm.exit_threads[0] != threading.get_ident()
    return done["finished"], in_worker, cm.exit_args


@pytest.mark.parametrize("cancel", [False, True])
def test_cleanup_does_not_wait_for_worker_capacity(cancel: bool) -> None:
    ours = cleanup_without_capacity(FasterAPI.concurrency, cancel)
    theirs = cleanup_without_capacity(fastapi.concurrency, cancel)
    expected = ["CancelledError"] if cancel else [None]  # asyncio's
    assert ours == theirs == (True, True, expected)
