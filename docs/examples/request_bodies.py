"""Request bodies and response models: msgspec Struct, dataclasses and pydantic models."""

from dataclasses import dataclass, field
from typing import Annotated

import msgspec
from pydantic import BaseModel, Field

from FasterAPI import Body, Faster

app = Faster()


# msgspec: validated and decoded in C, in one pass; the fastest choice
class Item(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1)]
    price: Annotated[float, msgspec.Meta(gt=0)]
    tags: list[str] = []


class ItemOut(msgspec.Struct):
    id: int
    name: str
    price: float


@app.post("/items", status_code=201, response_model=ItemOut)
async def create_item(item: Item) -> dict[str, object]:
    # the response model filters the output: "tags" and "secret" are not sent
    return {"id": 1, "name": item.name, "price": item.price, "tags": item.tags, "secret": "x"}


# dataclasses are validated by msgspec too
@dataclass
class Address:
    street: str
    city: str
    lines: list[str] = field(default_factory=list)


@app.put("/addresses/{address_id}")
async def replace_address(address_id: int, address: Address) -> Address:
    return address


# pydantic models keep working: pydantic itself validates them
class User(BaseModel):
    username: str = Field(min_length=3)
    full_name: str | None = None


@app.post("/users")
async def create_user(user: User) -> User:
    return user


# several body parameters, or ``Body(embed=True)``, nest each under its name
@app.post("/orders")
async def create_order(
    item: Item, user: User, quantity: Annotated[int, Body(gt=0)] = 1
) -> dict[str, object]:
    return {"item": item.name, "user": user.username, "quantity": quantity}


@app.post("/embedded")
async def embedded(item: Annotated[Item, Body(embed=True)]) -> Item:
    return item  # the client sends {"item": {...}}
