"""Dependencies shared by several routers."""

from typing import Annotated

from FasterAPI import Header, HTTPException


async def require_token(x_token: Annotated[str, Header()]) -> None:
    if x_token != "fake-super-secret-token":
        raise HTTPException(status_code=400, detail="X-Token header invalid")
