"""FasterAPI core: the pieces every other FasterAPI package builds on.

Plugin authors depend on this distribution alone. ``fasterapi_core.testclient`` needs the
``testing`` extra (httpx) and is therefore not imported here.
"""

from fasterapi_core.background import BackgroundTask, BackgroundTasks
from fasterapi_core.concurrency import iterate_in_threadpool, run_in_threadpool
from fasterapi_core.datastructures import (
    URL,
    Address,
    FormData,
    Headers,
    MutableHeaders,
    QueryParams,
    State,
    UploadFile,
)
from fasterapi_core.encoding import json_encode, jsonable_encoder
from fasterapi_core.exceptions import (
    BaseHTTPException,
    HTTPException,
    RequestValidationError,
    ResponseValidationError,
    WebSocketDisconnect,
    WebSocketException,
)
from fasterapi_core.fileresponse import FileResponse
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import Limits
from fasterapi_core.middleware import BaseHTTPMiddleware, Middleware
from fasterapi_core.params import (
    Body,
    Cookie,
    Depends,
    File,
    Form,
    Header,
    Path,
    Query,
    Security,
    SecurityScopes,
)
from fasterapi_core.requests import HTTPConnection, Request
from fasterapi_core.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fasterapi_core.sse import EventSourceResponse, ServerSentEvent
from fasterapi_core.streaming import StreamingResponse
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_core.websockets import WebSocket, WebSocketState

__all__ = [
    "URL",
    "ASGIApp",
    "Address",
    "BackgroundTask",
    "BackgroundTasks",
    "BaseHTTPException",
    "BaseHTTPMiddleware",
    "Body",
    "Cookie",
    "Depends",
    "EventSourceResponse",
    "File",
    "FileResponse",
    "Form",
    "FormData",
    "FormLimits",
    "HTMLResponse",
    "HTTPConnection",
    "HTTPException",
    "Header",
    "Headers",
    "JSONResponse",
    "Limits",
    "Message",
    "Middleware",
    "MutableHeaders",
    "Path",
    "PlainTextResponse",
    "Query",
    "QueryParams",
    "Receive",
    "RedirectResponse",
    "Request",
    "RequestValidationError",
    "Response",
    "ResponseValidationError",
    "Scope",
    "Security",
    "SecurityScopes",
    "Send",
    "ServerSentEvent",
    "State",
    "StreamingResponse",
    "UploadFile",
    "WebSocket",
    "WebSocketDisconnect",
    "WebSocketException",
    "WebSocketState",
    "iterate_in_threadpool",
    "json_encode",
    "jsonable_encoder",
    "run_in_threadpool",
]
