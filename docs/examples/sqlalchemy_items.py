"""A database with SQLAlchemy 2 (async) on SQLite through aiosqlite.

The same code works with PostgreSQL: change the URL to ``postgresql+asyncpg://...``.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import msgspec
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from FasterAPI import Depends, Faster, HTTPException
from FasterAPI.sqlalchemy_ext import sqlalchemy_session_dependency

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///./items.db")


class Base(DeclarativeBase):
    pass


class ItemRow(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    price: Mapped[float]


class ItemIn(msgspec.Struct):
    name: str
    price: float


class ItemOut(msgspec.Struct):
    id: int
    name: str
    price: float


engine = create_async_engine(DATABASE_URL)
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
get_session = sqlalchemy_session_dependency(SessionLocal)
Session = Annotated[AsyncSession, Depends(get_session)]


@asynccontextmanager
async def lifespan(app: Faster) -> AsyncIterator[None]:
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    yield
    await engine.dispose()


app = Faster(lifespan=lifespan)


@app.post("/items", status_code=201)
async def create_item(item: ItemIn, session: Session) -> ItemOut:
    row = ItemRow(name=item.name, price=item.price)
    session.add(row)
    await session.commit()
    return ItemOut(id=row.id, name=row.name, price=row.price)


@app.get("/items")
async def list_items(session: Session) -> list[ItemOut]:
    rows = await session.scalars(select(ItemRow).order_by(ItemRow.id))
    return [ItemOut(id=r.id, name=r.name, price=r.price) for r in rows]


@app.get("/items/{item_id}")
async def read_item(item_id: int, session: Session) -> ItemOut:
    row = await session.get(ItemRow, item_id)
    if row is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return ItemOut(id=row.id, name=row.name, price=row.price)
