"""Signed-cookie sessions: ``request.session`` as a dict kept in the client's cookie.

The cookie is Starlette's format (base64 JSON signed by itsdangerous' ``TimestampSigner``
with the secret key), so sessions written by an application's Starlette/FastAPI version stay
valid after it moves to FasterAPI, and the other way round. The data is signed, not
encrypted: the client can read it, not change it. Needs the ``sessions`` extra
(``pip install 'fasterapi-middleware[sessions]'``, itsdangerous).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Literal

from fasterapi_core._optional import missing_extra
from fasterapi_core.requests import HTTPConnection
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_middleware._asgi import append_vary
from fasterapi_middleware.session_data import TrackedSession, cookie_flags

try:
    import itsdangerous
except ModuleNotFoundError as exc:
    raise missing_extra("itsdangerous", "fasterapi-middleware[sessions]") from exc

__all__ = ["Session", "SessionMiddleware"]

_EXPIRED = "expires=Thu, 01 Jan 1970 00:00:00 GMT; "


class Session(TrackedSession):
    """The session's data. Records whether it was read (``accessed``: the response varies by
    cookie) and changed (``modified``: the cookie is written again)."""


class SessionMiddleware:
    """Keep ``request.session`` (HTTP and WebSocket) in a signed cookie.

    A changed, non-empty session is written back (``Max-Age=max_age``, ``HttpOnly``,
    ``SameSite``; ``Secure`` with ``https_only``); a session emptied by the request expires the
    cookie; a session only read adds ``Vary: Cookie``. A cookie that is tampered with, signed
    with another key, older than ``max_age`` or not a JSON object gives an empty session.
    """

    def __init__(
        self,
        app: ASGIApp,
        secret_key: str,
        session_cookie: str = "session",
        max_age: int | None = 14 * 24 * 60 * 60,
        path: str = "/",
        same_site: Literal["lax", "strict", "none"] = "lax",
        https_only: bool = False,
        domain: str | None = None,
        partitioned: bool = False,
    ) -> None:
        if not str(secret_key):
            raise ValueError("SessionMiddleware needs a non-empty secret_key")
        self.app = app
        self.signer = itsdangerous.TimestampSigner(str(secret_key))
        self.session_cookie = session_cookie
        self.max_age = max_age
        self.path = path
        self.flags = cookie_flags(same_site, https_only, domain, partitioned)

    def load(self, cookie: str | None) -> tuple[Session, bool]:
        """The session in ``cookie`` and whether there was a valid one."""
        if cookie is None:
            return Session(), False
        try:
            signed = self.signer.unsign(cookie.encode("utf-8"), max_age=self.max_age)
            data = json.loads(base64.b64decode(signed))
        except (itsdangerous.BadSignature, binascii.Error, ValueError):
            return Session(), False
        if not isinstance(data, dict):
            return Session(), False
        return Session(data), True

    def cookie_header(self, session: Session, had_session: bool) -> bytes | None:
        """The ``Set-Cookie`` value the response needs for ``session``, if any."""
        if not session.modified:
            return None
        if session:
            payload = base64.b64encode(json.dumps(session).encode("utf-8"))
            value = self.signer.sign(payload).decode("utf-8")
            age = f"Max-Age={self.max_age}; " if self.max_age is not None else ""
        elif had_session:
            value, age = "null", _EXPIRED
        else:
            return None
        header = f"{self.session_cookie}={value}; path={self.path}; {age}{self.flags}"
        return header.encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        cookie = HTTPConnection(scope).cookies.get(self.session_cookie)
        session, had_session = self.load(cookie)
        scope["session"] = session

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                current = scope["session"]
                if not isinstance(current, Session):  # replaced by the application: keep it
                    current = Session(current)
                    current.modified = True
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", ()))
                if current.accessed:
                    append_vary(headers, b"Cookie")
                value = self.cookie_header(current, had_session)
                if value is not None:
                    headers.append((b"set-cookie", value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cookie)
