"""The application class (``Faster``, also importable as ``FastAPI`` for migrations)."""

from fasterapi_routing import Faster

FastAPI = Faster

__all__ = ["FastAPI", "Faster"]
