"""Item routes: prefix, tags, dependencies and extra responses set once for the whole router."""

from FasterAPI import Depends, FasterRouter, HTTPException

from ..dependencies import require_token

router = FasterRouter(
    prefix="/items",
    tags=["items"],
    dependencies=[Depends(require_token)],
    responses={404: {"description": "Not found"}},
)

ITEMS = {"plumbus": {"name": "Plumbus"}, "gun": {"name": "Portal Gun"}}


@router.get("/")
async def list_items() -> dict[str, dict[str, str]]:
    return ITEMS


@router.get("/{item_id}")
async def read_item(item_id: str) -> dict[str, str]:
    if item_id not in ITEMS:
        raise HTTPException(status_code=404, detail="Item not found")
    return {"id": item_id, **ITEMS[item_id]}
