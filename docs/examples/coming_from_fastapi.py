"""A FastAPI application ported to FasterAPI: only the imports changed."""

from typing import Annotated

from pydantic import BaseModel

from FasterAPI import APIRouter, Depends, FastAPI, HTTPException, status
from FasterAPI.responses import PlainTextResponse

app = FastAPI(title="Ported")  # FastAPI is an alias of Faster
router = APIRouter(prefix="/items", tags=["items"])  # APIRouter is an alias of FasterRouter


class Item(BaseModel):  # pydantic models are still accepted
    name: str
    price: float


def common(q: str | None = None) -> dict[str, str | None]:
    return {"q": q}


@router.post("/", status_code=status.HTTP_201_CREATED)
async def create_item(item: Item, params: Annotated[dict, Depends(common)]) -> Item:
    if item.price < 0:
        raise HTTPException(status_code=400, detail="Negative price")
    return item


@app.get("/ping", response_class=PlainTextResponse)
async def ping() -> str:
    return "pong"


app.include_router(router)
