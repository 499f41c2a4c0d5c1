"""BaseHTTPMiddleware and the Middleware spec object."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fasterapi_core.middleware import BaseHTTPMiddleware, Middleware
from fasterapi_core.responses import PlainTextResponse
from fasterapi_core.types import Message, Receive, Scope, Send

pytestmark = pytest.mark.anyio


async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse(f"hello {scope['type']}")(scope, receive, send)


class AddHeader(BaseHTTPMiddleware):
    """Adds a header on the way out and records before/after."""

    events: list[str]

    async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.events.append("before")

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], (b"x-added", self.value.encode())]
            await send(message)

        await self.app(scope, receive, send_wrapper)
        self.events.append("after")


async def test_subclass_runs_before_and_after_and_sees_options() -> None:
    middleware = AddHeader(endpoint, value="yes", events=[])
    assert middleware.options == {"value": "yes", "events": []}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=middleware), base_url="http://t"
    ) as client:
        reply = await client.get("/")
    assert reply.text == "hello http"
    assert reply.headers["x-added"] == "yes"
    assert middleware.events == ["before", "after"]


async def test_default_dispatch_passes_through() -> None:
    messages: list[Any] = []

    async def send(message: Message) -> None:
        messages.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    await BaseHTTPMiddleware(endpoint)({"type": "http"}, receive, send)
    assert messages[1]["body"] == b"hello http"


async def test_lifespan_bypasses_dispatch_websocket_does_not() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(f"app {scope['type']}")

    class Recorder(BaseHTTPMiddleware):
        async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
            seen.append(f"dispatch {scope['type']}")
            await self.app(scope, receive, send)

    async def receive() -> Message:
        return {}

    async def send(message: Message) -> None:
        return None

    middleware = Recorder(app)
    for scope_type in ("lifespan", "http", "websocket"):
        await middleware({"type": scope_type}, receive, send)
    assert seen == [
        "app lifespan",
        "dispatch http",
        "app http",
        "dispatch websocket",
        "app websocket",
    ]


def test_option_cannot_hide_methods() -> None:
    with pytest.raises(TypeError):
        BaseHTTPMiddleware(endpoint, __call__=None)


def test_dispatch_none_keeps_the_default_dispatch() -> None:
    middleware = BaseHTTPMiddleware(endpoint, dispatch=None)
    assert middleware.options == {}


def test_subclass_with_its_own_init() -> None:
    class Custom(BaseHTTPMiddleware):
        def __init__(self, app: Any, limit: int) -> None:
            super().__init__(app)
            self.limit = limit

    assert Custom(endpoint, limit=3).limit == 3


def test_middleware_spec_unpacks_and_builds() -> None:
    spec = Middleware(AddHeader, value="v", events=[])
    cls, args, kwargs = spec
    assert cls is AddHeader
    assert args == ()
    assert kwargs == {"value": "v", "events": []}
    built = spec.build(endpoint)
    assert isinstance(built, AddHeader)
    assert built.app is endpoint
    assert built.value == "v"  # type: ignore[attr-defined]
    assert spec == Middleware(AddHeader, value="v", events=[])
    assert repr(spec) == "Middleware(AddHeader, value='v', events=[])"


def test_middleware_spec_positional_args() -> None:
    def factory(app: Any, a: int, b: int = 0) -> Any:
        return (app, a, b)

    assert Middleware(factory, 1, b=2).build(endpoint) == (endpoint, 1, 2)
