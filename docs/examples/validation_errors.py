"""Validation errors: the default 422 body, and replacing it with your own handler."""

from typing import Annotated

import msgspec

from FasterAPI import Faster, JSONResponse, Query, Request
from FasterAPI.exceptions import RequestValidationError

app = Faster()


class Point(msgspec.Struct):
    x: float
    y: float


@app.post("/points")
async def create_point(point: Point, scale: Annotated[int, Query(gt=0)] = 1) -> Point:
    return Point(point.x * scale, point.y * scale)


# the same app with a custom handler: every validation error becomes a 400 with a short list
custom = Faster()


@custom.exception_handler(RequestValidationError)
async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [
        {"field": ".".join(str(part) for part in error["loc"]), "problem": error["msg"]}
        for error in exc.errors()
    ]
    return JSONResponse({"problems": problems}, status_code=400)


@custom.post("/points")
async def create_point_custom(point: Point) -> Point:
    return point
