"""fasterapi_middleware."""

__all__: list[str] = []
