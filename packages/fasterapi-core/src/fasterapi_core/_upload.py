"""``UploadFile``: an uploaded file whose disk I/O never blocks the event loop."""

from __future__ import annotations

import io
import sys
from typing import Any, BinaryIO

from anyio import to_thread

from fasterapi_core._headers import Headers
from fasterapi_core.received_bytes import ReceivedBytes

__all__ = ["UploadFile"]


class UploadFile:
    """A file from a ``multipart/form-data`` request.

    Form parsing stores data in a ``SpooledTemporaryFile`` that stays in memory up to
    ``spool_max_size`` bytes (1 MB) and then rolls over to disk. Async methods run file I/O in a
    worker thread once the data lives on disk; in-memory files are handled inline.
    """

    spool_max_size: int = 1024 * 1024

    def __init__(
        self,
        file: BinaryIO,
        *,
        size: int | None = None,
        filename: str | None = None,
        headers: Headers | None = None,
    ) -> None:
        self.file = file
        self.size = size
        self.filename = filename
        self.headers = headers if headers is not None else Headers()

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """pydantic validates an upload (a form model's file field) as FastAPI's does."""
        from pydantic_core import core_schema

        def validate(value: Any) -> UploadFile:
            if not isinstance(value, UploadFile):
                raise ValueError(f"Expected UploadFile, received: {type(value)}")
            return value

        return core_schema.no_info_plain_validator_function(validate)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """Documented as FastAPI documents an upload."""
        return {"type": "string", "contentMediaType": "application/octet-stream"}

    @classmethod
    def spooled(cls, *, filename: str | None = None, headers: Headers | None = None) -> UploadFile:
        """An empty upload backed by a new ``SpooledTemporaryFile`` (used by the form parser)."""
        import tempfile  # imported on first upload: ~4 ms that most apps never need

        file: Any = tempfile.SpooledTemporaryFile(max_size=cls.spool_max_size)  # noqa: SIM115
        return cls(file, size=0, filename=filename, headers=headers)

    @property
    def content_type(self) -> str | None:
        """The part's ``Content-Type`` header, if any."""
        value: str | None = self.headers.get("content-type")
        return value

    def _in_memory(self, extra: int = 0) -> bool:
        """True when the operation (adding ``extra`` bytes) stays in memory."""
        file = self.file
        tempfile = sys.modules.get("tempfile")
        if tempfile is not None and isinstance(file, tempfile.SpooledTemporaryFile):
            if getattr(file, "_rolled", True):
                return False
            if extra:
                limit: int = getattr(file, "_max_size", self.spool_max_size)
                return not limit or file.tell() + extra <= limit
            return True
        return isinstance(file, io.BytesIO)

    async def write(self, data: bytes) -> None:
        """Append ``data`` (updating ``size``)."""
        if self.size is not None:
            self.size += len(data)
        if self._in_memory(len(data)):
            self.file.write(data)
        else:
            await to_thread.run_sync(self.file.write, data)

    async def read(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes (everything by default), as :class:`ReceivedBytes`
        (written as text in JSON responses, as FastAPI writes bytes)."""
        # PERF: one copy of what is read, for responses without bytes to keep msgspec's path
        if self._in_memory():
            return ReceivedBytes(self.file.read(size))
        return ReceivedBytes(await to_thread.run_sync(self.file.read, size))

    async def seek(self, offset: int) -> None:
        """Move to byte ``offset``."""
        if self._in_memory():
            self.file.seek(offset)
        else:
            await to_thread.run_sync(self.file.seek, offset)

    async def close(self) -> None:
        """Close the underlying file (deleting any temporary file)."""
        if self._in_memory():
            self.file.close()
        else:
            await to_thread.run_sync(self.file.close)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(filename={self.filename!r}, size={self.size!r}, "
            f"headers={self.headers!r})"
        )
