"""A small notes service: the example app that ``hatch run serve`` starts.

Run it with ``fasterapi dev examples.notes.app:app`` and open http://127.0.0.1:8000/docs.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec

from FasterAPI import (
    Depends,
    Faster,
    FasterRouter,
    HTTPException,
    Path,
    Query,
    Request,
    status,
)


class NoteIn(msgspec.Struct, forbid_unknown_fields=True):
    """What a client sends to create or replace a note."""

    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    body: Annotated[str, msgspec.Meta(max_length=10_000)] = ""
    tags: Annotated[list[str], msgspec.Meta(max_length=20)] = []


class Note(msgspec.Struct):
    """A stored note."""

    id: int
    title: str
    body: str
    tags: list[str]
    created_at: datetime


class NoteStore:
    """An in-memory store; one per application (created in the lifespan)."""

    def __init__(self) -> None:
        self._notes: dict[int, Note] = {}
        self._ids = itertools.count(1)

    def add(self, data: NoteIn) -> Note:
        note = Note(next(self._ids), data.title, data.body, list(data.tags), datetime.now(UTC))
        self._notes[note.id] = note
        return note

    def get(self, note_id: int) -> Note | None:
        return self._notes.get(note_id)

    def replace(self, note_id: int, data: NoteIn) -> Note | None:
        old = self._notes.get(note_id)
        if old is None:
            return None
        note = Note(note_id, data.title, data.body, list(data.tags), old.created_at)
        self._notes[note_id] = note
        return note

    def delete(self, note_id: int) -> bool:
        return self._notes.pop(note_id, None) is not None

    def search(self, text: str | None, tag: str | None) -> list[Note]:
        notes = list(self._notes.values())
        if text:
            needle = text.lower()
            notes = [n for n in notes if needle in n.title.lower() or needle in n.body.lower()]
        if tag:
            notes = [n for n in notes if tag in n.tags]
        return notes


@asynccontextmanager
async def lifespan(app: Faster) -> AsyncIterator[dict[str, Any]]:
    yield {"store": NoteStore()}


def get_store(request: Request) -> NoteStore:
    store: NoteStore = request.state["store"]
    return store


Store = Annotated[NoteStore, Depends(get_store)]
NoteId = Annotated[int, Path(ge=1, description="The note's id")]

router = FasterRouter(prefix="/notes", tags=["notes"])


@router.get("/")
async def list_notes(
    store: Store,
    q: Annotated[str | None, Query(max_length=100, description="Text to look for")] = None,
    tag: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[Note]:
    """List notes, optionally filtered by text and tag."""
    return store.search(q, tag)[offset : offset + limit]


@router.post("/", status_code=status.HTTP_201_CREATED)
async def create_note(note: NoteIn, store: Store) -> Note:
    """Create a note."""
    return store.add(note)


@router.get("/{note_id}")
async def read_note(note_id: NoteId, store: Store) -> Note:
    """Read one note."""
    note = store.get(note_id)
    if note is None:
        raise HTTPException(status_code=404, detail="Note not found")
    return note


@router.put("/{note_id}")
async def replace_note(note_id: NoteId, note: NoteIn, store: Store) -> Note:
    """Replace a note."""
    updated = store.replace(note_id, note)
    if updated is None:
        raise HTTPException(status_code=404, detail="Note not found")
    return updated


@router.delete("/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_note(note_id: NoteId, store: Store) -> None:
    """Delete a note."""
    if not store.delete(note_id):
        raise HTTPException(status_code=404, detail="Note not found")


app = Faster(
    title="Notes",
    version="1.0.0",
    description="A small notes service built with **FasterAPI**.",
    lifespan=lifespan,
)
app.include_router(router)


@app.get("/health", tags=["meta"])
async def health() -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok"}
