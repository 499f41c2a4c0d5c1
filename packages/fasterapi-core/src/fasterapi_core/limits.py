"""Request limits: how much a client may send before the framework refuses it.

``Faster(limits=Limits(...))`` configures them per application; ``Request`` reads
``scope["app"].core_settings.limits`` (see core_settings.py) and falls back to
``DEFAULT_LIMITS``. The defaults are meant to be safe
for a JSON API on the open internet while leaving ordinary traffic untouched:

========================  ==============  ====================================================
limit                     default         when exceeded
========================  ==============  ====================================================
``max_body_size``         16 MiB          413, up front when ``Content-Length`` is larger,
                                          otherwise as soon as the streamed (or chunked) body
                                          passes it; applies to ``body``/``json``/``form``/
                                          ``stream`` alike, uploads included (a
                                          ``Content-Length`` that is not all digits: 400,
                                          but ignored under FastAPI's ``max_body_size=``,
                                          as FastAPI does: the bytes received count)
``max_query_params``      1000            400 when the query string has more parameters
``max_json_depth``        ``None``        ``None`` relies on msgspec's built-in recursion guard
                                          (a document nested thousands of levels deep is
                                          refused as invalid JSON, 422 on routes, 400 from
                                          ``Request.json()``); an int adds an explicit check
                                          (400) on JSON bodies when they are read
``form``                  ``FormLimits``  multipart and urlencoded limits: 1000 fields,
                                          1000 files, 1 MiB per non-file part, 8 KiB of
                                          headers per part (400 for counts and part sizes,
                                          as FastAPI; 413 for part headers)
========================  ==============  ====================================================

Header count and size are bounded by the server (uvicorn/h11/httptools), before the
application sees the request. ``None`` disables a limit. ``Faster(form_limits=...)``, when
given, takes precedence over ``limits.form``.

FastAPI's keywords map onto these limits: ``max_body_size=`` (application, router,
``include_router``, route) gives :class:`FastAPILimits`, which answer as FastAPI does (413
``Content Too Large``, ``0`` allowing only an empty body), and ``form_limits={"max_fields": ...}``
changes ``form``. A route (or mount) whose limits are not its application's stores them in the
scope under :data:`LIMITS_SCOPE_KEY`; :func:`request_limits` reads them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypedDict

from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.formparsers import DEFAULT_FORM_LIMITS, FormLimits

__all__ = [
    "DEFAULT_LIMITS",
    "LIMITS_SCOPE_KEY",
    "BodyTooLarge",
    "FastAPILimits",
    "FormLimitOptions",
    "Limits",
    "check_json_depth",
    "check_query_param_count",
    "form_limit_overrides",
    "limits_of",
    "request_limits",
    "validate_max_body_size",
    "with_overrides",
]

MiB = 1024 * 1024


class BodyTooLarge(BaseHTTPException):
    """413: the request body is over the limit in force. Answered even when middleware
    reading the body raises it (not a 500), as FastAPI does. ``plain_text``: there, answered
    ``Content Too Large`` in plain text, as FastAPI does for its ``max_body_size`` (but for
    middleware of a mounted application, unless ``declared``: the ``Content-Length`` said so)."""

    def __init__(
        self,
        detail: str,
        headers: dict[str, str] | None = None,
        *,
        plain_text: bool = False,
        declared: bool = False,
    ) -> None:
        super().__init__(413, detail, headers)
        self.plain_text = plain_text
        self.declared = declared


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-application request limits (see the module docstring for the defaults)."""

    _least_body_size: ClassVar[int] = 1

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
            least = self._least_body_size if name == "max_body_size" else 1
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < least
            ):
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
        # PERF: fewer digits than the limit: smaller than it, without int() (timeit,
        # 2026-12-07: 16 ns for the usual short Content-Length, 48 ns with int())
        if limit is not None and len(value) >= self._body_size_digits and int(value) > limit:
            raise self.body_too_large(declared=True)

    def body_too_large(self, *, declared: bool = False) -> BodyTooLarge:
        """The 413 raised when the body passes ``max_body_size`` (closes the connection);
        ``declared``: the ``Content-Length`` says so."""
        return BodyTooLarge(
            f"Request body exceeded maximum size of {self.max_body_size} bytes.",
            headers={"Connection": "close"},
            declared=declared,
        )


@dataclass(frozen=True, slots=True)
class FastAPILimits(Limits):
    """Limits whose body size was set with FastAPI's ``max_body_size=``: a body over it is
    answered as FastAPI answers it, 413 ``{"detail": "Content Too Large"}``, and ``0`` allows
    only an empty body."""

    _least_body_size: ClassVar[int] = 0

    def check_content_length(self, value: bytes) -> None:
        """As FastAPI: a declared ``Content-Length`` over the limit is refused (413); one that
        is not a number is ignored, the bytes received being counted instead."""
        if value.isdigit():
            Limits.check_content_length(self, value)

    def body_too_large(self, *, declared: bool = False) -> BodyTooLarge:
        """FastAPI's (Starlette's) 413."""
        return BodyTooLarge("Content Too Large", plain_text=True, declared=declared)


DEFAULT_LIMITS = Limits()

LIMITS_SCOPE_KEY = "fasterapi.limits"
"""Scope key of the limits in force when they are not the application's (a route or a mount
configured with ``max_body_size=`` / ``form_limits=``)."""


def limits_of(app: Any) -> Limits:
    """The limits of ``app`` (``app.core_settings.limits``, see core_settings.py; else an
    ``app.limits`` of another framework's application), else ``DEFAULT_LIMITS``."""
    settings = getattr(app, "core_settings", None)  # a CoreSettings (no import: a cycle)
    limits = getattr(app if settings is None else settings, "limits", None)
    return limits if isinstance(limits, Limits) else DEFAULT_LIMITS


def request_limits(scope: Any) -> Limits:
    """The limits in force for the request of ``scope``: the route's or mount's
    (``scope[LIMITS_SCOPE_KEY]``), else the application's."""
    limits = scope.get(LIMITS_SCOPE_KEY)
    return limits if isinstance(limits, Limits) else limits_of(scope.get("app"))


def validate_max_body_size(max_body_size: Any) -> None:
    """FastAPI's rule for ``max_body_size=``: a non-negative ``int`` or ``None``."""
    if max_body_size is not None and (
        isinstance(max_body_size, bool) or not isinstance(max_body_size, int) or max_body_size < 0
    ):
        raise ValueError("max_body_size must be a non-negative integer or None")


class FormLimitOptions(TypedDict, total=False):
    """``form_limits=``: FastAPI's limits of form parsing (its ``_FormLimits``), each one left
    out keeping the value above it; FasterAPI adds the two last of :class:`FormLimits`."""

    max_fields: int
    """Non-file fields of a form."""
    max_files: int
    """Files of a multipart form."""
    max_part_size: int
    """Bytes of one non-file field (a urlencoded field's name and value together)."""
    max_part_header_size: int
    """Bytes of the headers of one multipart part (FasterAPI's)."""
    max_body_size: int | None
    """Bytes of the whole form (FasterAPI's; ``max_body_size=`` bounds every body)."""


_FORM_FIELDS = tuple(f.name for f in dataclasses.fields(FormLimits))


def form_limit_overrides(form_limits: Any) -> dict[str, Any]:
    """``form_limits=`` checked and copied: FastAPI's dict (``max_fields``, ``max_files``,
    ``max_part_size``, each a non-negative ``int``; FasterAPI also knows
    ``max_part_header_size`` and ``max_body_size``), or a whole :class:`FormLimits`. ``None``:
    no override. Raises ``ValueError`` naming what is wrong, as FastAPI does."""
    if form_limits is None:
        return {}
    if isinstance(form_limits, FormLimits):
        return dataclasses.asdict(form_limits)
    if not isinstance(form_limits, Mapping):
        raise ValueError(f"form_limits must be a dict of limits, not {form_limits!r}")
    overrides: dict[str, Any] = {}
    for name, value in form_limits.items():
        if name not in _FORM_FIELDS:
            raise ValueError(
                f"form_limits: unknown limit {name!r} (known: {', '.join(_FORM_FIELDS)})"
            )
        if (value is None and name == "max_body_size") or (
            isinstance(value, int) and not isinstance(value, bool) and value >= 0
        ):
            overrides[name] = value
        else:
            raise ValueError(f"form_limits[{name!r}] must be a non-negative integer: {value!r}")
    return overrides


def with_overrides(
    base: Limits, max_body_size: int | None = None, form: Mapping[str, Any] | None = None
) -> Limits:
    """``base`` with FastAPI's ``max_body_size`` (making :class:`FastAPILimits`) and form limit
    overrides applied; ``base`` itself when there are none."""
    limits = base
    if form:
        limits = dataclasses.replace(limits, form=dataclasses.replace(limits.form, **form))
    if max_body_size is not None:
        values = {f.name: getattr(limits, f.name) for f in dataclasses.fields(limits) if f.init}
        limits = FastAPILimits(**{**values, "max_body_size": max_body_size})
    return limits


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
