"""Middleware: the bundled pure-ASGI classes, a BaseHTTPMiddleware and ``@app.middleware``."""

import time

from FasterAPI import (
    BaseHTTPMiddleware,
    CORSMiddleware,
    Faster,
    GZipMiddleware,
    Request,
    RequestIDMiddleware,
)
from fasterapi_core.types import Message, Receive, Scope, Send

app = Faster()

# The last middleware added is the outermost: RequestID sees the request first.
app.add_middleware(GZipMiddleware, minimum_size=500)
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com"],
    allow_methods=["GET", "POST"],
    allow_headers=["Authorization", "Content-Type"],
    max_age=600,
)
app.add_middleware(RequestIDMiddleware)


class ServerTimingMiddleware(BaseHTTPMiddleware):
    """Pure ASGI: wrap ``send`` to add a header to the response start message."""

    async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed_ms = (time.perf_counter() - started) * 1000
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"app;dur={elapsed_ms:.1f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_timing)


app.add_middleware(ServerTimingMiddleware)


@app.middleware("http")
async def add_powered_by(request: Request, call_next):
    # the FastAPI-style function middleware: get the response, then change it
    response = await call_next(request)
    response.headers["X-Powered-By"] = "FasterAPI"
    return response


@app.get("/hello")
async def hello(request: Request) -> dict[str, str]:
    return {"request_id": request.state["request_id"]}


@app.get("/large")
async def large() -> dict[str, str]:
    return {"text": "x" * 2000}  # big enough to be compressed
