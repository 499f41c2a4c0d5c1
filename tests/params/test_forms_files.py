"""Form fields and file uploads, compared with FastAPI; limits and malformed multipart."""

import threading
from types import ModuleType
from typing import Annotated, Any, Optional

import pytest
from fidelity import Pair

import FasterAPI
from fasterapi_core.formparsers import FormLimits


def make_app(fw: ModuleType) -> Any:
    app = fw.FastAPI()
    Form, File, UploadFile = fw.Form, fw.File, fw.UploadFile

    @app.post("/login")
    def login(username: str = Form(), password: Annotated[str, Form(min_length=3)] = "abc") -> Any:
        return {"username": username, "password": password}

    @app.post("/typed-form")
    def typed_form(
        n: Annotated[int, Form(ge=0)],
        flag: Annotated[bool, Form()] = False,
        tags: Annotated[list[str], Form()] = [],  # noqa: B006
        note: Annotated[Optional[str], Form()] = None,
    ) -> Any:
        return {"n": n, "flag": flag, "tags": tags, "note": note}

    @app.post("/aliased-form")
    def aliased_form(value: Annotated[str, Form(alias="the-value")]) -> Any:
        return {"value": value}

    @app.post("/bytes")
    def as_bytes(file: Annotated[bytes, File()]) -> Any:
        return {"size": len(file), "head": file[:5].decode("latin-1")}

    @app.post("/upload")
    async def upload(file: UploadFile) -> Any:
        data = await file.read()
        return {"filename": file.filename, "content_type": file.content_type, "size": len(data)}

    @app.post("/upload-many")
    async def upload_many(files: list[UploadFile]) -> Any:
        return [{"filename": f.filename, "size": len(await f.read())} for f in files]

    @app.post("/upload-optional")
    async def upload_optional(file: Optional[UploadFile] = None) -> Any:
        return {"filename": None if file is None else file.filename}

    @app.post("/upload-bytes-list")
    def upload_bytes_list(files: Annotated[list[bytes], File()]) -> Any:
        return {"sizes": [len(f) for f in files]}

    @app.post("/files-and-form")
    async def files_and_form(
        token: Annotated[str, Form()],
        file_a: Annotated[bytes, File()],
        file_b: UploadFile,
    ) -> Any:
        return {"token": token, "a": len(file_a), "b": (await file_b.read()).decode()}

    return app


@pytest.fixture
def app_pair(pair: Any) -> Pair:
    return pair(make_app)


@pytest.mark.parametrize(
    "data",
    [
        {"username": "joe", "password": "secret"},
        {"username": "joe"},
        {"password": "x"},
        {},
        {"username": "", "password": ""},
    ],
)
def test_urlencoded_login(app_pair: Pair, data: dict[str, str]) -> None:
    app_pair.post("/login", data=data)


def test_multipart_login(app_pair: Pair) -> None:
    app_pair.post("/login", data={"username": "joe"}, files={"unused": ("a.txt", b"x")})


@pytest.mark.parametrize(
    "data",
    [
        {"n": "3", "flag": "on", "tags": ["a", "b"], "note": "hi"},
        {"n": "-1", "flag": "maybe"},
        {"n": "x"},
        {"flag": "true"},
        {"n": "1", "tags": "single"},
    ],
)
def test_typed_form_fields(app_pair: Pair, data: dict[str, Any]) -> None:
    app_pair.post("/typed-form", data=data)


@pytest.mark.parametrize("data", [{"the-value": "v"}, {"value": "v"}])
def test_form_alias(app_pair: Pair, data: dict[str, str]) -> None:
    app_pair.post("/aliased-form", data=data)


def test_json_sent_to_form_route(app_pair: Pair) -> None:
    app_pair.post("/login", json={"username": "joe", "password": "secret"})


def test_file_as_bytes(app_pair: Pair) -> None:
    response = app_pair.post("/bytes", files={"file": ("a.bin", b"hello world", "x/y")})
    assert response.json() == {"size": 11, "head": "hello"}


@pytest.mark.parametrize("url", ["/bytes", "/upload", "/upload-many", "/upload-bytes-list"])
def test_missing_file(app_pair: Pair, url: str) -> None:
    app_pair.post(url, data={"other": "x"})
    app_pair.post(url)


def test_upload_file(app_pair: Pair) -> None:
    response = app_pair.post("/upload", files={"file": ("notes.txt", b"abc", "text/plain")})
    assert response.json() == {"filename": "notes.txt", "content_type": "text/plain", "size": 3}


def test_upload_file_given_as_plain_field(app_pair: Pair) -> None:
    app_pair.post("/upload", data={"file": "not a file"})


def test_bytes_given_as_plain_field_is_its_text(app_pair: Pair) -> None:
    response = app_pair.post("/bytes", data={"file": "hello world"})
    assert response.json() == {"size": 11, "head": "hello"}
    app_pair.post("/upload-bytes-list", data={"files": ["ab", "c"]})


def test_upload_many(app_pair: Pair) -> None:
    files = [("files", ("a.txt", b"a")), ("files", ("b.txt", b"bb"))]
    app_pair.post("/upload-many", files=files)
    app_pair.post("/upload-bytes-list", files=files)


@pytest.mark.parametrize("with_file", [True, False])
def test_upload_optional(app_pair: Pair, with_file: bool) -> None:
    files = {"file": ("x.txt", b"1")} if with_file else None
    app_pair.post("/upload-optional", files=files, data={"k": "v"})


def test_files_and_form(app_pair: Pair) -> None:
    response = app_pair.post(
        "/files-and-form",
        data={"token": "t"},
        files={"file_a": ("a", b"aaaa"), "file_b": ("b", b"bee")},
    )
    assert response.json() == {"token": "t", "a": 4, "b": "bee"}
    app_pair.post("/files-and-form", data={"token": "t"})


# ---- our own behaviour: large uploads, limits, malformed input ----


def test_large_upload_spills_to_disk_and_is_read_back() -> None:
    app = FasterAPI.Faster()
    seen: dict[str, Any] = {}

    @app.post("/big")
    async def big(file: FasterAPI.UploadFile) -> Any:
        seen["rolled"] = getattr(file.file, "_rolled", None)
        data = await file.read()
        return {"size": len(data), "ok": data == payload}

    payload = bytes(range(256)) * 8192  # 2 MiB: beyond the 1 MB in-memory threshold
    client = FasterAPI.TestClient(app)
    response = client.post("/big", files={"file": ("big.bin", payload)})
    assert response.json() == {"size": len(payload), "ok": True}
    assert seen["rolled"] is True


def test_upload_file_is_closed_after_the_request() -> None:
    app = FasterAPI.Faster()
    kept: list[Any] = []

    @app.post("/keep")
    async def keep(file: FasterAPI.UploadFile) -> Any:
        kept.append(file)
        return {"closed": file.file.closed}

    client = FasterAPI.TestClient(app)
    assert client.post("/keep", files={"file": ("a", b"x")}).json() == {"closed": False}
    assert kept[0].file.closed


def test_default_part_size_limit_is_400_as_in_fastapi(app_pair: Pair) -> None:
    too_big = "x" * (1024 * 1024 + 1)
    files = {"password": (None, too_big)}
    response = app_pair.post("/login", data={"username": "joe"}, files=files)
    assert response.status_code == 400
    assert response.json() == {"detail": "Part exceeded maximum size of 1024KB."}


def test_form_limits_are_configurable() -> None:
    limits = FormLimits(max_files=1, max_fields=2, max_part_size=2048, max_body_size=5000)
    app = FasterAPI.Faster(form_limits=limits)

    @app.post("/form")
    def form(a: str = FasterAPI.Form(""), files: list[bytes] = FasterAPI.File([])) -> Any:
        return {"a": a, "files": len(files)}

    client = FasterAPI.TestClient(app)
    assert client.post("/form", data={"a": "short"}).json() == {"a": "short", "files": 0}
    multipart = {"detail": "Part exceeded maximum size of 2KB."}
    urlencoded = {"detail": "Field exceeded maximum size of 2KB."}  # FastAPI's wording
    for files, detail in (({"z": ("z", b"")}, multipart), (None, urlencoded)):
        response = client.post("/form", data={"a": "x" * 2049}, files=files)
        assert (response.status_code, response.json()) == (400, detail)
    body = {"detail": "Request body exceeded maximum size of 5000 bytes."}
    response = client.post("/form", files={"files": ("a", b"x" * 6000)})
    assert (response.status_code, response.json()) == (413, body)
    response = client.post("/form", data={"a": "x" * 6000})
    assert (response.status_code, response.json()) == (413, body)
    response = client.post("/form", files=[("files", ("a", b"1")), ("files", ("b", b"2"))])
    assert response.status_code == 400
    assert response.json() == {"detail": "Too many files. Maximum number of files is 1."}
    for files in ({"f": ("f", b"")}, None):
        response = client.post("/form", data={"a": "1", "b": "2", "c": "3"}, files=files)
        assert response.status_code == 400
        assert response.json() == {"detail": "Too many fields. Maximum number of fields is 2."}


@pytest.mark.parametrize(
    ("content_type", "body", "detail"),
    [
        (
            "multipart/form-data",
            b"--x\r\n",
            "Missing boundary in multipart/form-data Content-Type.",
        ),
        (
            "multipart/form-data; boundary=",
            b"--\r\n",
            "Missing boundary in multipart/form-data Content-Type.",
        ),
        ("multipart/form-data; boundary=abc", b"garbage without boundary", None),
        (
            "multipart/form-data; boundary=abc",
            b"--abc\r\nContent-Disposition: form-data\r\n\r\nv\r\n--abc--\r\n",
            'Missing "name" parameter in the Content-Disposition of a multipart part.',
        ),
        (
            "multipart/form-data; boundary=abc",
            b"--abc\r\nno-colon-header\r\n\r\nv\r\n--abc--\r\n",
            None,
        ),
        (
            "multipart/form-data; boundary=abc",
            b'--abc\r\nContent-Disposition: form-data; name="username"\r\n\r\nunterminated',
            "Invalid multipart body: the closing boundary is missing.",
        ),
    ],
)
def test_malformed_multipart_is_400(
    app_pair: Pair, content_type: str, body: bytes, detail: Optional[str]
) -> None:
    response = app_pair.ours.post("/login", content=body, headers={"content-type": content_type})
    assert response.status_code == 400
    if detail is None:
        assert response.json()["detail"].startswith("Invalid multipart body: ")
    else:
        assert response.json() == {"detail": detail}


def test_sync_handler_with_form_runs_in_threadpool() -> None:
    app = FasterAPI.Faster()

    async def loop_thread() -> int:
        return threading.get_ident()

    @app.post("/t")
    def t(name: str = FasterAPI.Form(), loop: int = FasterAPI.Depends(loop_thread)) -> Any:
        return {"other_thread": threading.get_ident() != loop, "name": name}

    client = FasterAPI.TestClient(app)
    assert client.post("/t", data={"name": "n"}).json() == {"other_thread": True, "name": "n"}
