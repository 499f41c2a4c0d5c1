"""An application written for FastAPI that also imports Starlette's names, unmodified.

The stand-in tests import it where Starlette is not installed, after
``FasterAPI.as_fastapi.install()``: the ``starlette.*`` imports resolve to FasterAPI.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.status import HTTP_418_IM_A_TEAPOT

app = FastAPI()
DONE: list[str] = []


class StampMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        response.headers["x-stamp"] = request.url.path
        return response


app.add_middleware(StampMiddleware)


@app.exception_handler(StarletteHTTPException)
async def plain_errors(request: Request, exc: StarletteHTTPException) -> PlainTextResponse:
    return PlainTextResponse(f"{exc.status_code}: {exc.detail}", status_code=exc.status_code)


@app.get("/teapot")
def teapot() -> PlainTextResponse:
    return PlainTextResponse(
        "short and stout",
        status_code=HTTP_418_IM_A_TEAPOT,
        background=BackgroundTask(DONE.append, "poured"),
    )


@app.get("/done")
def done() -> JSONResponse:
    return JSONResponse({"done": DONE})
