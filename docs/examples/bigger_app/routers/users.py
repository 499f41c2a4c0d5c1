"""User routes: a router with its own prefix and tags."""

from FasterAPI import FasterRouter

router = FasterRouter(prefix="/users", tags=["users"])


@router.get("/")
async def list_users() -> list[dict[str, str]]:
    return [{"username": "alice"}, {"username": "bob"}]


@router.get("/{username}")
async def read_user(username: str) -> dict[str, str]:
    return {"username": username}
