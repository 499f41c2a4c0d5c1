"""The synchronous test client (httpx)."""

from fasterapi_core.testclient import (
    TestClient,
    WebSocketDenialResponse,
    WebSocketTestSession,
)

__all__ = [
    "TestClient",
    "WebSocketDenialResponse",
    "WebSocketTestSession",
]
