"""WebSockets: an echo endpoint and a small chat room that broadcasts to every client."""

from typing import Annotated

from FasterAPI import Faster, Query, WebSocket, WebSocketDisconnect

app = Faster()


@app.websocket("/echo")
async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    while True:
        try:
            text = await websocket.receive_text()
        except WebSocketDisconnect:
            return
        await websocket.send_text(f"Echo: {text}")


class Room:
    def __init__(self) -> None:
        self.members: dict[str, WebSocket] = {}

    async def broadcast(self, message: dict[str, str]) -> None:
        for websocket in list(self.members.values()):
            await websocket.send_json(message)


room = Room()


@app.websocket("/chat/{name}")
async def chat(websocket: WebSocket, name: str, lang: Annotated[str, Query()] = "en") -> None:
    await websocket.accept()
    room.members[name] = websocket
    await room.broadcast({"event": "joined", "name": name, "lang": lang})
    try:
        while True:
            data = await websocket.receive_json()
            await room.broadcast({"event": "message", "name": name, "text": data["text"]})
    except WebSocketDisconnect:
        room.members.pop(name, None)
        await room.broadcast({"event": "left", "name": name})
