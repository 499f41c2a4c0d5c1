"""FastAPI's ``max_body_size`` (application, router, ``include_router``, route, mounts)
compared with FastAPI 0.165: every request goes to the same application built on both
frameworks and the answers (status, content type, body bytes) must be identical. The cases
are those of FastAPI's tests/test_request_body_limits.py, plus FasterAPI's own ``limits=``."""

from collections.abc import AsyncIterator, Callable
from types import ModuleType
from typing import Annotated, Any

import anyio
import fastapi
import httpx
import pytest
from twins import sub

import FasterAPI
from FasterAPI import Limits
from fasterapi_core.limits import FastAPILimits

pytestmark = pytest.mark.anyio

Answer = tuple[int, str | None, bytes]


class Chunks(httpx.AsyncByteStream):
    """A request body sent in the given chunks (no ``Content-Length`` unless one is set)."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = iter(chunks)
        self.consumed: list[bytes] = []

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        try:
            chunk = next(self.chunks)
        except StopIteration:
            raise StopAsyncIteration from None
        self.consumed.append(chunk)
        return chunk


async def send(
    app: Any,
    chunks: list[bytes] | Chunks,
    *,
    path: str = "/",
    method: str = "POST",
    content_length: str | None = None,
    content_type: str = "application/octet-stream",
) -> Answer:
    headers = {"content-type": content_type}
    if content_length is not None:
        headers["content-length"] = content_length
    stream = chunks if isinstance(chunks, Chunks) else Chunks(chunks)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        with anyio.fail_after(5):
            response = await client.send(
                httpx.Request(method, "http://test" + path, stream=stream, headers=headers)
            )
    return response.status_code, response.headers.get("content-type"), response.content


async def both(factory: Callable[[ModuleType], Any], *args: Any, **kwargs: Any) -> Answer:
    """The answer of ``factory``'s application on both frameworks, asserted identical."""
    ours = await send(factory(FasterAPI), *args, **kwargs)
    theirs = await send(factory(fastapi), *args, **kwargs)
    assert ours == theirs
    return ours


def echo_endpoint(fw: ModuleType) -> Callable[..., Any]:
    responses = sub(fw, "responses")

    async def echo(request: fw.Request) -> Any:  # type: ignore[name-defined]
        return responses.PlainTextResponse(await request.body())

    return echo


def parse_body_endpoint(fw: ModuleType) -> Callable[..., Any]:
    responses = sub(fw, "responses")

    async def parse_body(
        data: Annotated[bytes, fw.Body(media_type="application/octet-stream")],
    ) -> Any:
        return responses.PlainTextResponse(data)

    return parse_body


TOO_LARGE_TEXT = (413, "text/plain; charset=utf-8", b"Content Too Large")
TOO_LARGE_JSON = (413, "application/json", b'{"detail":"Content Too Large"}')


@pytest.mark.parametrize(
    ("content_length", "expected"),
    [(None, TOO_LARGE_JSON), ("2", TOO_LARGE_JSON), ("5", TOO_LARGE_JSON), ("6", TOO_LARGE_TEXT)],
)
async def test_body_limit_counts_actual_bytes(content_length: str | None, expected: Answer) -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(max_body_size=5)
        app.post("/")(parse_body_endpoint(fw))
        return app

    assert await both(app, [b"123", b"456"], content_length=content_length) == expected


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [([b"123", b"456"], TOO_LARGE_JSON), ([b"12"], (200, "text/plain; charset=utf-8", b"12"))],
)
async def test_a_content_length_that_is_not_a_number_is_ignored_under_max_body_size(
    chunks: list[bytes], expected: Answer
) -> None:
    # as FastAPI: the header is ignored and the bytes received are counted
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(max_body_size=5)
        app.post("/")(parse_body_endpoint(fw))
        return app

    assert await both(app, chunks, content_length="invalid") == expected


async def test_a_content_length_that_is_not_a_number_is_refused_by_fasterapi_limits() -> None:
    # Deliberate difference without FastAPI's max_body_size (FasterAPI's own Limits): 400, as
    # the servers answer before the application sees the request.
    app = FasterAPI.FastAPI()
    app.post("/")(parse_body_endpoint(FasterAPI))
    answer = await send(app, [b"12"], content_length="invalid")
    assert answer == (400, "application/json", b'{"detail":"Invalid Content-Length header."}')


async def test_a_declared_length_over_the_limit_is_refused_even_when_the_body_is_not_read() -> None:
    calls: list[int] = []

    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(max_body_size=5)

        @app.post("/")
        async def ignore_body() -> int:
            calls.append(1)
            return 1

        return app

    assert await both(app, [b"123456"], content_length="6") == TOO_LARGE_TEXT
    assert await both(app, [b"12345"], content_length="5") == (200, "application/json", b"1")


async def test_a_handler_for_413_answers_a_streamed_body_but_not_a_declared_one() -> None:
    def app(fw: ModuleType) -> Any:
        responses = sub(fw, "responses")
        app = fw.FastAPI(max_body_size=5)
        app.post("/")(echo_endpoint(fw))

        @app.exception_handler(413)
        async def too_large(request: Any, exc: Any) -> Any:
            return responses.JSONResponse({"too": "large"}, status_code=413)

        return app

    assert await both(app, [b"123", b"456"]) == (413, "application/json", b'{"too":"large"}')
    assert await both(app, [b"123456"], content_length="6") == TOO_LARGE_TEXT


async def test_direct_api_route() -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI()
        route = sub(fw, "routing").APIRoute(
            "/", parse_body_endpoint(fw), methods=["POST"], max_body_size=5
        )
        app.router.routes.append(route)
        return app

    assert (await both(app, [b"12345"]))[0] == 200
    assert await both(app, [b"123456"]) == TOO_LARGE_JSON


@pytest.mark.parametrize(
    ("limit", "size", "expected"),
    [(None, 6, 200), (0, 0, 200), (0, 1, 413), (5, 4, 200), (5, 5, 200), (5, 6, 413)],
)
async def test_boundary_sizes(limit: int | None, size: int, expected: int) -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(max_body_size=limit)
        app.post("/")(echo_endpoint(fw))
        return app

    status, _, content = await both(app, [b"x" * size])
    assert status == expected
    if expected == 200:
        assert content == b"x" * size


OPERATIONS = [
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "api_route",
    "add_api_route",
]


@pytest.mark.parametrize("owner", ["app", "router"])
@pytest.mark.parametrize("method", OPERATIONS)
async def test_operation_methods_forward_limits(owner: str, method: str) -> None:
    limits = {"max_fields": 1}

    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(max_body_size=1)
        router = fw.APIRouter()
        target = app if owner == "app" else router
        echo = echo_endpoint(fw)
        if method == "add_api_route":
            target.add_api_route("/", echo, methods=["POST"], max_body_size=5, form_limits=limits)
        elif method == "api_route":
            target.api_route("/", methods=["POST"], max_body_size=5, form_limits=limits)(echo)
        else:
            getattr(target, method)("/", max_body_size=5, form_limits=limits)(echo)
        route = target.routes[-1]
        assert route.form_limits == limits
        assert route.max_body_size == 5
        if owner == "router":
            app.include_router(router)
        return app

    http_method = "POST" if method in {"api_route", "add_api_route"} else method.upper()
    assert (await both(app, [b"12345"], method=http_method))[0] == 200
    assert (await both(app, [b"123456"], method=http_method))[0] == 413


@pytest.mark.parametrize(
    ("app_limit", "parent_limit", "include_limit", "child_limit", "route_limit", "expected"),
    [
        (None, None, None, None, None, 200),
        (5, None, None, None, None, 413),
        (5, 10, None, None, None, 200),
        (10, 5, None, None, None, 413),
        (5, 5, 10, None, None, 200),
        (10, 10, 5, None, None, 413),
        (5, 5, 5, 10, None, 200),
        (10, 10, 10, 5, None, 413),
        (5, 5, 5, 5, 10, 200),
        (10, 10, 10, 10, 5, 413),
        (10, 10, 10, 10, 0, 413),
        (None, None, 0, None, None, 413),
    ],
)
async def test_nested_limit_precedence(
    app_limit: int | None,
    parent_limit: int | None,
    include_limit: int | None,
    child_limit: int | None,
    route_limit: int | None,
    expected: int,
) -> None:
    def app(fw: ModuleType) -> Any:
        child = fw.APIRouter(max_body_size=child_limit)
        child.post("/", max_body_size=route_limit)(echo_endpoint(fw))
        parent = fw.APIRouter(max_body_size=parent_limit)
        parent.include_router(child, prefix="/child", max_body_size=include_limit)
        app = fw.FastAPI(max_body_size=app_limit)
        app.include_router(parent, prefix="/parent")
        return app

    assert (await both(app, [b"123456"], path="/parent/child/"))[0] == expected


async def test_shared_router_has_independent_inclusion_defaults() -> None:
    for fw in (FasterAPI, fastapi):
        router = fw.APIRouter()
        router.post("/")(echo_endpoint(fw))
        small = fw.FastAPI(max_body_size=5)
        large = fw.FastAPI(max_body_size=10)
        small.include_router(router)
        large.include_router(router)
        large.include_router(router, prefix="/small", max_body_size=5)
        assert (await send(small, [b"123456"]))[0] == 413
        assert (await send(large, [b"123456"]))[0] == 200
        assert (await send(large, [b"123456"], path="/small/"))[0] == 413
        assert router.max_body_size is None
        assert router.routes[0].max_body_size is None


@pytest.mark.parametrize(
    ("parent_limit", "child_limit", "expected"), [(5, None, 413), (5, 10, 200), (10, 5, 413)]
)
@pytest.mark.parametrize("mounted_router", [False, True])
async def test_mounts_inherit_and_override(
    parent_limit: int, child_limit: int | None, expected: int, mounted_router: bool
) -> None:
    def app(fw: ModuleType) -> Any:
        child = (
            fw.APIRouter(max_body_size=child_limit)
            if mounted_router
            else fw.FastAPI(max_body_size=child_limit)
        )
        child.post("/")(echo_endpoint(fw))
        app = fw.FastAPI(max_body_size=parent_limit)
        app.mount("/child", child)
        return app

    assert (await both(app, [b"123456"], path="/child/"))[0] == expected


async def test_mount_in_an_included_router_inherits_its_limit() -> None:
    def app(fw: ModuleType) -> Any:
        mounted = fw.FastAPI()
        mounted.post("/")(echo_endpoint(fw))
        router = fw.APIRouter()
        router.mount("/mounted", mounted)
        app = fw.FastAPI()
        app.include_router(router, prefix="/nested", max_body_size=5)
        return app

    assert (await both(app, [b"12345"], path="/nested/mounted/"))[0] == 200
    assert await both(app, [b"123456"], path="/nested/mounted/") == TOO_LARGE_JSON


@pytest.mark.parametrize(
    ("app_limit", "router_limit", "route_limit", "expected"),
    [(5, None, 10, 413), (10, None, 5, 413), (10, 5, 10, 200), (10, 5, None, 413)],
)
async def test_limits_when_middleware_reads_the_body(
    app_limit: int, router_limit: int | None, route_limit: int | None, expected: int
) -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(max_body_size=app_limit)
        router = fw.APIRouter(max_body_size=router_limit)
        router.post("/", max_body_size=route_limit)(echo_endpoint(fw))
        app.include_router(router)

        @app.middleware("http")
        async def read_body(request: Any, call_next: Any) -> Any:
            await request.body()
            return await call_next(request)

        return app

    status, _, content = await both(app, [b"123", b"456"])
    assert status == expected
    if expected == 200:
        assert content == b"123456"
    assert (await both(app, [b"12345"]))[0] == 200


async def consumption(fw: ModuleType) -> None:
    app = fw.FastAPI(max_body_size=5)
    calls: list[bytes] = []

    @app.post("/")
    async def endpoint(data: Annotated[bytes, fw.Body()]) -> Any:
        calls.append(data)
        return data.decode()  # FasterAPI writes returned bytes in base64

    stream = Chunks([b"123", b"456", b"unread"])
    assert (await send(app, stream))[0] == 413
    assert calls == []
    assert stream.consumed == [b"123", b"456"]
    assert await send(app, [b"ok"]) == (200, "application/json", b'"ok"')
    assert calls == [b"ok"]


@pytest.mark.parametrize("fw", [FasterAPI, fastapi])
async def test_limit_stops_consumption_before_endpoint(fw: ModuleType) -> None:
    await consumption(fw)


@pytest.mark.parametrize("limit", [0, 5])
async def test_query_and_headers_do_not_count_as_body(limit: int) -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(max_body_size=limit)
        app.post("/")(echo_endpoint(fw))
        return app

    assert (await both(app, [b""], path="/?q=" + "x" * 100))[0] == 200


@pytest.mark.parametrize("value", [-1, True, False, 1.5, "5"])
def test_invalid_application_limit(value: Any) -> None:
    for fw in (FasterAPI, fastapi):
        with pytest.raises(ValueError, match="non-negative integer"):
            fw.FastAPI(max_body_size=value)


@pytest.mark.parametrize("where", ["router", "operation", "include", "direct", "add_api_route"])
def test_invalid_limit_fails_at_registration(where: str) -> None:
    for fw in (FasterAPI, fastapi):
        echo = echo_endpoint(fw)
        with pytest.raises(ValueError, match="non-negative integer"):
            if where == "router":
                fw.APIRouter(max_body_size=-1)
            elif where == "operation":
                fw.FastAPI().post("/", max_body_size=-1)(echo)
            elif where == "include":
                fw.FastAPI().include_router(fw.APIRouter(), max_body_size=-1)
            elif where == "direct":
                sub(fw, "routing").APIRoute("/", echo, max_body_size=-1)
            else:
                fw.APIRouter().add_api_route("/", echo, max_body_size=-1)


def test_lifespan_and_websockets_are_unaffected() -> None:
    events: list[str] = []

    async def lifespan(app: Any) -> Any:
        events.append("startup")
        yield
        events.append("shutdown")

    app = FasterAPI.FastAPI(max_body_size=0, lifespan=lifespan)

    @app.websocket("/ws")
    async def websocket(websocket: FasterAPI.WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(await websocket.receive_text())

    with FasterAPI.TestClient(app) as client, client.websocket_connect("/ws") as connection:
        connection.send_text("larger than the HTTP limit")
        assert connection.receive_text() == "larger than the HTTP limit"
    assert events == ["startup", "shutdown"]


async def test_a_rejected_upload_closes_its_file() -> None:
    prefix = (
        b"--boundary\r\n"
        b'Content-Disposition: form-data; name="file"; filename="example.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
        b"hello"
    )
    accepted = prefix + b"\r\n--boundary--\r\n"
    multipart = "multipart/form-data; boundary=boundary"
    files: list[Any] = []

    def app(fw: ModuleType, limit: int) -> Any:
        app = fw.FastAPI(max_body_size=limit)

        @app.post("/")
        async def endpoint(file: Annotated[fw.UploadFile, fw.File()]) -> Any:  # type: ignore[name-defined]
            files.append(file)
            return {"name": file.filename}

        return app

    refused = await both(
        lambda fw: app(fw, len(prefix)),
        [prefix, b"more data\r\n--boundary--\r\n"],
        content_type=multipart,
    )
    assert refused == TOO_LARGE_JSON
    answer = await both(lambda fw: app(fw, len(accepted)), [accepted], content_type=multipart)
    assert answer == (200, "application/json", b'{"name":"example.txt"}')
    assert files and all(file.file.closed for file in files)


# -- FasterAPI's own limits= keep working, alone and with FastAPI's keyword --------------------


async def test_limits_keeps_fasterapis_answer() -> None:
    app = FasterAPI.Faster(limits=Limits(max_body_size=5))
    app.post("/")(echo_endpoint(FasterAPI))
    body = b'{"detail":"Request body exceeded maximum size of 5 bytes."}'
    assert await send(app, [b"123", b"456"]) == (413, "application/json", body)
    assert await send(app, [b"123456"], content_length="6") == (413, "application/json", body)
    assert app.limits == Limits(max_body_size=5)
    assert app.max_body_size is None


async def test_max_body_size_overrides_limits_and_keeps_its_other_settings() -> None:
    app = FasterAPI.Faster(limits=Limits(max_body_size=5, max_query_params=3), max_body_size=8)
    app.post("/")(echo_endpoint(FasterAPI))
    assert app.limits == FastAPILimits(max_body_size=8, max_query_params=3)
    assert app.max_body_size == 8
    assert (await send(app, [b"1234", b"5678"]))[0] == 200
    assert await send(app, [b"12345", b"6789"]) == TOO_LARGE_JSON

    @app.get("/query")
    async def query(request: FasterAPI.Request) -> int:
        return len(request.query_params)

    assert (await send(app, [b""], path="/query?a=1&b=2&c=3", method="GET"))[0] == 200
    assert (await send(app, [b""], path="/query?a=1&b=2&c=3&d=4", method="GET"))[0] == 400


async def test_routes_without_limits_keep_their_handler() -> None:
    # A route is wrapped only when it (or a router on its way) sets a limit.
    app = FasterAPI.Faster()
    router = FasterAPI.FasterRouter(max_body_size=5)
    app.post("/plain")(echo_endpoint(FasterAPI))
    router.post("/limited")(echo_endpoint(FasterAPI))
    app.include_router(router)
    plain, limited = app.routes[-2:]
    assert not plain.handle.__qualname__.startswith("limit_handle")
    assert limited.handle.__qualname__.startswith("limit_handle")
    assert (await send(app, [b"123456"], path="/plain"))[0] == 200
    assert (await send(app, [b"123456"], path="/limited"))[0] == 413


# -- middleware and mounts reading the body first (FastAPI's cases) ---------------------------


@pytest.mark.parametrize("limit", [None, 5])
@pytest.mark.parametrize("body_field", [False, True])
@pytest.mark.parametrize("content_length", [None, "6"])
async def test_call_next_middleware_preserves_413(
    limit: int | None, body_field: bool, content_length: str | None
) -> None:
    def app(fw: ModuleType) -> Any:
        app = fw.FastAPI(max_body_size=limit)
        app.post("/")(parse_body_endpoint(fw) if body_field else echo_endpoint(fw))

        @app.middleware("http")
        async def pass_through(request: Any, call_next: Any) -> Any:
            return await call_next(request)

        return app

    answer = await both(app, [b"123", b"456"], content_length=content_length)
    assert answer[0] == (413 if limit is not None else 200)
    assert (await both(app, [b"12345"]))[0] == 200


@pytest.mark.parametrize("read_in_parent", [True, False])
@pytest.mark.parametrize("content_length", [None, "6"])
async def test_mounted_app_returns_413_when_middleware_reads_body(
    read_in_parent: bool, content_length: str | None
) -> None:
    def app(fw: ModuleType) -> Any:
        parent = fw.FastAPI(max_body_size=10 if read_in_parent else 5)
        child = fw.FastAPI(max_body_size=5 if read_in_parent else None)
        child.post("/")(echo_endpoint(fw))
        parent.mount("/child", child)

        @(parent if read_in_parent else child).middleware("http")
        async def read_body(request: Any, call_next: Any) -> Any:
            await request.body()
            return await call_next(request)

        return parent

    answer = await both(app, [b"123", b"456"], path="/child/", content_length=content_length)
    assert answer[0] == 413
    assert (await both(app, [b"12345"], path="/child/"))[0] == 200


@pytest.mark.parametrize(
    "error",
    [
        ExceptionGroup("other", [RuntimeError("other error")]),
        ExceptionGroup("application error", [FasterAPI.HTTPException(413)]),
        ExceptionGroup("mixed", [FasterAPI.HTTPException(413), ValueError("unrelated")]),
    ],
)
@pytest.mark.parametrize("mounted", [False, True])
async def test_body_limit_does_not_hide_unrelated_exception_groups(
    error: ExceptionGroup, mounted: bool
) -> None:
    app = FasterAPI.FastAPI(max_body_size=5)

    @app.post("/")
    async def endpoint() -> None:
        raise error

    parent = FasterAPI.FastAPI(max_body_size=10)
    parent.mount("/child", app)
    with pytest.raises(ExceptionGroup) as caught:
        await send(parent if mounted else app, [b""], path="/child/" if mounted else "/")
    assert caught.value is error


@pytest.mark.parametrize(
    "error",
    [RuntimeError("receive failed"), ExceptionGroup("read", [RuntimeError("receive failed")])],
    ids=["error", "group"],
)
@pytest.mark.parametrize("max_body_size", [None, 100])
async def test_a_failed_body_read_is_fastapis_400(
    error: Exception, max_body_size: int | None
) -> None:
    # a body parameter whose read fails (not over the limit): 400, as FastAPI
    def app(fw: ModuleType) -> Any:
        inner = fw.FastAPI(max_body_size=max_body_size)
        inner.post("/")(parse_body_endpoint(fw))

        async def failing(scope: Any, receive: Any, send: Any) -> None:
            calls = 0

            async def receive_then_fail() -> Any:
                nonlocal calls
                calls += 1
                if calls > 1 and scope["type"] == "http":
                    raise error
                return await receive()

            await inner(scope, receive_then_fail, send)

        return failing

    assert await both(app, [b"12", b"34"]) == (
        400,
        "application/json",
        b'{"detail":"There was an error parsing the body"}',
    )


async def test_multipart_rejected_over_the_limit_closes_its_temporary_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # FastAPI's test_multipart_rejection_closes_temporary_files, on FasterAPI's parser
    import tempfile

    created: list[Any] = []
    original = tempfile.SpooledTemporaryFile

    class Tracked(original):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            created.append(self)

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", Tracked)
    prefix = (
        b"--boundary\r\n"
        b'Content-Disposition: form-data; name="file"; filename="example.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
        b"hello"
    )
    multipart = "multipart/form-data; boundary=boundary"

    async def endpoint(file: Annotated[FasterAPI.UploadFile, FasterAPI.File()]) -> Any:
        return {"name": file.filename}

    app = FasterAPI.FastAPI(max_body_size=len(prefix))
    app.post("/")(endpoint)
    answer = await send(app, [prefix, b"more\r\n--boundary--\r\n"], content_type=multipart)
    assert answer == TOO_LARGE_JSON
    assert created and all(file.closed for file in created)

    created.clear()
    accepted = prefix + b"\r\n--boundary--\r\n"
    larger = FasterAPI.FastAPI(max_body_size=len(accepted))
    larger.post("/")(endpoint)
    answer = await send(larger, [accepted], content_type=multipart)
    assert answer == (200, "application/json", b'{"name":"example.txt"}')
    assert created and all(file.closed for file in created)
