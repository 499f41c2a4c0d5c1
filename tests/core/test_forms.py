"""Form parsing: urlencoded and multipart bodies, limits, malformed input."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fasterapi_core.datastructures import FormData, Headers, UploadFile
from fasterapi_core.exceptions import BaseHTTPException
from fasterapi_core.formparsers import (
    DEFAULT_FORM_LIMITS,
    FormLimits,
    parse_form,
    parse_options_header,
)
from fasterapi_core.requests import Request

MULTIPART = "multipart/form-data; boundary=BOUNDARY"
URLENCODED = "application/x-www-form-urlencoded"


async def chunks(data: bytes, size: int | None = None) -> AsyncIterator[bytes]:
    if size is None:
        yield data
        return
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def parse(
    content_type: str,
    body: bytes,
    limits: FormLimits = DEFAULT_FORM_LIMITS,
    chunk_size: int | None = None,
) -> FormData:
    headers = Headers({"content-type": content_type})
    return await parse_form(headers, chunks(body, chunk_size), limits)


async def expect_error(
    content_type: str, body: bytes, limits: FormLimits = DEFAULT_FORM_LIMITS, **kw: Any
) -> tuple[int, Any]:
    with pytest.raises(BaseHTTPException) as info:
        await parse(content_type, body, limits, **kw)
    return info.value.status_code, info.value.detail


def part(
    name: str | bytes,
    value: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    extra: Iterable[bytes] = (),
) -> bytes:
    raw_name = name.encode() if isinstance(name, str) else name
    disposition = b'Content-Disposition: form-data; name="' + raw_name + b'"'
    if filename is not None:
        disposition += b'; filename="' + filename.encode() + b'"'
    lines = [b"--BOUNDARY", disposition]
    if content_type is not None:
        lines.append(b"Content-Type: " + content_type.encode())
    lines.extend(extra)
    return b"\r\n".join(lines) + b"\r\n\r\n" + value + b"\r\n"


def multipart(*parts: bytes) -> bytes:
    return b"".join(parts) + b"--BOUNDARY--\r\n"


@pytest.fixture
def created_files(monkeypatch: pytest.MonkeyPatch) -> list[UploadFile]:
    """Every UploadFile the parser creates, to check they get closed on errors."""
    created: list[UploadFile] = []
    original = UploadFile.spooled.__func__  # type: ignore[attr-defined]

    def spooled(cls: type[UploadFile], **kwargs: Any) -> UploadFile:
        upload: UploadFile = original(cls, **kwargs)
        created.append(upload)
        return upload

    monkeypatch.setattr(UploadFile, "spooled", classmethod(spooled))
    return created


# -- urlencoded ------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_urlencoded_basic() -> None:
    form = await parse(URLENCODED, b"a=1&b=two+words&a=3&empty=&flag&c=%E2%82%AC&d=x%3By;z")
    assert form == {"a": "3", "b": "two words", "empty": "", "flag": "", "c": "€", "d": "x;y;z"}
    assert form.getlist("a") == ["1", "3"]
    assert form.multi_items()[0] == ("a", "1")


@pytest.mark.anyio
async def test_urlencoded_streamed_byte_by_byte() -> None:
    form = await parse(URLENCODED, b"name=J%C3%B6rg&x=%zz&y=100%", chunk_size=1)
    assert form == {"name": "Jörg", "x": "%zz", "y": "100%"}


@pytest.mark.anyio
async def test_urlencoded_empty_body() -> None:
    assert await parse(URLENCODED, b"") == {}


@pytest.mark.anyio
async def test_urlencoded_invalid_utf8_is_400() -> None:
    assert await expect_error(URLENCODED, b"a=%ff") == (
        400,
        "Invalid utf-8 encoding in form field 'a'.",
    )
    assert await expect_error(URLENCODED, b"%ff=1") == (
        400,
        "Invalid utf-8 encoding in form field name.",
    )


@pytest.mark.anyio
async def test_urlencoded_charset_parameter_and_charset_field() -> None:
    form = await parse(URLENCODED + "; charset=latin-1", b"a=caf%E9")
    assert form == {"a": "café"}
    form = await parse(URLENCODED, b"a=caf%E9&_charset_=iso-8859-1")
    assert form == {"a": "café", "_charset_": "iso-8859-1"}
    assert await expect_error(URLENCODED + "; charset=nope", b"a=1") == (
        400,
        "Unknown charset 'nope' in form data.",
    )


@pytest.mark.anyio
async def test_urlencoded_too_many_fields() -> None:
    limits = FormLimits(max_fields=3)
    assert await parse(URLENCODED, b"a=1&b=2&c=3", limits) == {"a": "1", "b": "2", "c": "3"}
    assert await expect_error(URLENCODED, b"a=1&b=2&c=3&d=4", limits) == (
        400,
        "Too many fields. Maximum number of fields is 3.",
    )
    body = b"&".join(b"f%d=1" % i for i in range(1001))
    assert await expect_error(URLENCODED, body) == (
        400,
        "Too many fields. Maximum number of fields is 1000.",
    )


@pytest.mark.anyio
async def test_urlencoded_field_too_large() -> None:
    big = b"a=" + b"x" * (1024 * 1024 + 1)
    assert await expect_error(URLENCODED, big, chunk_size=65536) == (
        400,
        "Field exceeded maximum size of 1024KB.",
    )
    # The name and the value count together (FastAPI's rule): "a" and 1 MiB - 1 bytes fit.
    form = await parse(URLENCODED, b"a=" + b"x" * (1024 * 1024 - 1))
    assert len(form["a"]) == 1024 * 1024 - 1
    assert await expect_error(URLENCODED, b"a=" + b"x" * (1024 * 1024)) == (
        400,
        "Field exceeded maximum size of 1024KB.",
    )


@pytest.mark.anyio
async def test_urlencoded_max_body_size() -> None:
    limits = FormLimits(max_body_size=10)
    assert await parse(URLENCODED, b"a=12345678", limits) == {"a": "12345678"}
    assert await expect_error(URLENCODED, b"a=123456789", limits) == (
        413,
        "Request body exceeded maximum size of 10 bytes.",
    )


@pytest.mark.anyio
async def test_unknown_content_type_gives_empty_form() -> None:
    assert await parse("text/plain", b"a=1") == {}
    headers = Headers()
    assert await parse_form(headers, chunks(b"a=1")) == {}


# -- multipart: success ----------------------------------------------------------------------


@pytest.mark.anyio
async def test_multipart_fields_and_small_file_in_memory() -> None:
    body = multipart(
        part("title", b"Hello"),
        part("tag", b"a"),
        part("doc", b"file\r\ncontent", filename="notes.txt", content_type="text/plain"),
        part("tag", b"b"),
    )
    form = await parse(MULTIPART, body)
    assert form["title"] == "Hello"
    assert form.getlist("tag") == ["a", "b"]
    upload = form["doc"]
    assert isinstance(upload, UploadFile)
    assert upload.filename == "notes.txt"
    assert upload.content_type == "text/plain"
    assert upload.size == 13
    assert upload.headers["content-disposition"] == ('form-data; name="doc"; filename="notes.txt"')
    assert upload.file._rolled is False  # type: ignore[attr-defined]
    assert await upload.read() == b"file\r\ncontent"
    assert [key for key, _ in form.multi_items()] == ["title", "tag", "doc", "tag"]
    await form.close()
    assert upload.file.closed


@pytest.mark.anyio
async def test_multipart_large_file_spills_to_disk() -> None:
    payload = bytes(range(256)) * (5 * 1024)  # 1.25 MiB
    body = multipart(part("big", payload, filename="big.bin"), part("after", b"ok"))
    form = await parse(MULTIPART, body, chunk_size=64 * 1024)
    upload = form["big"]
    assert isinstance(upload, UploadFile)
    assert upload.file._rolled is True  # type: ignore[attr-defined]
    assert upload.size == len(payload)
    assert await upload.read() == payload
    assert form["after"] == "ok"
    await form.close()


@pytest.mark.anyio
async def test_multipart_parsed_byte_by_byte() -> None:
    body = multipart(part("a", b"1"), part("f", b"xyz", filename="f"), part("b", b""))
    form = await parse(MULTIPART, body, chunk_size=1)
    assert form["a"] == "1"
    assert form["b"] == ""
    upload = form["f"]
    assert isinstance(upload, UploadFile)
    assert await upload.read() == b"xyz"


@pytest.mark.anyio
async def test_multipart_names_and_filenames_in_utf8() -> None:
    body = multipart(part("prénom", b"Zo\xc3\xab"), part("f", b"1", filename="résumé.pdf"))
    form = await parse(MULTIPART, body)
    assert form["prénom"] == "Zoë"
    upload = form["f"]
    assert isinstance(upload, UploadFile)
    assert upload.filename == "résumé.pdf"


@pytest.mark.anyio
async def test_multipart_empty_filename_is_still_a_file() -> None:
    form = await parse(MULTIPART, multipart(part("f", b"", filename="")))
    upload = form["f"]
    assert isinstance(upload, UploadFile)
    assert upload.filename == ""
    assert upload.size == 0


@pytest.mark.anyio
async def test_multipart_charsets() -> None:
    body = multipart(part("a", b"caf\xe9", content_type="text/plain; charset=latin-1"))
    assert await parse(MULTIPART, body) == {"a": "café"}
    body = multipart(part("a", b"caf\xe9"), part("_charset_", b"iso-8859-1"))
    assert await parse(MULTIPART, body) == {"a": "café", "_charset_": "iso-8859-1"}


@pytest.mark.anyio
async def test_multipart_boundary_quoted_and_epilogue_ignored() -> None:
    body = multipart(part("a", b"1")) + b"epilogue text"
    form = await parse('multipart/form-data; boundary="BOUNDARY"; charset=utf-8', body)
    assert form == {"a": "1"}


@pytest.mark.anyio
async def test_multipart_empty_body_and_empty_message() -> None:
    assert await parse(MULTIPART, b"") == {}
    assert await parse(MULTIPART, b"--BOUNDARY--\r\n") == {}


@pytest.mark.anyio
async def test_multipart_through_request() -> None:
    body = multipart(part("a", b"1"), part("f", b"data", filename="f.txt"))
    messages = [
        {"type": "http.request", "body": body[:50], "more_body": True},
        {"type": "http.request", "body": body[50:], "more_body": False},
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [(b"content-type", MULTIPART.encode())],
    }
    request = Request(scope, receive)
    form = await request.form()
    assert form["a"] == "1"
    upload = form["f"]
    assert isinstance(upload, UploadFile)
    assert await upload.read() == b"data"
    await request.close()
    assert upload.file.closed


# -- multipart: limits -----------------------------------------------------------------------


@pytest.mark.anyio
async def test_multipart_too_many_files(created_files: list[UploadFile]) -> None:
    limits = FormLimits(max_files=2)
    body = multipart(*(part(f"f{i}", b"x", filename=f"{i}.txt") for i in range(3)))
    assert await expect_error(MULTIPART, body, limits) == (
        400,
        "Too many files. Maximum number of files is 2.",
    )
    assert len(created_files) == 2
    assert all(upload.file.closed for upload in created_files)


@pytest.mark.anyio
async def test_multipart_default_file_limit() -> None:
    body = multipart(*(part("f", b"", filename="x") for i in range(1001)))
    assert await expect_error(MULTIPART, body) == (
        400,
        "Too many files. Maximum number of files is 1000.",
    )


@pytest.mark.anyio
async def test_multipart_too_many_fields() -> None:
    limits = FormLimits(max_fields=2)
    ok = multipart(part("a", b"1"), part("b", b"2"), part("f", b"", filename="f"))
    form = await parse(MULTIPART, ok, limits)
    assert form["a"] == "1"
    await form.close()
    body = multipart(part("a", b"1"), part("b", b"2"), part("c", b"3"))
    assert await expect_error(MULTIPART, body, limits) == (
        400,
        "Too many fields. Maximum number of fields is 2.",
    )
    body = multipart(*(part(f"f{i}", b"") for i in range(1001)))
    assert await expect_error(MULTIPART, body) == (
        400,
        "Too many fields. Maximum number of fields is 1000.",
    )


@pytest.mark.anyio
async def test_multipart_field_too_large(created_files: list[UploadFile]) -> None:
    body = multipart(
        part("f", b"data", filename="f"),
        part("text", b"x" * (1024 * 1024 + 1)),
    )
    assert await expect_error(MULTIPART, body, chunk_size=65536) == (
        400,
        "Part exceeded maximum size of 1024KB.",
    )
    assert len(created_files) == 1
    assert created_files[0].file.closed
    limits = FormLimits(max_part_size=2048)
    assert await expect_error(MULTIPART, multipart(part("t", b"x" * 2049)), limits) == (
        400,
        "Part exceeded maximum size of 2KB.",
    )
    assert await parse(MULTIPART, multipart(part("t", b"x" * 2048)), limits) == {"t": "x" * 2048}


@pytest.mark.anyio
async def test_multipart_files_are_not_bounded_by_part_size() -> None:
    limits = FormLimits(max_part_size=10)
    form = await parse(MULTIPART, multipart(part("f", b"y" * 100, filename="f")), limits)
    upload = form["f"]
    assert isinstance(upload, UploadFile)
    assert upload.size == 100
    await form.close()


@pytest.mark.anyio
@pytest.mark.parametrize("chunk_size", [None, 100])
async def test_multipart_part_headers_too_large(chunk_size: int | None) -> None:
    huge = b"X-Extra: " + b"h" * 9000
    body = multipart(part("a", b"1", extra=[huge]))
    assert await expect_error(MULTIPART, body, chunk_size=chunk_size) == (
        413,
        "Part headers exceeded maximum size of 8192 bytes.",
    )


@pytest.mark.anyio
async def test_multipart_part_headers_cumulative_limit() -> None:
    limits = FormLimits(max_part_header_size=200)
    extra = [b"X-%d: %s" % (i, b"v" * 40) for i in range(5)]
    assert await expect_error(MULTIPART, multipart(part("a", b"1", extra=extra)), limits) == (
        413,
        "Part headers exceeded maximum size of 200 bytes.",
    )


@pytest.mark.anyio
async def test_multipart_max_body_size(created_files: list[UploadFile]) -> None:
    body = multipart(part("f", b"z" * 5000, filename="f"))
    limits = FormLimits(max_body_size=1000)
    assert await expect_error(MULTIPART, body, limits, chunk_size=500) == (
        413,
        "Request body exceeded maximum size of 1000 bytes.",
    )
    assert created_files
    assert all(upload.file.closed for upload in created_files)


# -- multipart: malformed --------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content_type", "detail"),
    [
        ("multipart/form-data", "Missing boundary in multipart/form-data Content-Type."),
        ("multipart/form-data; boundary=", "Missing boundary in multipart/form-data Content-Type."),
        (
            'multipart/form-data; boundary=""',
            "Missing boundary in multipart/form-data Content-Type.",
        ),
        (
            "multipart/form-data; boundary=" + "b" * 71,
            "Multipart boundary is longer than 70 characters.",
        ),
        ("multipart/form-data; boundary=a<b", "Invalid character in multipart boundary."),
        ('multipart/form-data; boundary="ab "', "Invalid character in multipart boundary."),
        ("multipart/form-data; boundary=é", "Invalid character in multipart boundary."),
    ],
)
async def test_multipart_bad_boundary(content_type: str, detail: str) -> None:
    assert await expect_error(content_type, multipart(part("a", b"1"))) == (400, detail)


@pytest.mark.anyio
async def test_multipart_boundary_of_70_chars_is_fine() -> None:
    boundary = "b" * 70
    body = multipart(part("a", b"1")).replace(b"BOUNDARY", boundary.encode())
    assert await parse(f"multipart/form-data; boundary={boundary}", body) == {"a": "1"}


@pytest.mark.anyio
@pytest.mark.parametrize("chunk_size", [None, 7])
async def test_multipart_unterminated(
    created_files: list[UploadFile], chunk_size: int | None
) -> None:
    body = part("a", b"1") + part("f", b"partial file", filename="f")
    assert await expect_error(MULTIPART, body, chunk_size=chunk_size) == (
        400,
        "Invalid multipart body: the closing boundary is missing.",
    )
    assert len(created_files) == 1
    assert created_files[0].file.closed


@pytest.mark.anyio
async def test_multipart_header_without_colon() -> None:
    body = b'--BOUNDARY\r\nContent-Disposition form-data; name="a"\r\n\r\n1\r\n--BOUNDARY--\r\n'
    status, detail = await expect_error(MULTIPART, body)
    assert status == 400
    assert detail.startswith("Invalid multipart body: ")


@pytest.mark.anyio
@pytest.mark.parametrize(
    "body",
    [
        b"garbage before any boundary",
        b"--WRONGBOUNDARY\r\n\r\n",
        b"--BOUNDARYxx\r\n",
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="a"\r\rx',
    ],
)
async def test_multipart_garbage(body: bytes) -> None:
    status, detail = await expect_error(MULTIPART, body)
    assert status == 400
    assert detail.startswith("Invalid multipart body")


@pytest.mark.anyio
async def test_multipart_missing_disposition_or_name() -> None:
    body = b"--BOUNDARY\r\nContent-Type: text/plain\r\n\r\n1\r\n--BOUNDARY--\r\n"
    assert await expect_error(MULTIPART, body) == (
        400,
        "Missing Content-Disposition header in a multipart part.",
    )
    body = (
        b'--BOUNDARY\r\nContent-Disposition: form-data; filename="x"\r\n\r\n1\r\n--BOUNDARY--\r\n'
    )
    assert await expect_error(MULTIPART, body) == (
        400,
        'Missing "name" parameter in the Content-Disposition of a multipart part.',
    )


@pytest.mark.anyio
async def test_multipart_bad_utf8() -> None:
    assert await expect_error(MULTIPART, multipart(part(b"n\xff", b"1"))) == (
        400,
        "Invalid UTF-8 in a multipart field name.",
    )
    assert await expect_error(MULTIPART, multipart(part("a", b"\xff\xfe"))) == (
        400,
        "Invalid utf-8 encoding in form field 'a'.",
    )
    body = multipart(part("a", b"1", content_type="text/plain; charset=klingon"))
    assert await expect_error(MULTIPART, body) == (400, "Unknown charset 'klingon' in form data.")
    assert await expect_error(MULTIPART, multipart(part("_charset_", b"\xff"))) == (
        400,
        "Invalid _charset_ value in form data.",
    )


@pytest.mark.anyio
async def test_multipart_filename_with_invalid_utf8_falls_back_to_latin1() -> None:
    body = multipart(
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="f"; filename="caf\xe9"\r\n\r\nx\r\n'
    )
    form = await parse(MULTIPART, body)
    upload = form["f"]
    assert isinstance(upload, UploadFile)
    assert upload.filename == "café"


# -- Content-Type parameters -----------------------------------------------------------------


def test_parse_options_header() -> None:
    assert parse_options_header("Multipart/Form-Data; Boundary=abc; charset=UTF-8") == (
        "multipart/form-data",
        {"boundary": "abc", "charset": "UTF-8"},
    )
    assert parse_options_header('form-data; name="a;b"; filename="x\\"y.txt"') == (
        "form-data",
        {"name": "a;b", "filename": 'x"y.txt'},
    )
    assert parse_options_header("text/plain") == ("text/plain", {})
    assert parse_options_header("") == ("", {})
    assert parse_options_header("a; ; novalue; =x; k=v; k=second") == ("a", {"k": "v"})
    assert parse_options_header('a; name="unterminated') == ("a", {"name": '"unterminated'})


def test_parse_options_header_hostile_input_is_handled() -> None:
    # Shapes that caused catastrophic backtracking in regex-based parsers.
    hostile = "a/b" + ";" * 50_000 + 'x="' + "\\" * 50_000
    media_type, params = parse_options_header(hostile)
    assert media_type == "a/b"
    assert list(params) == ["x"]
    many = "a/b; " + "; ".join(f"k{i}=v" for i in range(10_000))
    assert len(parse_options_header(many)[1]) == 10_000


# -- never a 500: arbitrary bytes give a form or an BaseHTTPException ----------------------------

_PREFIXES = [b"", b"--BOUNDARY\r\n", b'--BOUNDARY\r\nContent-Disposition: form-data; name="a"']


@settings(max_examples=150, deadline=None)
@given(
    prefix=st.sampled_from(_PREFIXES),
    body=st.binary(max_size=300),
    chunk_size=st.one_of(st.none(), st.integers(1, 64)),
    content_type=st.sampled_from([MULTIPART, URLENCODED]),
)
def test_arbitrary_bodies_never_crash(
    prefix: bytes, body: bytes, chunk_size: int | None, content_type: str
) -> None:
    async def run() -> None:
        try:
            form = await parse(content_type, prefix + body, chunk_size=chunk_size)
        except BaseHTTPException as exc:
            assert exc.status_code in (400, 413)
        else:
            await form.close()

    anyio.run(run)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_content_type_never_crashes(content_type: str) -> None:
    async def run() -> None:
        headers = Headers(raw=[(b"content-type", content_type.encode("utf-8"))])
        try:
            form = await parse_form(headers, chunks(b"a=1"))
        except BaseHTTPException as exc:
            assert exc.status_code == 400
        else:
            await form.close()

    anyio.run(run)
