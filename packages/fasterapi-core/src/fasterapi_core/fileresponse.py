"""FileResponse: send a file from disk in chunks, never reading it whole into memory.

Headers are built in steps (``init_headers``, ``set_stat_headers``, ``content_disposition``) and
the body is sent by ``send_file_range``. When sent as an ASGI app (``await response(scope, receive,
send)``) a 200 response honours the request's conditional and Range headers: ``If-None-Match`` /
``If-Modified-Since`` → 304, ``Range`` (with ``If-Range``) → 206 (one range) or
``multipart/byteranges`` (several), unsatisfiable → 416 with ``Content-Range: bytes */size``. The
pure logic lives in ``fasterapi_core._http_ranges``.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Mapping
from contextlib import suppress
from email.utils import formatdate
from mimetypes import guess_type
from typing import Any
from urllib.parse import quote

import anyio
import anyio.to_thread

from fasterapi_core._http_ranges import (
    ConditionalHeaders,
    MultipartPlan,
    RangeNotSatisfiable,
    content_range,
    if_range_matches,
    is_not_modified,
    multipart_plan,
    parse_range,
    request_conditions,
)
from fasterapi_core.background import BackgroundTask, run_background
from fasterapi_core.responses import Response, encode_header
from fasterapi_core.types import Message, Receive, Scope, Send

__all__ = ["FileResponse", "content_disposition"]

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# RFC 5987 attr-char beyond what urllib.parse.quote always keeps (letters, digits, "_.-~").
_ATTR_CHAR_SAFE = "!#$&+^`|"
# Headers a 304 must not carry (RFC 9110 §15.4.5: no representation metadata about a body).
_NOT_MODIFIED_DROP = frozenset({b"content-length", b"content-type", b"content-encoding"})
_REPLACED_BY_RANGE = frozenset({b"content-length", b"content-range"})
_MULTIPART_DROP = frozenset({b"content-type", b"content-length"})


def content_disposition(disposition_type: str, filename: str) -> str:
    """An RFC 6266 ``Content-Disposition`` value that nothing in ``filename`` can break.

    Control characters (CR, LF, NUL, ...) are dropped. The quoted ``filename`` is an ASCII
    fallback (accents stripped, anything else, quotes and backslashes turned into ``_``); when it
    differs from the real name, ``filename*=utf-8''...`` carries the exact, percent-encoded name.
    """
    if _TOKEN.fullmatch(disposition_type) is None:
        raise ValueError(f"Invalid content disposition type: {disposition_type!r}")
    name = _CONTROL.sub("", filename)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = ascii_name.replace('"', "_").replace("\\", "_") or "download"
    value = f'{disposition_type}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=utf-8''{quote(name, safe=_ATTR_CHAR_SAFE)}"
    return value


class _ClientGone(Exception):
    """send() failed: the client disconnected."""


class FileResponse(Response):
    """Serve the file at ``path``: media type guessed from the name, ``content-length``,
    ``last-modified`` and ``etag`` from ``stat``, body streamed in 64 KiB chunks.

    With ``filename`` a ``Content-Disposition`` header (``content_disposition_type``, default
    ``attachment``) is added. The file is only looked at when the response is sent, unless
    ``stat_result`` is given; a missing file then raises ``RuntimeError``.
    """

    chunk_size = 64 * 1024

    def __init__(
        self,
        path: str | os.PathLike[str],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
        filename: str | None = None,
        stat_result: os.stat_result | None = None,
        method: str | None = None,
        content_disposition_type: str = "attachment",
    ) -> None:
        self.path = path
        self.status_code = status_code
        self.filename = filename
        self.send_header_only = method is not None and method.upper() == "HEAD"
        if media_type is None:
            media_type = guess_type(filename or os.fspath(path))[0] or "text/plain"
        self.media_type = media_type
        self.background = background
        self.init_headers(headers)
        if filename is not None:
            self.raw_headers.append(
                encode_header(
                    "content-disposition", content_disposition(content_disposition_type, filename)
                )
            )
        self.stat_result = stat_result
        if stat_result is not None:
            self.set_stat_headers(stat_result)

    def set_stat_headers(self, stat_result: os.stat_result) -> None:
        """Add ``content-length``, ``accept-ranges``, ``last-modified`` and ``etag`` (unless
        already set)."""
        present = {name for name, _ in self.raw_headers}
        size = stat_result.st_size
        mtime = stat_result.st_mtime
        if b"content-length" not in present:
            self.raw_headers.append((b"content-length", b"%d" % size))
        if b"accept-ranges" not in present:  # Range requests are answered (206, 416)
            self.raw_headers.append((b"accept-ranges", b"bytes"))
        if b"last-modified" not in present:
            self.raw_headers.append(
                (b"last-modified", formatdate(mtime, usegmt=True).encode("ascii"))
            )
        if b"etag" not in present:
            import hashlib  # deferred: not needed until a file is served

            digest = hashlib.md5(f"{mtime}-{size}".encode(), usedforsecurity=False).hexdigest()
            self.raw_headers.append((b"etag", f'"{digest}"'.encode("ascii")))

    async def _ensure_stat(self) -> None:
        if self.stat_result is not None:
            return
        try:
            result = await anyio.to_thread.run_sync(os.stat, self.path)
        except FileNotFoundError:
            raise RuntimeError(f"File at path {os.fspath(self.path)} does not exist.") from None
        if not stat.S_ISREG(result.st_mode):
            raise RuntimeError(f"File at path {os.fspath(self.path)} is not a file.")
        self.stat_result = result
        self.set_stat_headers(result)

    async def send_file_range(
        self, send: Send, file: Any, start: int = 0, length: int | None = None
    ) -> None:
        """Send ``length`` bytes (all when None) of the open ``file`` from ``start`` as
        ``more_body`` chunks, then the final empty body message."""
        if start:
            await file.seek(start)
        remaining = length
        chunk_size = self.chunk_size
        while remaining is None or remaining > 0:
            size = chunk_size if remaining is None else min(chunk_size, remaining)
            chunk = await file.read(size)
            if not chunk:
                break
            if remaining is not None:
                remaining -= len(chunk)
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    def _header(self, name: bytes) -> str | None:
        for key, value in self.raw_headers:
            if key == name:
                return value.decode("latin-1")
        return None

    def _without(self, names: frozenset[bytes]) -> list[tuple[bytes, bytes]]:
        return [item for item in self.raw_headers if item[0] not in names]

    def _plan(
        self, conditions: ConditionalHeaders
    ) -> tuple[int, list[tuple[bytes, bytes]], list[tuple[int, int]] | None]:
        """Status, headers and byte ranges (None: whole file) for this request's conditions."""
        etag = self._header(b"etag")
        last_modified = self._header(b"last-modified")
        if is_not_modified(conditions, etag, last_modified):
            return 304, self._without(_NOT_MODIFIED_DROP), []
        range_value = conditions.range
        if range_value is None or not if_range_matches(conditions.if_range, etag, last_modified):
            return self.status_code, self.raw_headers, None
        size = self.stat_result.st_size if self.stat_result is not None else 0
        try:
            ranges = parse_range(range_value, size)
        except RangeNotSatisfiable:
            headers = self._without(_REPLACED_BY_RANGE)
            headers += [(b"content-range", b"bytes */%d" % size), (b"content-length", b"0")]
            return 416, headers, []
        if ranges is None:
            return self.status_code, self.raw_headers, None
        headers = self._without(_REPLACED_BY_RANGE)
        if len(ranges) == 1:
            start, stop = ranges[0]
            headers.append((b"content-range", content_range(start, stop, size)))
            headers.append((b"content-length", b"%d" % (stop - start)))
        return 206, headers, ranges

    async def _send_file(
        self, send: Send, header_only: bool, conditions: ConditionalHeaders | None = None
    ) -> None:
        await self._ensure_stat()
        status, headers, ranges = self.status_code, self.raw_headers, None
        if conditions is not None and status == 200:
            status, headers, ranges = self._plan(conditions)
        multipart: MultipartPlan | None = None
        if ranges is not None and len(ranges) > 1:
            size = self.stat_result.st_size if self.stat_result is not None else 0
            media_type = self.media_type or "application/octet-stream"
            if media_type.startswith("text/") and "charset=" not in media_type.lower():
                media_type += f"; charset={self.charset}"
            import secrets

            multipart = multipart_plan(ranges, size, media_type, secrets.token_hex(16))
            headers = [item for item in headers if item[0] not in _MULTIPART_DROP]
            headers.append((b"content-type", multipart.content_type))
            headers.append((b"content-length", b"%d" % multipart.content_length))
        start = {"type": "http.response.start", "status": status, "headers": headers}
        if header_only or ranges == []:
            await send(start)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        try:
            file = await anyio.open_file(self.path, "rb")
        except FileNotFoundError:
            raise RuntimeError(f"File at path {os.fspath(self.path)} does not exist.") from None
        async with file:
            await send(start)

            async def guarded_send(message: Message) -> None:
                try:
                    await send(message)
                except OSError as exc:
                    raise _ClientGone from exc

            # ASGI 2.4 servers raise OSError from send() once the client has gone: stop then.
            with suppress(_ClientGone):
                if ranges is None:
                    await self.send_file_range(guarded_send, file)
                elif multipart is None:
                    first, stop = ranges[0]
                    await self.send_file_range(guarded_send, file, first, stop - first)
                else:
                    await self._send_multipart(guarded_send, file, multipart)

    async def _send_multipart(self, send: Send, file: Any, plan: MultipartPlan) -> None:
        chunk_size = self.chunk_size
        for head, first, stop in plan.parts:
            await send({"type": "http.response.body", "body": head, "more_body": True})
            await file.seek(first)
            remaining = stop - first
            while remaining > 0:
                chunk = await file.read(min(chunk_size, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"\r\n", "more_body": True})
        await send({"type": "http.response.body", "body": plan.closing, "more_body": False})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")
        conditions = None
        if method in ("GET", "HEAD"):
            conditions = request_conditions(scope.get("headers"))
        await self._send_file(send, self.send_header_only or method == "HEAD", conditions)
        if self.background is not None:
            await run_background(self.background)

    async def to_asgi(self, send: Send) -> None:
        """Send the file through ``send``, then run the background task (no request headers
        are known here, so no conditional or Range handling)."""
        await self._send_file(send, self.send_header_only)
        if self.background is not None:
            await run_background(self.background)
