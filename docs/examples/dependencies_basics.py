"""Dependencies: functions, classes, sub-dependencies, caching and overrides."""

from typing import Annotated

from FasterAPI import Depends, Faster, Header, HTTPException, Query

app = Faster()


def pagination(skip: int = 0, limit: Annotated[int, Query(le=100)] = 10) -> dict[str, int]:
    return {"skip": skip, "limit": limit}


class Settings:
    """A class is a dependency too: its __init__ parameters are resolved like a handler's."""

    def __init__(self, greeting: str = "hello") -> None:
        self.greeting = greeting


def current_user(x_user: Annotated[str | None, Header()] = None) -> str:
    if x_user is None:
        raise HTTPException(status_code=401, detail="Not authenticated")
    return x_user


def admin_user(user: Annotated[str, Depends(current_user)]) -> str:
    # a sub-dependency: current_user runs first (once per request, even if used twice)
    if user != "admin":
        raise HTTPException(status_code=403, detail="Admins only")
    return user


Pagination = Annotated[dict[str, int], Depends(pagination)]


@app.get("/items")
async def list_items(
    page: Pagination, settings: Annotated[Settings, Depends()]
) -> dict[str, object]:
    return {"page": page, "greeting": settings.greeting}


@app.get("/admin", dependencies=[Depends(admin_user)])
async def admin_area() -> dict[str, str]:
    return {"area": "admin"}


@app.get("/me")
async def me(user: Annotated[str, Depends(current_user)]) -> dict[str, str]:
    return {"user": user}
