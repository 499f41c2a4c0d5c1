"""Property-based tests through a real application (the ASGI app called directly, no mocks):
parameter conversion round trips, and arbitrary query strings, headers, cookies, paths and
multipart bodies never give a 5xx. Parser-level properties live in tests/core and
tests/routing; these go through routing, the dependency plan, validation and encoding."""

from __future__ import annotations

import json
import math
import string
from typing import Annotated, Any

import anyio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from FasterAPI import Cookie, Faster, File, Form, Header, Path, Query, Request, UploadFile
from fasterapi_core.formparsers import FormLimits
from fasterapi_core.limits import Limits

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

app = Faster(limits=Limits(max_body_size=4096, max_query_params=50, form=FormLimits(max_fields=10)))


@app.get("/int/{value}")
async def int_path(value: int) -> int:
    return value


@app.get("/str/{value}")
async def str_path(value: str) -> str:
    return value


@app.get("/path/{rest:path}")
async def path_path(rest: str) -> str:
    return rest


@app.get("/query")
async def query(
    i: int | None = None,
    f: float | None = None,
    b: bool | None = None,
    s: str | None = None,
    tags: Annotated[list[str] | None, Query()] = None,
    bounded: Annotated[int, Query(ge=0, le=100)] = 0,
) -> dict[str, Any]:
    return {"i": i, "f": f, "b": b, "s": s, "tags": tags, "bounded": bounded}


@app.get("/header")
async def header(x_value: Annotated[str | None, Header()] = None) -> str | None:
    return x_value


@app.get("/cookie")
async def cookie(session: Annotated[str | None, Cookie()] = None) -> str | None:
    return session


@app.get("/cookies")
async def cookies(request: Request) -> dict[str, str]:
    return request.cookies


@app.post("/form")
async def form(
    name: Annotated[str, Form()],
    upload: Annotated[UploadFile | None, File()] = None,
) -> dict[str, Any]:
    return {"name": name, "size": len(await upload.read()) if upload else None}


@app.post("/body")
async def body(request: Request) -> int:
    return len(await request.body())


@app.get("/items/{item_id}")
async def item(item_id: Annotated[int, Path(ge=1)], q: str = "") -> dict[str, Any]:
    return {"item_id": item_id, "q": q}


def call(
    method: str,
    path: str,
    query: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = b"",
    chunk: int | None = None,
) -> tuple[int, bytes]:
    """Run one request through ``app``; the status and the body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogateescape"),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver"), *(headers or [])],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
    }
    size = chunk or max(len(body), 1)
    pieces = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
    messages = [
        {"type": "http.request", "body": piece, "more_body": index < len(pieces) - 1}
        for index, piece in enumerate(pieces)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], content


def get_json(path: str, query: bytes = b"", **kwargs: Any) -> Any:
    status, content = call("GET", path, query, **kwargs)
    assert status == 200, (path, query, status, content)
    return json.loads(content)


# -- round trips --------------------------------------------------------------------------------


@SETTINGS
@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_int_path_parameter_round_trips(value: int) -> None:
    assert get_json(f"/int/{value}") == value


@SETTINGS
@given(
    st.text(alphabet=st.characters(exclude_characters="/", exclude_categories=["Cs"]), min_size=1)
)
def test_str_path_parameter_round_trips(value: str) -> None:
    assert get_json("/str/" + value) == value


@SETTINGS
@given(
    st.lists(
        st.text(st.characters(exclude_characters="/", exclude_categories=["Cs"]), min_size=1),
        min_size=1,
        max_size=5,
    )
)
def test_path_converter_round_trips_every_segment(segments: list[str]) -> None:
    rest = "/".join(segments)
    assert get_json("/path/" + rest) == rest


def _encode(pairs: list[tuple[str, str]]) -> bytes:
    from urllib.parse import urlencode

    return urlencode(pairs).encode()


@SETTINGS
@given(
    i=st.integers(min_value=-(10**15), max_value=10**15),
    f=st.floats(allow_nan=False, allow_infinity=False, width=64),
    b=st.booleans(),
    s=st.text(st.characters(exclude_categories=["Cs"])),
    tags=st.lists(st.text(st.characters(exclude_categories=["Cs"])), min_size=1, max_size=8),
)
def test_query_parameters_round_trip(i: int, f: float, b: bool, s: str, tags: list[str]) -> None:
    pairs = [("i", str(i)), ("f", repr(f)), ("b", str(b).lower()), ("s", s)]
    pairs += [("tags", tag) for tag in tags]
    data = get_json("/query", _encode(pairs))
    assert data["i"] == i
    assert data["f"] == f or (math.isclose(data["f"], f) and f != 0)
    assert data["b"] is b
    assert data["s"] == s
    assert data["tags"] == tags


@SETTINGS
@given(st.integers())
def test_bounded_query_parameter_is_200_or_422_by_its_bounds(value: int) -> None:
    status, content = call("GET", "/query", b"bounded=%d" % value)
    if 0 <= value <= 100:
        assert (status, json.loads(content)["bounded"]) == (200, value)
    else:
        assert status == 422
        [error] = json.loads(content)["detail"]
        assert error["loc"] == ["query", "bounded"]


@SETTINGS
@given(
    st.text(
        alphabet=string.ascii_letters + string.digits + " !#$%&'*+-.^_`|~:/?=,;@()[]{}<>\"\\",
        min_size=1,
    )
    .map(str.strip)
    .filter(bool)
)
def test_header_value_round_trips(value: str) -> None:
    assert get_json("/header", headers=[(b"x-value", value.encode())]) == value


COOKIE_SAFE = string.ascii_letters + string.digits + "!#$%&'()*+-./:<>?@[]^_`{|}~"


@SETTINGS
@given(st.text(alphabet=COOKIE_SAFE, min_size=1))
def test_cookie_value_round_trips(value: str) -> None:
    assert (
        get_json("/cookie", headers=[(b"cookie", b"other=1; session=" + value.encode())]) == value
    )


@SETTINGS
@given(
    st.dictionaries(
        st.text(string.ascii_letters + "_", min_size=1, max_size=10),
        st.text(COOKIE_SAFE, max_size=20),
        max_size=10,
    )
)
def test_cookie_jar_round_trips(jar: dict[str, str]) -> None:
    header = "; ".join(f"{k}={v}" for k, v in jar.items()).encode()
    assert get_json("/cookies", headers=[(b"cookie", header)] if header else []) == jar


# -- nothing is ever a 5xx ------------------------------------------------------------------------


ANY_STATUS = {200, 400, 413, 422}


@SETTINGS
@given(st.binary(max_size=400))
def test_random_query_strings_never_500(query: bytes) -> None:
    status, _ = call("GET", "/query", query)
    assert status in ANY_STATUS, (query, status)
    status, _ = call("GET", "/items/3", query)
    assert status in ANY_STATUS


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [b"cookie", b"x-value", b"content-type", b"accept", b"host", b"origin"]
            ),
            st.binary(max_size=100),
        ),
        max_size=6,
    )
)
def test_random_headers_and_cookies_never_500(headers: list[tuple[bytes, bytes]]) -> None:
    for path in ("/header", "/cookie", "/cookies"):
        status, _ = call("GET", path, headers=headers)
        assert status in ANY_STATUS, (path, headers, status)


@SETTINGS
@given(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    st.sampled_from(["GET", "POST", "PUT", "HEAD", "OPTIONS", "BREW"]),
)
def test_random_paths_and_methods_never_500(path: str, method: str) -> None:
    status, _ = call(method, "/" + path)
    assert status in {200, 307, 400, 404, 405, 413, 422}, (path, method, status)


BOUNDARY = b"propboundary"


@st.composite
def multipart_bodies(draw: st.DrawFn) -> bytes:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.sampled_from([b"name", b"upload", b"other", b'"quoted', b""]))
        filename = draw(st.one_of(st.none(), st.binary(max_size=12)))
        disposition = b'form-data; name="' + name + b'"'
        if filename is not None:
            disposition += b'; filename="' + filename + b'"'
        extra = draw(
            st.sampled_from([b"", b"Content-Type: text/plain\r\n", b"X: \r\n", b"bad header\r\n"])
        )
        value = draw(st.binary(max_size=60))
        parts.append(
            b"--"
            + BOUNDARY
            + b"\r\nContent-Disposition: "
            + disposition
            + b"\r\n"
            + extra
            + b"\r\n"
            + value
            + b"\r\n"
        )
    tail = draw(st.sampled_from([b"--" + BOUNDARY + b"--\r\n", b"", b"--" + BOUNDARY, b"garbage"]))
    return draw(st.sampled_from([b"", b"\r\n", b"preamble\r\n"])) + b"".join(parts) + tail


@SETTINGS
@given(multipart_bodies(), st.one_of(st.none(), st.integers(1, 40)))
def test_random_multipart_bodies_never_500(body: bytes, chunk: int | None) -> None:
    headers = [(b"content-type", b"multipart/form-data; boundary=" + BOUNDARY)]
    status, content = call("POST", "/form", headers=headers, body=body, chunk=chunk)
    assert status in ANY_STATUS, (body, status, content)


@SETTINGS
@given(st.integers(0, 8192), st.one_of(st.none(), st.integers(1, 2048)), st.booleans())
def test_body_limit_is_exact_whatever_the_chunking(
    size: int, chunk: int | None, declare: bool
) -> None:
    headers = [(b"content-length", str(size).encode())] if declare else []
    status, content = call("POST", "/body", headers=headers, body=b"x" * size, chunk=chunk)
    if size <= 4096:
        assert (status, content) == (200, str(size).encode())
    else:
        assert status == 413
