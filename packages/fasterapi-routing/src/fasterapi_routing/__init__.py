"""fasterapi_routing."""

__all__: list[str] = []
