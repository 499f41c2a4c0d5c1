"""HTTP semantic-convention attributes read from an ASGI scope: method (bounded to the known
ones), server address and port, the query with its signatures redacted, and the propagation
carrier of the request's headers."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from opentelemetry.propagators.textmap import Getter  # type: ignore[import-not-found,unused-ignore]

from fasterapi_core.types import Scope

__all__ = [
    "HEADERS_GETTER",
    "header_carrier",
    "known_methods",
    "redacted_query",
    "server_attributes",
]

HTTP_METHODS = frozenset(
    {"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE"}
)
# https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-server-span
_SENSITIVE_QUERY_PARAMETERS = frozenset(
    {"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "sig", "X-Goog-Signature"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def known_methods() -> frozenset[str]:
    """The methods kept as they are (others are ``_OTHER``): the standard ones, or
    ``OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS`` (comma-separated, case-sensitive)."""
    listed = os.getenv("OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS", "").strip()
    if not listed:
        return HTTP_METHODS
    return frozenset(method.strip() for method in listed.split(",") if method.strip())


def header_carrier(scope: Scope) -> dict[str, list[str]]:
    """The request's headers by lower-case name, for the propagators."""
    carrier: dict[str, list[str]] = {}
    for name, value in scope.get("headers") or ():
        carrier.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
    return carrier


class _HeadersGetter(Getter[dict[str, list[str]]]):  # type: ignore[misc,unused-ignore]
    def get(self, carrier: dict[str, list[str]], key: str) -> list[str] | None:
        values = carrier.get(key.lower())
        if not values:
            return None
        if key.lower() == "baggage":  # the baggage propagator reads the first value only
            return [",".join(values)]
        return values

    def keys(self, carrier: dict[str, list[str]]) -> list[str]:
        return list(carrier)


HEADERS_GETTER = _HeadersGetter()


def _host(scope: Scope) -> str | None:
    for name, value in scope.get("headers") or ():
        if name.lower() == b"host":
            return str(value.decode("latin-1"))
    return None


def server_attributes(scope: Scope) -> dict[str, Any]:
    """``server.address`` and ``server.port`` from the Host header (else the scope's
    ``server``); nothing for a malformed authority."""
    authority = _host(scope)
    if authority is not None:
        try:
            url = urlsplit("//" + authority)
            address, port = url.hostname, url.port
        except ValueError:
            return {}
        if url.username is not None or url.path or url.query or url.fragment:
            return {}
        if port is None:
            port = _DEFAULT_PORTS.get(scope.get("scheme", "http"))
    else:
        address, port = scope.get("server") or (None, None)
    if address is None:
        return {}
    attributes: dict[str, Any] = {"server.address": address}
    if port is not None:
        attributes["server.port"] = port
    return attributes


def redacted_query(query_string: bytes) -> str:
    """``url.query`` with the values of signature parameters replaced by ``REDACTED``."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return urlencode(
        [(key, "REDACTED" if key in _SENSITIVE_QUERY_PARAMETERS else value) for key, value in pairs]
    )
