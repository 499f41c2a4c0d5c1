"""The ``fasterapi`` command: ``fasterapi dev APP`` and ``fasterapi run APP`` serve an application.

This module resolves and imports ``APP`` (:func:`normalise_app_path`, :func:`load_app`; an error
in the application's code is reported as Python reports it for that code alone) and picks the
server (:func:`choose_server`). ``--server auto`` (the default) picks FasterAPI's own HTTP/1.1 +
WebSocket server (fasterapi-server, on uvloop and httptools) for any ASGI application, for
``dev`` when watchfiles is installed too (it comes with ``fasterapi``); failing that, granian's
RSGI interface for a ``Faster`` application, else uvicorn. bench/RESULTS.md ("Serving paths")
has the measurements behind this order. The command line and its help are built in
``FasterAPI._cli_parser``, each server is run by ``FasterAPI._cli_runners``.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ._cli_parser import SERVERS, build_parser
from ._cli_runners import run_fasterapi, run_granian, run_uvicorn

__all__ = [
    "KEEP_ALIVE_SERVERS",
    "SERVERS",
    "AppCodeError",
    "AppImportError",
    "choose_server",
    "load_app",
    "main",
    "normalise_app_path",
]

KEEP_ALIVE_SERVERS = ("uvicorn", "fasterapi")
"""The servers that take ``--timeout-keep-alive``."""


class AppImportError(Exception):
    """The application path could not be imported or does not name an ASGI application."""


class AppCodeError(AppImportError):
    """Importing the application's module raised: the message is the traceback of the user's
    code alone (no frames of the import machinery, the CLI or FasterAPI)."""

    def __init__(self, module_name: str, error: BaseException) -> None:
        from fasterapi_server.tracebacks import format_user_error

        self.error = error
        self.report = format_user_error(error)
        super().__init__(f"importing {module_name!r} failed:\n{self.report.rstrip()}")


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


def _is_the_module_itself(error: ImportError, module_name: str) -> bool:
    """Whether ``error`` says ``module_name`` (or a package above it) does not exist, rather
    than reporting a failed import inside the application's code."""
    name = error.name
    if not isinstance(error, ModuleNotFoundError) or not name:
        return False
    return module_name == name or module_name.startswith(name + ".")


def load_app(import_string: str) -> object:
    """Import ``module:attribute`` and return the attribute; raise :class:`AppImportError`
    (:class:`AppCodeError` when the module's own code raised)."""
    module_name, _, attribute = import_string.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if _is_the_module_itself(exc, module_name):
            raise AppImportError(f"could not import module {module_name!r}: {exc}") from exc
        raise AppCodeError(module_name, exc) from exc
    except Exception as exc:
        raise AppCodeError(module_name, exc) from exc
    obj: object = module
    for part in attribute.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise AppImportError(f"module {module_name!r} has no attribute {attribute!r}") from None
    if not callable(obj):
        raise AppImportError(f"{import_string!r} is not an ASGI application")
    return obj


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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fasterapi`` command."""
    args = build_parser().parse_args(argv)
    try:
        import_string, directory = normalise_app_path(args.app)
        if directory is not None and directory not in sys.path:
            sys.path.insert(0, directory)
        if "" not in sys.path and os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        if args.as_fastapi:
            from FasterAPI._cli_as_fastapi import serve_as_fastapi

            import_string = serve_as_fastapi(import_string)
        app = load_app(import_string)
        reload = args.command == "dev" and not args.no_reload
        server = choose_server(args.server, app, args.proxy_headers, reload)
        if args.timeout_keep_alive is not None and server not in KEEP_ALIVE_SERVERS:
            raise ValueError("--timeout-keep-alive applies to --server uvicorn or fasterapi only")
    except (AppImportError, ValueError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    if server == "fasterapi":
        return run_fasterapi(args, import_string, directory)
    if server == "uvicorn":
        run_uvicorn(args, import_string, directory)
    else:
        run_granian(args, server, import_string, directory)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
