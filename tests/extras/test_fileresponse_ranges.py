"""Core FileResponse conditional / Range support through a Faster app, and the pure range parser."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fasterapi_core import FileResponse
from fasterapi_core._http_ranges import (
    ConditionalHeaders,
    RangeNotSatisfiable,
    is_not_modified,
    parse_range,
    request_conditions,
)
from fasterapi_core.testclient import TestClient
from fasterapi_routing import Faster

DATA = bytes(range(256)) * 4  # 1024 bytes


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    path = tmp_path / "blob.bin"
    path.write_bytes(DATA)
    app = Faster()

    @app.get("/file")
    def file() -> FileResponse:
        return FileResponse(path, filename="blob.bin")

    @app.get("/created")
    def created() -> FileResponse:
        return FileResponse(path, status_code=201)

    return TestClient(app)


def test_plain_get_unchanged(client: TestClient) -> None:
    response = client.get("/file")
    assert response.status_code == 200
    assert response.content == DATA
    assert response.headers["content-disposition"] == 'attachment; filename="blob.bin"'


def test_conditional_get(client: TestClient) -> None:
    first = client.get("/file")
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    cached = client.get("/file", headers={"if-none-match": etag})
    assert (cached.status_code, cached.content) == (304, b"")
    assert cached.headers["etag"] == etag
    assert "content-length" not in cached.headers
    assert client.get("/file", headers={"if-none-match": "*"}).status_code == 304
    since = client.get("/file", headers={"if-modified-since": last_modified})
    assert since.status_code == 304


def test_range_single_multi_unsatisfiable(client: TestClient) -> None:
    single = client.get("/file", headers={"range": "bytes=1000-"})
    assert single.status_code == 206
    assert single.headers["content-range"] == "bytes 1000-1023/1024"
    assert single.headers["content-length"] == "24"
    assert single.content == DATA[1000:]
    multi = client.get("/file", headers={"range": "bytes=0-0,-1"})
    boundary = multi.headers["content-type"].split("boundary=")[1]
    assert multi.content == (
        f"--{boundary}\r\ncontent-type: application/octet-stream\r\n"
        f"content-range: bytes 0-0/1024\r\n\r\n".encode()
        + DATA[:1]
        + f"\r\n--{boundary}\r\ncontent-type: application/octet-stream\r\n"
        f"content-range: bytes 1023-1023/1024\r\n\r\n".encode()
        + DATA[-1:]
        + f"\r\n--{boundary}--\r\n".encode()
    )
    assert multi.headers["content-length"] == str(len(multi.content))
    bad = client.get("/file", headers={"range": "bytes=2000-"})
    assert (bad.status_code, bad.headers["content-range"], bad.content) == (
        416,
        "bytes */1024",
        b"",
    )


def test_large_range_is_chunked(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    big = bytes(range(256)) * 1024  # 256 KiB
    path.write_bytes(big)
    app = Faster()

    @app.get("/big")
    def serve() -> FileResponse:
        return FileResponse(path)

    response = TestClient(app).get("/big", headers={"range": "bytes=100-200099"})
    assert response.status_code == 206
    assert response.content == big[100:200100]


def test_non_200_status_ignores_conditions(client: TestClient) -> None:
    response = client.get("/created", headers={"range": "bytes=0-1", "if-none-match": "*"})
    assert (response.status_code, response.content) == (201, DATA)


def test_request_conditions_picks_headers() -> None:
    raw = [
        (b"range", b"bytes=0-1"),
        (b"If-None-Match", b'"a"'),
        (b"if-none-match", b'"b"'),
        (b"if-modified-since", b"x"),
        (b"if-range", b'"a"'),
    ]
    assert request_conditions(raw) == ConditionalHeaders('bytes=0-1', '"a"', '"a", "b"', "x")
    assert request_conditions([]) == ConditionalHeaders(None, None, None, None)


def test_is_not_modified_requires_validator() -> None:
    conditions = ConditionalHeaders(None, None, '"a"', None)
    assert is_not_modified(conditions, None, None) is False
    assert is_not_modified(conditions, 'W/"a"', None) is True


@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.integers(0, 300)).map(sorted), min_size=1, max_size=20
    ),
    st.integers(0, 200),
)
def test_parse_range_matches_a_simple_model(pairs: list[list[int]], size: int) -> None:
    header = "bytes=" + ",".join(f"{a}-{b}" for a, b in pairs)
    wanted = set()
    for a, b in pairs:
        wanted.update(range(a, min(b + 1, size)))
    if not wanted:
        with pytest.raises(RangeNotSatisfiable):
            parse_range(header, size)
        return
    ranges = parse_range(header, size)
    assert ranges is not None
    covered = [i for start, stop in ranges for i in range(start, stop)]
    assert covered == sorted(wanted)  # sorted, no overlap, nothing extra
    assert all(ranges[i][1] < ranges[i + 1][0] for i in range(len(ranges) - 1))
