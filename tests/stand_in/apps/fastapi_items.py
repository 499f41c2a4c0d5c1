"""An application written for FastAPI, unmodified: it imports ``fastapi`` only.

The stand-in tests import it after ``FasterAPI.as_fastapi.install()``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    FastAPI,
    Header,
    HTTPException,
    Path,
    Query,
    Request,
    status,
)
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, Field

app = FastAPI(title="Items")
app.add_middleware(CORSMiddleware, allow_origins=["https://example.org"])
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
router = APIRouter(prefix="/items", tags=["items"])
ITEMS: dict[int, dict[str, object]] = {1: {"name": "hammer", "price": 9.5}}
SENT: list[str] = []


class Item(BaseModel):
    name: str = Field(min_length=1)
    price: float = Field(gt=0)


class ItemOut(BaseModel):
    id: int
    name: str


def current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> str:
    if token != "secret":
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "bad token")
    return "alice"


def page(limit: int = Query(10, ge=1, le=100), offset: int = 0) -> dict[str, int]:
    return {"limit": limit, "offset": offset}


@router.get("/")
def list_items(paging: Annotated[dict[str, int], Depends(page)]) -> dict[str, object]:
    return {"paging": paging, "ids": sorted(ITEMS)}


@router.get("/{item_id}", response_model=ItemOut)
def read_item(item_id: Annotated[int, Path(ge=1)]) -> dict[str, object]:
    if item_id not in ITEMS:
        raise HTTPException(status_code=404, detail="Item not found")
    return {"id": item_id, **ITEMS[item_id]}


@router.post("/", status_code=status.HTTP_201_CREATED)
def create_item(
    item: Item,
    tasks: BackgroundTasks,
    user: Annotated[str, Depends(current_user)],
    x_trace: Annotated[str | None, Header()] = None,
) -> dict[str, object]:
    new_id = max(ITEMS) + 1
    ITEMS[new_id] = item.model_dump()
    tasks.add_task(SENT.append, f"created {new_id} by {user}")
    return {"id": new_id, "trace": x_trace, **jsonable_encoder(item)}


@app.get("/sent")
def sent() -> list[str]:
    return SENT


@app.exception_handler(RequestValidationError)
async def validation_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse({"invalid": [e["loc"][-1] for e in exc.errors()]}, status_code=400)


app.include_router(router)
