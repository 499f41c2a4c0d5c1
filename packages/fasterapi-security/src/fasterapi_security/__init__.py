"""fasterapi_security."""

__all__: list[str] = []
