"""The synchronous test client (httpx)."""

from fasterapi_core.testclient import (
    TestClient,
    WebSocketTestSession,
)

__all__ = [
    "TestClient",
    "WebSocketTestSession",
]
