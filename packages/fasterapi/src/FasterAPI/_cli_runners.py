"""Running each server ``fasterapi dev``/``run`` can pick: uvicorn, fasterapi-server, granian."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["run_fasterapi", "run_granian", "run_uvicorn"]


def _fast_options() -> dict[str, str]:
    options: dict[str, str] = {}
    if importlib.util.find_spec("uvloop") is not None:
        options["loop"] = "uvloop"
    if importlib.util.find_spec("httptools") is not None:
        options["http"] = "httptools"
    return options


def run_uvicorn(args: argparse.Namespace, import_string: str, directory: str | None) -> None:
    """Serve with uvicorn (uvloop and httptools when installed)."""
    import uvicorn

    reload = args.command == "dev" and not args.no_reload
    uvicorn.run(
        import_string,
        host=args.host,
        port=args.port,
        reload=reload,
        workers=None if args.command == "dev" else args.workers,
        root_path=args.root_path,
        timeout_keep_alive=5 if args.timeout_keep_alive is None else args.timeout_keep_alive,
        log_level=args.log_level,
        proxy_headers=args.proxy_headers,
        app_dir=directory,
        **_fast_options(),  # type: ignore[arg-type]
    )


def run_fasterapi(args: argparse.Namespace, import_string: str, directory: str | None) -> int:
    """Serve with fasterapi-server (a supervisor and a reloaded worker for ``dev``); the exit
    status."""
    from fasterapi_server import Config, ConfigError, run

    reload = args.command == "dev" and not args.no_reload
    options: dict[str, Any] = {}
    if args.timeout_keep_alive is not None:
        options["timeout_keep_alive"] = args.timeout_keep_alive
    try:
        config = Config(
            app=import_string,
            host=args.host,
            port=args.port,
            workers=1 if args.command == "dev" else args.workers,
            root_path=args.root_path,
            log_level=args.log_level,
            proxy_headers=args.proxy_headers,
            reload=reload,
            reload_dirs=[directory or os.getcwd()] if reload else None,
            **options,
        )
    except ConfigError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    return run(config)


def run_granian(
    args: argparse.Namespace, server: str, import_string: str, directory: str | None
) -> None:
    """Serve with granian: its RSGI interface (``server == "granian"``) or its ASGI one."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    from fasterapi_routing.servers.rsgi import ROOT_PATH_ENV

    reload = args.command == "dev" and not args.no_reload
    level = args.log_level.lower()
    level = {"trace": "debug", "warn": "warning"}.get(level, level)
    interface = Interfaces.RSGI if server == "granian" else Interfaces.ASGI
    if reload:  # workers are forked from this process: let each one import the app afresh
        module_name = import_string.partition(":")[0]
        for name in [n for n in sys.modules if n == module_name or n.startswith(module_name + ".")]:
            del sys.modules[name]
    if interface is Interfaces.RSGI and args.root_path:
        os.environ[ROOT_PATH_ENV] = args.root_path  # read by the workers' RSGI adapter
    Granian(
        import_string,
        address=args.host,
        port=args.port,
        interface=interface,
        workers=1 if args.command == "dev" else args.workers,
        log_level=LogLevels(level),
        url_path_prefix=args.root_path or None,
        working_dir=Path(directory) if directory is not None else None,
        reload=reload,
    ).serve()
