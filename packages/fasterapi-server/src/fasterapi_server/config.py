"""Server settings (:class:`Config`) and loading the application from ``module:attribute``."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import ssl
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, cast

from ._types import ASGIApp

__all__ = ["Config", "ConfigError", "import_app"]

LOG_LEVELS = {
    "critical": logging.CRITICAL,
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "warn": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": logging.DEBUG,
}


class ConfigError(Exception):
    """The configuration is invalid or the application cannot be imported."""


def import_app(target: str, factory: bool = False) -> ASGIApp:
    """Import ``module:attribute`` (dotted attributes allowed); call it when ``factory``."""
    module_name, sep, attribute = target.partition(":")
    if not sep or not module_name or not attribute:
        raise ConfigError(f"import string {target!r} must be in the form 'module:attribute'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise ConfigError(f"could not import module {module_name!r}: {exc}") from exc
        raise
    obj: object = module
    for part in attribute.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ConfigError(f"module {module_name!r} has no attribute {attribute!r}") from None
    if factory:
        if not callable(obj):
            raise ConfigError(f"factory {target!r} is not callable")
        obj = obj()
    if not callable(obj):
        raise ConfigError(f"{target!r} is not an ASGI application")
    return cast(ASGIApp, obj)


@dataclass
class Config:
    """Everything the server needs; defaults follow uvicorn's where it has one.

    ``app`` is an ASGI 3 callable or an import string ``module:attribute`` (required for
    ``workers > 1``: each worker imports it). Timeouts are in seconds. ``eager_tasks`` starts
    each request's task eagerly inside ``data_received`` (3.12+): off by default, as it was
    measured 10-19% slower for FasterAPI and the raw ASGI app (bench/RESULTS.md, 2026-11-25).
    A WebSocket message larger than ``ws_max_size`` (once inflated, with ``permessage-deflate``)
    or in more than ``ws_max_fragments`` frames closes the connection with 1009 (Autobahn 9.3.1
    sends 4 MiB as 65,537 frames; the default is twice that). ``ws_per_message_deflate`` offers
    compression to clients that ask for it, as uvicorn does.
    An accepted WebSocket is pinged every ``ws_ping_interval`` seconds and closed with 1011
    when the pong takes longer than ``ws_ping_timeout`` (None or 0 turns either off), as
    uvicorn does; a connection whose application is still busy with the last message is not
    pinged (its client has just been heard from).

    ``reload`` (development) restarts the worker when a ``.py`` file under ``reload_dirs``
    (default: the current directory) changes; it needs ``watchfiles`` and an import string.

    ``timeout_write`` aborts a connection whose client has read nothing for that long while
    a response waits to be sent (None: wait forever, as uvicorn does).

    With ``ssl_certfile`` (PEM; the key in it or in ``ssl_keyfile``) connections are TLS and
    scopes say ``https``/``wss``.

    ``proxy_headers`` believes ``X-Forwarded-Proto``/``-For`` from the proxies listed in
    ``forwarded_allow_ips`` (default ``$FORWARDED_ALLOW_IPS`` or ``127.0.0.1``; see
    :mod:`fasterapi_server.forwarded`).
    """

    app: ASGIApp | str
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    root_path: str = ""
    log_level: str = "info"
    access_log: bool = True
    factory: bool = False
    lifespan: Literal["auto", "on", "off"] = "auto"
    loop: Literal["auto", "uvloop", "asyncio"] = "auto"
    backlog: int = 2048
    timeout_keep_alive: float = 5.0
    timeout_request_head: float = 10.0
    timeout_graceful_shutdown: float = 30.0
    timeout_write: float | None = 60.0
    max_head_size: int = 64 * 1024
    max_headers: int = 100
    ws: bool = True
    ws_max_size: int = 16 * 1024 * 1024
    ws_max_fragments: int = 131_072
    ws_per_message_deflate: bool = True
    ws_close_timeout: float = 5.0
    ws_ping_interval: float | None = 20.0
    ws_ping_timeout: float | None = 20.0
    server_header: bool = True
    date_header: bool = True
    eager_tasks: bool = False
    proxy_headers: bool = False
    forwarded_allow_ips: str | None = None
    reload: bool = False
    reload_dirs: list[str] | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    ssl_keyfile_password: str | None = None

    def __post_init__(self) -> None:
        if self.log_level.lower() not in LOG_LEVELS:
            raise ConfigError(f"unknown log level {self.log_level!r}")
        if self.workers < 1:
            raise ConfigError("workers must be at least 1")
        if self.ws_max_fragments < 1:
            raise ConfigError("ws_max_fragments must be at least 1")
        if self.workers > 1 and not isinstance(self.app, str):
            raise ConfigError("workers > 1 needs the application as an import string")
        if self.reload:
            if not isinstance(self.app, str):
                raise ConfigError("reload needs the application as an import string")
            if self.workers > 1:
                raise ConfigError("reload runs one worker: leave workers at 1")
            if importlib.util.find_spec("watchfiles") is None:
                raise ConfigError("reload needs watchfiles: pip install 'fasterapi-server[reload]'")
        if self.lifespan not in ("auto", "on", "off"):
            raise ConfigError(f"lifespan must be auto, on or off, not {self.lifespan!r}")
        if self.root_path and not self.root_path.isascii():
            raise ConfigError("root_path must be ASCII")
        self.root_path = self.root_path.rstrip("/")
        if (self.ssl_keyfile or self.ssl_keyfile_password) and not self.ssl_certfile:
            raise ConfigError("ssl_keyfile needs ssl_certfile")
        for name in ("ws_ping_interval", "ws_ping_timeout", "timeout_write"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ConfigError(f"{name} must be positive, 0 or None")

    @property
    def log_level_number(self) -> int:
        """The numeric ``logging`` level of :attr:`log_level`."""
        return LOG_LEVELS[self.log_level.lower()]

    def ssl_context(self) -> ssl.SSLContext | None:
        """The server's TLS context (None without ``ssl_certfile``); raise :class:`ConfigError`
        when the certificate or key cannot be loaded."""
        if not self.ssl_certfile:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        try:
            context.load_cert_chain(
                self.ssl_certfile, self.ssl_keyfile, password=self.ssl_keyfile_password
            )
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"cannot load the TLS certificate or key: {exc}") from exc
        return context

    def load_app(self) -> ASGIApp:
        """The application: :attr:`app` itself, or imported (and called for a factory)."""
        if isinstance(self.app, str):
            if "" not in sys.path:
                sys.path.insert(0, "")
            return import_app(self.app, self.factory)
        if self.factory:
            return cast(ASGIApp, cast(Callable[[], object], self.app)())
        return self.app
