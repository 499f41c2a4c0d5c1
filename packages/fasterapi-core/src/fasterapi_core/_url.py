"""``URL`` and ``Address``: the request URL, split into parts, tolerant of hostile input."""

from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import SplitResult, urlencode, urlsplit

from fasterapi_core.types import Scope

__all__ = ["URL", "Address"]

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


class Address(NamedTuple):
    """A ``(host, port)`` pair, as found in ``scope["client"]`` and ``scope["server"]``."""

    host: str
    port: int


def _split(url: str) -> tuple[str, str, str, str, str]:
    """Split ``url`` into (scheme, netloc, path, query, fragment); never raises."""
    try:
        parts: SplitResult = urlsplit(url)
        return parts.scheme, parts.netloc, parts.path, parts.query, parts.fragment
    except ValueError:  # e.g. an unbalanced "[" in the host: split by hand
        rest, _, fragment = url.partition("#")
        rest, _, query = rest.partition("?")
        scheme, sep, after = rest.partition("://")
        if not sep:
            return "", "", rest, query, fragment
        slash = after.find("/")
        if slash == -1:
            return scheme.lower(), after, "", query, fragment
        return scheme.lower(), after[:slash], after[slash:], query, fragment


def _join(scheme: str, netloc: str, path: str, query: str, fragment: str) -> str:
    url = f"{scheme}://{netloc}{path}" if scheme else f"//{netloc}{path}" if netloc else path
    if query:
        url += "?" + query
    if fragment:
        url += "#" + fragment
    return url


class URL:
    """An immutable URL. Build it from a string or from an ASGI ``scope``.

    From a scope the parts are taken directly (scheme, Host header or server, root_path + path,
    query string), so a hostile Host header can never change the path or make a property raise.
    """

    __slots__ = ("_fragment", "_netloc", "_path", "_query", "_scheme", "_url")

    def __init__(self, url: str = "", scope: Scope | None = None) -> None:
        if scope is None:
            self._url = url
            parts = _split(url)
            self._scheme, self._netloc, self._path, self._query, self._fragment = parts
            return
        scheme: str = scope.get("scheme", "http")
        netloc = ""
        for key, value in scope.get("headers", ()):
            if key == b"host":
                netloc = value.decode("latin-1")
                break
        if not netloc:
            server = scope.get("server")
            if server:
                host, port = server[0], server[1]
                if ":" in host and not host.startswith("["):
                    host = f"[{host}]"
                default = _DEFAULT_PORTS.get(scheme)
                netloc = host if port is None or port == default else f"{host}:{port}"
        path: str = scope.get("path", "")
        root_path: str = scope.get("root_path", "")
        # ASGI servers disagree on whether ``path`` already includes ``root_path``.
        if root_path and not (path == root_path or path.startswith(root_path + "/")):
            path = root_path + path
        query_string = scope.get("query_string", b"")
        query = query_string.decode("latin-1") if query_string else ""
        self._scheme, self._netloc, self._path, self._query = scheme, netloc, path, query
        self._fragment = ""
        # Without any host the URL is relative (just path and query), as in Starlette.
        self._url = _join(scheme if netloc else "", netloc, path, query, "")

    @property
    def scheme(self) -> str:
        """The scheme, e.g. ``"https"`` (``""`` for a relative URL)."""
        return self._scheme

    @property
    def netloc(self) -> str:
        """The network location: ``host[:port]``, with ``user:password@`` if present."""
        return self._netloc

    @property
    def path(self) -> str:
        """The path, percent-encoded as received, e.g. ``"/items/1"``."""
        return self._path

    @property
    def query(self) -> str:
        """The raw query string without the leading ``?`` (``""`` when absent)."""
        return self._query

    @property
    def fragment(self) -> str:
        """The fragment without the leading ``#`` (``""`` when absent)."""
        return self._fragment

    def _userinfo_hostport(self) -> tuple[str | None, str]:
        userinfo, sep, hostport = self._netloc.rpartition("@")
        return (userinfo if sep else None), hostport

    def _host_port(self) -> tuple[str, str]:
        hostport = self._userinfo_hostport()[1]
        if hostport.startswith("["):
            end = hostport.find("]")
            if end == -1:
                return hostport[1:], ""
            host, rest = hostport[1:end], hostport[end + 1 :]
            return host, rest[1:] if rest.startswith(":") else ""
        host, _, port = hostport.partition(":")
        return host, port

    @property
    def hostname(self) -> str | None:
        """Lower-cased host without port or brackets, or ``None`` when there is none."""
        host = self._host_port()[0]
        return host.lower() if host else None

    @property
    def port(self) -> int | None:
        """The explicit port, or ``None`` when absent or not a valid port number."""
        port = self._host_port()[1]
        if port.isascii() and port.isdigit():
            value = int(port)
            return value if value <= 65535 else None
        return None

    @property
    def username(self) -> str | None:
        """The user name of ``user:password@host``, or None without userinfo."""
        userinfo = self._userinfo_hostport()[0]
        return None if userinfo is None else userinfo.partition(":")[0]

    @property
    def password(self) -> str | None:
        """The password of ``user:password@host``, or None when there is none."""
        userinfo = self._userinfo_hostport()[0]
        if userinfo is None:
            return None
        _, sep, password = userinfo.partition(":")
        return password if sep else None

    @property
    def is_secure(self) -> bool:
        """True for ``https`` and ``wss`` URLs."""
        return self._scheme in ("https", "wss")

    def replace(self, **parts: Any) -> URL:
        """A copy with some parts replaced: ``scheme``, ``netloc``, ``path``, ``query``,
        ``fragment``, or ``hostname``/``port``/``username``/``password`` (rebuilding netloc)."""
        netloc_parts = {"hostname", "port", "username", "password"}
        if netloc_parts & parts.keys():
            hostname = parts.pop("hostname", self.hostname) or ""
            port = parts.pop("port", self.port)
            username = parts.pop("username", self.username)
            password = parts.pop("password", self.password)
            if ":" in hostname and not hostname.startswith("["):
                hostname = f"[{hostname}]"
            netloc = hostname if port is None else f"{hostname}:{port}"
            if username is not None:
                userinfo = username if password is None else f"{username}:{password}"
                netloc = f"{userinfo}@{netloc}"
            parts["netloc"] = netloc
        unknown = parts.keys() - {"scheme", "netloc", "path", "query", "fragment"}
        if unknown:
            raise TypeError(f"Unknown URL part(s): {', '.join(sorted(unknown))}")
        # Built from the parts directly (no re-parse), so an odd netloc cannot move the path.
        url = URL.__new__(URL)
        url._scheme = parts.get("scheme", self._scheme)
        url._netloc = parts.get("netloc", self._netloc)
        url._path = parts.get("path", self._path)
        url._query = parts.get("query", self._query)
        url._fragment = parts.get("fragment", self._fragment)
        url._url = _join(url._scheme, url._netloc, url._path, url._query, url._fragment)
        return url

    def include_query_params(self, **kwargs: Any) -> URL:
        """A copy with these query parameters set (replacing any existing values)."""
        from fasterapi_core._multidict import QueryParams

        items = [(k, v) for k, v in QueryParams(self._query).multi_items() if k not in kwargs]
        items.extend((k, str(v)) for k, v in kwargs.items())
        return self.replace(query=urlencode(items))

    def replace_query_params(self, **kwargs: Any) -> URL:
        """A copy whose query string holds exactly these parameters."""
        return self.replace(query=urlencode([(k, str(v)) for k, v in kwargs.items()]))

    def remove_query_params(self, *keys: str) -> URL:
        """A copy without the given query parameters."""
        from fasterapi_core._multidict import QueryParams

        items = [(k, v) for k, v in QueryParams(self._query).multi_items() if k not in keys]
        return self.replace(query=urlencode(items))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str | URL):
            return self._url == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._url)

    def __str__(self) -> str:
        return self._url

    def __repr__(self) -> str:
        url = self._url
        password = self.password
        if password:
            hostport = self._userinfo_hostport()[1]
            url = str(self.replace(netloc=f"{self.username}:********@{hostport}"))
        return f"{type(self).__name__}({url!r})"
