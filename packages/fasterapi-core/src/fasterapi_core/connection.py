"""``HTTPConnection``: what HTTP requests and WebSockets share (URL, headers, query, cookies,
client, path parameters, state), parsed lazily on first access and cached."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fasterapi_core._cookies import parse_cookie_header
from fasterapi_core.datastructures import URL, Address, Headers, QueryParams, State
from fasterapi_core.limits import check_query_param_count, limits_of
from fasterapi_core.types import Message, Receive, Scope

__all__ = ["HTTPConnection", "empty_receive", "query_params_of"]


_EMPTY_BODY: Message = {"type": "http.request", "body": b"", "more_body": False}


async def empty_receive() -> Message:
    """A receive channel for a request without a body."""
    return dict(_EMPTY_BODY)


def query_params_of(scope: Scope) -> QueryParams:
    """The parsed query string of ``scope``; 400 over the application's parameter limit."""
    query_string: bytes = scope.get("query_string", b"")
    if query_string:
        check_query_param_count(query_string, limits_of(scope.get("app")).max_query_params)
    return QueryParams(query_string)


class HTTPConnection(Mapping[str, Any]):
    """What HTTP requests and WebSocket connections share; also a read-only view of the scope."""

    __slots__ = (
        "__weakref__",  # Starlette's connections can be weakly referenced (telemetry, caches)
        "_base_url",
        "_cookies",
        "_headers",
        "_query_params",
        "_receive",
        "_state",
        "_url",
        "scope",
    )

    _url: URL
    _base_url: URL
    _headers: Headers
    _query_params: QueryParams
    _cookies: dict[str, str]
    _state: State

    def __init__(self, scope: Scope, receive: Receive | None = None) -> None:
        self.scope = scope
        self._receive: Receive = receive if receive is not None else empty_receive

    # A read-only mapping over the scope.
    def __getitem__(self, key: str) -> Any:
        return self.scope[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.scope)

    def __len__(self) -> int:
        return len(self.scope)

    # Connections compare by identity, not by scope contents.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    @property
    def app(self) -> Any:
        """The application that received this connection (``scope["app"]``)."""
        return self.scope.get("app")

    @property
    def url(self) -> URL:
        """The full URL of the request (scheme, host, root path + path, query)."""
        try:
            return self._url
        except AttributeError:
            url = self._url = URL(scope=self.scope)
            return url

    @property
    def base_url(self) -> URL:
        """The URL of the application root (with a trailing slash, no query): the top
        application's ``root_path`` (``app_root_path`` inside a mount, as Starlette's)."""
        try:
            return self._base_url
        except AttributeError:
            scope = self.scope
            root_path: str = scope.get("app_root_path", scope.get("root_path", ""))
            base_scope = {
                "scheme": scope.get("scheme", "http"),
                "server": scope.get("server"),
                "headers": scope.get("headers", ()),
                "path": root_path if root_path.endswith("/") else root_path + "/",
            }
            url = self._base_url = URL(scope=base_scope)
            return url

    @property
    def headers(self) -> Headers:
        """The request headers: case-insensitive, multi-valued, raw bytes kept."""
        try:
            return self._headers
        except AttributeError:
            headers = self._headers = Headers(scope=self.scope)
            return headers

    @property
    def query_params(self) -> QueryParams:
        """The parsed query string (``get`` gives the last value, ``getlist`` all of them)."""
        try:
            return self._query_params
        except AttributeError:
            params = self._query_params = query_params_of(self.scope)
            return params

    @property
    def path_params(self) -> dict[str, Any]:
        """The values the router matched in the path, by parameter name."""
        params: dict[str, Any] = self.scope.get("path_params", {})
        return params

    @property
    def cookies(self) -> dict[str, str]:
        """Cookies from every ``Cookie`` header; malformed pairs are skipped, never fatal."""
        try:
            return self._cookies
        except AttributeError:
            cookies: dict[str, str] = {}
            for value in self.headers.getlist("cookie"):
                cookies.update(parse_cookie_header(value))
            self._cookies = cookies
            return cookies

    @property
    def session(self) -> dict[str, Any]:
        """The session kept by ``SessionMiddleware`` (which must be installed); reading it
        makes the response vary by cookie."""
        if "session" not in self.scope:
            raise AssertionError("SessionMiddleware must be installed to access request.session")
        session: dict[str, Any] = self.scope["session"]
        if hasattr(session, "accessed"):
            session.accessed = True
        return session

    @property
    def auth(self) -> Any:
        """The credentials an authentication middleware stored (``scope["auth"]``), as
        Starlette's ``AuthenticationMiddleware`` does; it must be installed."""
        if "auth" not in self.scope:
            raise AssertionError(
                "AuthenticationMiddleware must be installed to access request.auth"
            )
        return self.scope["auth"]

    @property
    def user(self) -> Any:
        """The user an authentication middleware stored (``scope["user"]``)."""
        if "user" not in self.scope:
            raise AssertionError(
                "AuthenticationMiddleware must be installed to access request.user"
            )
        return self.scope["user"]

    @property
    def client(self) -> Address | None:
        """The client's ``(host, port)``, or None when the server does not say."""
        client = self.scope.get("client")
        if not client:
            return None
        try:
            return Address(client[0], client[1])
        except (TypeError, IndexError):
            return None

    @property
    def state(self) -> State:
        """Per-request state over ``scope["state"]``: ``state.x`` and ``state["x"]`` both work."""
        try:
            return self._state
        except AttributeError:
            state = self._state = State(self.scope.setdefault("state", {}))
            return state

    def url_for(self, name: str, /, **path_params: Any) -> URL:
        """The absolute URL of the route called ``name``, built by ``scope["router"]``."""
        router = self.scope.get("router")
        if router is None or not hasattr(router, "url_path_for"):
            router = self.scope.get("app")
        if router is None or not hasattr(router, "url_path_for"):
            raise RuntimeError("url_for() needs a router in scope['router']")
        path = router.url_path_for(name, **path_params)
        if hasattr(path, "make_absolute_url"):  # a URLPath: its protocol and host count
            url = path.make_absolute_url(self.base_url)
            return url if isinstance(url, URL) else URL(str(url))
        path = str(path)
        if "://" in path:
            return URL(path)
        return URL(str(self.base_url).rstrip("/") + "/" + path.lstrip("/"))
