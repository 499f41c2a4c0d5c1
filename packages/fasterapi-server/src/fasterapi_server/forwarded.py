"""``--proxy-headers``: the client address and scheme reported by trusted reverse proxies.

When the connection comes from a trusted proxy, ``X-Forwarded-Proto`` (``http``, ``https``,
``ws`` or ``wss``) becomes the scope's ``scheme`` and ``X-Forwarded-For`` its ``client``: the
right-most address that is not itself a trusted proxy (each proxy appends the address it saw),
or the left-most when every address is trusted. The port is unknown then and reported as 0.
Other connections keep what the socket says. This is uvicorn's rule, so applications behave the
same behind either server (the scheme is matched case-insensitively here: ``HTTPS`` counts).

Trusted proxies are given as a comma-separated list of IP addresses, networks
(``10.0.0.0/8``), other literal peer names, or ``*`` for any peer; the default is the
``FORWARDED_ALLOW_IPS`` environment variable, else ``127.0.0.1``.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable

from ._types import Scope

__all__ = ["TrustedProxies", "default_trusted"]

_SCHEMES = frozenset({"http", "https", "ws", "wss"})
_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def default_trusted() -> str:
    """The trusted proxies when none are given: ``$FORWARDED_ALLOW_IPS`` or ``127.0.0.1``."""
    return os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def _items(spec: str | Iterable[str]) -> list[str]:
    parts = spec.split(",") if isinstance(spec, str) else list(spec)
    return [part.strip() for part in parts if part.strip()]


class TrustedProxies:
    """The proxies whose forwarding headers are believed, and the rule that applies them."""

    __slots__ = ("any", "literals", "networks")

    def __init__(self, spec: str | Iterable[str]) -> None:
        items = _items(spec)
        self.any = "*" in items
        self.networks: list[_Network] = []
        self.literals: set[str] = set()
        for item in items:
            try:
                self.networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self.literals.add(item)  # a unix socket path or another peer name

    def __contains__(self, host: object) -> bool:
        if self.any:
            return True
        if not isinstance(host, str):
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return host in self.literals
        return any(address in network for network in self.networks)

    def client_of(self, forwarded_for: str) -> str:
        """The client address in an ``X-Forwarded-For`` value ("" when it lists none)."""
        hops = [hop.strip() for hop in forwarded_for.split(",")]
        if not self.any:
            for hop in reversed(hops):
                if hop not in self:
                    return hop
        return hops[0]  # every hop is a trusted proxy: the first one saw the client

    def apply(self, scope: Scope) -> None:
        """Rewrite ``scheme`` and ``client`` of an HTTP scope sent by a trusted proxy."""
        client = scope.get("client")
        if client is None or client[0] not in self:
            return
        proto = forwarded_for = None
        for name, value in scope["headers"]:  # the last of repeated headers wins
            if name == b"x-forwarded-proto":
                proto = value
            elif name == b"x-forwarded-for":
                forwarded_for = value
        if proto is not None:
            scheme = proto.decode("latin-1").strip().lower()
            if scheme in _SCHEMES:
                scope["scheme"] = scheme
        if forwarded_for is not None:
            host = self.client_of(forwarded_for.decode("latin-1"))
            if host:
                scope["client"] = (host, 0)
