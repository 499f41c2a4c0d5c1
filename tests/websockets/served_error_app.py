"""The same WebSocket endpoints on FasterAPI (``fasterapi_app``) and FastAPI (``fastapi_app``),
served by fasterapi-server and uvicorn in test_websocket_app_errors_served.py: a dependency
that fails before the handshake is accepted, an endpoint that fails after it."""

from types import ModuleType
from typing import Any

import fastapi

import FasterAPI


def make_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()

    def broken() -> None:
        raise ValueError("dependency failed")

    @app.get("/health")
    async def health() -> dict[str, bool]:
        return {"ok": True}

    @app.websocket("/before-accept", dependencies=[fw.Depends(broken)])
    async def before_accept(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()  # pragma: no cover

    @app.websocket("/after-accept")
    async def after_accept(websocket: fw.WebSocket) -> None:  # type: ignore[name-defined]
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())
        raise ValueError("endpoint failed")

    return app


fasterapi_app = make_app(FasterAPI)
fastapi_app = make_app(fastapi)
