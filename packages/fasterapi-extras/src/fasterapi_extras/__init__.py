"""fasterapi_extras."""

__all__: list[str] = []
