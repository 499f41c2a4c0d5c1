"""The command line of ``fasterapi``: its commands, options, help texts and ``--version``."""

from __future__ import annotations

import argparse
import importlib.metadata
import platform
import textwrap

__all__ = ["SERVERS", "build_parser", "version_text"]

SERVERS = ("auto", "uvicorn", "granian", "granian-asgi", "fasterapi")
"""The values of ``--server``: ``granian`` speaks RSGI, ``granian-asgi`` and ``fasterapi`` ASGI."""

DESCRIPTION = """\
Serve a FasterAPI application, or any ASGI application.

  fasterapi dev APP   for development: auto-reload, listens on 127.0.0.1:8000
  fasterapi run APP   for production: listens on 0.0.0.0:8000, --workers N

APP is module:attribute (main:app), a module (the attribute defaults to app)
or the path of a .py file (src/main.py or src/main.py:app).

The server (--server auto) is FasterAPI's own, fasterapi-server (HTTP/1.1 and
WebSocket on uvloop and httptools), when it is installed; for dev, only when
watchfiles is installed too. Otherwise granian's RSGI interface serves a
Faster application when granian is installed and --proxy-headers is not
given, and uvicorn serves anything else.

"fasterapi dev --help" and "fasterapi run --help" list the options."""

DEV_DESCRIPTION = """\
Serve APP for development, on 127.0.0.1 (this machine only), restarting the
server when a .py file changes. On the fasterapi server (the default), while
a change leaves the code unable to import or start, every request is answered
with 500 and the error, until a change fixes it."""

RUN_DESCRIPTION = """\
Serve APP for production, on 0.0.0.0 (every interface), in --workers
processes, without auto-reload."""

SERVER_HELP = (
    "auto: fasterapi when installed (for dev, with watchfiles installed too), else granian "
    "(RSGI) for a Faster app when granian is installed and without --proxy-headers, else "
    "uvicorn; granian serves Faster apps only, granian-asgi any ASGI app"
)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the descriptions' line breaks and option names whole (``granian-asgi`` is not
    split at its hyphen); adds ``(default: X)`` to each option taking a value whose default is
    not empty (flags and options without a default are left as written)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (
            not action.option_strings
            or default is None
            or default == ""
            or isinstance(default, bool)
            or default is argparse.SUPPRESS
            or "(default" in text
        ):
            return text
        return text + " (default: %(default)s)"


def version_text() -> str:
    """``fasterapi <version> (Python <version>)``: what ``fasterapi --version`` prints."""
    try:
        version = importlib.metadata.version("fasterapi")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a checkout
        from FasterAPI import __version__ as version
    return f"fasterapi {version} (Python {platform.python_version()})"


def _add_serving_options(sub: argparse.ArgumentParser, host: str) -> None:
    sub.add_argument("app", help="module:attribute, a module, or the path of a .py file")
    sub.add_argument("--host", default=host, help="the address to listen on")
    sub.add_argument("--port", type=int, default=8000, help="the port to listen on")
    sub.add_argument(
        "--root-path",
        default="",
        help="the path prefix a proxy serves the application under, e.g. /api (default: none)",
    )
    sub.add_argument(
        "--log-level", default="info", help="critical, error, warning, info, debug or trace"
    )
    sub.add_argument(
        "--proxy-headers",
        action="store_true",
        help="take the client and scheme from X-Forwarded-For/-Proto sent by the addresses in "
        "$FORWARDED_ALLOW_IPS (127.0.0.1 when unset); fasterapi and uvicorn only",
    )
    sub.add_argument(
        "--timeout-keep-alive",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long an idle keep-alive connection stays open; fasterapi and uvicorn only "
        "(default: 5)",
    )
    sub.add_argument("--server", choices=SERVERS, default="auto", help=SERVER_HELP)
    sub.add_argument(
        "--as-fastapi",
        action="store_true",
        help="serve an unmodified FastAPI app: its imports of fastapi.* and starlette.* get "
        "FasterAPI's (the fastapi stand-in, installed in every worker)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``fasterapi [--version] {dev,run} APP [options]``."""
    parser = argparse.ArgumentParser(
        prog="fasterapi", description=DESCRIPTION, formatter_class=HelpFormatter
    )
    parser.add_argument(
        "--version",
        action="version",
        version=version_text(),
        help="print the FasterAPI and Python versions and exit",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{dev,run}")
    dev = commands.add_parser(
        "dev",
        help="serve for development: auto-reload, 127.0.0.1 only",
        description=DEV_DESCRIPTION,
        formatter_class=HelpFormatter,
    )
    _add_serving_options(dev, "127.0.0.1")
    dev.add_argument("--no-reload", action="store_true", help="do not restart on changes")
    run = commands.add_parser(
        "run",
        help="serve for production: 0.0.0.0, worker processes",
        description=RUN_DESCRIPTION,
        formatter_class=HelpFormatter,
    )
    _add_serving_options(run, "0.0.0.0")
    run.add_argument("--workers", type=int, default=1, help="the number of worker processes")
    return parser
