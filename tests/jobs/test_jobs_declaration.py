"""Declaring and enqueueing jobs: what is checked before Redis is reached (arguments, JSON,
options), and the dependency injection of a job function run in this process."""

import asyncio
import re
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from redis_process import free_port

from FasterAPI import BackgroundTasks, Depends, Request
from FasterAPI.jobs import (
    JobDependencyError,
    JobInfo,
    JobOptions,
    JobQueue,
    JobStatus,
    JobsUnavailableError,
)

pytestmark = pytest.mark.timeout(30)


def dead_queue() -> JobQueue:
    return JobQueue(f"redis://127.0.0.1:{free_port()}/0", name="declaration", operation_timeout=0.3)


def test_enqueue_checks_the_job_and_its_arguments_before_reaching_redis(
    caplog: pytest.LogCaptureFixture,
) -> None:
    queue = dead_queue()

    @queue.job
    async def add(a: int, b: int = 1) -> int:
        return a + b

    async def not_a_job() -> None: ...

    with pytest.raises(TypeError, match=r"'.*not_a_job' is not a job of queue 'declaration'"):
        asyncio.run(queue.enqueue(not_a_job))
    with pytest.raises(TypeError, match=r"job '.*add': missing a required argument: 'a'"):
        asyncio.run(queue.enqueue(add, b=2))
    with pytest.raises(TypeError, match=r"job '.*add': got an unexpected keyword argument 'c'"):
        asyncio.run(queue.enqueue(add, a=1, c=2))
    with pytest.raises(TypeError, match=r"job '.*add': arguments must encode to JSON"):
        asyncio.run(queue.enqueue(add, a=object()))
    with pytest.raises(TypeError, match="is not a job of queue"):
        asyncio.run(queue.enqueue("no.such.job", a=1))
    # valid arguments reach Redis, which is down here
    with pytest.raises(JobsUnavailableError) as caught:
        asyncio.run(queue.enqueue(add, a=1))
    assert caught.value.status_code == 503
    assert caught.value.detail == "job queue unavailable: enqueue failed"  # what a client sees
    assert str(caught.value).startswith("job queue unavailable: enqueue failed: Error ")
    assert "connecting to 127.0.0.1:" in caught.value.reason
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("fasterapi.jobs", "WARNING", f"queue 'declaration': {caught.value}")
    ]


def test_job_options_are_checked() -> None:
    with pytest.raises(ValueError, match="retries must be 0 or more, not -1"):
        JobOptions(retries=-1)
    with pytest.raises(ValueError, match=r"timeout must be 0 \(no limit\) or positive, not -2"):
        JobOptions(timeout=-2)
    with pytest.raises(ValueError, match="result_ttl must be positive, not 0"):
        JobOptions(result_ttl=0)
    with pytest.raises(ValueError, match="operation_timeout must be positive"):
        JobQueue(operation_timeout=0)
    assert JobOptions(retries=2).saq() == {
        "timeout": 10.0,
        "retries": 3,  # SAQ counts every attempt
        "retry_delay": 0.0,
        "retry_backoff": False,
        "ttl": 600,
    }


def test_two_jobs_with_one_name_are_refused() -> None:
    queue = dead_queue()

    @queue.job(name="send")
    async def first() -> None: ...

    with pytest.raises(ValueError, match="queue 'declaration' already has a job named 'send'"):

        @queue.job(name="send")
        async def second() -> None: ...


@pytest.fixture
def events() -> Iterator[list[str]]:
    yield []


def test_a_job_function_runs_its_dependencies_and_cleans_up_even_on_error(
    events: list[str],
) -> None:
    queue = dead_queue()

    async def connection() -> Any:
        events.append("open")
        try:
            yield "connection"
        except ValueError as exc:
            events.append(f"saw {exc}")
            raise
        finally:
            events.append("close")

    def repository(conn: Annotated[str, Depends(connection)]) -> str:
        return f"repository({conn})"

    @queue.job
    async def work(n: int, repo: Annotated[str, Depends(repository)]) -> str:
        if n < 0:
            raise ValueError("negative")
        return f"{repo} {n}"

    function = queue.functions[f"{__name__}.{work.__qualname__}"]
    assert asyncio.run(function.run({"n": 3})) == "repository(connection) 3"
    assert events == ["open", "close"]

    events.clear()
    with pytest.raises(ValueError, match="negative"):
        asyncio.run(function.run({"n": -1}))
    assert events == ["open", "saw negative", "close"]

    # overrides replace a dependency, as the application's dependency_overrides do
    events.clear()
    overrides = {connection: lambda: "fake"}
    assert asyncio.run(function.run({"n": 1}, overrides)) == "repository(fake) 1"
    assert events == []


def test_a_dependency_that_needs_a_request_parameter_is_a_clear_error() -> None:
    queue = dead_queue()

    def needs_query(page: int) -> int:  # a query parameter: there is no request in a job
        return page

    @queue.job(name="paged")
    async def paged(page: Annotated[int, Depends(needs_query)]) -> int:
        return page

    with pytest.raises(JobDependencyError, match="the dependencies of job 'paged' cannot be"):
        asyncio.run(queue.functions["paged"].run({}))


def test_job_info_reads_saq_statuses() -> None:
    class Stored:
        key, function, result, error, attempts, retries = "k", "f", None, None, 1, 2
        status = "active"

    info = JobInfo.from_saq(Stored())
    assert info == JobInfo("k", "f", JobStatus.IN_PROGRESS, None, None, 1, 2)
    assert not info.finished
    assert JobStatus.IN_PROGRESS == "in_progress"


def test_request_and_background_tasks_in_a_job() -> None:
    queue = dead_queue()
    ran: list[str] = []

    def scope_type(request: Request) -> str:  # a job has a connection of type "job"
        return str(request.scope["type"])

    def later(tasks: BackgroundTasks) -> BackgroundTasks:
        return tasks

    @queue.job(name="with_tasks")
    async def with_tasks(
        kind: Annotated[str, Depends(scope_type)], tasks: Annotated[Any, Depends(later)]
    ) -> str:
        tasks.add_task(ran.append, "after the job")
        assert ran == []
        return kind

    assert asyncio.run(queue.functions["with_tasks"].run({})) == "job"
    assert ran == ["after the job"]


def test_a_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "saq", None)
    with pytest.raises(ImportError, match=re.escape('pip install "fasterapi-extras[jobs]"')):
        JobQueue()
