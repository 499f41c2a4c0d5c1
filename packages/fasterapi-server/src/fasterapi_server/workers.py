"""``workers > 1`` or ``reload``: a supervisor binds the socket once and keeps N worker
processes alive (with ``reload``, one worker, restarted when a watched ``.py`` file changes,
which answers ``500`` with the error while the code fails to load: see :mod:`.reload_worker`)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

from .config import Config
from .reload_worker import serve_reloadable
from .server import STARTUP_FAILURE, Server, bind_socket, configure_logging

__all__ = ["Supervisor"]

logger = logging.getLogger("fasterapi_server.error")


def _worker(config: Config, sock: socket.socket) -> None:
    configure_logging(config.log_level)
    if config.reload:
        raise SystemExit(serve_reloadable(config, sock))
    # The supervisor forwards SIGINT/SIGTERM: a terminal's Ctrl-C reaches every process of the
    # group as well, so a repeated signal must not cut the graceful shutdown short here.
    raise SystemExit(Server(config, force_on_second_signal=False).run(sock))


class Supervisor:
    """Starts ``config.workers`` processes (spawn) sharing one listening socket.

    SIGINT/SIGTERM are forwarded to the workers, which shut down gracefully; a worker that
    dies unexpectedly is replaced; one that fails its startup stops everything (status 3).
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.context = multiprocessing.get_context("spawn")
        self.processes: list[BaseProcess] = []
        self.stopping = False
        self.changed = threading.Event()  # set by the reload watcher
        self.unwatch = threading.Event()
        self.broken = False  # reload: the worker failed to start, waiting for a change

    def _watch(self) -> None:
        """Reload: set :attr:`changed` whenever a ``.py`` file under the watched dirs changes."""
        from watchfiles import PythonFilter, watch

        dirs = self.config.reload_dirs or [os.getcwd()]
        logger.info("Watching for changes in %s", ", ".join(dirs))
        for _ in watch(*dirs, watch_filter=PythonFilter(), stop_event=self.unwatch):
            self.changed.set()

    def _start(self, sock: socket.socket) -> BaseProcess:
        process = self.context.Process(target=_worker, args=(self.config, sock), daemon=False)
        process.start()
        logger.info("Started worker process %d", process.pid)
        return process

    def _signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        """Serve until SIGINT/SIGTERM; the exit status."""
        try:
            sock = bind_socket(self.config)
        except OSError as exc:
            logger.error("Could not listen on %s:%s: %s", self.config.host, self.config.port, exc)
            return 1
        previous = {s: signal.signal(s, self._signal) for s in (signal.SIGINT, signal.SIGTERM)}
        status = 0
        try:
            logger.info("Supervisor %d listening on %s:%d", os.getpid(), *sock.getsockname()[:2])
            self.processes = [self._start(sock) for _ in range(self.config.workers)]
            if self.config.reload:
                threading.Thread(target=self._watch, name="reload", daemon=True).start()
            while not self.stopping:
                if self.broken:  # the dead worker's sentinel stays ready: wait for a change
                    self.changed.wait(0.5)
                else:
                    wait([p.sentinel for p in self.processes], timeout=0.5)
                if self.changed.is_set() and not self.stopping:
                    self.changed.clear()
                    logger.info("Changes detected: restarting the worker")
                    self._stop_all()
                    self.broken = False
                    self.processes = [self._start(sock) for _ in range(self.config.workers)]
                    continue
                for index, process in enumerate(self.processes):
                    if process.exitcode is None or self.stopping or self.broken:
                        continue
                    if process.exitcode == STARTUP_FAILURE and self.config.reload:
                        logger.error("Worker %d failed to start: fix the code", process.pid)
                        self.broken = True
                        continue
                    if process.exitcode == STARTUP_FAILURE:
                        logger.error("Worker %d failed to start: stopping", process.pid)
                        self.stopping = True
                        status = STARTUP_FAILURE
                        break
                    logger.warning(
                        "Worker %d died (exit code %s): restarting", process.pid, process.exitcode
                    )
                    self.processes[index] = self._start(sock)
        finally:
            self.unwatch.set()
            self._stop_all()
            sock.close()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return status

    def _stop_all(self) -> None:
        for process in self.processes:
            if process.exitcode is None and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        for process in self.processes:
            process.join(self.config.timeout_graceful_shutdown + 5)
            if process.exitcode is None:
                process.kill()
                process.join()
