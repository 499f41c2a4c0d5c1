"""Response classes."""

from fasterapi_core.fileresponse import FileResponse
from fasterapi_core.responses import (
    HTMLResponse,
    JSONResponse,
    ORJSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    UJSONResponse,
)
from fasterapi_core.sse import EventSourceResponse, ServerSentEvent
from fasterapi_core.streaming import StreamingResponse

__all__ = [
    "EventSourceResponse",
    "FileResponse",
    "HTMLResponse",
    "JSONResponse",
    "ORJSONResponse",
    "PlainTextResponse",
    "RedirectResponse",
    "Response",
    "ServerSentEvent",
    "StreamingResponse",
    "UJSONResponse",
]
