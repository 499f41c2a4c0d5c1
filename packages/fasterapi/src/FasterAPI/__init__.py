"""FasterAPI: a high-performance ASGI web framework, a drop-in FastAPI replacement."""

__all__: list[str] = []
