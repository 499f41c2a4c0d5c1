"""Request bodies under attack: size limits (also chunked and declared), python-multipart
CVE shapes, field/file/part-header floods, JSON abuse."""

from __future__ import annotations

import json

import pytest
from hostile_http import Connection, exchange, get, request

MiB = 1024 * 1024
BOUNDARY = "hostileboundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def part(name: str, value: bytes, filename: str | None = None, extra: bytes = b"") -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode() + extra
    return head + b"\r\n" + value + b"\r\n"


def multipart(*parts: bytes) -> bytes:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post(port: int, path: str, body: bytes, content_type: str, **headers: str) -> tuple[int, bytes]:
    reply = exchange(
        port, request(path, "POST", {"Content-Type": content_type, **headers}, body), timeout=10
    )
    assert reply is not None
    return reply.status, reply.body


# -- body size ------------------------------------------------------------------------------


def test_declared_content_length_over_the_limit_is_refused_before_the_body_is_sent(
    port: int,
) -> None:
    with Connection(port) as conn:
        conn.send(
            b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 104857600\r\n"
            b"Expect: 100-continue\r\n\r\n"
        )
        reply = conn.read_response()
    assert reply is not None
    assert reply.status == 413
    assert json.loads(reply.body) == {
        "detail": "Request body exceeded maximum size of 1048576 bytes."
    }


def test_streamed_body_over_the_limit_is_refused_while_streaming(port: int) -> None:
    status, body = post(port, "/size", b"x" * (MiB + 1), "application/octet-stream")
    assert status == 413
    status, body = post(port, "/size", b"x" * MiB, "application/octet-stream")
    assert (status, body) == (200, b'{"size":1048576}')


def test_chunked_body_without_content_length_over_the_limit_is_refused(port: int) -> None:
    chunk = b"y" * 65536
    with Connection(port, timeout=10) as conn:
        conn.send(b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        try:
            for _ in range(20):  # 1.25 MiB, more than the 1 MiB limit
                conn.send(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            conn.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed while we were still sending
        reply = conn.read_response()
    assert reply is not None and reply.status == 413
    assert reply.header("connection") == "close"


def test_oversized_json_body_never_reaches_the_handler(port: int) -> None:
    payload = b'{"a":"' + b"z" * (MiB + 10) + b'"}'
    status, _ = post(port, "/json", payload, "application/json")
    assert status == 413


def test_invalid_content_length_is_rejected(port: int) -> None:
    reply = exchange(port, request("/size", "POST", {"Content-Length": "12abc"}, b"x"))
    assert reply is not None and reply.status == 400


# -- python-multipart advisories -------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        'application/x-www-form-urlencoded; !="' + "\\" * 50000,
        "multipart/form-data; boundary=" + BOUNDARY + '; x="' + "\\\\" * 30000,
        "multipart/form-data; " + "a=b; " * 5000 + "boundary=" + BOUNDARY,
    ],
    ids=["urlencoded-backslashes", "multipart-backslashes", "many-options"],
)
def test_cve_2024_24762_content_type_options_redos(port: int, content_type: str) -> None:
    status, _ = post(port, "/form", multipart(part("a", b"1")), content_type)
    assert status in (200, 400), status


def test_cve_2024_53981_cr_lf_flood_before_the_first_boundary(port: int) -> None:
    body = b"\r\n" * 400_000 + multipart(part("a", b"1"))
    status, response = post(port, "/form", body, MULTIPART)
    assert status in (200, 400), status
    if status == 200:
        assert response == b'{"fields":1}'


def test_garbage_before_the_first_boundary(port: int) -> None:
    body = b"preamble \x00\xff" * 10_000 + b"\r\n" + multipart(part("a", b"1"))
    status, _ = post(port, "/form", body, MULTIPART)
    assert status in (200, 400)


@pytest.mark.parametrize(
    ("content_type", "detail"),
    [
        ("multipart/form-data", "Missing boundary in multipart/form-data Content-Type."),
        ("multipart/form-data; boundary=", "Missing boundary in multipart/form-data Content-Type."),
        (
            "multipart/form-data; boundary=" + "b" * 71,
            "Multipart boundary is longer than 70 characters.",
        ),
        ("multipart/form-data; boundary=a{b}", "Invalid character in multipart boundary."),
        ("multipart/form-data; boundary=ab<>", "Invalid character in multipart boundary."),
    ],
)
def test_multipart_boundary_abuse(port: int, content_type: str, detail: str) -> None:
    status, body = post(port, "/form", multipart(part("a", b"1")), content_type)
    assert (status, json.loads(body)) == (400, {"detail": detail})


def test_multipart_body_with_a_different_boundary_is_not_a_500(port: int) -> None:
    status, _ = post(port, "/form", multipart(part("a", b"1")), MULTIPART + "x")
    assert status in (200, 400)


def test_multipart_unterminated_body(port: int) -> None:
    body = f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=a\r\n\r\nvalue".encode()
    status, _ = post(port, "/form", body, MULTIPART)
    assert status in (200, 400)


def test_multipart_field_flood(port: int) -> None:
    body = multipart(*(part(f"f{i}", b"v") for i in range(21)))
    status, response = post(port, "/form", body, MULTIPART)
    assert (status, json.loads(response)) == (
        400,
        {"detail": "Too many fields. Maximum number of fields is 20."},
    )


def test_urlencoded_field_flood(port: int) -> None:
    body = "&".join(f"f{i}=v" for i in range(5000)).encode()
    status, response = post(port, "/form", body, "application/x-www-form-urlencoded")
    assert (status, json.loads(response)) == (
        400,
        {"detail": "Too many fields. Maximum number of fields is 20."},
    )


def test_multipart_file_flood(port: int) -> None:
    body = multipart(*(part("files", b"data", filename=f"f{i}.txt") for i in range(6)))
    status, response = post(port, "/upload", body, MULTIPART)
    assert (status, json.loads(response)) == (
        400,
        {"detail": "Too many files. Maximum number of files is 5."},
    )


def test_multipart_upload_within_limits_works(port: int) -> None:
    body = multipart(
        part("files", b"abc", filename="a.txt"),
        part("files", b"defg", filename="../../etc/passwd"),
        part("note", b"hi"),
    )
    status, response = post(port, "/upload", body, MULTIPART)
    assert status == 200
    assert json.loads(response) == {
        "names": ["a.txt", "../../etc/passwd"],  # reported, never used as a path by the framework
        "sizes": [3, 4],
        "note": "hi",
    }


def test_multipart_part_header_flood(port: int) -> None:
    extra = b"".join(b"X-H%d: v\r\n" % i for i in range(2000))
    status, _ = post(port, "/form", multipart(part("a", b"1", extra=extra)), MULTIPART)
    assert status in (400, 413), status


def test_multipart_one_huge_part_header(port: int) -> None:
    extra = b"X-Big: " + b"h" * 100_000 + b"\r\n"
    status, _ = post(port, "/form", multipart(part("a", b"1", extra=extra)), MULTIPART)
    assert status in (400, 413), status


def test_multipart_field_over_the_part_size_limit(port: int) -> None:
    body = multipart(part("a", b"v" * (64 * 1024 + 1)))
    status, response = post(port, "/form", body, MULTIPART)
    assert (status, json.loads(response)) == (
        400,
        {"detail": "Part exceeded maximum size of 64KB."},
    )


def test_multipart_file_over_the_body_limit(port: int) -> None:
    body = multipart(part("files", b"f" * (MiB + 1), filename="big.bin"))
    status, _ = post(port, "/upload", body, MULTIPART)
    assert status == 413


# -- JSON abuse -------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [65, 5000, 200_000])
def test_deeply_nested_json_is_refused(port: int, depth: int) -> None:
    body = b'{"a":' + b"[" * depth + b"]" * depth + b"}"
    if len(body) > MiB:
        body = b"[" * (MiB - 10)
    for path in ("/json", "/raw-json"):
        status, _ = post(port, path, body, "application/json")
        assert status in (400, 413, 422), (path, depth, status)


def test_json_nesting_within_the_limit_is_accepted(port: int) -> None:
    body = b'{"a":' + b"[" * 60 + b"]" * 60 + b"}"
    assert post(port, "/json", body, "application/json") == (200, b'{"keys":1}')


@pytest.mark.parametrize(
    "body",
    [
        b'{"n":' + b"9" * 100_000 + b"}",
        b'{"n":1e999999}',
        b'{"n":NaN}',
        b'{"n":Infinity}',
        b'{"n":-Infinity}',
        b'{"s":"\xff\xfe"}',
        b'{"s":"\\ud800"}',
        b'{"a":1,"a":2}',
        b"\xef\xbb\xbf{}",
        b'{"a":1}garbage',
        b"",
        b"\x00",
    ],
)
def test_hostile_json_values_are_4xx_or_safely_accepted(port: int, body: bytes) -> None:
    status, response = post(port, "/json", body, "application/json")
    assert status in (200, 400, 422), status
    if status == 200:
        assert response.startswith(b'{"keys":')
    status, _ = post(port, "/raw-json", body, "application/json")
    assert status in (200, 400), status


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", MULTIPART, "application/jsonx"],
)
def test_json_sent_with_a_non_json_content_type_is_not_parsed_as_json(
    port: int, content_type: str
) -> None:
    status, _ = post(port, "/json", b'{"a":1}', content_type)
    assert status == 422


def test_notes_api_rejects_oversized_fields_and_unknown_keys(port: int) -> None:
    status, _ = post(port, "/notes/", b'{"title":"t","admin":true}', "application/json")
    assert status == 422
    big = json.dumps({"title": "t", "tags": ["x"] * 21}).encode()
    status, _ = post(port, "/notes/", big, "application/json")
    assert status == 422


def test_get_with_a_body_is_harmless(port: int) -> None:
    reply = get(port, "/health", headers={"Content-Type": "application/json"}, body=b"{" * 1000)
    assert reply.status == 200
