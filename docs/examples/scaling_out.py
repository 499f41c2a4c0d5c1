"""One app, many hosts: every piece of state that must be shared lives in Redis.

A chat room over WebSockets (Channels on Redis), a per-client rate limit counted in Redis, and
server-side sessions stored in Redis: any backend behind the load balancer answers any request.
Run one copy per host (or several on one host, on different ports)::

    REDIS_URL=redis://10.0.0.5:6379/0 SESSION_SECRET=change-me TRUSTED_PROXIES=10.0.0.2 \
        fasterapi run docs/examples/scaling_out.py --port 8000

Every response says which backend served it (``X-Backend``): handy behind a load balancer.
"""

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

import msgspec

from FasterAPI import (
    Faster,
    HTTPException,
    Path,
    Query,
    RateLimitMiddleware,
    Request,
    Response,
    WebSocket,
    WebSocketDisconnect,
)
from FasterAPI.channels import Channels
from FasterAPI.middleware import (
    RedisRateLimitStore,
    RedisSessionStore,
    ServerSideSessionMiddleware,
    regenerate_session_id,
)

Room = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]

BACKEND = os.environ.get("BACKEND_NAME") or f"{socket.gethostname()}:{os.getpid()}"
"""Which process this is: a name given by the deployment, else host and process id."""


class Login(msgspec.Struct):
    username: str
    password: str


class ChatMessage(msgspec.Struct):
    name: str
    text: str


def create_app(
    redis_url: str,
    secret_key: str = "change-me",
    trusted_proxies: tuple[str, ...] = ("127.0.0.1",),
    rate_limit: int = 20,
) -> Faster:
    channels = Channels(redis_url)  # publish here, every process's subscribers receive it

    @asynccontextmanager
    async def lifespan(app: Faster) -> AsyncIterator[None]:
        async with channels:  # connect at startup; at shutdown end every subscription
            yield

    app = Faster(lifespan=lifespan)
    app.add_middleware(  # the session data lives in Redis: any backend reads it
        ServerSideSessionMiddleware,
        store=RedisSessionStore(redis_url),
        secret_key=secret_key,  # the same key on every backend
        max_age=30 * 60,
    )
    app.add_middleware(  # counted in Redis: the limit holds across all backends together
        RateLimitMiddleware,
        limit=rate_limit,
        window=60,
        store=RedisRateLimitStore(redis_url),
        forwarded_for_header="x-forwarded-for",  # the client's address, as the proxy saw it
        trusted_proxies=trusted_proxies,  # only the load balancer's header is believed
        exempt_paths=["/health"],
    )

    @app.middleware("http")
    async def say_which_backend(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["X-Backend"] = BACKEND
        return response

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "backend": BACKEND}

    @app.post("/login")
    def login(credentials: Login, request: Request) -> dict[str, str]:
        if credentials.password != "secret":  # check against your user store instead
            raise HTTPException(status_code=401, detail="Wrong username or password")
        regenerate_session_id(request)
        request.session["user"] = credentials.username
        return {"user": credentials.username}

    @app.get("/me")
    def me(request: Request) -> dict[str, str | None]:
        return {"user": request.session.get("user")}

    @app.websocket("/rooms/{room}/ws")
    async def chat(websocket: WebSocket, room: Room) -> None:
        await websocket.accept()
        async with channels.subscribe(f"chat:{room}") as subscription:
            # subscribed: from now on this client receives what any backend publishes
            await websocket.send_json({"event": "ready", "backend": BACKEND})

            async def forward() -> None:
                async for message in subscription:
                    await websocket.send_json(message.data)

            forwarding = asyncio.create_task(forward())
            try:
                while True:
                    text = await websocket.receive_text()
                    await channels.publish(f"chat:{room}", {"event": "message", "text": text})
            except WebSocketDisconnect:
                pass
            finally:
                forwarding.cancel()

    @app.get("/rooms/{room}/next", response_model=None)
    async def next_message(
        room: Room, wait: Annotated[float, Query(gt=0, le=30)] = 25
    ) -> dict[str, Any] | Response:
        """Long polling, for clients without WebSockets: the room's next message, or 204."""
        async with channels.subscribe(f"chat:{room}") as subscription:
            try:
                async with asyncio.timeout(wait):
                    message = await subscription.get()
            except TimeoutError:
                return Response(status_code=204)
        data: dict[str, Any] = message.data
        return data

    @app.post("/rooms/{room}/messages")
    async def post_message(room: Room, message: ChatMessage) -> dict[str, str]:
        event = {"event": "message", "name": message.name, "text": message.text}
        await channels.publish(f"chat:{room}", event)
        return {"sent_by": BACKEND}

    return app


app = create_app(
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    os.environ.get("SESSION_SECRET", "change-me"),
    tuple(os.environ.get("TRUSTED_PROXIES", "127.0.0.1").split(",")),
    int(os.environ.get("RATE_LIMIT", "20")),
)
