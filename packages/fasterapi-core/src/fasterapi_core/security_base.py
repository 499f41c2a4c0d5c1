"""The base class every security scheme derives from.

A scheme is a callable dependency that also describes itself for OpenAPI: ``model`` is its
Security Scheme Object (``{"type": "http", "scheme": "bearer"}``, ...) and ``scheme_name`` the
key it is registered under in ``components.securitySchemes``. The OpenAPI generator finds schemes
by walking a route plan for dependants whose ``call`` is a :class:`SecurityBase` instance.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SecurityBase"]


class SecurityBase:
    """A security scheme: ``model`` (OpenAPI Security Scheme Object) and ``scheme_name``."""

    model: dict[str, Any]
    scheme_name: str
