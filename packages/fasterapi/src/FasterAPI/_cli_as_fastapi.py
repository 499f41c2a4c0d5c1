"""``fasterapi run/dev --as-fastapi``: serve an unmodified FastAPI app through the stand-in.

The servers import the application again in each worker (and after each reload), often in a
new process, so installing the stand-in in the command's own process is not enough. The
command serves :data:`ENTRY` instead of the user's import string, which it passes on in
:data:`APP_VARIABLE` (inherited by every worker): importing ``ENTRY`` installs the stand-in
(``FasterAPI.as_fastapi.install(replace_installed=True)``: ``fastapi.*`` is FasterAPI's even
where the real package is installed; ``starlette.*`` is FasterAPI's only where Starlette is not
installed), then imports the application.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["APP_VARIABLE", "ENTRY", "serve_as_fastapi"]

APP_VARIABLE = "FASTERAPI_AS_FASTAPI_APP"
"""The environment variable holding the user's ``module:attribute`` for the workers."""

ENTRY = f"{__name__}:app"
"""What the servers import under ``--as-fastapi``."""

_loaded: list[Any] = []


def serve_as_fastapi(import_string: str) -> str:
    """Install the stand-in here and in every worker; return the import string to serve."""
    from FasterAPI.as_fastapi import install

    install(replace_installed=True)
    os.environ[APP_VARIABLE] = import_string
    return ENTRY


def __getattr__(name: str) -> Any:
    """``app``: the user's application, imported after the stand-in is installed."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if not _loaded:
        from FasterAPI.as_fastapi import install
        from FasterAPI.cli import load_app

        install(replace_installed=True)
        _loaded.append(load_app(os.environ[APP_VARIABLE]))
    return _loaded[0]
