"""The notes app with every protective layer switched on: the target of ``tests/hostile``.

It combines the notes router with StaticFiles (``HOSTILE_STATIC_DIR``, else a fresh temporary
directory), CORS, TrustedHost, GZip, a rate-limited sub-application, JWT / Basic / API-key
protected routes, a multipart upload route, a redirect route, a streaming route, a websocket
echo and deliberately failing routes. Run it with::

    uvicorn examples.hostile_app:app

Limits are lowered (1 MiB bodies, 200 query parameters, JSON depth 64, 20 form fields,
5 files, 64 KiB per field) so tests can reach them cheaply.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from typing import Annotated, Any

from examples.notes.app import lifespan
from examples.notes.app import router as notes_router
from FasterAPI import (
    CORSMiddleware,
    Depends,
    Faster,
    File,
    FileResponse,
    Form,
    GZipMiddleware,
    HTTPException,
    Query,
    RateLimitMiddleware,
    RedirectResponse,
    Request,
    StaticFiles,
    StreamingResponse,
    TrustedHostMiddleware,
    UploadFile,
    WebSocket,
    WebSocketDisconnect,
)
from FasterAPI.jwt_auth import JWTBearer
from FasterAPI.security import APIKeyHeader, HTTPBasic, HTTPBasicCredentials, compare_secrets
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import Limits

SECRET = os.environ.get("HOSTILE_JWT_SECRET", "hostile-test-secret-" + "x" * 32)
AUDIENCE = "hostile-api"
ISSUER = "https://issuer.hostile.test"
API_KEY = "k-0123456789abcdef"
ADMIN = ("admin", "s3cret-admin-password")
#: A value that must never appear in any response (it is in a failing route's exception).
LEAKED_SECRET = "DB_PASSWORD=hunter2-never-shown"
ALLOWED_ORIGIN = "https://app.hostile.test"

STATIC_DIR = os.environ.get("HOSTILE_STATIC_DIR") or tempfile.mkdtemp(prefix="hostile-static-")
if not os.listdir(STATIC_DIR):
    with open(os.path.join(STATIC_DIR, "hello.txt"), "w") as handle:
        handle.write("hello static\n")

LIMITS = Limits(
    max_body_size=1024 * 1024,
    max_query_params=200,
    max_json_depth=64,
    form=FormLimits(max_fields=20, max_files=5, max_part_size=64 * 1024),
)

jwt_scheme = JWTBearer(secret=SECRET, audience=AUDIENCE, issuer=ISSUER)
basic = HTTPBasic(realm="admin")
api_key = APIKeyHeader(name="X-API-Key")

app = Faster(title="Hostile target", lifespan=lifespan, limits=LIMITS)
app.include_router(notes_router)
app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

limited = Faster(openapi_url=None, docs_url=None, redoc_url=None)


@limited.get("/")
async def limited_root() -> dict[str, bool]:
    return {"ok": True}


# X-Forwarded-For is honoured only from 10.0.0.1, never from a client on loopback.
limited.add_middleware(
    RateLimitMiddleware,
    limit=5,
    window=600,
    forwarded_for_header="X-Forwarded-For",
    trusted_proxies=["10.0.0.1"],
)
app.mount("/limited", limited)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/me")
async def me(claims: Annotated[dict[str, Any], Depends(jwt_scheme)]) -> dict[str, Any]:
    return {"sub": claims["sub"]}


@app.get("/admin")
async def admin(credentials: Annotated[HTTPBasicCredentials, Depends(basic)]) -> dict[str, str]:
    ok_user = compare_secrets(credentials.username, ADMIN[0])
    ok_password = compare_secrets(credentials.password, ADMIN[1])
    if not (ok_user and ok_password):
        raise HTTPException(401, "Bad credentials", headers={"WWW-Authenticate": "Basic"})
    return {"admin": "yes"}


@app.get("/keyed")
async def keyed(key: Annotated[str, Depends(api_key)]) -> dict[str, str]:
    if not compare_secrets(key, API_KEY):
        raise HTTPException(403, "Bad key")
    return {"keyed": "yes"}


@app.post("/upload")
async def upload(
    files: Annotated[list[UploadFile], File()],
    note: Annotated[str, Form()] = "",
) -> dict[str, Any]:
    sizes = [len(await f.read()) for f in files]
    return {"names": [f.filename for f in files], "sizes": sizes, "note": note}


@app.post("/form")
async def form(request: Request) -> dict[str, int]:
    data = await request.form()
    return {"fields": len(data.multi_items())}


@app.post("/json")
async def json_body(payload: dict[str, Any]) -> dict[str, int]:
    return {"keys": len(payload)}


@app.post("/raw-json")
async def raw_json(request: Request) -> dict[str, str]:
    value = await request.json()
    return {"type": type(value).__name__}


@app.post("/size")
async def size(request: Request) -> dict[str, int]:
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
    return {"size": total}


@app.get("/query")
async def query(
    request: Request, n: int = 0, tag: Annotated[list[str] | None, Query()] = None
) -> dict[str, Any]:
    return {"n": n, "tag": tag or [], "count": len(request.query_params.multi_items())}


@app.get("/cookies")
async def cookies(request: Request) -> dict[str, str]:
    return request.cookies


@app.get("/go")
async def go(next: str = "/") -> RedirectResponse:
    """Redirect within this site only: anything that is not a local path goes to ``/``."""
    local = next.startswith("/") and not next.startswith(("//", "/\\")) and "\\" not in next
    return RedirectResponse(next if local else "/", status_code=303)


@app.get("/download")
async def download(name: str = "report.txt") -> FileResponse:
    return FileResponse(os.path.join(STATIC_DIR, "hello.txt"), filename=name)


@app.get("/stream")
async def stream() -> StreamingResponse:
    async def chunks() -> AsyncIterator[bytes]:
        for index in range(50):
            yield (f"line {index:04d} " + "abc" * 30 + "\n").encode()

    return StreamingResponse(chunks(), media_type="text/plain")


@app.get("/crash")
async def crash() -> None:
    raise RuntimeError(f"cannot connect: {LEAKED_SECRET}")


@app.websocket("/ws")
async def ws_echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            text = await websocket.receive_text()
            await websocket.send_text(text)
    except WebSocketDisconnect:
        return


app.add_middleware(GZipMiddleware, minimum_size=200)
app.add_middleware(
    CORSMiddleware,
    allow_origins=[ALLOWED_ORIGIN],
    allow_methods=["GET", "POST"],
    allow_headers=["Authorization", "Content-Type"],
    allow_credentials=True,
)
app.add_middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost"])
