"""WebSocket connections."""

from fasterapi_core.websockets import (
    WebSocket,
    WebSocketDisconnect,
    WebSocketState,
)

__all__ = [
    "WebSocket",
    "WebSocketDisconnect",
    "WebSocketState",
]
