"""A request body's checks before and as it is read: the limits in force and the declared
``Content-Length`` (:func:`body_headers`), a body received in one message (:func:`whole_body`),
and the JSON depth limit.

With ``requests.rest_of_body``, what ``Request.body()`` does, split so that a route handler
awaits ``receive`` itself (a coroutine frame less per request).
"""

from __future__ import annotations

from fasterapi_core.datastructures import Headers
from fasterapi_core.limits import (
    DEFAULT_LIMITS,
    LIMITS_SCOPE_KEY,
    Limits,
    check_json_depth,
    limits_of,
)
from fasterapi_core.types import Message, Scope

__all__ = ["body_headers", "check_json_body_depth", "whole_body"]


def _is_json_body(content_type: str | None) -> bool:
    """Whether a body with this content type is checked as JSON (no type counts as JSON)."""
    if not content_type:
        return True
    main = content_type.split(";", 1)[0].strip().lower()
    return main == "application/json" or (
        main.startswith("application/") and main.endswith("+json")
    )


def check_json_body_depth(scope: Scope, body: bytes, depth: int) -> None:
    """400 when a JSON body nests deeper than ``depth`` (bodies of other types are not JSON)."""
    if body.count(b"[") + body.count(b"{") <= depth:
        return  # what check_json_depth would find first, without reading the headers
    if _is_json_body(Headers(scope=scope).get("content-type")):
        check_json_depth(body, depth)


def body_headers(scope: Scope) -> tuple[Limits, bytes | None]:
    """The request's limits (see ``limits.request_limits``) and its raw ``Content-Type`` (the
    first one), after refusing a declared ``Content-Length`` over the body limit (413) or not a
    number (400).

    With :func:`whole_body` and :func:`rest_of_body`, what ``Request.body()`` does, split so
    that a route handler awaits ``receive`` itself (a coroutine frame less per request).
    """
    limits = scope.get(LIMITS_SCOPE_KEY)  # a route's or mount's own limits
    if limits is None:
        try:  # PERF: two attribute reads on FasterAPI's apps; limits_of(app) for the others
            limits = scope["app"].core_settings.limits
        except (KeyError, AttributeError):
            limits = limits_of(scope.get("app"))
    if not isinstance(limits, Limits):
        limits = DEFAULT_LIMITS
    checked = limits.max_body_size is not None
    digits = limits._body_size_digits
    content_type = None
    for key, value in scope.get("headers", ()):
        if key == b"content-type":  # ASGI header names are lowercase
            if content_type is None:
                content_type = value
        elif (
            key == b"content-length"
            and checked
            and (len(value) >= digits or not value.isdigit())  # else under the limit
        ):
            limits.check_content_length(value)
    return limits, content_type


def whole_body(message: Message, limits: Limits, scope: Scope) -> bytes | None:
    """The body when ``message`` (the first one received) is the request's only body message
    (413 over the size limit, 400 over the JSON depth limit), else None."""
    if message["type"] != "http.request" or message.get("more_body", False):
        return None
    body: bytes = message.get("body", b"")
    limit = limits.max_body_size
    if limit is not None and len(body) > limit:
        raise limits.body_too_large()
    if limits.max_json_depth is not None:
        check_json_body_depth(scope, body, limits.max_json_depth)
    return body
