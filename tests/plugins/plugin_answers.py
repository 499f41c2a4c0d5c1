"""What a scenario of a differential plugin test records of a response (``answer``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def answer(response: Any, headers: Iterable[str] = ()) -> dict[str, Any]:
    """Status, the named headers (``None`` when absent) and the body of a TestClient response
    (its JSON when it is JSON, else its text)."""
    content_type = response.headers.get("content-type", "")
    body: Any = response.json() if content_type.startswith("application/json") else response.text
    return {
        "status": response.status_code,
        "headers": {name: response.headers.get(name) for name in headers},
        "body": body,
    }
