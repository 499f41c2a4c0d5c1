"""``fastapi.Response`` and the ``fastapi.responses`` classes in the stand-in where a real
Starlette is installed and kept: Starlette's types, as on FastAPI.

On FastAPI these names *are* Starlette's classes (or subclasses of them), and plugins rely on
it: with ``headers_enabled``, slowapi adds its headers to the response an endpoint returns only
if it is an instance of ``starlette.responses.Response``, and otherwise to the endpoint's
``response`` parameter, which must then be one. So, where Starlette is kept:

- ``Response`` is Starlette's class: a parameter annotated with it gets a Starlette
  sub-response whose status code, headers and cookies go into the route's response
  (:mod:`fasterapi_core.dependencies.starlette_objects`), and a returned one is sent as it is
  (:mod:`fasterapi_routing.foreign_responses`), both as FastAPI does;
- ``JSONResponse``, ``PlainTextResponse``... are FasterAPI's classes that are also Starlette's
  (:func:`~fasterapi_routing.starlette_twins.starlette_twin`): FasterAPI renders and sends them
  as its own, and ``isinstance`` against Starlette's classes holds.

Where the stand-in also serves ``starlette.*`` (or Starlette is not installed), every name is
FasterAPI's class.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

import FasterAPI.responses
from FasterAPI._stand_in.connections import real_starlette_kept
from fasterapi_core.exceptions import FastAPIDeprecationWarning
from fasterapi_routing.starlette_twins import starlette_twin

__all__ = [
    "EventSourceResponse",
    "FileResponse",
    "HTMLResponse",
    "JSONResponse",
    "ORJSONResponse",
    "PlainTextResponse",
    "RedirectResponse",
    "Response",
    "StreamingResponse",
    "UJSONResponse",
]

EventSourceResponse: type[Any]
FileResponse: type[Any]
HTMLResponse: type[Any]
JSONResponse: type[Any]
ORJSONResponse: type[Any]
PlainTextResponse: type[Any]
RedirectResponse: type[Any]
Response: type[Any]
StreamingResponse: type[Any]
UJSONResponse: type[Any]

#: FasterAPI's class: the Starlette class it is also an instance of (FastAPI's own classes
#: subclass Starlette's: ORJSONResponse and UJSONResponse its JSONResponse, EventSourceResponse
#: its StreamingResponse).
_STARLETTE_BASES = {
    "EventSourceResponse": "StreamingResponse",
    "FileResponse": "FileResponse",
    "HTMLResponse": "HTMLResponse",
    "JSONResponse": "JSONResponse",
    "ORJSONResponse": "JSONResponse",
    "PlainTextResponse": "PlainTextResponse",
    "RedirectResponse": "RedirectResponse",
    "StreamingResponse": "StreamingResponse",
    "UJSONResponse": "JSONResponse",
}
_STARLETTE_RESPONSES = "starlette.responses"


def __getattr__(name: str) -> Any:
    if name != "Response" and name not in _STARLETTE_BASES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}", name=name)
    ours: type[Any] = getattr(FasterAPI.responses, name)
    if not real_starlette_kept():
        return ours
    starlette_responses = importlib.import_module(_STARLETTE_RESPONSES)
    if name == "Response":
        return starlette_responses.Response
    with warnings.catch_warnings():  # the deprecated ORJSON/UJSON classes' warning is for
        warnings.simplefilter("ignore", FastAPIDeprecationWarning)  # users' subclasses
        return starlette_twin(ours, _STARLETTE_RESPONSES, _STARLETTE_BASES[name], {})
