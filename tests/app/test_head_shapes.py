"""HEAD on a GET route answers GET's status and headers without a body, whatever the route's
shape (each shape has its own compiled handler); nor is there a body on any other answer to
HEAD (404, 405, error handlers, routes declaring HEAD), with or without user middleware."""

from collections.abc import AsyncIterator
from typing import Annotated, Any

import pytest
from asgi_support import exchange, http_scope

from FasterAPI import (
    BackgroundTasks,
    Depends,
    Faster,
    HTTPException,
    Request,
    Response,
    TestClient,
)


async def leaf() -> str:
    return "leaf"


async def session() -> AsyncIterator[str]:
    yield "session"


class PassThrough:
    """A pure-ASGI user middleware: the request goes through the middleware stack."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


def make_app(with_middleware: bool = False) -> Faster:
    app = Faster(openapi_url=None)
    if with_middleware:
        app.add_middleware(PassThrough)

    @app.get("/nothing")
    async def nothing() -> dict[str, str]:
        return {"shape": "nothing"}

    @app.get("/path/{item_id}")
    async def path(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    @app.get("/query")
    async def query(q: str, n: int = 1) -> dict[str, object]:
        return {"q": q, "n": n}

    @app.get("/leaf")
    async def with_leaf(value: Annotated[str, Depends(leaf)]) -> dict[str, str]:
        return {"value": value}

    @app.get("/yield")
    async def with_yield(value: Annotated[str, Depends(session)]) -> dict[str, str]:
        return {"value": value}

    @app.get("/request")
    async def with_request(request: Request) -> dict[str, str]:
        return {"path": request.url.path}

    @app.get("/sub-response")
    async def with_response(response: Response, tasks: BackgroundTasks) -> dict[str, str]:
        response.headers["x-shape"] = "sub"
        return {"shape": "sub"}

    @app.get("/sync")
    def sync() -> dict[str, str]:
        return {"shape": "sync"}

    @app.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(418, detail="short and stout")

    @app.post("/post-only")
    async def post_only() -> dict[str, str]:
        return {"shape": "post"}

    @app.api_route("/explicit", methods=["HEAD"])
    async def explicit() -> Response:
        return Response(b"0123456789", headers={"x-shape": "explicit"})

    return app


def call(app: Faster, method: str, path: str, query: bytes) -> tuple[int, Any, bytes]:
    """The ASGI messages an application sends, without a client that drops HEAD bodies."""
    sent, _ = exchange(app, http_scope(path, method, query))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], start["headers"], body


@pytest.mark.parametrize(
    "url",
    [
        "/nothing",
        "/path/3",
        "/query?q=x",
        "/leaf",
        "/yield",
        "/request",
        "/sub-response",
        "/sync",
    ],
)
def test_head_has_gets_headers_and_no_body(url: str) -> None:
    client = TestClient(make_app())
    get = client.get(url)
    head = client.head(url)
    assert get.status_code == 200
    assert len(get.content) > 0
    assert (head.status_code, head.content) == (200, b"")
    assert dict(head.headers) == dict(get.headers)
    path, _, query = url.partition("?")
    app = make_app()
    status, headers, body = call(app, "HEAD", path, query.encode())
    get_status, get_headers, get_body = call(app, "GET", path, query.encode())
    assert (status, get_status, body) == (200, 200, b"")
    assert (headers, len(get_body)) == (get_headers, int(dict(headers)[b"content-length"]))


@pytest.mark.parametrize("with_middleware", [False, True], ids=["direct", "middleware"])
@pytest.mark.parametrize(
    ("path", "status", "length"),
    [
        ("/missing", 404, b"22"),  # {"detail":"Not Found"}
        ("/post-only", 405, b"31"),  # {"detail":"Method Not Allowed"}
        ("/teapot", 418, b"28"),  # {"detail":"short and stout"}
        ("/explicit", 200, b"10"),
    ],
)
def test_no_answer_to_head_has_a_body(
    with_middleware: bool, path: str, status: int, length: bytes
) -> None:
    app = make_app(with_middleware)
    got_status, headers, body = call(app, "HEAD", path, b"")
    assert (got_status, body) == (status, b"")
    assert dict(headers)[b"content-length"] == length
