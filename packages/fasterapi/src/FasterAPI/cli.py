"""``fasterapi dev APP`` and ``fasterapi run APP``: serve an application with uvicorn.

``APP`` is ``module:attribute`` (``examples.notes.app:app``), a module (``attribute`` defaults
to ``app``), or a path to a ``.py`` file. ``dev`` listens on 127.0.0.1:8000 with auto-reload;
``run`` listens on 0.0.0.0:8000 and accepts ``--workers``. uvloop and httptools are used when
installed.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["AppImportError", "load_app", "main", "normalise_app_path"]


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
        sub.add_argument("--proxy-headers", action="store_true")
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fasterapi`` command."""
    args = _parser().parse_args(argv)
    try:
        import_string, directory = normalise_app_path(args.app)
        if directory is not None and directory not in sys.path:
            sys.path.insert(0, directory)
        if "" not in sys.path and os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        load_app(import_string)
    except AppImportError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    import uvicorn

    reload = args.command == "dev" and not args.no_reload
    uvicorn.run(
        import_string,
        host=args.host,
        port=args.port,
        reload=reload,
        workers=None if args.command == "dev" else args.workers,
        root_path=args.root_path,
        log_level=args.log_level,
        proxy_headers=args.proxy_headers,
        app_dir=directory,
        **_fast_options(),  # type: ignore[arg-type]
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
