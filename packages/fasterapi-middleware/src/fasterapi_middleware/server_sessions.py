"""Server-side sessions: ``request.session`` kept in a store, the cookie holding only its id.

The cookie carries an opaque random id (``secrets.token_urlsafe(32)``, 256 bits), HMAC-signed
when a ``secret_key`` is given; the data, serialized with msgspec (MessagePack), lives in a
``SessionStore`` (``MemorySessionStore``, or ``RedisSessionStore`` shared by every worker).

- A cookie whose id is malformed, badly signed, unknown to the store or expired gives an empty
  session; when that session is written it gets a fresh id: a client-chosen id is never used.
- The store is written only when the session changed; a change to a session deleted meanwhile
  (logged out by a concurrent request) is dropped, without a cookie, never resurrecting it.
  Expiry is counted from the last write: each save stores the data for ``max_age`` seconds and
  sends the cookie with ``Max-Age``; requests that only read the session extend nothing.
- ``regenerate_session_id(request)`` (call it on login) moves the data to a new id and deletes
  the old one: session fixation protection. ``request.session.clear()`` deletes the stored
  session and expires the cookie.
- A store failure (Redis down or stalled) answers ``503 {"detail": "Session store
  unavailable"}``, whether it happens while loading the session or while saving it (the
  application's response is then dropped); a WebSocket handshake is refused with close code
  1011. Requests without a session cookie do not touch the store until they write a session.
- WebSockets get ``websocket.session`` to read; changes made there are not saved (as with
  Starlette's ``SessionMiddleware``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from typing import Any, Literal

import msgspec

from fasterapi_core.requests import HTTPConnection
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_middleware._asgi import append_vary, send_plain
from fasterapi_middleware.session_data import TrackedSession, cookie_flags

from .session_stores import SessionStore, SessionStoreError

__all__ = ["ServerSession", "ServerSideSessionMiddleware", "regenerate_session_id"]

logger = logging.getLogger("fasterapi.middleware.server_sessions")

_ID_RE = re.compile(r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32)
_EXPIRED = "expires=Thu, 01 Jan 1970 00:00:00 GMT; "
_UNAVAILABLE = b'{"detail":"Session store unavailable"}'
_encode = msgspec.msgpack.Encoder().encode
_decode = msgspec.msgpack.Decoder(dict[str, Any]).decode


def new_session_id() -> str:
    """A fresh random session id (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class ServerSession(TrackedSession):
    """The session's data, as a dict. ``session_id`` is the id it is stored under (``None``
    until a new session is first saved); ``accessed`` and ``modified`` record its use."""

    session_id: str | None = None

    def regenerate(self) -> None:
        """Keep the data under a new id, deleting the old one (call it on login)."""
        self._changed()
        self.session_id = new_session_id()

    def clear(self) -> None:
        """Empty the session: the stored session is deleted and the cookie expired (data
        written afterwards is saved under a new id)."""
        self._changed()
        self.session_id = None
        super().clear()


def regenerate_session_id(connection: HTTPConnection) -> None:
    """Give the connection's server-side session a new id and delete the old one, keeping its
    data: call it when a user logs in (session fixation protection)."""
    session = connection.scope.get("session")
    if not isinstance(session, ServerSession):
        raise RuntimeError(
            "regenerate_session_id needs ServerSideSessionMiddleware to be installed"
        )
    session.regenerate()


class ServerSideSessionMiddleware:
    """Keep ``request.session`` (HTTP; read-only on WebSockets) in ``store``, the cookie holding
    only the session id. See the module docstring for expiry, fixation and failure rules."""

    def __init__(
        self,
        app: ASGIApp,
        store: SessionStore,
        secret_key: str | None = None,
        session_cookie: str = "session",
        max_age: int = 14 * 24 * 60 * 60,
        path: str = "/",
        same_site: Literal["lax", "strict", "none"] = "lax",
        https_only: bool = False,
        domain: str | None = None,
        partitioned: bool = False,
    ) -> None:
        if not isinstance(store, SessionStore):
            raise TypeError("store must be a SessionStore (load, save and delete coroutines)")
        if isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 1:
            raise ValueError("max_age must be a positive number of seconds (the store's TTL)")
        if same_site not in ("lax", "strict", "none"):
            raise ValueError("same_site must be 'lax', 'strict' or 'none'")
        if secret_key is not None and not str(secret_key):
            raise ValueError("secret_key must be non-empty (or None for unsigned ids)")
        self.app = app
        self.store = store
        self.key = None if secret_key is None else str(secret_key).encode("utf-8")
        self.session_cookie = session_cookie
        self.max_age = max_age
        self.path = path
        self.flags = cookie_flags(same_site, https_only, domain, partitioned)

    # -- the cookie ---------------------------------------------------------------------------

    def _signature(self, session_id: str) -> str:
        assert self.key is not None
        digest = hmac.new(self.key, session_id.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def cookie_value(self, session_id: str) -> str:
        """What the cookie holds for ``session_id``: the id, plus ``.signature`` when signed."""
        if self.key is None:
            return session_id
        return f"{session_id}.{self._signature(session_id)}"

    def session_id_from(self, cookie: str | None) -> str | None:
        """The well-formed (and correctly signed) session id in ``cookie``, else ``None``."""
        if cookie is None:
            return None
        session_id, signature = cookie, ""
        if self.key is not None:
            session_id, _, signature = cookie.partition(".")
        if not _ID_RE.fullmatch(session_id):
            return None
        if self.key is not None and not hmac.compare_digest(
            signature.encode("utf-8"), self._signature(session_id).encode("ascii")
        ):
            return None
        return session_id

    def _set_cookie(self, session_id: str | None) -> bytes:
        if session_id is None:
            value, age = "null", _EXPIRED
        else:
            value, age = self.cookie_value(session_id), f"Max-Age={self.max_age}; "
        header = f"{self.session_cookie}={value}; path={self.path}; {age}{self.flags}"
        return header.encode("latin-1")

    # -- the store ----------------------------------------------------------------------------

    async def load(self, cookie: str | None) -> ServerSession:
        """The session the cookie points at; empty (no id) when there is none. May raise
        ``SessionStoreError``."""
        session_id = self.session_id_from(cookie)
        if session_id is None:
            return ServerSession()
        raw = await self.store.load(session_id)
        if raw is None:
            return ServerSession()
        try:
            session = ServerSession(_decode(raw))
        except msgspec.DecodeError:
            logger.warning("Undecodable session data for a session cookie: starting afresh")
            return ServerSession()
        session.session_id = session_id
        return session

    async def commit(self, session: ServerSession, loaded_id: str | None) -> bytes | None:
        """Save or delete ``session`` as its changes require; the ``Set-Cookie`` value the
        response needs, if any. May raise ``SessionStoreError``."""
        if not session.modified:
            return None
        if loaded_id is not None and session.session_id != loaded_id:
            await self.store.delete(loaded_id)  # regenerated or cleared: the old id dies first
        if not session:
            if loaded_id is not None and session.session_id == loaded_id:
                await self.store.delete(loaded_id)
            session.session_id = None
            return None if loaded_id is None else self._set_cookie(None)
        try:
            data = _encode(dict(session))
        except (TypeError, msgspec.EncodeError) as exc:
            raise TypeError(f"session values must be serializable by msgspec: {exc}") from exc
        if session.session_id is None:
            session.session_id = new_session_id()
        existing = session.session_id == loaded_id
        # A session deleted meanwhile (logout in another tab, regenerated by a concurrent
        # request) stays deleted: its changes are dropped, and no cookie is sent, which could
        # overwrite the one a concurrent login has just set.
        if not await self.store.save(
            session.session_id, data, self.max_age, only_if_exists=existing
        ):
            session.session_id = None
            return None
        return self._set_cookie(session.session_id)

    # -- ASGI ---------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        cookie = HTTPConnection(scope).cookies.get(self.session_cookie)
        try:
            session = await self.load(cookie)
        except SessionStoreError as exc:
            logger.warning("Session store failed while loading a session: %s", exc)
            await self._unavailable(kind, receive, send)
            return
        scope["session"] = session
        if kind == "websocket":
            await self.app(scope, receive, send)
            return
        loaded_id = session.session_id
        failed = False

        async def send_with_cookie(message: Message) -> None:
            nonlocal failed
            if failed:  # a 503 replaced the application's response: drop the rest of it
                return
            if message["type"] == "http.response.start":
                current = scope["session"]
                if not isinstance(current, ServerSession):  # replaced by the application
                    current = ServerSession(current)
                    current.modified = current.accessed = True
                    current.session_id = loaded_id
                try:
                    set_cookie = await self.commit(current, loaded_id)
                except SessionStoreError as exc:
                    logger.warning("Session store failed while saving a session: %s", exc)
                    failed = True
                    await self._unavailable("http", receive, send)
                    return
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", ()))
                if current.accessed:
                    append_vary(headers, b"Cookie")
                if set_cookie is not None:
                    headers.append((b"set-cookie", set_cookie))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    async def _unavailable(self, kind: str, receive: Receive, send: Send) -> None:
        if kind == "websocket":
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1011, "reason": ""})
            return
        await send_plain(send, 503, _UNAVAILABLE, None, b"application/json")
