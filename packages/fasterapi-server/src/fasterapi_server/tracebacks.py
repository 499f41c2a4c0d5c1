"""Tracebacks of the application's own code: without the import machinery, this server's
frames or the FasterAPI framework's, as Python would show them for the user's code alone."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import traceback
from collections.abc import Iterable

__all__ = ["FRAMEWORK_PACKAGES", "format_user_error"]

FRAMEWORK_PACKAGES = (
    "FasterAPI",
    "fasterapi_core",
    "fasterapi_routing",
    "fasterapi_security",
    "fasterapi_middleware",
    "fasterapi_extras",
    "fasterapi_server",
)
"""The packages whose frames :func:`format_user_error` leaves out by default."""


def _package_dirs(packages: Iterable[str]) -> tuple[str, ...]:
    """The directories (with a trailing separator, real paths) of the importable ``packages``."""
    dirs = [os.path.dirname(importlib.__file__)]
    for name in packages:
        module = sys.modules.get(name)
        locations: Iterable[str] | None = getattr(module, "__path__", None)
        if locations is None:
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
            locations = spec.submodule_search_locations if spec is not None else None
        dirs.extend(locations or ())
    return tuple(os.path.join(os.path.realpath(d), "") for d in dirs)


def _is_hidden(filename: str, dirs: tuple[str, ...]) -> bool:
    if filename.startswith("<frozen importlib."):
        return True
    return os.path.realpath(filename).startswith(dirs)


def _strip(report: traceback.TracebackException, dirs: tuple[str, ...], seen: set[int]) -> None:
    """Drop the hidden frames of ``report`` and of the exceptions chained to it."""
    if id(report) in seen:
        return
    seen.add(id(report))
    kept = [frame for frame in report.stack if not _is_hidden(frame.filename, dirs)]
    report.stack = traceback.StackSummary.from_list(kept)
    for linked in (report.__cause__, report.__context__, *(report.exceptions or ())):
        if linked is not None:
            _strip(linked, dirs, seen)


def format_user_error(exc: BaseException, hidden: Iterable[str] = FRAMEWORK_PACKAGES) -> str:
    """``exc`` formatted as Python prints it, keeping only the frames of the user's code.

    Frames of :mod:`importlib` and of the ``hidden`` packages are left out (in chained
    exceptions too). With no frame left the ``Traceback`` heading goes as well: a
    :class:`SyntaxError` then reads file, line, source line, caret and message, as
    ``python file.py`` shows it. The text ends with a newline.
    """
    report = traceback.TracebackException.from_exception(exc)
    _strip(report, _package_dirs(hidden), set())
    return "".join(report.format())
