"""The application's rarely read settings (FastAPI's attributes), and the checks of the
keywords ``Faster(...)`` is given.

The settings live in one dict behind properties: an application keeps within the attribute
count CPython looks up fastest, which ``Faster.__call__`` relies on on every request.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fasterapi_core.core_settings import CoreSettings
from fasterapi_core.exceptions import FastAPIDeprecationWarning
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import (
    DEFAULT_LIMITS,
    Limits,
    form_limit_overrides,
    validate_max_body_size,
    with_overrides,
)
from fasterapi_routing.router import FasterRouter

__all__ = ["DOCS_OPTIONS", "AppSettings", "app_limits", "check_app_keywords"]

DOCS_OPTIONS = frozenset(
    {
        "docs_static_url",
        "redoc_favicon_url",
        "redoc_js_url",
        "swagger_css_url",
        "swagger_favicon_url",
        "swagger_js_url",
        "with_google_fonts",
    }
)
"""FasterAPI's options of the docs pages, given as extra keywords (see openapi/docs.py)."""

_ROOT_PATH_DEPRECATED = (
    "The `root_path` parameter is deprecated. Configure the server's root path instead, for "
    "example with `fasterapi run --root-path /api/v1` (FastAPI's CLI: "
    "`fastapi run --root-path /api/v1`)."
)


def unsupported(keyword: str, reason: str) -> TypeError:
    """The error for a FastAPI keyword FasterAPI does not implement."""
    return TypeError(f"{keyword} is a FastAPI keyword FasterAPI does not support: {reason}")


def check_app_keywords(
    parameters: Iterable[str], telemetry: Any, root_path: str, extra: Mapping[str, Any]
) -> None:
    """Refuse what ``Faster(...)`` cannot honour: FastAPI's ``telemetry``, and an extra keyword
    that looks like a misspelt parameter (``titel=``); warn about ``root_path`` as FastAPI
    does. Other extra keywords are kept in ``app.extra``."""
    if telemetry is not None:
        raise unsupported(
            "telemetry",
            "FasterAPI has no OpenTelemetry integration of its own; wrap the application in "
            "opentelemetry-instrumentation-asgi's OpenTelemetryMiddleware instead",
        )
    known = sorted(parameters)
    for keyword in extra:
        if keyword in DOCS_OPTIONS:
            continue
        close = difflib.get_close_matches(keyword, known, n=1, cutoff=0.8)
        if close:
            raise TypeError(
                f"Faster.__init__() got an unexpected keyword argument {keyword!r}. "
                f"Did you mean {close[0]!r}?"
            )
    if root_path:
        warnings.warn(_ROOT_PATH_DEPRECATED, FastAPIDeprecationWarning, stacklevel=3)


def app_limits(limits: Limits | None, max_body_size: int | None, form_limits: Any) -> Limits:
    """The application's limits: ``limits`` (FasterAPI's, else the defaults) with FastAPI's
    ``max_body_size`` and ``form_limits`` (a dict of limits, or a whole ``FormLimits``)."""
    validate_max_body_size(max_body_size)
    base = DEFAULT_LIMITS if limits is None else limits
    return with_overrides(base, max_body_size, form_limit_overrides(form_limits))


class AppSettings:
    """FastAPI's application settings: those no request reads, kept in ``_options``; those
    core reads per request (``limits``, ``form_limits``, ``dependency_overrides``,
    ``stream_request_body``), kept in ``core_settings`` (fasterapi_core.core_settings)."""

    _options: dict[str, Any]
    router: FasterRouter
    core_settings: CoreSettings

    @property
    def limits(self) -> Limits:
        """Request limits (``Faster(limits=...)``, changed by ``max_body_size``/``form_limits``)."""
        return self.core_settings.limits

    @limits.setter
    def limits(self, value: Limits) -> None:
        self.core_settings.limits = value

    @property
    def dependency_overrides(self) -> dict[Callable[..., Any], Callable[..., Any]]:
        """FastAPI's dependency overrides: dependency -> replacement, read at each request."""
        value = self.core_settings.dependency_overrides
        if value is None:
            value = self.core_settings.dependency_overrides = {}
        return value

    @dependency_overrides.setter
    def dependency_overrides(self, value: dict[Callable[..., Any], Callable[..., Any]]) -> None:
        self.core_settings.dependency_overrides = value

    @property
    def stream_request_body(self) -> bool:
        """True: ``Request.stream()`` drops the chunks it yielded (no later ``body()``)."""
        return self.core_settings.stream_request_body

    @stream_request_body.setter
    def stream_request_body(self, value: bool) -> None:
        self.core_settings.stream_request_body = value

    @property
    def swagger_ui_init_oauth(self) -> dict[str, Any] | None:
        """Passed to Swagger UI's ``ui.initOAuth`` on the docs page."""
        value: dict[str, Any] | None = self._options["swagger_ui_init_oauth"]
        return value

    @swagger_ui_init_oauth.setter
    def swagger_ui_init_oauth(self, value: dict[str, Any] | None) -> None:
        self._options["swagger_ui_init_oauth"] = value

    @property
    def openapi_external_docs(self) -> dict[str, Any] | None:
        """The OpenAPI document's ``externalDocs`` (``{"description": ..., "url": ...}``)."""
        value: dict[str, Any] | None = self._options["openapi_external_docs"]
        return value

    @openapi_external_docs.setter
    def openapi_external_docs(self, value: dict[str, Any] | None) -> None:
        self._options["openapi_external_docs"] = value

    @property
    def separate_input_output_schemas(self) -> bool:
        """FastAPI's option. FasterAPI documents one schema per model, what FastAPI does with
        ``False`` (and with ``True`` whenever a model reads and writes the same fields)."""
        value: bool = self._options["separate_input_output_schemas"]
        return value

    @separate_input_output_schemas.setter
    def separate_input_output_schemas(self, value: bool) -> None:
        self._options["separate_input_output_schemas"] = value

    @property
    def openapi_version(self) -> str:
        """The ``openapi`` field of the document ("3.1.0"); FastAPI's attribute."""
        value: str = self._options.get("openapi_version", "3.1.0")
        return value

    @openapi_version.setter
    def openapi_version(self, value: str) -> None:
        self._options["openapi_version"] = value

    @property
    def max_body_size(self) -> int | None:
        """FastAPI's application-wide body size limit (``None``: FasterAPI's ``limits``)."""
        return self.router.max_body_size

    @property
    def form_limits(self) -> FormLimits:
        """The default form limits (``limits.form``); assign a ``FormLimits`` or FastAPI's
        dict (``{"max_fields": 10}``) to change them."""
        return self.limits.form

    @form_limits.setter
    def form_limits(self, value: Any) -> None:
        self.limits = app_limits(self.limits, None, value)
