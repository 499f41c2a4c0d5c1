"""Streaming responses and Server-Sent Events."""

import asyncio
from collections.abc import AsyncIterator, Iterator

from FasterAPI import EventSourceResponse, Faster, ServerSentEvent, StreamingResponse

app = Faster()


@app.get("/numbers")
async def numbers() -> StreamingResponse:
    async def generate() -> AsyncIterator[bytes]:
        for i in range(3):
            yield f"{i}\n".encode()
            await asyncio.sleep(0)  # real code would await I/O here

    return StreamingResponse(generate(), media_type="text/plain")


@app.get("/csv")
def csv_export() -> StreamingResponse:
    # a sync iterator works too: it is iterated in a worker thread
    def rows() -> Iterator[str]:
        yield "id,name\n"
        for i, name in enumerate(["alice", "bob"], start=1):
            yield f"{i},{name}\n"

    return StreamingResponse(
        rows(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="users.csv"'},
    )


@app.get("/events")
async def events() -> EventSourceResponse:
    async def event_stream() -> AsyncIterator[dict[str, object] | ServerSentEvent]:
        yield {"data": "hello"}  # a dict becomes one event
        yield {"event": "update", "data": {"progress": 50}, "id": "1"}  # non-str data is JSON
        # FastAPI's event: data= is sent as JSON ("done" quoted), raw_data= as it is
        yield ServerSentEvent(raw_data="done", event="end", id=2, retry=5000)

    return EventSourceResponse(event_stream(), ping=None)
