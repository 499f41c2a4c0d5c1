"""What core reads from the application serving a request, as one typed object.

Core (``Request``, parameter extraction, dependency solving) never reads the application by
attribute name: it reads ``scope["app"].core_settings``, a :class:`CoreSettings` the
application provides (``Faster`` does). Its FastAPI-compatible attributes (``limits``,
``form_limits``, ``dependency_overrides``, ``stream_request_body``) read and write this object,
so apps and plugins that set them keep working. Any other application (Starlette's, a plain
ASGI app serving FasterAPI routes) goes through :func:`core_settings_of`: its attributes of
those names when it has them, else the defaults.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import DEFAULT_LIMITS, Limits

__all__ = ["CORE_SETTINGS_ATTRIBUTE", "CoreSettings", "core_settings_of"]

CORE_SETTINGS_ATTRIBUTE = "core_settings"
"""The attribute of an application that holds its :class:`CoreSettings`."""


class CoreSettings:
    """The application settings core reads per request."""

    __slots__ = ("dependency_overrides", "limits", "stream_request_body")

    def __init__(
        self,
        *,
        limits: Limits = DEFAULT_LIMITS,
        dependency_overrides: dict[Callable[..., Any], Callable[..., Any]] | None = None,
        stream_request_body: bool = False,
    ) -> None:
        self.limits = limits
        """Request limits (body size, query parameters, JSON depth, forms)."""
        self.dependency_overrides = dependency_overrides
        """FastAPI's ``app.dependency_overrides``: dependency -> replacement (None: none)."""
        self.stream_request_body = stream_request_body
        """True: ``Request.stream()`` drops the chunks it yielded (no later ``body()``)."""

    def __repr__(self) -> str:
        return (
            f"CoreSettings(limits={self.limits!r}, "
            f"dependency_overrides={self.dependency_overrides!r}, "
            f"stream_request_body={self.stream_request_body!r})"
        )


def core_settings_of(app: Any) -> CoreSettings:
    """The settings of ``app``: its ``core_settings``, else read from its attributes of the
    same names (an application that is not FasterAPI's), else the defaults."""
    settings = getattr(app, CORE_SETTINGS_ATTRIBUTE, None)
    if isinstance(settings, CoreSettings):
        return settings
    limits = getattr(app, "limits", None)
    if not isinstance(limits, Limits):
        limits = DEFAULT_LIMITS
    form = getattr(app, "form_limits", None)  # FastAPI's application attribute
    if isinstance(form, Mapping):
        form = FormLimits(**form)
    if isinstance(form, FormLimits) and form != limits.form:
        limits = dataclasses.replace(limits, form=form)
    overrides = getattr(app, "dependency_overrides", None)
    return CoreSettings(
        limits=limits,
        dependency_overrides=overrides if isinstance(overrides, dict) else None,
        stream_request_body=bool(getattr(app, "stream_request_body", False)),
    )
