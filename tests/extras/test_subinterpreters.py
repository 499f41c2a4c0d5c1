"""SubInterpreterPool / run_in_subinterpreter: results, errors, limits, both backends."""

from __future__ import annotations

import os
import sys
from typing import Any

import anyio
import cpu_tasks  # type: ignore[import-not-found]
import pytest

from fasterapi_extras.subinterpreters import (
    SubInterpreterPool,
    run_in_subinterpreter,
    subinterpreters_available,
)

pytestmark = pytest.mark.anyio

EXPECTED_BACKEND = "subinterpreters" if sys.version_info >= (3, 13) else "processes"


@pytest.fixture(scope="module")
def pool() -> Any:
    with SubInterpreterPool(workers=2) as shared_pool:
        yield shared_pool


def test_backend_matches_python_version() -> None:
    assert subinterpreters_available() is (sys.version_info >= (3, 13))
    assert SubInterpreterPool(workers=1).backend == EXPECTED_BACKEND


async def test_run_returns_results(pool: SubInterpreterPool) -> None:
    assert await pool.run(cpu_tasks.sum_squares, 1000) == sum(i * i for i in range(1000))
    assert await pool.run(cpu_tasks.Holder.double, 21) == 42
    assert await pool.run(divmod, 7, 2) == (3, 1)


async def test_parallel_calls(pool: SubInterpreterPool) -> None:
    results: list[int] = []

    async def one(n: int) -> None:
        results.append(await pool.run(cpu_tasks.sum_squares, n))

    async with anyio.create_task_group() as tg:
        for n in range(10, 18):
            tg.start_soon(one, n)
    assert sorted(results) == sorted(sum(i * i for i in range(n)) for n in range(10, 18))


async def test_runs_outside_the_main_interpreter(pool: SubInterpreterPool) -> None:
    pid, modules_id = await pool.run(cpu_tasks.worker_identity)
    if EXPECTED_BACKEND == "subinterpreters":
        assert pid == os.getpid()
        assert modules_id != repr(id(sys.modules))
    else:
        assert pid != os.getpid()


async def test_worker_state_is_separate(pool: SubInterpreterPool) -> None:
    cpu_tasks.COUNTER = 100
    value = await pool.run(cpu_tasks.bump)
    assert cpu_tasks.COUNTER == 100  # the worker's increment is not seen here
    if EXPECTED_BACKEND == "subinterpreters":
        assert 1 <= value < 100  # fresh module state in the worker interpreter


async def test_exception_is_reraised(pool: SubInterpreterPool) -> None:
    with pytest.raises(ValueError, match="bad input"):
        await pool.run(cpu_tasks.fail, "bad input")


async def test_unpicklable_result(pool: SubInterpreterPool) -> None:
    with pytest.raises(Exception, match=r"(?i)pickle"):
        await pool.run(cpu_tasks.return_unpicklable)


async def test_lambdas_closures_and_bad_args_are_rejected(pool: SubInterpreterPool) -> None:
    def nested(x: int) -> int:
        return x

    with pytest.raises(TypeError, match="lambdas, closures"):
        await pool.run(lambda: 1)
    with pytest.raises(TypeError, match="lambdas, closures"):
        await pool.run(nested, 1)
    with pytest.raises(TypeError, match="cannot be pickled"):
        await pool.run(cpu_tasks.sum_squares, lambda: 3)
    with pytest.raises(TypeError, match="not a named function"):
        await pool.run(42)


async def test_c_extension_limit_is_explained() -> None:
    with SubInterpreterPool(workers=1) as pool:
        if pool.backend == "subinterpreters":
            with pytest.raises(RuntimeError, match="cannot load in a sub-interpreter"):
                await pool.run(cpu_tasks.import_msgspec)
        else:
            assert await pool.run(cpu_tasks.import_msgspec) == "msgspec"


async def test_shutdown_then_run_fails() -> None:
    pool = SubInterpreterPool(workers=1)
    assert await pool.run(cpu_tasks.sum_squares, 3) == 5
    pool.shutdown()
    pool.shutdown()  # idempotent
    with pytest.raises(RuntimeError, match="shut down"):
        await pool.run(cpu_tasks.sum_squares, 3)


async def test_async_context_manager() -> None:
    async with SubInterpreterPool(workers=1) as pool:
        assert await pool.run(cpu_tasks.sum_squares, 4) == 14


async def test_default_pool_helper() -> None:
    assert await run_in_subinterpreter(cpu_tasks.sum_squares, 5) == 30


def test_invalid_worker_count() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        SubInterpreterPool(workers=0)


async def test_modules_importable_after_the_pool_started_reach_the_workers(
    pool: SubInterpreterPool, tmp_path: Any
) -> None:
    """Regression: workers kept the sys.path of the moment they started, so a function from a
    directory added later raised ModuleNotFoundError in the worker (seen as a flaky test)."""
    assert await pool.run(cpu_tasks.sum_squares, 3) == 5  # the workers are running
    (tmp_path / "late_module_for_pool.py").write_text("def triple(n):\n    return 3 * n\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import late_module_for_pool  # type: ignore[import-not-found]

        assert await pool.run(late_module_for_pool.triple, 14) == 42
        assert await pool.run(late_module_for_pool.triple, 5) == 15
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("late_module_for_pool", None)
