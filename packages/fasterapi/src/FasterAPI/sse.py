"""Server-Sent Events (``fastapi.sse``): the response class, the event, the wire format."""

from fasterapi_core.sse import (
    KEEPALIVE_COMMENT,
    EventSourceResponse,
    ServerSentEvent,
    format_sse_event,
)

__all__ = ["KEEPALIVE_COMMENT", "EventSourceResponse", "ServerSentEvent", "format_sse_event"]
