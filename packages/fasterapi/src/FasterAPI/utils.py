"""Helpers FastAPI code imports from ``fastapi.utils``."""

from fasterapi_routing import generate_unique_id

__all__ = ["generate_unique_id"]
