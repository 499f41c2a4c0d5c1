"""StaticFiles: an ASGI app serving the files of one directory, safely.

Files are sent by core's :class:`~fasterapi_core.fileresponse.FileResponse`, so conditional
requests (ETag / Last-Modified → 304), Range requests (206, ``multipart/byteranges``, 416) and HEAD
behave the same for static files and for handlers returning a file.

Path safety: the request path (already percent-decoded once by the server) is split on ``/``;
a ``..`` segment, a backslash, a NUL byte, a segment longer than 255 bytes or a path longer than
4096 bytes gives 404. Literal names such as ``%2e%2e`` are looked up as they are (they cannot
escape). Unless ``follow_symlink=True``, the resolved real path must stay inside the directory,
so a symlink pointing outside gives 404. Any OS error while looking up a file gives 404, never 500.

Errors: inside a FasterAPI application (``scope["app"]`` set) misses raise ``BaseHTTPException`` so
the application's handlers render them (``{"detail": "Not Found"}``); used bare, plain-text 404 /
405 responses are sent.
"""

from __future__ import annotations

import os
import stat

import anyio.to_thread

from fasterapi_core.asgi_compat import get_route_path
from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.fileresponse import FileResponse
from fasterapi_core.responses import PlainTextResponse, RedirectResponse, Response
from fasterapi_core.types import Receive, Scope, Send

__all__ = ["StaticFiles"]

_MAX_PATH = 4096
_MAX_SEGMENT = 255
_ALLOW = {"allow": "GET, HEAD"}
_EXTRA_HEADERS = {"accept-ranges": "bytes"}

# What a lookup found: a regular file, a directory with an index.html, or nothing.
_Found = tuple[str, os.stat_result] | None


def safe_parts(path: str) -> list[str] | None:
    """The path's segments, or None when the path is unsafe (see the module docstring)."""
    if len(path) > _MAX_PATH or "\x00" in path or "\\" in path:
        return None
    parts: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == ".." or len(segment.encode("utf-8", "surrogatepass")) > _MAX_SEGMENT:
            return None
        parts.append(segment)
    return parts


class StaticFiles:
    """Serve ``directory`` (GET and HEAD only; other methods get 405 with ``Allow``).

    With ``html=True`` a directory serves its ``index.html`` (redirecting ``/dir`` to ``/dir/``)
    and a miss serves ``404.html`` with status 404 when it exists. ``check_dir`` raises
    ``RuntimeError`` at construction when the directory does not exist. ``follow_symlink``
    allows symlinks that point outside the directory.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        html: bool = False,
        check_dir: bool = True,
        follow_symlink: bool = False,
    ) -> None:
        self.directory = os.fspath(directory)
        self.root = os.path.realpath(self.directory)
        self.html = html
        self.follow_symlink = follow_symlink
        if check_dir and not os.path.isdir(self.root):
            raise RuntimeError(f"Directory '{self.directory}' does not exist")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1000, "reason": ""})
                return
            raise RuntimeError("StaticFiles only handles HTTP requests")
        response = await self.get_response(scope)
        await response(scope, receive, send)

    async def get_response(self, scope: Scope) -> Response:
        """The response for this request (file, redirect, 404 or 405)."""
        method = scope.get("method", "GET")
        if method not in ("GET", "HEAD"):
            return self._error(scope, 405, "Method Not Allowed", _ALLOW)
        path = get_route_path(scope)
        parts = safe_parts(path)
        if parts is None:
            return self._error(scope, 404, "Not Found")
        found, is_dir = await anyio.to_thread.run_sync(self._lookup, parts, path.endswith("/"))
        if found is not None:
            if is_dir and not scope["path"].endswith("/"):
                query = scope.get("query_string", b"")
                url = scope["path"] + "/" + (f"?{query.decode('latin-1')}" if query else "")
                return RedirectResponse(url, status_code=307)
            full_path, stat_result = found
            return FileResponse(full_path, headers=_EXTRA_HEADERS, stat_result=stat_result)
        if self.html:
            page = await anyio.to_thread.run_sync(self._find_file, ["404.html"])
            if page is not None:
                return FileResponse(page[0], status_code=404, stat_result=page[1])
        return self._error(scope, 404, "Not Found")

    @staticmethod
    def _error(
        scope: Scope, status_code: int, detail: str, headers: dict[str, str] | None = None
    ) -> Response:
        if "app" in scope:
            raise BaseHTTPException(status_code, headers=headers)
        return PlainTextResponse(detail, status_code, headers=headers)

    def _lookup(self, parts: list[str], directory_only: bool) -> tuple[_Found, bool]:
        """Find the file for ``parts`` (in a worker thread): (found, is it a directory's index).
        A path ending in ``/`` only matches a directory."""
        found = None if directory_only else self._find_file(parts)
        if found is not None or not self.html:
            return found, False
        index = self._find_file([*parts, "index.html"])
        return index, index is not None and bool(parts)

    def _find_file(self, parts: list[str]) -> _Found:
        full_path = os.path.join(self.root, *parts)
        try:
            if not self.follow_symlink:
                real = os.path.realpath(full_path)
                if real != self.root and not real.startswith(self.root + os.sep):
                    return None
            result = os.stat(full_path)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(result.st_mode):
            return None
        return full_path, result

    def __repr__(self) -> str:
        return f"StaticFiles(directory={self.directory!r}, html={self.html!r})"
