"""A chat room that spans workers: WebSocket and Server-Sent Events clients connected to any
worker (or host) see every message, because they all go through Redis channels.

Run two workers: ``CHAT_CHANNELS_URL=redis://127.0.0.1:6379/0 fasterapi run
docs/examples/channels_chat.py --workers 2`` (without the variable it uses ``memory://``: one
process only).
"""

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from pydantic import BaseModel

from FasterAPI import EventSourceResponse, Faster, Path, Query, WebSocket, WebSocketDisconnect
from FasterAPI.channels import Channels

Room = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class ChatMessage(BaseModel):
    name: str
    text: str


def create_app(channels_url: str) -> Faster:
    channels = Channels(channels_url)

    @asynccontextmanager
    async def lifespan(app: Faster) -> AsyncIterator[None]:
        async with channels:  # connect at startup, end every subscription at shutdown
            yield

    app = Faster(lifespan=lifespan)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.websocket("/rooms/{room}/ws")
    async def chat(websocket: WebSocket, room: Room, name: Annotated[str, Query()]) -> None:
        await websocket.accept()
        channel = f"chat:{room}"
        async with channels.subscribe(channel) as subscription:

            async def forward() -> None:  # channel -> this client
                async for message in subscription:
                    await websocket.send_json(message.data)

            forwarding = asyncio.create_task(forward())
            await channels.publish(channel, {"event": "joined", "name": name})
            try:
                while True:  # this client -> channel (every worker's subscribers)
                    text = await websocket.receive_text()
                    said = {"event": "message", "name": name, "text": text}
                    await channels.publish(channel, said)
            except WebSocketDisconnect:
                pass
            finally:
                forwarding.cancel()
        await channels.publish(channel, {"event": "left", "name": name})

    @app.post("/rooms/{room}/messages")
    async def post_message(room: Room, message: ChatMessage) -> dict[str, bool]:
        event = {"event": "message", "name": message.name, "text": message.text}
        await channels.publish(f"chat:{room}", event)
        return {"sent": True}

    @app.get("/rooms/{room}/events")
    async def events(room: Room) -> EventSourceResponse:
        async def stream() -> AsyncIterator[dict[str, Any]]:
            async with channels.subscribe(f"chat:{room}") as subscription:
                yield {"event": "ready", "data": room}  # listening: the client may now post
                async for message in subscription:
                    yield {"event": message.data["event"], "data": message.data}

        # the ": ping" comment every 15 s also tells a server that the client has gone
        return EventSourceResponse(stream())

    return app


app = create_app(os.environ.get("CHAT_CHANNELS_URL", "memory://"))
