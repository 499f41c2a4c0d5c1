"""``URLPath``: what ``url_path_for`` returns (Starlette's shape): a path string that may
carry the protocol and host of the route it was built from."""

from __future__ import annotations

from typing import Literal

from fasterapi_core._url import URL

__all__ = ["URLPath"]

_SCHEMES = {"http": ("http", "https"), "websocket": ("ws", "wss")}


class URLPath(str):
    """A URL path (a ``str``) with the ``protocol`` (``"http"``, ``"websocket"`` or ``""``)
    and ``host`` (``""``: the request's) of the route it leads to."""

    protocol: str
    host: str

    def __new__(
        cls, path: str, protocol: Literal["http", "websocket", ""] = "", host: str = ""
    ) -> URLPath:
        if protocol not in ("http", "websocket", ""):
            raise ValueError(f"URLPath protocol must be 'http', 'websocket' or '': {protocol!r}")
        path = path.replace("\\", "%5C")
        if path.startswith("//"):  # would read as an authority
            path = "/%2F" + path[2:]
        return str.__new__(cls, path)

    def __init__(
        self, path: str, protocol: Literal["http", "websocket", ""] = "", host: str = ""
    ) -> None:
        self.protocol = protocol
        self.host = host

    def make_absolute_url(self, base_url: str | URL) -> URL:
        """The absolute URL of this path under ``base_url`` (its scheme adapted to the
        protocol, its host replaced by ``host`` when set)."""
        if isinstance(base_url, str):
            base_url = URL(base_url)
        scheme = base_url.scheme
        if self.protocol:
            scheme = _SCHEMES[self.protocol][base_url.is_secure]
        netloc = self.host or base_url.netloc
        return URL(f"{scheme}://{netloc}{base_url.path.rstrip('/')}{self}")
