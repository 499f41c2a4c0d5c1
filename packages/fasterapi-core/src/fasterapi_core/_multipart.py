"""The event handlers behind multipart/form-data parsing (used by ``formparsers``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import anyio

from fasterapi_core._options import check_charset, parse_options_header
from fasterapi_core.datastructures import FormData, Headers, UploadFile
from fasterapi_core.exceptions import BaseHTTPException

try:
    from python_multipart.exceptions import ParseError
except ImportError:  # pragma: no cover - python-multipart < 0.0.13
    from multipart.exceptions import ParseError  # type: ignore[no-redef, import-untyped, import-not-found, unused-ignore]

if TYPE_CHECKING:
    from fasterapi_core.formparsers import FormLimits

__all__ = ["MultipartReader"]


class MultipartReader:
    """Collects parts from python-multipart's ``MultipartParser`` callbacks.

    Everything except file writes happens synchronously inside the callbacks (so limits trip
    as soon as they are crossed); file data is queued and written after each chunk.
    """

    def __init__(self, limits: FormLimits, charset: str) -> None:
        self.limits = limits
        self.charset = charset
        self.items: list[list[Any]] = []  # [name, bytearray | UploadFile, part charset | None]
        self.files: list[UploadFile] = []
        self.pending: list[tuple[UploadFile, bytes]] = []
        self.field_count = 0
        self.ended = False
        self._headers: list[tuple[bytes, bytes]] = []
        self._field = bytearray()
        self._value = bytearray()
        self._header_size = 0
        self._file: UploadFile | None = None
        self._data: bytearray | None = None
        self.callbacks: dict[str, Callable[..., None]] = {
            "on_part_begin": self._on_part_begin,
            "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value,
            "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished,
            "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end,
            "on_end": self._on_end,
        }

    # -- parser callbacks (synchronous) --------------------------------------------------
    def _on_part_begin(self) -> None:
        self._headers = []
        self._field = bytearray()
        self._value = bytearray()
        self._header_size = 0
        self._file = None
        self._data = None

    def _grow_header(self, size: int) -> None:
        self._header_size += size
        if self._header_size > self.limits.max_part_header_size:
            raise self.header_too_large()

    def header_too_large(self) -> BaseHTTPException:
        limit = self.limits.max_part_header_size
        return BaseHTTPException(413, f"Part headers exceeded maximum size of {limit} bytes.")

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._grow_header(end - start)
        self._field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._grow_header(end - start)
        self._value += data[start:end]

    def _on_header_end(self) -> None:
        self._headers.append((bytes(self._field).lower(), bytes(self._value)))
        self._field = bytearray()
        self._value = bytearray()

    def _on_headers_finished(self) -> None:
        headers = Headers(raw=self._headers)
        disposition = headers.get("content-disposition")
        if disposition is None:
            raise BaseHTTPException(400, "Missing Content-Disposition header in a multipart part.")
        _, params = parse_options_header(disposition)
        raw_name = params.get("name")
        if raw_name is None:
            raise BaseHTTPException(
                400, 'Missing "name" parameter in the Content-Disposition of a multipart part.'
            )
        try:
            name = raw_name.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            raise BaseHTTPException(400, "Invalid UTF-8 in a multipart field name.") from None
        limits = self.limits
        if "filename" in params:
            if len(self.files) >= limits.max_files:
                raise BaseHTTPException(
                    400, f"Too many files. Maximum number of files is {limits.max_files}."
                )
            raw_filename = params["filename"].encode("latin-1")
            try:
                filename = raw_filename.decode("utf-8")
            except UnicodeDecodeError:
                filename = raw_filename.decode("latin-1")
            self._file = UploadFile.spooled(filename=filename, headers=headers)
            self.files.append(self._file)
            self.items.append([name, self._file, None])
            return
        if self.field_count >= limits.max_fields:
            raise BaseHTTPException(
                400, f"Too many fields. Maximum number of fields is {limits.max_fields}."
            )
        self.field_count += 1
        charset = None
        content_type = headers.get("content-type")
        if content_type:
            part_charset = parse_options_header(content_type)[1].get("charset")
            if part_charset:
                charset = check_charset(part_charset)
        self._data = bytearray()
        self.items.append([name, self._data, charset])

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            self.pending.append((self._file, data[start:end]))
        elif self._data is not None:
            self._data += data[start:end]
            limit = self.limits.max_part_size
            if len(self._data) > limit:
                raise BaseHTTPException(400, f"Part exceeded maximum size of {limit // 1024}KB.")

    def _on_part_end(self) -> None:
        self._file = None
        self._data = None

    def _on_end(self) -> None:
        self.ended = True

    # -- driving the parser ----------------------------------------------------------------
    async def run(
        self, parser: Any, stream: AsyncIterator[bytes], count: Callable[[bytes], None]
    ) -> FormData:
        """Feed ``stream`` to ``parser`` and build the form; closes files on any error."""
        received = False
        try:
            async for chunk in stream:
                if not chunk:
                    continue
                count(chunk)
                received = True
                try:
                    parser.write(chunk)
                except ParseError as exc:
                    if "header size" in str(exc).lower():
                        raise self.header_too_large() from None
                    raise BaseHTTPException(400, f"Invalid multipart body: {exc}") from None
                for file, data in self.pending:
                    await file.write(data)
                self.pending.clear()
            parser.finalize()
            if received and not self.ended:
                raise BaseHTTPException(
                    400, "Invalid multipart body: the closing boundary is missing."
                )
            for file in self.files:
                await file.seek(0)
            return self._build()
        except BaseException:
            with anyio.CancelScope(shield=True):
                for file in self.files:
                    await file.close()
            raise

    def _build(self) -> FormData:
        form_charset = self.charset
        for name, value, _ in self.items:
            if name == "_charset_" and isinstance(value, bytearray):
                try:
                    form_charset = check_charset(value.decode("ascii").strip())
                except UnicodeDecodeError:
                    raise BaseHTTPException(400, "Invalid _charset_ value in form data.") from None
        result: list[tuple[str, str | UploadFile]] = []
        for name, value, charset in self.items:
            if isinstance(value, UploadFile):
                result.append((name, value))
                continue
            encoding = charset or form_charset
            try:
                result.append((name, value.decode(encoding)))
            except UnicodeDecodeError:
                raise BaseHTTPException(
                    400, f"Invalid {encoding} encoding in form field {name!r}."
                ) from None
        return FormData(result)
