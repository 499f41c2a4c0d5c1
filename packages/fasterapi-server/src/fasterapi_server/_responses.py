"""Prebuilt response pieces: status lines, the date header, header checks, canned errors."""

from __future__ import annotations

import re
import time
from email.utils import formatdate
from http import HTTPStatus

__all__ = [
    "DISCONNECT",
    "STATUS_LINES",
    "HeaderKind",
    "date_header",
    "header_kind",
    "plain_response",
    "refresh_date",
]


def _status_line(code: int) -> bytes:
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = ""
    return b"HTTP/1.1 %d %s\r\n" % (code, phrase.encode("ascii"))


STATUS_LINES: dict[int, bytes] = {code: _status_line(code) for code in range(100, 600)}
"""``HTTP/1.1 <code> <phrase>\\r\\n`` for every status code from 100 to 599."""

DISCONNECT: dict[str, str] = {"type": "http.disconnect"}

_date: list[bytes] = [b""]
_date_second: list[int] = [0]


def refresh_date() -> None:
    """Recompute the cached ``date`` header line when the second has changed."""
    now = int(time.time())
    if now != _date_second[0]:
        _date_second[0] = now
        _date[0] = b"date: " + formatdate(now, usegmt=True).encode("ascii") + b"\r\n"


def date_header() -> bytes:
    """The cached ``date: ...\\r\\n`` line (refreshed once per second by the server's ticker)."""
    return _date[0]


refresh_date()


class HeaderKind:
    """What a response header name means to the server (``header_kind`` caches it per name)."""

    OTHER = 0
    CONTENT_LENGTH = 1
    TRANSFER_ENCODING = 2
    CONNECTION = 3
    DATE = 4
    SERVER = 5


_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_SPECIAL = {
    b"content-length": HeaderKind.CONTENT_LENGTH,
    b"transfer-encoding": HeaderKind.TRANSFER_ENCODING,
    b"connection": HeaderKind.CONNECTION,
    b"date": HeaderKind.DATE,
    b"server": HeaderKind.SERVER,
}
_KINDS: dict[bytes, int] = {}


def header_kind(name: bytes) -> int:
    """The :class:`HeaderKind` of a response header name; ``ValueError`` if it is no token."""
    kind = _KINDS.get(name)
    if kind is not None:
        return kind
    if not isinstance(name, bytes) or _TOKEN.fullmatch(name) is None:
        raise ValueError(f"invalid HTTP header name {name!r}")
    kind = _SPECIAL.get(name.lower(), HeaderKind.OTHER)
    if len(_KINDS) < 4096:  # names come from application code: a bounded cache is plenty
        _KINDS[name] = kind
    return kind


def plain_response(status: int, body: bytes, extra: bytes = b"") -> bytes:
    """A complete ``connection: close`` response with a short plain-text body."""
    return b"".join(
        [
            STATUS_LINES[status],
            b"content-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n" % len(body),
            extra,
            b"connection: close\r\n\r\n",
            body,
        ]
    )
