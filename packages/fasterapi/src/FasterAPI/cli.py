"""``fasterapi dev APP`` and ``fasterapi run APP``: serve an application.

``APP`` is ``module:attribute`` (``examples.notes.app:app``), a module (``attribute`` defaults
to ``app``), or a path to a ``.py`` file. ``dev`` listens on 127.0.0.1:8000 with auto-reload;
``run`` listens on 0.0.0.0:8000 and accepts ``--workers``.

``--server auto`` (the default) picks the fastest server that supports what was asked:
FasterAPI's own HTTP/1.1 + WebSocket server (``fasterapi-server``, uvloop + httptools) for any
ASGI application, with auto-reload (``dev``) when ``watchfiles`` is installed (it comes with
``fasterapi``); failing that, granian's RSGI interface for a ``Faster`` application, else
uvicorn. ``--server uvicorn``, ``granian`` (RSGI), ``granian-asgi`` and ``fasterapi`` force a
choice. bench/RESULTS.md ("Serving paths") has the measurements behind this order.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "KEEP_ALIVE_SERVERS",
    "SERVERS",
    "AppImportError",
    "choose_server",
    "load_app",
    "main",
    "normalise_app_path",
]

SERVERS = ("auto", "uvicorn", "granian", "granian-asgi", "fasterapi")
"""The values of ``--server``: ``granian`` speaks RSGI, ``granian-asgi`` and ``fasterapi`` ASGI."""

KEEP_ALIVE_SERVERS = ("uvicorn", "fasterapi")
"""The servers that take ``--timeout-keep-alive``."""


class AppImportError(Exception):
    """The application path could not be imported or does not name an ASGI application."""


def normalise_app_path(target: str) -> tuple[str, str | None]:
    """``(import string, directory to put on sys.path)`` for a module, module:attr or file."""
    module, _, attribute = target.partition(":")
    attribute = attribute or "app"
    if module.endswith(".py") or os.sep in module or "/" in module:
        path = Path(module).resolve()
        if not path.is_file():
            raise AppImportError(f"file not found: {module}")
        parts = [path.stem]
        directory = path.parent
        while (directory / "__init__.py").is_file():
            parts.insert(0, directory.name)
            directory = directory.parent
        return ".".join(parts) + ":" + attribute, str(directory)
    if not module:
        raise AppImportError("give the application as module:attribute, e.g. main:app")
    return f"{module}:{attribute}", None


def load_app(import_string: str) -> object:
    """Import ``module:attribute`` and return the attribute; raise :class:`AppImportError`."""
    module_name, _, attribute = import_string.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise AppImportError(f"could not import module {module_name!r}: {exc}") from exc
        raise AppImportError(f"importing {module_name!r} failed: {exc!r}") from exc
    except Exception as exc:
        raise AppImportError(f"importing {module_name!r} raised {exc!r}") from exc
    obj: object = module
    for part in attribute.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise AppImportError(f"module {module_name!r} has no attribute {attribute!r}") from None
    if not callable(obj):
        raise AppImportError(f"{import_string!r} is not an ASGI application")
    return obj


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fasterapi", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, host, help_text in (
        ("dev", "127.0.0.1", "serve for development: auto-reload, loopback only"),
        ("run", "0.0.0.0", "serve for production"),
    ):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("app", help="module:attribute, a module, or a .py file")
        sub.add_argument("--host", default=host)
        sub.add_argument("--port", type=int, default=8000)
        sub.add_argument("--root-path", default="")
        sub.add_argument("--log-level", default="info")
        sub.add_argument(
            "--proxy-headers",
            action="store_true",
            help="trust X-Forwarded-Proto/-For from $FORWARDED_ALLOW_IPS (default 127.0.0.1); "
            "uvicorn and fasterapi",
        )
        sub.add_argument(
            "--timeout-keep-alive",
            type=float,
            default=None,
            help="seconds an idle keep-alive connection stays open (uvicorn, fasterapi; default 5)",
        )
        sub.add_argument(
            "--server",
            choices=SERVERS,
            default="auto",
            help="auto: granian RSGI for a Faster app when granian is installed, else uvicorn",
        )
        if name == "dev":
            sub.add_argument("--no-reload", action="store_true", help="disable auto-reload")
        else:
            sub.add_argument("--workers", type=int, default=1)
    return parser


def _fast_options() -> dict[str, str]:
    options: dict[str, str] = {}
    if importlib.util.find_spec("uvloop") is not None:
        options["loop"] = "uvloop"
    if importlib.util.find_spec("httptools") is not None:
        options["http"] = "httptools"
    return options


def _granian_installed() -> bool:
    return importlib.util.find_spec("granian") is not None


def _fasterapi_server_installed() -> bool:
    return importlib.util.find_spec("fasterapi_server") is not None


def _watchfiles_installed() -> bool:
    return importlib.util.find_spec("watchfiles") is not None


def choose_server(
    requested: str, app: object, proxy_headers: bool = False, reload: bool = False
) -> str:
    """The server ``--server requested`` resolves to for ``app``; raise :class:`ValueError`.

    ``auto`` is the fasterapi server when installed (with auto-reload, when ``watchfiles``
    is installed too); otherwise granian's RSGI interface for a ``Faster`` application when
    granian is installed, else uvicorn (uvicorn with ``--proxy-headers``, which granian lacks).
    """
    native = hasattr(type(app), "__rsgi__")
    if requested == "auto":
        if _fasterapi_server_installed() and (not reload or _watchfiles_installed()):
            return "fasterapi"
        if _granian_installed() and native and not proxy_headers:
            return "granian"
        return "uvicorn"
    if requested == "uvicorn":
        return requested
    if requested == "fasterapi":
        return requested
    if not _granian_installed():
        raise ValueError(f"--server {requested} needs granian: pip install 'fasterapi[granian]'")
    if proxy_headers:
        raise ValueError("--proxy-headers is supported with --server uvicorn or fasterapi")
    if requested == "granian" and not native:
        raise ValueError(
            "--server granian (RSGI) needs a Faster application; use --server granian-asgi"
        )
    return requested


def _run_uvicorn(args: argparse.Namespace, import_string: str, directory: str | None) -> None:
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


def _run_fasterapi(args: argparse.Namespace, import_string: str, directory: str | None) -> int:
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


def _run_granian(
    args: argparse.Namespace, server: str, import_string: str, directory: str | None
) -> None:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    from fasterapi_routing.rsgi import ROOT_PATH_ENV

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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fasterapi`` command."""
    args = _parser().parse_args(argv)
    try:
        import_string, directory = normalise_app_path(args.app)
        if directory is not None and directory not in sys.path:
            sys.path.insert(0, directory)
        if "" not in sys.path and os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        app = load_app(import_string)
        reload = args.command == "dev" and not args.no_reload
        server = choose_server(args.server, app, args.proxy_headers, reload)
        if args.timeout_keep_alive is not None and server not in KEEP_ALIVE_SERVERS:
            raise ValueError("--timeout-keep-alive applies to --server uvicorn or fasterapi only")
    except (AppImportError, ValueError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    if server == "fasterapi":
        return _run_fasterapi(args, import_string, directory)
    if server == "uvicorn":
        _run_uvicorn(args, import_string, directory)
    else:
        _run_granian(args, server, import_string, directory)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
