"""JobQueue: declare job functions, enqueue them from routes, query their status, and hand the
worker its settings. Jobs live in Redis through SAQ (``fasterapi-extras[jobs]``).

Outages. The application side talks to Redis with ``operation_timeout`` (connect and each
command, no retry): ``enqueue`` and ``status`` raise :class:`JobsUnavailableError` (an
``HTTPException`` answering 503) within about that time when Redis is down, never hang. The
worker's own connection has no command timeout (it blocks waiting for jobs); SAQ reconnects it.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from typing import Any, TypeVar, overload

import msgspec

from fasterapi_extras._optional import require
from fasterapi_extras.jobs.errors import JobNotFoundError, JobsUnavailableError
from fasterapi_extras.jobs.injection import JobFunction
from fasterapi_extras.jobs.options import JobOptions
from fasterapi_extras.jobs.redis_queue import make_redis_queue
from fasterapi_extras.jobs.status import JobInfo

__all__ = ["JobQueue"]

logger = logging.getLogger("fasterapi.jobs")

F = TypeVar("F", bound=Callable[..., Any])


def _dump(value: Any) -> bytes:
    return msgspec.json.encode(value)


def _load(payload: bytes | str) -> Any:
    return msgspec.json.decode(payload)


class JobQueue:
    """A named queue of durable jobs on the Redis server at ``url``.

    ``@queue.job(retries=3, timeout=30)`` declares a job function; ``await
    queue.enqueue(func, **arguments)`` stores a job and returns its id; ``await
    queue.status(job_id)`` tells where it is; ``queue.worker_settings()`` is what the ``saq``
    command runs (``settings = queue.worker_settings()``, then ``saq myapp.jobs.settings``).
    ``dependency_overrides`` replaces dependencies of job functions in the worker, like the
    application's.
    """

    def __init__(
        self,
        url: str = "redis://localhost:6379/0",
        *,
        name: str = "fasterapi",
        defaults: JobOptions | None = None,
        operation_timeout: float = 2.0,
        concurrency: int = 10,
    ) -> None:
        require("saq", "jobs")  # a missing extra fails here, when the application is built
        if operation_timeout <= 0:
            raise ValueError(f"operation_timeout must be positive, not {operation_timeout!r}")
        self.url = url
        self.name = name
        self.defaults = defaults or JobOptions()
        self.operation_timeout = operation_timeout
        self.concurrency = concurrency
        self.functions: dict[str, JobFunction] = {}
        self.options: dict[str, JobOptions] = {}
        self.dependency_overrides: dict[Callable[..., Any], Callable[..., Any]] = {}
        # one SAQ queue (and Redis client) per event loop: redis-py's are bound to their loop
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
            weakref.WeakKeyDictionary()
        )

    @overload
    def job(self, call: F) -> F: ...
    @overload
    def job(
        self,
        *,
        name: str | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        retry_delay: float | None = None,
        retry_backoff: bool | float | None = None,
        result_ttl: int | None = None,
    ) -> Callable[[F], F]: ...
    def job(
        self,
        call: Callable[..., Any] | None = None,
        *,
        name: str | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        retry_delay: float | None = None,
        retry_backoff: bool | float | None = None,
        result_ttl: int | None = None,
    ) -> Any:
        """Declare a job function (returned unchanged); options left out take ``defaults``."""
        options = self.defaults.replace(
            timeout=timeout,
            retries=retries,
            retry_delay=retry_delay,
            retry_backoff=retry_backoff,
            result_ttl=result_ttl,
        )

        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            job_name = name or f"{function.__module__}.{function.__qualname__}"
            if job_name in self.functions and self.functions[job_name].call is not function:
                raise ValueError(f"queue {self.name!r} already has a job named {job_name!r}")
            self.functions[job_name] = JobFunction(function, job_name)
            self.options[job_name] = options
            return function

        return register(call) if call is not None else register

    def _function(self, call: Callable[..., Any] | str) -> JobFunction:
        if isinstance(call, str):
            found = self.functions.get(call)
        else:
            found = next((f for f in self.functions.values() if f.call is call), None)
        if found is None:
            raise TypeError(
                f"{getattr(call, '__qualname__', call)!r} is not a job of queue {self.name!r}: "
                f"declare it with @queue.job"
            )
        return found

    async def enqueue(self, call: Callable[..., Any] | str, /, **arguments: Any) -> str:
        """Store a job running ``call(**arguments)`` and return its id.

        ``arguments`` must match the function's non-dependency parameters and encode to JSON
        (``TypeError`` otherwise); :class:`JobsUnavailableError` when Redis cannot be reached.
        """
        function = self._function(call)
        kwargs = function.bind(arguments)
        try:
            _dump(kwargs)
        except (TypeError, msgspec.EncodeError) as exc:
            raise TypeError(
                f"job {function.name!r}: arguments must encode to JSON: {exc}"
            ) from None
        saq = require("saq", "jobs")
        job = saq.Job(function=function.name, kwargs=kwargs, **self.options[function.name].saq())
        queue = self._queue()
        await self._bounded(queue.enqueue(job), "enqueue")
        return str(job.key)

    async def status(self, job_id: str) -> JobInfo:
        """Where the job ``job_id`` is (:class:`JobNotFoundError` when the queue has no such
        job, :class:`JobsUnavailableError` when Redis cannot be reached)."""
        job = await self._bounded(self._queue().job(job_id), "status")
        if job is None:
            raise JobNotFoundError(f"queue {self.name!r} has no job {job_id!r}")
        return JobInfo.from_saq(job)

    async def wait(self, job_id: str, *, within: float, interval: float = 0.05) -> JobInfo:
        """Poll ``status`` until the job is finished; ``TimeoutError`` after ``within`` s."""
        async with asyncio.timeout(within):
            while True:
                info = await self.status(job_id)
                if info.finished:
                    return info
                await asyncio.sleep(interval)

    async def close(self) -> None:
        """Close the application side's Redis connections (of the running event loop)."""
        queue = self._queues.pop(asyncio.get_running_loop(), None)
        if queue is not None:
            await queue.redis.aclose()

    def worker_settings(self, **settings: Any) -> dict[str, Any]:
        """The settings of a SAQ worker running this queue's jobs: the queue, the job
        functions wrapped with dependency injection, ``concurrency``; ``settings`` adds or
        replaces SAQ ``Worker`` options (``startup``, ``shutdown``, ``timers``...)."""
        redis_asyncio: Any = require("redis.asyncio", "jobs")
        client = redis_asyncio.Redis.from_url(self.url)
        queue = make_redis_queue(client, name=self.name, dump=_dump, load=_load)
        functions = [(name, self._runner(function)) for name, function in self.functions.items()]
        return {"queue": queue, "functions": functions, "concurrency": self.concurrency, **settings}

    def _runner(self, function: JobFunction) -> Callable[..., Any]:
        async def run(ctx: dict[str, Any], **kwargs: Any) -> Any:
            return await function.run(kwargs, self.dependency_overrides or None)

        run.__qualname__ = function.name
        return run

    def _queue(self) -> Any:
        loop = asyncio.get_running_loop()
        queue = self._queues.get(loop)
        if queue is None:
            redis_asyncio: Any = require("redis.asyncio", "jobs")
            retry: Any = require("redis.asyncio.retry", "jobs")
            backoff: Any = require("redis.backoff", "jobs")
            client = redis_asyncio.Redis.from_url(
                self.url,
                socket_connect_timeout=self.operation_timeout,
                socket_timeout=self.operation_timeout,
                retry=retry.Retry(backoff.NoBackoff(), 0),
            )
            queue = make_redis_queue(client, name=self.name, dump=_dump, load=_load)
            self._queues[loop] = queue
        return queue

    async def _bounded(self, operation: Any, what: str) -> Any:
        redis_exceptions: Any = require("redis.exceptions", "jobs")
        try:
            async with asyncio.timeout(self.operation_timeout * 2):
                return await operation
        except (redis_exceptions.RedisError, OSError) as exc:  # connection, timeout, auth...
            error = JobsUnavailableError(what, str(exc) or type(exc).__name__)
        except TimeoutError:
            error = JobsUnavailableError(
                what, f"Redis did not answer in {self.operation_timeout * 2} s"
            )
        logger.warning("queue %r: %s", self.name, error)  # the 503's detail omits the cause
        raise error
