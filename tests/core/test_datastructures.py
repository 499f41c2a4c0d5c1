"""URL, Headers, MutableHeaders, QueryParams, State, UploadFile and FormData."""

from __future__ import annotations

import copy
import io
from tempfile import SpooledTemporaryFile

import pytest

from fasterapi_core.datastructures import (
    URL,
    Address,
    FormData,
    Headers,
    ImmutableMultiDict,
    MutableHeaders,
    QueryParams,
    State,
    UploadFile,
)


def http_scope(**overrides: object) -> dict[str, object]:
    scope: dict[str, object] = {
        "type": "http",
        "scheme": "http",
        "server": ("testserver", 80),
        "path": "/",
        "root_path": "",
        "query_string": b"",
        "headers": [],
    }
    scope.update(overrides)
    return scope


# -- URL -------------------------------------------------------------------------------------


def test_url_parts_from_string() -> None:
    url = URL("https://user:pw@Example.COM:8443/a/b?x=1&y=2#frag")
    assert url.scheme == "https"
    assert url.netloc == "user:pw@Example.COM:8443"
    assert url.hostname == "example.com"
    assert url.port == 8443
    assert url.path == "/a/b"
    assert url.query == "x=1&y=2"
    assert url.fragment == "frag"
    assert url.username == "user"
    assert url.password == "pw"
    assert url.is_secure is True
    assert url == "https://user:pw@Example.COM:8443/a/b?x=1&y=2#frag"
    assert str(url) == "https://user:pw@Example.COM:8443/a/b?x=1&y=2#frag"
    assert repr(url) == "URL('https://user:********@Example.COM:8443/a/b?x=1&y=2#frag')"


def test_url_without_credentials_or_port() -> None:
    url = URL("http://example.com/")
    assert url.username is None
    assert url.password is None
    assert url.port is None
    assert url.is_secure is False
    assert URL("wss://h/").is_secure is True


def test_url_equality_and_hash() -> None:
    assert URL("http://a/b") == URL("http://a/b")
    assert URL("http://a/b") != "http://a/c"
    assert hash(URL("http://a/b")) == hash(URL("http://a/b"))
    assert URL("http://a/b") != 42


def test_url_from_scope_with_host_header() -> None:
    scope = http_scope(
        path="/items/1", query_string=b"q=a%20b", headers=[(b"host", b"api.example.com:8000")]
    )
    url = URL(scope=scope)
    assert url == "http://api.example.com:8000/items/1?q=a%20b"
    assert url.hostname == "api.example.com"
    assert url.port == 8000
    assert url.query == "q=a%20b"


def test_url_from_scope_uses_server_and_drops_default_port() -> None:
    assert URL(scope=http_scope(path="/x")) == "http://testserver/x"
    https = http_scope(scheme="https", server=("example.org", 443), path="/x")
    assert URL(scope=https) == "https://example.org/x"
    other = http_scope(server=("example.org", 8080), path="/x")
    assert URL(scope=other) == "http://example.org:8080/x"


def test_url_from_scope_ipv6_server() -> None:
    url = URL(scope=http_scope(server=("::1", 8000), path="/x"))
    assert url == "http://[::1]:8000/x"
    assert url.hostname == "::1"
    assert url.port == 8000


def test_url_from_scope_ipv6_host_header() -> None:
    url = URL(scope=http_scope(headers=[(b"host", b"[2001:db8::1]:9000")], path="/"))
    assert url.hostname == "2001:db8::1"
    assert url.port == 9000


def test_url_root_path_prepended_once() -> None:
    # Old style: path is relative to root_path.
    assert URL(scope=http_scope(root_path="/api", path="/users")) == "http://testserver/api/users"
    # New style (uvicorn, Starlette mounts): path already includes root_path.
    full = http_scope(root_path="/api", path="/api/users")
    assert URL(scope=full) == "http://testserver/api/users"
    assert URL(scope=full).path == "/api/users"


def test_url_without_host_or_server_is_relative() -> None:
    url = URL(scope=http_scope(server=None, path="/p", query_string=b"a=1"))
    assert str(url) == "/p?a=1"
    assert url.path == "/p"
    assert url.hostname is None


@pytest.mark.parametrize(
    "host",
    [
        b"[evil",
        b"evil]:80",
        b"[::1",
        b"evil.com:notaport",
        b"evil.com:99999999",
        b"evil.com/other/path?x=1#f",
        b"\xff\xfe\x00",
        b"a@b@c:1",
        b"",
    ],
)
def test_url_hostile_host_header_never_raises(host: bytes) -> None:
    url = URL(scope=http_scope(path="/real/path", query_string=b"q=1", headers=[(b"host", host)]))
    # Every property is computed without raising, and the path/query come from the scope.
    assert url.path == "/real/path"
    assert url.query == "q=1"
    for attribute in ("scheme", "netloc", "hostname", "port", "username", "password"):
        getattr(url, attribute)
    str(url)
    repr(url)


def test_url_hostile_port_is_none() -> None:
    assert URL(scope=http_scope(headers=[(b"host", b"h:abc")])).port is None
    assert URL(scope=http_scope(headers=[(b"host", b"h:99999")])).port is None
    assert URL(scope=http_scope(headers=[(b"host", b"h:\xd9\xa3")])).port is None


def test_url_from_hostile_string_never_raises() -> None:
    url = URL("http://[evil/path?x=1#y")
    assert url.scheme == "http"
    assert url.path == "/path"
    assert url.query == "x=1"
    assert url.fragment == "y"
    assert url.hostname == "evil"


def test_url_replace() -> None:
    url = URL("http://example.com:8000/a?x=1")
    assert url.replace(scheme="https") == "https://example.com:8000/a?x=1"
    assert url.replace(path="/b", query="") == "http://example.com:8000/b"
    assert url.replace(port=9000) == "http://example.com:9000/a?x=1"
    assert url.replace(hostname="other.org") == "http://other.org:8000/a?x=1"
    assert url.replace(username="u", password="p") == "http://u:p@example.com:8000/a?x=1"
    assert url.replace(fragment="top") == "http://example.com:8000/a?x=1#top"
    with pytest.raises(TypeError, match="Unknown URL part"):
        url.replace(color="blue")


def test_url_query_param_helpers() -> None:
    url = URL("http://h/p?a=1&b=2&a=3")
    assert url.include_query_params(a="x", c=5) == "http://h/p?b=2&a=x&c=5"
    assert url.replace_query_params(z="1") == "http://h/p?z=1"
    assert url.remove_query_params("a") == "http://h/p?b=2"


def test_address() -> None:
    address = Address("1.2.3.4", 5000)
    assert address.host == "1.2.3.4"
    assert address.port == 5000
    assert address == ("1.2.3.4", 5000)


# -- Headers ---------------------------------------------------------------------------------


def test_headers_case_insensitive_multi_value_raw_preserved() -> None:
    raw = [
        (b"content-type", b"text/plain"),
        (b"set-cookie", b"a=1"),
        (b"Set-Cookie", b"b=2"),
        (b"x-weird", b"caf\xe9 \xff"),
    ]
    headers = Headers(raw=raw)
    assert headers["Content-Type"] == "text/plain"
    assert headers.get("SET-COOKIE") == "a=1"
    assert headers.getlist("set-cookie") == ["a=1", "b=2"]
    assert headers.raw is raw
    assert headers.raw == [
        (b"content-type", b"text/plain"),
        (b"set-cookie", b"a=1"),
        (b"Set-Cookie", b"b=2"),
        (b"x-weird", b"caf\xe9 \xff"),
    ]
    assert headers["x-weird"] == "café ÿ"
    assert "x-WEIRD" in headers
    assert "missing" not in headers
    assert 3 not in headers
    assert headers.get("missing") is None
    assert headers.get("missing", "d") == "d"
    with pytest.raises(KeyError):
        headers["missing"]
    assert len(headers) == 4
    assert headers.keys() == ["content-type", "set-cookie", "set-cookie", "x-weird"]
    assert list(headers) == ["content-type", "set-cookie", "set-cookie", "x-weird"]
    assert headers.values() == ["text/plain", "a=1", "b=2", "café ÿ"]
    assert headers.items()[1:3] == [("set-cookie", "a=1"), ("set-cookie", "b=2")]


def test_headers_every_byte_decodes() -> None:
    every_byte = bytes(range(256))
    headers = Headers(raw=[(b"x-bytes", every_byte)])
    assert headers["x-bytes"] == every_byte.decode("latin-1")
    assert headers["x-bytes"].encode("latin-1") == every_byte


def test_headers_non_latin1_lookup_is_just_missing() -> None:
    headers = Headers(raw=[(b"a", b"1")])
    assert headers.get("ключ") is None
    assert "ключ" not in headers
    assert headers.getlist("ключ") == []


def test_headers_from_mapping_and_scope() -> None:
    headers = Headers({"Content-Type": "application/json", "X-A": "1"})
    assert headers.raw == [(b"content-type", b"application/json"), (b"x-a", b"1")]
    scope = {"headers": [(b"host", b"example.com")]}
    assert Headers(scope=scope)["host"] == "example.com"
    assert Headers().raw == []
    assert len(Headers()) == 0
    with pytest.raises(TypeError):
        Headers({"a": "1"}, raw=[])


def test_headers_equality_and_repr() -> None:
    a = Headers(raw=[(b"a", b"1"), (b"b", b"2")])
    b = Headers(raw=[(b"b", b"2"), (b"A", b"1")])
    assert a == b
    assert a != Headers(raw=[(b"a", b"1")])
    assert repr(Headers(raw=[(b"a", b"1")])) == "Headers({'a': '1'})"
    assert repr(Headers(raw=[(b"a", b"1"), (b"a", b"2")])) == (
        "Headers(raw=[(b'a', b'1'), (b'a', b'2')])"
    )


def test_headers_is_immutable() -> None:
    headers = Headers(raw=[(b"a", b"1")])
    with pytest.raises(TypeError):
        headers["a"] = "2"  # type: ignore[index]


def test_mutable_headers_edit_live_list() -> None:
    raw: list[tuple[bytes, bytes]] = [(b"content-length", b"3"), (b"x-a", b"1"), (b"x-a", b"2")]
    headers = MutableHeaders(raw=raw)
    assert headers.raw is raw
    headers["X-A"] = "3"
    assert raw == [(b"content-length", b"3"), (b"x-a", b"3")]
    headers.append("Set-Cookie", "a=1")
    headers.append("set-cookie", "b=2")
    assert headers.getlist("set-cookie") == ["a=1", "b=2"]
    del headers["SET-COOKIE"]
    assert "set-cookie" not in headers
    del headers["not-there"]  # no error, like Starlette
    assert headers.setdefault("x-a", "9") == "3"
    assert headers.setdefault("x-new", "9") == "9"
    headers.update({"content-length": "10", "x-b": "b"})
    assert raw == [
        (b"content-length", b"10"),
        (b"x-a", b"3"),
        (b"x-new", b"9"),
        (b"x-b", b"b"),
    ]
    assert headers.pop("x-b") == "b"
    assert "x-b" not in headers
    headers.clear()
    assert raw == []


def test_mutable_headers_from_scope_is_live() -> None:
    scope: dict[str, object] = {"headers": ((b"a", b"1"),)}
    headers = MutableHeaders(scope=scope)
    headers["b"] = "2"
    assert scope["headers"] == [(b"a", b"1"), (b"b", b"2")]


def test_mutable_headers_or_operators() -> None:
    headers = MutableHeaders({"a": "1"})
    merged = headers | {"b": "2"}
    assert merged.raw == [(b"a", b"1"), (b"b", b"2")]
    assert headers.raw == [(b"a", b"1")]
    headers |= {"a": "x"}
    assert headers.raw == [(b"a", b"x")]
    copy_ = Headers(raw=[(b"a", b"1")]).mutablecopy()
    copy_["a"] = "2"
    assert copy_["a"] == "2"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("x-a", "v\r\nSet-Cookie: evil=1"),
        ("x-a", "v\nx"),
        ("x-a", "v\rx"),
        ("x-a", "v\x00x"),
        ("x-a\r\nx-b", "v"),
        ("x\n", "v"),
        ("x\x00", "v"),
        ("", "v"),
    ],
)
def test_mutable_headers_reject_injection(name: str, value: str) -> None:
    headers = MutableHeaders()
    with pytest.raises(ValueError):
        headers[name] = value
    with pytest.raises(ValueError):
        headers.append(name, value)
    with pytest.raises(ValueError):
        headers.setdefault(name, value)
    with pytest.raises(ValueError):
        MutableHeaders({name: value})
    assert headers.raw == []


def test_mutable_headers_reject_non_latin1_value() -> None:
    with pytest.raises(ValueError):
        MutableHeaders()["x"] = "ключ"


def test_add_vary_header() -> None:
    headers = MutableHeaders()
    headers.add_vary_header("Origin")
    assert headers["vary"] == "Origin"
    headers.add_vary_header("Accept-Encoding")
    assert headers["vary"] == "Origin, Accept-Encoding"
    headers.add_vary_header("origin")
    assert headers["vary"] == "Origin, Accept-Encoding"
    assert headers.raw == [(b"vary", b"Origin, Accept-Encoding")]


# -- QueryParams -----------------------------------------------------------------------------


def test_query_params_repeated_keys_last_wins() -> None:
    params = QueryParams("a=1&b=2&a=3")
    assert params["a"] == "3"
    assert params.get("a") == "3"
    assert params.getlist("a") == ["1", "3"]
    assert params.multi_items() == [("a", "1"), ("b", "2"), ("a", "3")]
    assert list(params.keys()) == ["a", "b"]
    assert list(params.values()) == ["3", "2"]
    assert list(params.items()) == [("a", "3"), ("b", "2")]
    assert len(params) == 2
    assert "b" in params
    assert "c" not in params
    assert params.get("c") is None
    assert params.getlist("c") == []


def test_query_params_blank_values_and_semicolons() -> None:
    params = QueryParams("a=&b&c=1;d=2&&")
    assert params.multi_items() == [("a", ""), ("b", ""), ("c", "1;d=2")]


def test_query_params_tolerates_bad_encoding() -> None:
    params = QueryParams(b"a=%zz&b=%ff&c=%e2%82%ac&d=caf\xc3\xa9&e=\xff&plus=a+b&pct=100%")
    assert params["a"] == "%zz"
    assert params["b"] == "\ufffd"
    assert params["c"] == "€"
    assert params["d"] == "café"
    assert params["e"] == "\ufffd"
    assert params["plus"] == "a b"
    assert params["pct"] == "100%"


def test_query_params_constructors_and_str() -> None:
    assert QueryParams().multi_items() == []
    assert QueryParams("").multi_items() == []
    assert QueryParams({"a": "1"}).multi_items() == [("a", "1")]
    pairs = [("a", "1"), ("a", "2 3"), ("b", "&")]
    params = QueryParams(pairs)
    assert str(params) == "a=1&a=2+3&b=%26"
    assert QueryParams(str(params)) == params
    assert QueryParams(params).multi_items() == pairs
    assert repr(QueryParams("a=1")) == "QueryParams([('a', '1')])"


def test_query_params_equality_ignores_order() -> None:
    assert QueryParams("a=1&b=2") == QueryParams("b=2&a=1")
    assert QueryParams("a=1&a=2") != QueryParams("a=2")


def test_immutable_multidict() -> None:
    md: ImmutableMultiDict[int] = ImmutableMultiDict([("x", 1), ("x", 2)])
    assert md["x"] == 2
    assert md.getlist("x") == [1, 2]
    with pytest.raises(TypeError):
        md["x"] = 3  # type: ignore[index]


# -- State -----------------------------------------------------------------------------------


def test_state_attribute_and_item_access_share_one_dict() -> None:
    backing: dict[str, object] = {"engine": "pool"}
    state = State(backing)
    assert state.engine == "pool"
    assert state["engine"] == "pool"
    state.user = "alice"
    assert backing["user"] == "alice"
    state["count"] = 1
    assert state.count == 1
    assert "count" in state
    assert "nope" not in state
    assert sorted(state) == ["count", "engine", "user"]
    assert len(state) == 3
    assert state.get("nope", 5) == 5
    del state.user
    del state["count"]
    assert backing == {"engine": "pool"}


def test_state_missing_attribute_error() -> None:
    state = State()
    with pytest.raises(AttributeError, match="'State' object has no attribute 'missing'"):
        _ = state.missing
    with pytest.raises(AttributeError, match="no attribute 'gone'"):
        del state.gone
    with pytest.raises(KeyError):
        state["missing"]
    assert getattr(state, "missing", None) is None


def test_state_copy_does_not_recurse() -> None:
    state = State({"a": 1})
    clone = copy.copy(state)
    assert clone["a"] == 1


# -- UploadFile ------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_upload_file_in_memory() -> None:
    upload = UploadFile(
        io.BytesIO(),
        size=0,
        filename="a.txt",
        headers=Headers({"content-type": "text/plain"}),
    )
    assert upload.filename == "a.txt"
    assert upload.content_type == "text/plain"
    await upload.write(b"hello ")
    await upload.write(b"world")
    assert upload.size == 11
    await upload.seek(0)
    assert await upload.read(5) == b"hello"
    assert await upload.read() == b" world"
    await upload.close()
    assert upload.file.closed


@pytest.mark.anyio
async def test_upload_file_spooled_rolls_to_disk() -> None:
    upload = UploadFile.spooled(filename="big.bin")
    assert upload.content_type is None
    assert upload.headers == Headers()
    file = upload.file
    assert isinstance(file, SpooledTemporaryFile)
    await upload.write(b"x" * 1000)
    assert file._rolled is False
    await upload.write(b"y" * UploadFile.spool_max_size)
    assert file._rolled is True
    assert upload.size == 1000 + UploadFile.spool_max_size
    await upload.seek(0)
    data = await upload.read()
    assert data == b"x" * 1000 + b"y" * UploadFile.spool_max_size
    await upload.close()
    assert file.closed


@pytest.mark.anyio
async def test_upload_file_unknown_size_stays_none() -> None:
    upload = UploadFile(io.BytesIO(b"abc"))
    await upload.write(b"d")
    assert upload.size is None
    assert upload.filename is None
    assert "UploadFile(filename=None" in repr(upload)


# -- FormData --------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_form_data_is_a_dict_with_multi_values() -> None:
    upload = UploadFile(io.BytesIO(b"data"), filename="f.txt")
    form = FormData([("a", "1"), ("f", upload), ("a", "2")])
    assert isinstance(form, dict)
    assert form == {"a": "2", "f": upload}
    assert form["a"] == "2"
    assert form.getlist("a") == ["1", "2"]
    assert form.getlist("missing") == []
    assert form.multi_items() == [("a", "1"), ("f", upload), ("a", "2")]
    assert FormData({"x": "y"}).multi_items() == [("x", "y")]
    assert FormData(form).multi_items() == form.multi_items()
    assert FormData() == {}
    await form.close()
    assert upload.file.closed


def test_url_replace_keeps_path_with_hostile_netloc() -> None:
    url = URL(scope=http_scope(path="/a", headers=[(b"host", b"evil.com/x?y")]))
    moved = url.replace(path="/b")
    assert moved.path == "/b"
    assert moved.netloc == "evil.com/x?y"
    assert moved.query == ""
