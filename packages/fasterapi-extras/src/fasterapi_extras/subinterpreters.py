"""CPU parallelism off the event loop: sub-interpreters on Python 3.13+, processes before.

``SubInterpreterPool(workers)`` keeps ``workers`` persistent sub-interpreters, each with its own
GIL, driven by one OS thread each; ``await pool.run(func, *args)`` runs ``func(*args)`` in one of
them and returns the result. On Python 3.11/3.12 (no per-interpreter GIL) the same API runs on a
``ProcessPoolExecutor``.

What can be sent (checked before anything runs, ``TypeError`` otherwise):

* ``func`` must be a module-level function (or class) importable by ``module`` + ``qualname``:
  no lambdas, closures, nested functions, bound methods or functions defined in ``__main__``
  (a sub-interpreter has its own ``__main__``). It is sent *by name* and imported in the worker.
* arguments and the result are pickled (bytes cross the interpreter boundary).

Limits, stated plainly:

* The worker imports the function's module. C extensions that do not support per-interpreter
  GIL (msgspec, uvloop, many others today) cannot load there; the call then raises
  ``RuntimeError`` explaining it. Keep functions for the pool in small pure-Python modules.
* A running call cannot be interrupted: cancelling ``run()`` stops waiting, the worker still
  finishes the call.
* Each sub-interpreter starts with a fresh module state: module globals are not shared with the
  main interpreter.

``run_in_subinterpreter(func, *args)`` uses a default pool (``os.cpu_count()`` workers) created on
first use and shut down at exit.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib
import os
import pickle
import queue
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Literal

__all__ = ["SubInterpreterPool", "run_in_subinterpreter", "subinterpreters_available"]

_INCOMPATIBLE = "does not support loading in subinterpreters"

# Executed in the worker interpreter. PAYLOAD (bytes) and QID (int) are set by exec(shared=...).
_TASK_CODE = """
import importlib as _il, pickle as _pk
try:
    _mod, _name, _args = _pk.loads(PAYLOAD)
    _f = _il.import_module(_mod)
    for _part in _name.split("."):
        _f = getattr(_f, _part)
    _res = (True, _f(*_args))
except BaseException as _exc:
    _res = (False, _exc)
try:
    _out = _pk.dumps(_res)
except BaseException as _exc:
    _out = _pk.dumps((False, RuntimeError(f"result could not be pickled: {_exc!r}")))
_send_result(_out)
"""

_SYNC_PATH_CODE = """
import sys as _sys
_sys.path[:] = list(SYS_PATH)
"""

_SETUP_CODE = (
    _SYNC_PATH_CODE
    + """
import _interpqueues as _q
def _send_result(data, _qid=QID):
    try:
        _q.put(_qid, data, 0, 3)
    except TypeError:
        _q.put(_qid, data, 0)
"""
)


def subinterpreters_available() -> bool:
    """True where sub-interpreters with their own GIL can be used (CPython 3.13+)."""
    if sys.version_info < (3, 13):
        return False
    try:
        importlib.import_module("_interpreters")
        importlib.import_module("_interpqueues")
    except ImportError:
        return False
    return True


def _reference(func: Any) -> tuple[str, str]:
    """(module, qualname) of an importable module-level callable, else TypeError."""
    module = getattr(func, "__module__", None)
    qualname = getattr(func, "__qualname__", None)
    if not callable(func) or not isinstance(module, str) or not isinstance(qualname, str):
        raise TypeError(f"{func!r} cannot be sent to a worker: not a named function")
    if "<lambda>" in qualname or "<locals>" in qualname:
        raise TypeError(
            f"{qualname} cannot be sent to a worker: lambdas, closures and nested functions "
            "are not importable; define it at module level"
        )
    if module == "__main__":
        raise TypeError(
            f"{qualname} is defined in __main__, which workers cannot import; "
            "move it to an importable module"
        )
    target: Any = sys.modules.get(module) or importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part, None)
    if target is not func:
        raise TypeError(f"{module}.{qualname} does not name {func!r}; it cannot be sent by name")
    return module, qualname


def _payload(func: Any, args: tuple[Any, ...]) -> bytes:
    module, qualname = _reference(func)
    try:
        return pickle.dumps((module, qualname, args))
    except Exception as exc:
        raise TypeError(f"arguments for {qualname} cannot be pickled: {exc}") from exc


def _call_by_name(path: tuple[str, ...], payload: bytes) -> Any:
    """In a worker process: import the function named in ``payload`` (with the caller's
    ``sys.path``, which may have grown since the process started) and call it."""
    if tuple(sys.path) != path:
        sys.path[:] = list(path)
    module, qualname, args = pickle.loads(payload)
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target(*args)


class _Worker(threading.Thread):
    """One OS thread owning one sub-interpreter and its result queue."""

    def __init__(self, tasks: queue.SimpleQueue[tuple[bytes, Future[Any]] | None]) -> None:
        super().__init__(name="fasterapi-subinterpreter", daemon=True)
        self.tasks = tasks

    def run(self) -> None:
        _interpreters: Any = importlib.import_module("_interpreters")
        _interpqueues: Any = importlib.import_module("_interpqueues")

        qid = _interpqueues.create(0, 0, 3)
        interp = _interpreters.create()
        try:
            synced = tuple(sys.path)
            shared = {"SYS_PATH": synced, "QID": qid}
            setup = _interpreters.exec(interp, _SETUP_CODE, shared=shared)
            failure = None if setup is None else f"sub-interpreter setup failed: {setup.formatted}"
            while (task := self.tasks.get()) is not None:
                payload, future = task
                if not future.set_running_or_notify_cancel():
                    continue
                if failure is not None:
                    future.set_exception(RuntimeError(failure))
                    continue
                current = tuple(sys.path)
                if current != synced:  # the caller can import more now: so can the worker
                    _interpreters.exec(interp, _SYNC_PATH_CODE, shared={"SYS_PATH": current})
                    synced = current
                error = _interpreters.exec(interp, _TASK_CODE, shared={"PAYLOAD": payload})
                try:
                    data = _interpqueues.get(qid)[0]
                except Exception:
                    detail = error.formatted if error is not None else "no result"
                    future.set_exception(RuntimeError(f"sub-interpreter call failed: {detail}"))
                    continue
                _deliver(future, data)
        finally:
            _interpreters.destroy(interp)
            _interpqueues.destroy(qid)


def _deliver(future: Future[Any], data: bytes) -> None:
    try:
        ok, value = pickle.loads(data)
    except Exception as exc:
        future.set_exception(RuntimeError(f"result could not be unpickled: {exc!r}"))
        return
    if ok:
        future.set_result(value)
    elif isinstance(value, ImportError) and _INCOMPATIBLE in str(value):
        error = RuntimeError(
            f"{value}: a C extension imported by the function's module cannot load in a "
            "sub-interpreter with its own GIL (msgspec, uvloop and many others cannot yet). "
            "Keep pool functions in pure-Python modules."
        )
        error.__cause__ = value
        future.set_exception(error)
    else:
        future.set_exception(value)


class SubInterpreterPool:
    """A pool of ``workers`` (default ``os.cpu_count()``) parallel workers; see the module doc.

    ``backend`` is ``"subinterpreters"`` on 3.13+ and ``"processes"`` otherwise. Use as a
    (async) context manager or call ``shutdown()``.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        self.backend: Literal["subinterpreters", "processes"] = (
            "subinterpreters" if subinterpreters_available() else "processes"
        )
        self._lock = threading.Lock()
        self._closed = False
        self._tasks: queue.SimpleQueue[tuple[bytes, Future[Any]] | None] = queue.SimpleQueue()
        self._threads: list[_Worker] = []
        self._executor: ProcessPoolExecutor | None = None

    def _start(self) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot run on a pool that was shut down")
            if self.backend == "processes":
                if self._executor is None:
                    self._executor = ProcessPoolExecutor(max_workers=self.workers)
            elif not self._threads:
                self._threads = [_Worker(self._tasks) for _ in range(self.workers)]
                for thread in self._threads:
                    thread.start()

    def submit(self, func: Any, /, *args: Any) -> Future[Any]:
        """Schedule ``func(*args)``; a ``concurrent.futures.Future`` for its result."""
        payload = _payload(func, args)
        self._start()
        if self.backend == "processes":
            assert self._executor is not None
            return self._executor.submit(_call_by_name, tuple(sys.path), payload)
        future: Future[Any] = Future()
        self._tasks.put((payload, future))
        return future

    async def run(self, func: Any, /, *args: Any) -> Any:
        """Run ``func(*args)`` in a worker and return its result (or raise its exception)."""
        return await asyncio.wrap_future(self.submit(func, *args))

    def shutdown(self, wait: bool = True) -> None:
        """Stop the workers (after the queued calls); idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            threads, self._threads = self._threads, []
            executor, self._executor = self._executor, None
        for _ in threads:
            self._tasks.put(None)
        if wait:
            for thread in threads:
                thread.join()
        if executor is not None:
            executor.shutdown(wait=wait)

    def __enter__(self) -> SubInterpreterPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()

    async def __aenter__(self) -> SubInterpreterPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.shutdown)


_default_pool: SubInterpreterPool | None = None
_default_lock = threading.Lock()


def _get_default_pool() -> SubInterpreterPool:
    global _default_pool
    with _default_lock:
        if _default_pool is None:
            _default_pool = SubInterpreterPool()
            atexit.register(_default_pool.shutdown)
        return _default_pool


async def run_in_subinterpreter(func: Any, /, *args: Any) -> Any:
    """Run ``func(*args)`` on the shared default pool and return the result."""
    return await _get_default_pool().run(func, *args)
