"""fasterapi-server: a lean HTTP/1.1 and WebSocket server for ASGI 3 applications.

``serve(app)`` runs an application (an ASGI callable or ``"module:attribute"``) on uvloop and
httptools, with keep-alive, pipelining, limits and timeouts for hostile clients, lifespan,
graceful shutdown and ``workers=N`` processes.
"""

from __future__ import annotations

from typing import Any

from ._types import ASGIApp
from .config import Config, ConfigError, import_app
from .http_cycle import ClientDisconnected
from .server import STARTUP_FAILURE, Server, configure_logging
from .workers import Supervisor

__all__ = [
    "STARTUP_FAILURE",
    "ClientDisconnected",
    "Config",
    "ConfigError",
    "Server",
    "Supervisor",
    "import_app",
    "run",
    "serve",
]


def run(config: Config) -> int:
    """Serve with ``config`` (blocking): in this process, or supervised workers; exit status."""
    configure_logging(config.log_level)
    if config.workers > 1 or config.reload:
        return Supervisor(config).run()
    return Server(config).run()


def serve(
    app: ASGIApp | str,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    workers: int = 1,
    root_path: str = "",
    log_level: str = "info",
    **options: Any,
) -> int:
    """Serve ``app`` until SIGINT/SIGTERM; the exit status (0, or 3 when startup failed).

    ``options`` are the other :class:`Config` fields (``timeout_keep_alive``,
    ``max_head_size``, ``access_log``, ``factory``, ...).
    """
    config = Config(
        app=app,
        host=host,
        port=port,
        workers=workers,
        root_path=root_path,
        log_level=log_level,
        **options,
    )
    return run(config)
