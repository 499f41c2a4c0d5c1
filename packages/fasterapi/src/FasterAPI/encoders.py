"""JSON encoding helpers (FastAPI's ``jsonable_encoder``)."""

from fasterapi_core.encoding import (
    json_encode,
    jsonable_encoder,
)

__all__ = [
    "json_encode",
    "jsonable_encoder",
]
