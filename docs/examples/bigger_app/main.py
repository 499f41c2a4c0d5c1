"""The application: includes the routers (one of them under an extra prefix)."""

from FasterAPI import Faster, FasterRouter

from .routers import items, users

app = Faster(title="Bigger application")
app.include_router(users.router)
app.include_router(items.router)

admin = FasterRouter()


@admin.post("/reset")
async def reset() -> dict[str, str]:
    return {"status": "reset"}


# include_router adds a prefix and tags on top of the router's own
app.include_router(admin, prefix="/admin", tags=["admin"])


@app.get("/")
async def root() -> dict[str, str]:
    return {"message": "Hello Bigger Applications!"}
