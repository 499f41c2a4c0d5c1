"""Request limits: how much a client may send before the framework refuses it.

``Faster(limits=Limits(...))`` configures them per application; ``Request`` reads
``scope["app"].limits`` and falls back to ``DEFAULT_LIMITS``. The defaults are meant to be safe
for a JSON API on the open internet while leaving ordinary traffic untouched:

========================  ==============  ====================================================
limit                     default         when exceeded
========================  ==============  ====================================================
``max_body_size``         16 MiB          413, up front when ``Content-Length`` is larger,
                                          otherwise as soon as the streamed (or chunked) body
                                          passes it; applies to ``body``/``json``/``form``/
                                          ``stream`` alike, uploads included (a
                                          ``Content-Length`` that is not all digits: 400)
``max_query_params``      1000            400 when the query string has more parameters
``max_json_depth``        ``None``        ``None`` relies on msgspec's built-in recursion guard
                                          (a document nested thousands of levels deep is
                                          refused as invalid JSON, 422 on routes, 400 from
                                          ``Request.json()``); an int adds an explicit check
                                          (400) on JSON bodies when they are read
``form``                  ``FormLimits``  multipart and urlencoded limits: 1000 fields,
                                          1000 files, 1 MiB per non-file part, 8 KiB of
                                          headers per part (400 for counts, 413 for sizes)
========================  ==============  ====================================================

Header count and size are bounded by the server (uvicorn/h11/httptools), before the
application sees the request. ``None`` disables a limit. ``Faster(form_limits=...)``, when
given, takes precedence over ``limits.form``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.formparsers import DEFAULT_FORM_LIMITS, FormLimits

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "check_json_depth",
    "check_query_param_count",
    "limits_of",
]

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-application request limits (see the module docstring for the defaults)."""

    max_body_size: int | None = 16 * MiB
    max_query_params: int | None = 1000
    max_json_depth: int | None = None
    form: FormLimits = field(default=DEFAULT_FORM_LIMITS)
    # Digits of max_body_size: a Content-Length of fewer digits is under the limit, without
    # int() (which costs more than the rest of the header check).
    _body_size_digits: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("max_body_size", "max_query_params", "max_json_depth"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"{name} must be a positive integer or None")
        if not isinstance(self.form, FormLimits):
            raise TypeError("form must be a FormLimits")
        digits = 0 if self.max_body_size is None else len(str(self.max_body_size))
        object.__setattr__(self, "_body_size_digits", digits)

    def check_content_length(self, value: bytes) -> None:
        """Refuse a declared ``Content-Length`` over ``max_body_size`` (413) or not a number
        (400: RFC 9110 allows digits only)."""
        if not value.isdigit():
            raise BaseHTTPException(400, "Invalid Content-Length header.")
        limit = self.max_body_size
        # fewer digits than the limit: smaller than it, without int()
        if limit is not None and len(value) >= self._body_size_digits and int(value) > limit:
            raise self.body_too_large()

    def body_too_large(self) -> BaseHTTPException:
        """The 413 raised when the body passes ``max_body_size`` (closes the connection)."""
        return BaseHTTPException(
            413,
            f"Request body exceeded maximum size of {self.max_body_size} bytes.",
            headers={"Connection": "close"},
        )


DEFAULT_LIMITS = Limits()


def limits_of(app: Any) -> Limits:
    """The limits of ``app`` (``app.limits``), else ``DEFAULT_LIMITS``."""
    limits = getattr(app, "limits", None)
    return limits if isinstance(limits, Limits) else DEFAULT_LIMITS


def check_query_param_count(query_string: bytes, limit: int | None) -> None:
    """Raise 400 when ``query_string`` holds more than ``limit`` parameters.

    Costs one ``bytes.count`` unless the string has at least ``limit`` separators.
    """
    if limit is None or query_string.count(b"&") < limit:
        return
    count = sum(1 for part in query_string.split(b"&") if part)
    if count > limit:
        raise BaseHTTPException(
            400, f"Too many query parameters. Maximum number of parameters is {limit}."
        )


# A JSON string (with escapes) or one structural bracket; everything else is skipped.
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


def check_json_depth(body: bytes, limit: int | None) -> None:
    """Raise 400 when the JSON document ``body`` nests arrays/objects deeper than ``limit``.

    Documents with no more than ``limit`` opening brackets are accepted after two
    ``bytes.count`` calls; only the others are scanned (strings skipped, brackets counted).
    """
    if limit is None or body.count(b"[") + body.count(b"{") <= limit:
        return
    depth = 0
    for match in _JSON_TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                raise BaseHTTPException(400, f"JSON body is nested deeper than {limit} levels.")
        elif token in (b"]", b"}"):
            depth -= 1
