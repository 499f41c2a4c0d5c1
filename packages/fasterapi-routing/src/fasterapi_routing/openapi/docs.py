"""Docs routes (placeholder until the OpenAPI work lands: registers nothing)."""

from __future__ import annotations

from typing import Any


def install_docs(app: Any) -> None:
    """Register ``openapi_url``, ``docs_url``, ``redoc_url`` routes on ``app``."""
    return None
