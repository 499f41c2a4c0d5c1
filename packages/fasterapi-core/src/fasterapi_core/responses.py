"""HTTP responses as ASGI applications: Response, JSON, HTML, plain text and redirects.

Streaming, Server-Sent Events and files live in ``streaming`` and ``fileresponse``; they share the
header helpers defined here. A response is built once (``body`` rendered, ``raw_headers`` encoded
and validated) and then sent with ``await response(scope, receive, send)`` or
``await response.to_asgi(send)``.
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, formatdate
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

import msgspec

from fasterapi_core.background import BackgroundTask, run_background
from fasterapi_core.encoding import json_encode
from fasterapi_core.exceptions import FastAPIDeprecationWarning
from fasterapi_core.types import Receive, Scope, Send

if TYPE_CHECKING:
    from fasterapi_core.datastructures import MutableHeaders  # type: ignore[import-not-found,unused-ignore]

__all__ = [
    "HTMLResponse",
    "JSONResponse",
    "ORJSONResponse",
    "PlainTextResponse",
    "RedirectResponse",
    "Response",
    "UJSONResponse",
    "encode_header",
    "encode_headers",
]

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_FORBIDDEN_IN_VALUE = re.compile(r"[\r\n\x00]")
_NO_BODY_STATUSES = frozenset({204, 304})
_CT_CACHE: dict[tuple[str, str], tuple[bytes, bytes]] = {}

HeaderList = list[tuple[bytes, bytes]]


def encode_header(name: str, value: Any) -> tuple[bytes, bytes]:
    """Validate and encode one header: lowercased latin-1 name, latin-1 value.

    Raises ``ValueError`` for a name that is not an HTTP token, or a value holding CR, LF or
    NUL (which would let a caller inject headers), or characters outside latin-1.
    """
    if not isinstance(value, str):
        value = value.decode("latin-1") if isinstance(value, bytes | bytearray) else str(value)
    if not isinstance(name, str) or _TOKEN.fullmatch(name) is None:
        raise ValueError(f"Invalid header name: {name!r}")
    if _FORBIDDEN_IN_VALUE.search(value) is not None:
        raise ValueError(f"Invalid header value for {name!r}: CR, LF and NUL are not allowed")
    try:
        return name.lower().encode("ascii"), value.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"Header {name!r} has characters outside latin-1: {value!r}") from None


def encode_headers(headers: Mapping[str, Any]) -> HeaderList:
    """Encode a mapping of headers (a ``Headers`` object keeps its repeated entries)."""
    raw = getattr(headers, "raw", None)
    if isinstance(raw, list):
        return [
            encode_header(k.decode("latin-1"), v.decode("latin-1"))
            if isinstance(k, bytes) and isinstance(v, bytes)
            else encode_header(k, v)
            for k, v in raw
        ]
    return [encode_header(k, v) for k, v in headers.items()]


def content_type_header(media_type: str, charset: str) -> tuple[bytes, bytes]:
    """The ``content-type`` header for ``media_type``; text types get ``; charset=``."""
    key = (media_type, charset)
    header = _CT_CACHE.get(key)
    if header is None:
        value = media_type
        if media_type.startswith("text/") and "charset=" not in media_type.lower():
            value = f"{media_type}; charset={charset}"
        header = encode_header("content-type", value)
        if len(_CT_CACHE) < 512:
            _CT_CACHE[key] = header
    return header


def _no_body(status_code: int) -> bool:
    return status_code < 200 or status_code in _NO_BODY_STATUSES


class Response:
    """A complete HTTP response whose body is known up front.

    ``content`` is rendered to ``body`` by :meth:`render`; ``raw_headers`` holds the user's
    headers then ``content-length`` (unless the status forbids a body) and ``content-type``.
    """

    media_type: str | None = None
    charset: str = "utf-8"

    def __init__(
        self,
        content: Any = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        self.status_code = status_code
        if media_type is not None:
            self.media_type = media_type
        self.background = background
        self.body = self.render(content)
        self.init_headers(headers)

    def render(self, content: Any) -> bytes:
        """Turn ``content`` into body bytes: None → b"", bytes-like as is, str encoded."""
        if content is None:
            return b""
        if isinstance(content, bytes):
            return content
        if isinstance(content, str):
            return content.encode(self.charset)
        if isinstance(content, (bytearray, memoryview)):
            return bytes(content)
        raise TypeError(
            f"{type(self).__name__} content must be bytes or str, not {type(content).__name__}"
        )

    def init_headers(self, headers: Mapping[str, str] | None = None) -> None:
        """Build ``raw_headers`` from the user's headers plus content-length/content-type."""
        has_length = has_type = False
        if headers is None:
            raw: HeaderList = []
        else:
            raw = encode_headers(headers)
            for name, _ in raw:
                if name == b"content-length":
                    has_length = True
                elif name == b"content-type":
                    has_type = True
        body: bytes | None = getattr(self, "body", None)
        if not has_length and body is not None and not _no_body(self.status_code):
            raw.append((b"content-length", b"%d" % len(body)))
        media_type = self.media_type
        if not has_type and media_type is not None:
            raw.append(content_type_header(media_type, self.charset))
        self.raw_headers = raw

    @property
    def headers(self) -> MutableHeaders:
        """Case-insensitive, editable view of ``raw_headers`` (edits change the response)."""
        headers: MutableHeaders | None = self.__dict__.get("_headers")
        if headers is None or headers.raw is not self.raw_headers:
            from fasterapi_core.datastructures import MutableHeaders

            headers = MutableHeaders(raw=self.raw_headers)
            self.__dict__["_headers"] = headers
        return headers

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: int | None = None,
        expires: datetime | str | int | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: Literal["lax", "strict", "none"] | None = "lax",
        partitioned: bool = False,
    ) -> None:
        """Add a ``set-cookie`` header (one per call); bad names or attributes raise ValueError.

        Values with characters outside the cookie-safe set are double-quoted with octal
        escapes (``;`` becomes ``\\073``), as Python's ``http.cookies`` and Starlette do.
        """
        if not isinstance(key, str) or _COOKIE_LEGAL.fullmatch(key) is None:
            raise ValueError(f"Invalid cookie name: {key!r}")
        parts = [f"{key}={_cookie_quote(value)}"]
        if domain is not None:
            parts.append(f"Domain={_cookie_attribute('domain', domain)}")
        if expires is not None:
            parts.append(f"expires={_cookie_expires(expires)}")
        if httponly:
            parts.append("HttpOnly")
        if max_age is not None:
            parts.append(f"Max-Age={int(max_age)}")
        if partitioned:
            parts.append("Partitioned")
        if path is not None:
            parts.append(f"Path={_cookie_attribute('path', path)}")
        if samesite is not None:
            if not isinstance(samesite, str) or samesite.lower() not in _SAMESITE:
                raise ValueError("samesite must be 'strict', 'lax' or 'none'")
            parts.append(f"SameSite={samesite}")
        if secure:
            parts.append("Secure")
        self.raw_headers.append(encode_header("set-cookie", "; ".join(parts)))

    def delete_cookie(
        self,
        key: str,
        path: str = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: Literal["lax", "strict", "none"] | None = "lax",
    ) -> None:
        """Tell the client to drop cookie ``key`` (empty value, expired, ``Max-Age=0``)."""
        self.set_cookie(
            key,
            max_age=0,
            expires=0,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._send(send, "websocket.http.response.start", "websocket.http.response.body")
        else:
            await self._send(send, "http.response.start", "http.response.body")

    async def to_asgi(self, send: Send) -> None:
        """Send this response (start, body) through ``send``, then run the background task."""
        await self._send(send, "http.response.start", "http.response.body")

    async def _send(self, send: Send, start: str, body: str) -> None:
        status = self.status_code
        await send({"type": start, "status": status, "headers": self.raw_headers})
        await send({"type": body, "body": b"" if _no_body(status) else self.body})
        if self.background is not None:
            await run_background(self.background)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} status_code={self.status_code}>"


class JSONResponse(Response):
    """``application/json`` response encoded by msgspec (datetime, UUID, Decimal, Structs,
    dataclasses...). ``bytes``/``bytearray``/``memoryview`` content is sent as is (pre-encoded
    JSON). An unserialisable object raises ``TypeError``."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Encode ``content`` with msgspec; bytes-like content is sent as is (pre-encoded)."""
        if isinstance(content, bytes):
            return content
        if isinstance(content, (bytearray, memoryview)):
            return bytes(content)
        try:
            return json_encode(content)
        except (msgspec.EncodeError, OverflowError, ValueError) as exc:
            raise TypeError(f"Cannot encode response content as JSON: {exc}") from exc


def _deprecated_json_class(name: str) -> str:
    return (
        f"{name} is deprecated, FasterAPI serializes data directly to JSON bytes (with msgspec, "
        "or pydantic for its models) whatever the response class, which is as fast and doesn't "
        "need a custom response class. Read more in the FastAPI docs: "
        "https://fastapi.tiangolo.com/advanced/custom-response/#orjson-or-response-model"
    )


class _DeprecatedJSONResponse(JSONResponse):
    """Warns as FastAPI's deprecated JSON classes do: when created and when subclassed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        deprecated = (c for c in type(self).__mro__ if c.__base__ is _DeprecatedJSONResponse)
        name = next(deprecated).__name__
        warnings.warn(_deprecated_json_class(name), FastAPIDeprecationWarning, stacklevel=2)
        super().__init__(*args, **kwargs)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        base = cls.__base__
        if base is not _DeprecatedJSONResponse and base is not None:
            name = base.__name__  # a user's subclass of ORJSONResponse / UJSONResponse
            warnings.warn(_deprecated_json_class(name), FastAPIDeprecationWarning, stacklevel=2)


class ORJSONResponse(_DeprecatedJSONResponse):
    """FastAPI's deprecated ``ORJSONResponse`` (``default_response_class=ORJSONResponse``),
    kept for code written for it: msgspec encodes it, as it does :class:`JSONResponse`
    (orjson need not be installed); non-``str`` keys are written as strings. Creating or
    subclassing it warns (``FastAPIDeprecationWarning``), as in FastAPI."""


class UJSONResponse(_DeprecatedJSONResponse):
    """FastAPI's deprecated ``UJSONResponse``, kept for code written for it: encoded by
    msgspec as :class:`JSONResponse` (ujson need not be installed); warns as FastAPI's."""


class HTMLResponse(Response):
    """An HTML page: ``str`` or bytes content sent as ``text/html; charset=utf-8``."""

    media_type = "text/html"


class PlainTextResponse(Response):
    """Plain text: ``str`` or bytes content sent as ``text/plain; charset=utf-8``."""

    media_type = "text/plain"


# Characters left as they are in a Location header (everything else is percent-encoded).
_LOCATION_SAFE = ":/%#?=@[]!$&'()*+,;"


class RedirectResponse(Response):
    """Redirect to ``url`` (default 307). The URL is percent-encoded, so spaces, non-ASCII
    characters and CR/LF can never break out of the ``location`` header."""

    def __init__(
        self,
        url: Any,
        status_code: int = 307,
        headers: Mapping[str, str] | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        super().__init__(b"", status_code, headers, None, background)
        raw = self.raw_headers
        if headers is not None:
            raw[:] = [item for item in raw if item[0] != b"location"]
        raw.append((b"location", quote(str(url), safe=_LOCATION_SAFE).encode("ascii")))


# Cookie helpers -----------------------------------------------------------------------------

_COOKIE_LEGAL_CHARS = "!#$%&'*+\\-.^_`|~:0-9A-Za-z"
_COOKIE_LEGAL = re.compile(f"[{_COOKIE_LEGAL_CHARS}]+")
_COOKIE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SAMESITE = frozenset({"lax", "strict", "none"})
_COOKIE_ESCAPES: dict[int, str] = {
    n: f"\\{n:03o}" for n in (*range(0x80, 0x100), ord(","), ord(";"))
}
_COOKIE_ESCAPES[ord('"')] = '\\"'
_COOKIE_ESCAPES[ord("\\")] = "\\\\"


def _cookie_quote(raw_value: Any) -> str:
    value = raw_value if isinstance(raw_value, str) else str(raw_value)
    if _COOKIE_CONTROL.search(value) is not None:
        raise ValueError(f"Invalid cookie value (control characters): {value!r}")
    if value and _COOKIE_LEGAL.fullmatch(value) is not None:
        return value
    return '"' + value.translate(_COOKIE_ESCAPES) + '"'


def _cookie_attribute(name: str, value: str) -> str:
    if _COOKIE_CONTROL.search(value) is not None or ";" in value:
        raise ValueError(f"Invalid cookie {name}: {value!r}")
    return value


def _cookie_expires(expires: datetime | str | int) -> str:
    if isinstance(expires, datetime):
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return str(format_datetime(expires.astimezone(UTC), usegmt=True))
    if isinstance(expires, str):
        return _cookie_attribute("expires", expires)
    return str(formatdate(time.time() + int(expires), usegmt=True))
