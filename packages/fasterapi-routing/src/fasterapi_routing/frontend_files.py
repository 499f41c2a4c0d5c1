"""The file server of a frontend route (``app.frontend()``, FastAPI 0.165's): the files of a
built single-page application, a directory's ``index.html``, and the fallback pages.

For a GET or HEAD: the file at the path, else the directory's ``index.html`` (``/dir`` is
redirected to ``/dir/``), else the fallback: ``404.html`` (status 404) or, for a navigation
request (one whose ``Accept`` takes ``text/html`` or ``application/xhtml+xml``), ``index.html``
(status 200). ``"auto"`` uses whichever of the two exists, ``404.html`` first. Other methods:
405 when a file (or index) is there, else 404. Misses raise ``BaseHTTPException(404)``, which the
application renders (``{"detail": "Not Found"}``).

Paths are looked up as FastAPI looks them up: joined to the directory, resolved, and refused
(404) when the resolved path (a symlink's target too) leaves the directory. File system calls
run in worker threads.
"""

from __future__ import annotations

import contextlib
import email.message
import errno
import os
import stat
from collections.abc import Iterator
from typing import Literal

import anyio.to_thread

from fasterapi_core.datastructures import URL
from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.fileresponse import FileResponse
from fasterapi_core.responses import RedirectResponse, Response
from fasterapi_core.types import Scope

__all__ = ["FALLBACKS", "Fallback", "FrontendFiles", "is_navigation_request"]

Fallback = Literal["auto", "index.html", "404.html"] | None
"""What answers a path with no file: ``auto``, one of the two pages, or None (a 404)."""

FALLBACKS = frozenset({"auto", "index.html", "404.html", None})

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# A file found for a path: its full path, its stat, and whether it is a directory's index.
_Found = tuple[str, os.stat_result, bool]


def _resolved(path: str | os.PathLike[str]) -> str:
    return os.path.realpath(os.fspath(path))


def _relative_file_path(asked: str) -> str:
    """The URL path asked for as a normalized file system path (``""`` is ``"."``)."""
    return os.path.normpath(os.path.join(*asked.split("/"))) if asked else "."


def _accepted_media_types(accept: str) -> Iterator[tuple[str, float]]:
    """Each media type of an ``Accept`` header with its quality (1.0 when absent or invalid)."""
    for raw in accept.split(","):
        message = email.message.Message()
        message["content-type"] = raw.strip()
        quality = 1.0
        q = message.get_param("q")
        if isinstance(q, str):
            with contextlib.suppress(ValueError):
                quality = float(q)
        yield f"{message.get_content_maintype()}/{message.get_content_subtype()}", quality


def is_navigation_request(scope: Scope) -> bool:
    """Whether the request explicitly accepts HTML (a browser navigating, not an asset load)."""
    accept = ""
    for name, value in scope.get("headers", ()):
        if name == b"accept":
            accept = value.decode("latin-1")
            break
    return any(
        media_type in _HTML_TYPES and quality != 0
        for media_type, quality in _accepted_media_types(accept)
    )


class FrontendFiles:
    """Serve the files of ``directory`` for one frontend route (see the module docstring)."""

    def __init__(
        self, *, directory: str | os.PathLike[str], fallback: Fallback, check_dir: bool
    ) -> None:
        self.directory = directory
        self.fallback = fallback
        self.config_checked = False
        if check_dir:
            self._check_directory()
            if fallback in ("index.html", "404.html"):
                assert fallback is not None
                self._check_fallback_file(fallback)
            self.config_checked = True

    def _check_directory(self) -> None:
        if not os.path.isdir(self.directory):
            raise RuntimeError(
                f"Frontend directory '{self.directory}' does not exist. "
                f"Resolved absolute path: '{_resolved(self.directory)}'"
            )

    def _check_fallback_file(self, fallback: str) -> None:
        _, stat_result = self.lookup_path(fallback)
        if stat_result is None or not stat.S_ISREG(stat_result.st_mode):
            raise RuntimeError(
                f"Frontend fallback file '{fallback}' does not exist in directory "
                f"'{self.directory}'. Resolved absolute directory: '{_resolved(self.directory)}'"
            )

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        """The full path of ``path`` in the directory and its stat (None when missing or
        outside the directory). Runs in a worker thread."""
        root = _resolved(self.directory)
        full_path = os.path.realpath(os.path.join(root, path))
        if os.path.commonpath([full_path, root]) != root:
            return "", None
        try:
            return full_path, os.stat(full_path)
        except (FileNotFoundError, NotADirectoryError):
            return "", None

    async def _lookup(self, path: str) -> tuple[str, os.stat_result | None]:
        try:
            return await anyio.to_thread.run_sync(self.lookup_path, path)
        except PermissionError:
            raise BaseHTTPException(401) from None
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                raise BaseHTTPException(404) from None
            raise
        except ValueError:  # a NUL byte
            raise BaseHTTPException(404) from None

    async def _find(self, path: str) -> _Found | None:
        full_path, stat_result = await self._lookup(path)
        if stat_result is None:
            return None
        if stat.S_ISREG(stat_result.st_mode):
            return full_path, stat_result, False
        if stat.S_ISDIR(stat_result.st_mode):
            full_path, stat_result = await self._lookup(os.path.join(path, "index.html"))
            if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
                return full_path, stat_result, True
        return None

    async def _has_file(self, name: str) -> bool:
        _, stat_result = await anyio.to_thread.run_sync(self.lookup_path, name)
        return stat_result is not None and stat.S_ISREG(stat_result.st_mode)

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The response for the file ``path`` (relative to the directory) of this request."""
        if not self.config_checked:
            await anyio.to_thread.run_sync(self._check_directory)
            self.config_checked = True
        path = _relative_file_path(path)
        if scope["method"] not in ("GET", "HEAD"):
            raise BaseHTTPException(405 if await self._find(path) is not None else 404)
        found = await self._find(path)
        if found is not None:
            full_path, stat_result, is_index = found
            if is_index and not scope["path"].endswith("/"):
                url = URL(scope=scope)
                return RedirectResponse(str(url.replace(path=url.path + "/")), status_code=307)
            return self._file(full_path, stat_result, scope, 200)
        fallback = self.fallback
        if fallback == "404.html" or (fallback == "auto" and await self._has_file("404.html")):
            return await self._fallback_page("404.html", scope, 404)
        if (
            fallback == "index.html" or (fallback == "auto" and await self._has_file("index.html"))
        ) and is_navigation_request(scope):
            return await self._fallback_page("index.html", scope, 200)
        raise BaseHTTPException(404)

    async def _fallback_page(self, name: str, scope: Scope, status_code: int) -> Response:
        full_path, stat_result = await anyio.to_thread.run_sync(self.lookup_path, name)
        if stat_result is None or not stat.S_ISREG(stat_result.st_mode):
            self._check_fallback_file(name)  # raises the error naming the missing page
        assert stat_result is not None
        return self._file(full_path, stat_result, scope, status_code)

    @staticmethod
    def _file(
        full_path: str, stat_result: os.stat_result, scope: Scope, status_code: int
    ) -> Response:
        return FileResponse(
            full_path, status_code=status_code, stat_result=stat_result, method=scope["method"]
        )

    def __repr__(self) -> str:
        return f"FrontendFiles(directory={os.fspath(self.directory)!r}, fallback={self.fallback!r})"
