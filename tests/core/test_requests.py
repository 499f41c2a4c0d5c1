"""HTTPConnection and Request, driven directly with ASGI scopes and receive callables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fasterapi_core.datastructures import URL, Address, FormData, Headers, QueryParams, State
from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.requests import (
    ClientDisconnect,
    HTTPConnection,
    Request,
    empty_receive,
    empty_send,
)


def make_scope(
    *,
    path: str = "/",
    query_string: bytes = b"",
    headers: Iterable[tuple[bytes, bytes]] = (),
    app: Any = None,
    **extra: Any,
) -> dict[str, Any]:
    scope: dict[str, Any] = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 51000),
        "root_path": "",
        "path": path,
        "query_string": query_string,
        "headers": list(headers),
    }
    if app is not None:
        scope["app"] = app
    scope.update(extra)
    return scope


class Receiver:
    """Hands out body chunks one message at a time, then ``http.disconnect`` forever."""

    def __init__(self, *chunks: bytes, disconnect_after: int | None = None) -> None:
        self.messages: list[dict[str, Any]] = [
            {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
            for i, chunk in enumerate(chunks)
        ]
        if disconnect_after is not None:
            self.messages = self.messages[:disconnect_after]
            for message in self.messages:
                message["more_body"] = True
        self.calls = 0

    async def __call__(self) -> dict[str, Any]:
        self.calls += 1
        if self.messages:
            return self.messages.pop(0)
        return {"type": "http.disconnect"}


class StreamingApp:
    stream_request_body = True


class LimitedApp:
    form_limits = FormLimits(max_fields=2)


# -- HTTPConnection --------------------------------------------------------------------------


def test_connection_properties() -> None:
    scope = make_scope(
        path="/items/7",
        query_string=b"a=1&a=2&b=%zz",
        headers=[(b"host", b"example.com:8080"), (b"x-token", b"abc")],
        path_params={"item_id": "7"},
    )
    conn = HTTPConnection(scope)
    assert conn.scope is scope
    assert isinstance(conn.url, URL)
    assert conn.url == "http://example.com:8080/items/7?a=1&a=2&b=%zz"
    assert conn.url is conn.url  # cached
    assert conn.base_url == "http://example.com:8080/"
    assert isinstance(conn.headers, Headers)
    assert conn.headers["X-Token"] == "abc"
    assert conn.headers is conn.headers
    assert isinstance(conn.query_params, QueryParams)
    assert conn.query_params.getlist("a") == ["1", "2"]
    assert conn.query_params["b"] == "%zz"
    assert conn.path_params == {"item_id": "7"}
    assert conn.client == Address("127.0.0.1", 51000)
    assert conn.client.host == "127.0.0.1"
    assert conn.app is None
    assert conn["path"] == "/items/7"
    assert "headers" in conn
    assert len(conn) == len(scope)
    assert set(conn) == set(scope)


def test_connection_defaults_for_minimal_scope() -> None:
    conn = HTTPConnection({"type": "http", "path": "/x", "headers": []})
    assert conn.path_params == {}
    assert conn.client is None
    assert conn.cookies == {}
    assert conn.query_params.multi_items() == []
    assert conn.url == "/x"


def test_connection_malformed_client_is_none() -> None:
    assert HTTPConnection(make_scope(client=("only-host",))).client is None
    assert HTTPConnection(make_scope(client=None)).client is None


def test_connection_identity_equality() -> None:
    scope = make_scope()
    assert HTTPConnection(scope) != HTTPConnection(scope)
    conn = HTTPConnection(scope)
    assert conn == conn
    assert len({conn, conn}) == 1


def test_base_url_with_root_path() -> None:
    conn = HTTPConnection(make_scope(root_path="/api", path="/api/users", query_string=b"x=1"))
    assert conn.base_url == "http://testserver/api/"
    assert conn.url == "http://testserver/api/users?x=1"


def test_cookies_tolerate_malformed_neighbours() -> None:
    scope = make_scope(headers=[(b"cookie", b'a=1; bad; b="2"; =x; c=3')])
    assert HTTPConnection(scope).cookies == {"a": "1", "b": "2", "c": "3"}


def test_cookies_edge_cases() -> None:
    scope = make_scope(
        headers=[
            (b"cookie", b'session="a\\"b\\\\c\\073"; empty=; eq=a=b; dup=1; dup=2;;  ; sp = v '),
            (b"cookie", b"second=\xff\xfe"),
        ]
    )
    cookies = HTTPConnection(scope).cookies
    assert cookies == {
        "session": 'a"b\\c;',
        "empty": "",
        "eq": "a=b",
        "dup": "2",
        "sp": "v",
        "second": "\xff\xfe",
    }


def test_state_over_scope_state() -> None:
    scope = make_scope(state={"engine": "pool"})
    conn = HTTPConnection(scope)
    assert isinstance(conn.state, State)
    assert conn.state["engine"] == "pool"
    assert conn.state.engine == "pool"
    conn.state.user = "bob"
    conn.state["request_id"] = "r1"
    assert scope["state"] == {"engine": "pool", "user": "bob", "request_id": "r1"}
    assert conn.state is conn.state


def test_state_created_in_scope_when_absent() -> None:
    scope = make_scope()
    conn = HTTPConnection(scope)
    conn.state["x"] = 1
    assert scope["state"] == {"x": 1}
    # A second connection over the same scope sees it.
    assert HTTPConnection(scope).state.x == 1


class FakeRouter:
    def url_path_for(self, name: str, **params: Any) -> str:
        assert name == "item"
        return f"/items/{params['item_id']}"


def test_url_for_uses_scope_router() -> None:
    scope = make_scope(headers=[(b"host", b"example.com")], router=FakeRouter())
    url = HTTPConnection(scope).url_for("item", item_id=3)
    assert url == "http://example.com/items/3"
    scope = make_scope(root_path="/api", path="/api/x", router=FakeRouter())
    assert HTTPConnection(scope).url_for("item", item_id=3) == "http://testserver/api/items/3"


def test_url_for_without_router() -> None:
    with pytest.raises(RuntimeError, match="router"):
        HTTPConnection(make_scope()).url_for("item")


# -- Request: construction and metadata ------------------------------------------------------


@pytest.mark.anyio
async def test_request_basics() -> None:
    receive = Receiver(b"hi")
    request = Request(make_scope(method="PUT"), receive, empty_send)
    assert request.method == "PUT"
    assert request.receive is receive
    assert isinstance(request, HTTPConnection)
    assert await request.body() == b"hi"


@pytest.mark.anyio
async def test_request_default_channels() -> None:
    request = Request(make_scope())
    assert await request.body() == b""
    assert await empty_receive() == {"type": "http.request", "body": b"", "more_body": False}
    assert await empty_send({"type": "http.response.start"}) is None


# -- Request: body / json / stream -----------------------------------------------------------


@pytest.mark.anyio
async def test_body_joins_chunks_and_is_cached() -> None:
    receive = Receiver(b"ab", b"", b"cd")
    request = Request(make_scope(), receive)
    assert await request.body() == b"abcd"
    assert await request.body() == b"abcd"
    assert receive.calls == 3


@pytest.mark.anyio
async def test_json() -> None:
    request = Request(make_scope(), Receiver(b'{"a": [1, ', b'2.5, "\\u00e9"]}'))
    assert await request.json() == {"a": [1, 2.5, "é"]}
    assert await request.json() == {"a": [1, 2.5, "é"]}


@pytest.mark.anyio
@pytest.mark.parametrize(
    "body",
    [b"", b"{", b'{"a": 1} trailing', b"\xff\xfe", b'"\xff"', b"nope"],
)
async def test_json_invalid_is_400(body: bytes) -> None:
    request = Request(make_scope(), Receiver(body))
    with pytest.raises(BaseHTTPException) as info:
        await request.json()
    assert info.value.status_code == 400
    assert info.value.detail.startswith("Invalid JSON body: ")


@pytest.mark.anyio
async def test_stream_then_body_default_mode_retains() -> None:
    request = Request(make_scope(), Receiver(b"a", b"b", b"c"))
    assert [chunk async for chunk in request.stream()] == [b"a", b"b", b"c"]
    assert await request.body() == b"abc"
    assert [chunk async for chunk in request.stream()] == [b"abc"]


@pytest.mark.anyio
async def test_stream_then_json_and_form_default_mode() -> None:
    request = Request(make_scope(), Receiver(b'{"k":', b"1}"))
    async for _ in request.stream():
        pass
    assert await request.json() == {"k": 1}
    form_request = Request(
        make_scope(headers=[(b"content-type", b"application/x-www-form-urlencoded")]),
        Receiver(b"a=1&", b"b=2"),
    )
    async for _ in form_request.stream():
        pass
    assert await form_request.form() == {"a": "1", "b": "2"}


@pytest.mark.anyio
async def test_body_then_stream_yields_cached_body() -> None:
    for app in (None, StreamingApp()):
        request = Request(make_scope(app=app), Receiver(b"x", b"y"))
        assert await request.body() == b"xy"
        assert [chunk async for chunk in request.stream()] == [b"xy"]


@pytest.mark.anyio
async def test_empty_body_stream_yields_nothing() -> None:
    request = Request(make_scope(), Receiver(b""))
    assert [chunk async for chunk in request.stream()] == []
    assert await request.body() == b""


@pytest.mark.anyio
async def test_stream_request_body_mode_does_not_retain() -> None:
    request = Request(make_scope(app=StreamingApp()), Receiver(b"a", b"b"))
    assert [chunk async for chunk in request.stream()] == [b"a", b"b"]
    with pytest.raises(RuntimeError, match="Stream consumed"):
        await request.body()
    with pytest.raises(RuntimeError, match="Stream consumed"):
        await request.json()
    with pytest.raises(RuntimeError, match="Stream consumed"):
        async for _ in request.stream():
            pass


@pytest.mark.anyio
async def test_stream_request_body_mode_body_first_still_works() -> None:
    request = Request(make_scope(app=StreamingApp()), Receiver(b'{"a"', b":1}"))
    assert await request.json() == {"a": 1}
    assert await request.body() == b'{"a":1}'


@pytest.mark.anyio
async def test_interrupted_stream_then_body_gets_everything() -> None:
    request = Request(make_scope(), Receiver(b"1", b"2", b"3"))
    async for chunk in request.stream():
        assert chunk == b"1"
        break
    assert await request.body() == b"123"


@pytest.mark.anyio
async def test_disconnect_mid_body_raises_client_disconnect() -> None:
    receive = Receiver(b"part1", b"part2", b"part3", disconnect_after=1)
    request = Request(make_scope(), receive)
    with pytest.raises(ClientDisconnect):
        await request.body()
    stream_request = Request(make_scope(), Receiver(b"a", b"b", disconnect_after=1))
    seen = []
    with pytest.raises(ClientDisconnect):
        async for chunk in stream_request.stream():
            seen.append(chunk)
    assert seen == [b"a"]
    assert await stream_request.is_disconnected() is True


@pytest.mark.anyio
async def test_disconnect_before_any_body() -> None:
    request = Request(make_scope(), Receiver(disconnect_after=0))
    with pytest.raises(ClientDisconnect):
        await request.json()


@pytest.mark.anyio
async def test_is_disconnected_does_not_block_or_lose_body() -> None:
    # Like uvicorn's receive: returns at once when a message is ready, otherwise waits.
    queue: list[dict[str, Any]] = []
    ready = anyio.Event()

    async def receive() -> dict[str, Any]:
        if not queue:
            await ready.wait()
        return queue.pop(0)

    request = Request(make_scope(), receive)
    # Nothing queued: returns at once.
    with anyio.fail_after(1):
        assert await request.is_disconnected() is False
    # A body message consumed by the check is kept for body().
    queue.append({"type": "http.request", "body": b"abc", "more_body": False})
    assert await request.is_disconnected() is False
    queue.append({"type": "http.disconnect"})
    assert await request.is_disconnected() is True
    assert await request.body() == b"abc"
    assert await request.is_disconnected() is True


# -- Request: form ---------------------------------------------------------------------------


@pytest.mark.anyio
async def test_form_urlencoded_and_cached() -> None:
    request = Request(
        make_scope(headers=[(b"content-type", b"application/x-www-form-urlencoded")]),
        Receiver(b"a=1&a=2&name=J%C3%B6rg+M"),
    )
    form = await request.form()
    assert isinstance(form, FormData)
    assert form == {"a": "2", "name": "Jörg M"}
    assert form.getlist("a") == ["1", "2"]
    assert await request.form() is form
    await request.close()


@pytest.mark.anyio
async def test_form_then_body_raises_stream_consumed() -> None:
    request = Request(
        make_scope(headers=[(b"content-type", b"application/x-www-form-urlencoded")]),
        Receiver(b"a=1"),
    )
    await request.form()
    with pytest.raises(RuntimeError, match="Stream consumed"):
        await request.body()


@pytest.mark.anyio
async def test_body_then_form_works() -> None:
    request = Request(
        make_scope(headers=[(b"content-type", b"application/x-www-form-urlencoded")]),
        Receiver(b"a=1"),
    )
    assert await request.body() == b"a=1"
    assert await request.form() == {"a": "1"}


@pytest.mark.anyio
async def test_form_other_content_type_is_empty() -> None:
    request = Request(make_scope(headers=[(b"content-type", b"application/json")]), Receiver(b"{}"))
    assert await request.form() == {}
    request = Request(make_scope(), Receiver(b"a=1"))
    assert await request.form() == {}


@pytest.mark.anyio
async def test_form_limits_from_app_and_arguments() -> None:
    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    request = Request(make_scope(headers=headers, app=LimitedApp()), Receiver(b"a=1&b=2&c=3"))
    with pytest.raises(BaseHTTPException) as info:
        await request.form()
    assert info.value.status_code == 400
    assert info.value.detail == "Too many fields. Maximum number of fields is 2."
    # An explicit argument wins over the app's limits.
    request = Request(make_scope(headers=headers, app=LimitedApp()), Receiver(b"a=1&b=2&c=3"))
    assert await request.form(max_fields=3) == {"a": "1", "b": "2", "c": "3"}
    dict_app = type("DictApp", (), {"form_limits": {"max_fields": 1}})()
    request = Request(make_scope(headers=headers, app=dict_app), Receiver(b"a=1&b=2"))
    with pytest.raises(BaseHTTPException) as info:
        await request.form()
    assert info.value.detail == "Too many fields. Maximum number of fields is 1."
    request = Request(make_scope(headers=headers), Receiver(b"a=123456"))
    with pytest.raises(BaseHTTPException) as info:
        await request.form(max_part_size=5)
    assert info.value.status_code == 400  # FastAPI's status for a field over the limit


@pytest.mark.anyio
async def test_close_closes_uploaded_files() -> None:
    body = (
        b"--b\r\n"
        b'Content-Disposition: form-data; name="f"; filename="x.txt"\r\n\r\n'
        b"data\r\n--b--\r\n"
    )
    request = Request(
        make_scope(headers=[(b"content-type", b"multipart/form-data; boundary=b")]),
        Receiver(body),
    )
    form = await request.form()
    upload = form["f"]
    assert not isinstance(upload, str)
    assert await upload.read() == b"data"
    await request.close()
    assert upload.file.closed


@settings(max_examples=200, deadline=None)
@given(cookie=st.binary(max_size=200), query=st.binary(max_size=200), host=st.binary(max_size=60))
def test_hostile_connection_input_never_raises(cookie: bytes, query: bytes, host: bytes) -> None:
    conn = HTTPConnection(
        make_scope(query_string=query, headers=[(b"cookie", cookie), (b"host", host)])
    )
    assert isinstance(conn.cookies, dict)
    conn.query_params.multi_items()
    str(conn.url)
    conn.url.hostname  # noqa: B018
    conn.url.port  # noqa: B018
    conn.base_url  # noqa: B018
