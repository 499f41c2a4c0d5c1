"""Path and query parameters: types, defaults, constraints and aliases."""

from enum import StrEnum
from typing import Annotated
from uuid import UUID

from FasterAPI import Faster, Path, Query

app = Faster()


class Colour(StrEnum):
    red = "red"
    green = "green"


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None, short: bool = False) -> dict[str, object]:
    # item_id comes from the path (converted to int); q and short from the query string
    item: dict[str, object] = {"item_id": item_id}
    if q:
        item["q"] = q
    if not short:
        item["description"] = "A long description"
    return item


@app.get("/orders/{order_id}")
async def read_order(
    order_id: Annotated[UUID, Path(description="The order's id")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    search: Annotated[str | None, Query(alias="q", max_length=50)] = None,
) -> dict[str, object]:
    return {"order_id": str(order_id), "limit": limit, "search": search}


@app.get("/colours/{colour}")
async def read_colour(colour: Colour) -> dict[str, str]:
    return {"colour": colour.value}


@app.get("/tags")
async def read_tags(tag: Annotated[list[str] | None, Query()] = None) -> dict[str, list[str]]:
    # repeated query parameters: /tags?tag=a&tag=b
    return {"tags": tag or []}


@app.get("/files/{file_path:path}")
async def read_file(file_path: str) -> dict[str, str]:
    # a ``:path`` parameter matches the rest of the URL, slashes included
    return {"file_path": file_path}
